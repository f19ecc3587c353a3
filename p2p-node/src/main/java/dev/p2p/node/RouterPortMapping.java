package dev.p2p.node;

import com.offbynull.portmapper.gateways.network.NetworkGateway;
import com.offbynull.portmapper.gateways.network.internalmessages.KillNetworkRequest;
import com.offbynull.portmapper.mapper.MappedPort;
import com.offbynull.portmapper.mapper.PortMapper;
import com.offbynull.portmapper.mapper.PortType;
import com.offbynull.portmapper.mappers.natpmp.NatPmpPortMapper;
import com.offbynull.portmapper.mappers.pcp.PcpPortMapper;
import com.offbynull.portmapper.mappers.upnpigd.UpnpIgdPortMapper;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
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
    private static final long MIN_RENEW_SECONDS = 30;
    /** How long a clean stop waits for the router to remove the mapping. */
    private static final long UNMAP_WAIT_SECONDS = 10;

    /** What became of the mapping: granted, not possible, or lost after it was granted. */
    sealed interface Outcome {
        /** The router forwards {@code external} (its address, the TCP port; UDP the same) to us. */
        record Mapped(InetSocketAddress external, String protocol) implements Outcome {}

        /** No router granted a mapping (one line why); the node carries on as before. */
        record Unavailable(String why) implements Outcome {}

        /** A renewal failed: the mapping is no longer in force. */
        record Lost(String why) implements Outcome {}
    }

    private final int port;
    private final Consumer<Outcome> listener;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean holding; // a mapping exists: stop by the latch, so its removal is not interrupted
    private String problem; // why no candidate gave a mapping (on the mapping thread)

    /** Starts asking at once, for {@code port} (UDP and TCP); {@code listener} hears each outcome on the mapping thread. */
    RouterPortMapping(int port, Consumer<Outcome> listener) {
        this.port = port;
        this.listener = listener;
        this.thread = new Thread(this::run, "p2p-port-mapping");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        NetworkGateway network = NetworkGateway.create();
        List<MappedPort> held = new ArrayList<>();
        PortMapper mapper = null;
        try {
            for (PortMapper candidate : candidates(network)) {
                if (stop.getCount() == 0) {
                    return;
                }
                mapper = candidate; // from here on, whatever it grants is removed in the end, even if we are closed meanwhile
                try {
                    held.add(candidate.mapPort(PortType.TCP, port, port, LEASE_SECONDS));
                    held.add(candidate.mapPort(PortType.UDP, port, port, LEASE_SECONDS));
                    break;
                } catch (RuntimeException e) {
                    // the library says "no response" for silence and for a refusal alike: details in the log
                    LOG.log(Level.FINE, "port mapping through " + candidate + " failed", e);
                    unmapQuietly(candidate, held);
                    mapper = null;
                }
            }
            if (mapper == null) {
                listener.accept(new Outcome.Unavailable(problem));
                return;
            }
            holding = true;
            MappedPort tcp = held.get(0);
            listener.accept(new Outcome.Mapped(new InetSocketAddress(tcp.getExternalAddress(), tcp.getExternalPort()), name(mapper)));
            renewUntilStopped(mapper, held);
        } catch (InterruptedException e) {
            // closed while asking
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "port mapping failed", e);
            listener.accept(new Outcome.Unavailable("port mapping failed: " + e.getMessage()));
        } finally {
            Thread.interrupted(); // a close that interrupted us must not stop the removal
            if (mapper != null) {
                unmapQuietly(mapper, held);
            }
            network.getBus().send(new KillNetworkRequest());
        }
    }

    private void renewUntilStopped(PortMapper mapper, List<MappedPort> held) throws InterruptedException {
        while (true) {
            long lifetime = Long.MAX_VALUE;
            for (MappedPort m : held) {
                lifetime = Math.min(lifetime, m.getLifetime());
            }
            if (stop.await(Math.max(MIN_RENEW_SECONDS, lifetime / 2), TimeUnit.SECONDS)) {
                return;
            }
            try {
                for (int i = 0; i < held.size(); i++) {
                    held.set(i, mapper.refreshPort(held.get(i), LEASE_SECONDS));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.INFO, "port mapping renewal failed", e);
                listener.accept(new Outcome.Lost(name(mapper) + " renewal failed: " + e.getMessage()));
                held.clear();
                return;
            }
        }
    }

    /** NAT-PMP and PCP to the default gateway (no search needed), then the UPnP IGD devices that answer a search. */
    private List<PortMapper> candidates(NetworkGateway network) throws InterruptedException {
        List<PortMapper> out = new ArrayList<>();
        InetAddress gateway = DefaultGateway.ipv4();
        if (gateway == null) {
            problem = "no UPnP IGD router answered, and this host has no IPv4 default gateway to ask for NAT-PMP or PCP";
        } else {
            problem = "the router " + gateway.getHostAddress() + " did not grant one by NAT-PMP or PCP, and no UPnP IGD "
                    + "router did";
            InetAddress self = sourceAddressTowards(gateway);
            if (self != null) {
                out.add(new NatPmpPortMapper(network.getBus(), self, gateway));
                out.add(new PcpPortMapper(network.getBus(), self, gateway));
            }
        }
        out.addAll(UpnpIgdPortMapper.identify(network.getBus()));
        return out;
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
