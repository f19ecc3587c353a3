package dev.p2p.node;

import com.offbynull.portmapper.gateways.network.NetworkGateway;
import com.offbynull.portmapper.gateways.network.internalmessages.KillNetworkRequest;
import com.offbynull.portmapper.mapper.MappedPort;
import com.offbynull.portmapper.mapper.PortMapper;
import com.offbynull.portmapper.mapper.PortType;
import com.offbynull.portmapper.mappers.natpmp.NatPmpPortMapper;
import com.offbynull.portmapper.mappers.pcp.PcpPortMapper;
import com.offbynull.portmapper.mappers.upnpigd.UpnpIgdPortMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks the router in front of this host to forward the node's port to it, UDP and TCP, keeps the
 * lease renewed and removes the mapping on {@link #close}. It speaks NAT-PMP and PCP to the default
 * gateway and UPnP IGD to whatever answers its SSDP search, through com.offbynull.portmapper. This
 * is I/O only, on a thread of its own: it reports what the router granted ({@link Outcome}); whether
 * that makes the node public is the DHT node's reachability decision.
 */
final class RouterPortMapping implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RouterPortMapping.class.getName());
    /** The lease asked for; renewed at half of what the router grants. */
    static final long LEASE_SECONDS = 3600;
    /** How long a clean stop waits for the router to remove the mapping. */
    private static final long UNMAP_WAIT_SECONDS = 10;

    /** What became of the mapping: granted, not possible, or lost after it was granted. */
    sealed interface Outcome {
        /** The router forwards {@code external} (its address, the TCP port; UDP the same) to us. */
        record Mapped(InetSocketAddress external, String protocol) implements Outcome {}

        /** No router granted a mapping (one line why); the node carries on as before. */
        record Unavailable(String why) implements Outcome {}

        /** A renewal failed: the mapping is no longer in force (the node asks again, {@link Timing#retryMillis}). */
        record Lost(String why) implements Outcome {}
    }

    /** The routers to ask, in order; the iteration may wait for a search to answer (SSDP). */
    interface Search {
        Iterable<PortMapper> routers(NetworkGateway network) throws InterruptedException;
    }

    /**
     * @param minRenewMillis the shortest wait between renewals, whatever lease the router grants
     * @param retryMillis after a lost mapping, the wait before asking again; doubled after each
     *     attempt that gets none, up to {@code maxRetryMillis}
     */
    record Timing(long minRenewMillis, long retryMillis, long maxRetryMillis) {
        static final Timing DEFAULTS = new Timing(30_000, 60_000, 30 * 60_000);
    }

    private final int port;
    private final Consumer<Outcome> listener;
    private final Search search;
    private final Timing timing;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean holding; // a mapping exists: stop by the latch, so its removal is not interrupted
    private String problem = "no router answered"; // why no candidate gave a mapping (on the mapping thread)

    /** Starts asking at once, for {@code port} (UDP and TCP); {@code listener} hears each outcome on the mapping thread. */
    RouterPortMapping(int port, Consumer<Outcome> listener) {
        this(port, listener, null, Timing.DEFAULTS);
    }

    /** As {@link #RouterPortMapping(int, Consumer)}, asking the routers {@code search} finds (null: the real ones). */
    RouterPortMapping(int port, Consumer<Outcome> listener, Search search, Timing timing) {
        this.port = port;
        this.listener = listener;
        this.search = search != null ? search : this::candidates;
        this.timing = timing;
        this.thread = new Thread(this::run, "p2p-port-mapping");
        thread.setDaemon(true);
        thread.start();
    }

    /** A mapping granted: by whom, and what (TCP first, then UDP). */
    private record Held(PortMapper mapper, List<MappedPort> ports) {}

    /**
     * Asks once, then holds and renews what was granted; when a renewal fails, asks again after
     * a pause (the router restarted, or dropped its table), until stopped. A router that maps
     * nothing at start is not asked again: it has no mapping protocol on.
     */
    private void run() {
        NetworkGateway network = NetworkGateway.create();
        Held held = null;
        long retry = timing.retryMillis();
        try {
            held = mapOnce(network);
            if (held == null) {
                listener.accept(new Outcome.Unavailable(problem));
                return;
            }
            while (true) {
                holding = true;
                MappedPort tcp = held.ports.get(0);
                listener.accept(new Outcome.Mapped(new InetSocketAddress(tcp.getExternalAddress(), tcp.getExternalPort()),
                        name(held.mapper)));
                retry = timing.retryMillis();
                if (!renewUntilLostOrStopped(held)) {
                    return;
                }
                held = null;
                holding = false;
                while (held == null) {
                    if (stop.await(retry, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    held = mapOnce(network);
                    retry = Math.min(timing.maxRetryMillis(), retry * 2);
                    if (held == null) {
                        LOG.info("port mapping: asked again after the mapping was lost, but " + problem);
                    }
                }
            }
        } catch (InterruptedException e) {
            // closed while asking
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "port mapping failed", e);
            listener.accept(new Outcome.Unavailable("port mapping failed: " + e.getMessage()));
        } finally {
            Thread.interrupted(); // a close that interrupted us must not stop the removal
            if (held != null) {
                unmapQuietly(held.mapper, held.ports);
            }
            network.getBus().send(new KillNetworkRequest());
        }
    }

    /** The first router that maps both protocols, or null (then {@link #problem} says why). */
    private Held mapOnce(NetworkGateway network) throws InterruptedException {
        for (PortMapper candidate : search.routers(network)) {
            if (stop.getCount() == 0 || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            List<MappedPort> ports = new ArrayList<>();
            try {
                ports.add(candidate.mapPort(PortType.TCP, port, port, LEASE_SECONDS));
                ports.add(candidate.mapPort(PortType.UDP, port, port, LEASE_SECONDS));
                return new Held(candidate, ports);
            } catch (RuntimeException e) {
                // the library says "no response" for silence and for a refusal alike: details in the log
                LOG.log(Level.FINE, "port mapping through " + candidate + " failed", e);
                unmapQuietly(candidate, ports);
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException(); // the search was cut short by close
        }
        return null;
    }

    /** Renews at half the lease granted until stopped (false) or a renewal fails (true, after telling the listener). */
    private boolean renewUntilLostOrStopped(Held held) throws InterruptedException {
        List<MappedPort> ports = held.ports;
        while (true) {
            long lifetime = Long.MAX_VALUE;
            for (MappedPort m : ports) {
                lifetime = Math.min(lifetime, m.getLifetime());
            }
            if (stop.await(Math.max(timing.minRenewMillis(), lifetime * 1000 / 2), TimeUnit.MILLISECONDS)) {
                return false;
            }
            try {
                for (int i = 0; i < ports.size(); i++) {
                    ports.set(i, held.mapper.refreshPort(ports.get(i), LEASE_SECONDS));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.INFO, "port mapping renewal failed", e);
                listener.accept(new Outcome.Lost(name(held.mapper) + " renewal failed: " + e.getMessage()));
                ports.clear();
                return true;
            }
        }
    }

    /**
     * NAT-PMP and PCP to the default gateway (no search needed), then the UPnP IGD devices that
     * answer a search. The search (the library waits 5 s for SSDP answers) runs while NAT-PMP and
     * PCP are tried, so a router that maps nothing is known sooner; the three are not asked for a
     * mapping at once, since one router speaking two of them would map the port twice.
     */
    private Iterable<PortMapper> candidates(NetworkGateway network) throws InterruptedException {
        CompletableFuture<List<UpnpIgdPortMapper>> upnp = new CompletableFuture<>();
        Thread searching = new Thread(() -> {
            try {
                upnp.complete(UpnpIgdPortMapper.identify(network.getBus()));
            } catch (InterruptedException | RuntimeException e) {
                upnp.complete(List.of());
            }
        }, "p2p-port-mapping-search");
        searching.setDaemon(true);
        searching.start();
        List<PortMapper> out = new ArrayList<>();
        InetAddress gateway = DefaultGateway.ipv4();
        if (gateway == null) {
            problem = "no UPnP IGD router answered, and this host has no IPv4 default gateway to ask for NAT-PMP or PCP";
        } else {
            problem = "the router " + gateway.getHostAddress() + " did not grant one by NAT-PMP or PCP, and no UPnP IGD "
                    + "router did";
            InetAddress self = sourceAddressTowards(gateway);
            if (self != null && answersOnPort5351(self, gateway)) {
                out.add(new NatPmpPortMapper(network.getBus(), self, gateway));
                out.add(new PcpPortMapper(network.getBus(), self, gateway));
            }
        }
        return () -> new Iterator<>() {
            private final Iterator<PortMapper> direct = out.iterator();
            private Iterator<? extends PortMapper> searched;

            @Override
            public boolean hasNext() {
                if (direct.hasNext()) {
                    return true;
                }
                if (searched == null) {
                    try {
                        searched = upnp.get().iterator(); // the search is done by the time NAT-PMP and PCP gave up
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // closed: nothing more to try
                        searching.interrupt();
                        return false;
                    } catch (ExecutionException e) {
                        searched = Collections.emptyIterator();
                    }
                }
                return searched.hasNext();
            }

            @Override
            public PortMapper next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return direct.hasNext() ? direct.next() : searched.next();
            }
        };
    }

    /**
     * Whether anything answers on the gateway's NAT-PMP and PCP port: a NAT-PMP external-address
     * request (version 0, opcode 0), which a NAT-PMP server answers and a PCP server answers with
     * "unsupported version" (RFC 6887, 9). Only whether a datagram comes back counts: nothing of it
     * is read. Tried at 250, 500 and 1000 ms (1.75 s), where the library tries each of NAT-PMP and
     * PCP for 3.75 s: a router that speaks neither is known sooner.
     */
    private static boolean answersOnPort5351(InetAddress self, InetAddress gateway) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(self, 0))) {
            s.connect(gateway, 5351);
            byte[] ask = {0, 0};
            for (int wait = 250; wait <= 1000; wait *= 2) {
                s.send(new DatagramPacket(ask, ask.length));
                s.setSoTimeout(wait);
                try {
                    s.receive(new DatagramPacket(new byte[64], 64));
                    return true;
                } catch (SocketTimeoutException e) {
                    // again, waiting longer
                }
            }
            return false;
        } catch (PortUnreachableException e) {
            return false; // the router said nothing listens there
        } catch (IOException e) {
            return true; // cannot tell: let the library try
        }
    }

    /** The local address the kernel would send from towards {@code to}; a UDP connect sends nothing. */
    private static InetAddress sourceAddressTowards(InetAddress to) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(to, 9);
            InetAddress local = s.getLocalAddress();
            return local.isAnyLocalAddress() ? null : local;
        } catch (SocketException e) {
            return null;
        }
    }

    private static String name(PortMapper mapper) {
        if (mapper instanceof NatPmpPortMapper) {
            return "NAT-PMP";
        }
        return mapper instanceof PcpPortMapper ? "PCP" : "UPnP IGD";
    }

    private static void unmapQuietly(PortMapper mapper, List<MappedPort> held) {
        for (MappedPort m : held) {
            try {
                mapper.unmapPort(m);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.INFO, "removing the port mapping failed", e);
            }
        }
        held.clear();
    }

    /** Stops renewing and asks the router to remove the mapping, waiting up to 10 s for it. */
    @Override
    public void close() {
        stop.countDown();
        if (!holding) {
            thread.interrupt(); // still searching: nothing to remove yet
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(UNMAP_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
