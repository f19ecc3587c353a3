package dev.p2p.node;

import dev.p2p.dht.Cancellable;
import dev.p2p.dht.Contact;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.node.core.PeerWorld;
import dev.p2p.node.policy.RelayBlame;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.host.TransferHost;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The real machine as a peer core's {@link PeerWorld}: the transfer host's clock and timers, and
 * providers reached over TCP, or through hole punching when none answers directly (they are all
 * behind NAT; docs/REACHABILITY.md), or through relays ({@link RelayPath}, one per provider, which
 * take another way when a relay breaks a circuit). Probing and punching block, so they run off the
 * loop and answer on it.
 */
final class HostPeerWorld implements PeerWorld, AutoCloseable {
    /** Relays a download tries for one provider at most (its record's, then its links'). */
    static final int MAX_RELAYS_PER_PROVIDER = 4;
    /** Providers whose links' relays are remembered at most (the oldest go first). */
    private static final int MAX_PROVIDERS_WITH_RELAYS = 1024;

    private final TransferHost host;
    private final DhtServer dht;
    private final HolePuncher puncher;
    /** Probing and punching block: they get threads of their own, not the loop's or a shared pool's. */
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "p2p-reach");
        t.setDaemon(true);
        return t;
    });

    private final RelayBlame blame = new RelayBlame(); // guarded by itself
    private final Splicer pathThreads = new Splicer("p2p-relay-path");
    private final Map<Integer, RelayPath> paths = new ConcurrentHashMap<>(); // by loopback port
    private final Map<NodeId, List<Contact>> linkRelays = new LinkedHashMap<>(); // guarded by itself; the relays links named

    HostPeerWorld(TransferHost host, DhtServer dht, HolePuncher puncher) {
        this.host = host;
        this.dht = dht;
        this.puncher = puncher;
        host.onTlsFailure(this::onTlsFailure);
    }

    /** A link names {@code relays} for {@code provider}: circuits to it may go through any of them. */
    void rememberRelays(NodeId provider, List<Contact> relays) {
        synchronized (linkRelays) {
            List<Contact> known = new ArrayList<>(linkRelays.getOrDefault(provider, List.of()));
            for (Contact r : relays) {
                if (!known.contains(r) && known.size() < MAX_RELAYS_PER_PROVIDER) {
                    known.add(r);
                }
            }
            linkRelays.remove(provider);
            linkRelays.put(provider, List.copyOf(known));
            if (linkRelays.size() > MAX_PROVIDERS_WITH_RELAYS) {
                linkRelays.remove(linkRelays.keySet().iterator().next());
            }
        }
    }

    /** The relays banned for breaking a circuit (docs/REACHABILITY.md), with why. */
    Map<NodeId, String> bannedRelays() {
        synchronized (blame) {
            return blame.bannedRelays(System.nanoTime() / 1_000_000L);
        }
    }

    /** A dialled connection's TLS failed: if it went to a relay path's loopback port, that path is judged. */
    private void onTlsFailure(InetSocketAddress from, InetSocketAddress to) {
        RelayPath path = to.getAddress().isLoopbackAddress() ? paths.get(to.getPort()) : null;
        if (path != null) {
            path.tlsFailed(from.getPort());
        }
    }

    @Override
    public long nanoTime() {
        return host.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        return host.schedule(delayNanos, task);
    }

    @Override
    public void reach(ContentId id, List<PeerAddress> found, Consumer<Reach> done) {
        CompletableFuture.supplyAsync(() -> reachable(id, found), probes)
                .exceptionally(e -> new Reach.Unreachable("cannot reach the peers providing " + id.toText() + ": " + e))
                .thenAccept(reach -> host.post(() -> done.accept(reach)));
    }

    /**
     * Those a TCP connection reaches; when none does, loopback ends of punched connections; when
     * punching cannot work or did not, of circuits through the providers' relays; else why not.
     */
    private Reach reachable(ContentId id, List<PeerAddress> found) {
        List<CompletableFuture<Boolean>> dials = new ArrayList<>();
        for (PeerAddress p : found) {
            dials.add(CompletableFuture.supplyAsync(() -> HolePuncher.dialable(p), probes));
        }
        for (CompletableFuture<Boolean> probe : dials) {
            if (probe.join()) {
                return new Reach.Peers(found); // the download retries and gives up on the others by itself
            }
        }
        int port = dht.localAddress().getPort();
        InetSocketAddress seen = observedAddress();
        if (seen != null && seen.getPort() != port) {
            StringBuilder refusals = new StringBuilder();
            List<PeerAddress> relayed = throughRelays(found, refusals);
            return !relayed.isEmpty() ? new Reach.Peers(relayed) : new Reach.Unreachable("cannot reach the " + found.size()
                    + " peer(s) providing " + id.toText() + ": they are behind NAT, and hole punching cannot work from here because "
                    + "this node's NAT changes ports (peers see port " + seen.getPort() + " for our port " + port + ": a symmetric "
                    + "NAT)" + refusals + "; open a port, or fetch from a public node (docs/REACHABILITY.md)");
        }
        List<PeerAddress> punched = new ArrayList<>();
        Set<NodeId> tried = new HashSet<>();
        for (PeerAddress p : found) {
            // One punch per node, at its first address: a link names the NAT's first, then LAN addresses no punch reaches.
            if (tried.size() == 4 || !tried.add(p.nodeId())) {
                continue;
            }
            try {
                PeerAddress through = puncher.punch(p);
                if (through != null) {
                    punched.add(through);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (punched.isEmpty()) {
            StringBuilder refusals = new StringBuilder();
            List<PeerAddress> relayed = throughRelays(found, refusals);
            if (!relayed.isEmpty()) {
                return new Reach.Peers(relayed);
            }
            return new Reach.Unreachable("cannot reach the " + found.size() + " peer(s) providing " + id.toText()
                    + ": none answers directly, and hole punching through the peers we know failed (their NAT may change "
                    + "ports, or none of our peers talks to them); one of you must open a port or share from a public node "
                    + "(docs/REACHABILITY.md)");
        }
        return new Reach.Peers(punched);
    }

    /**
     * Loopback ends of {@link RelayPath}s to the providers whose relays we know (from their relayed
     * records or links), one per provider, each with a circuit open; {@code refusals} gathers why
     * relays said no, for the user.
     */
    private List<PeerAddress> throughRelays(List<PeerAddress> found, StringBuilder refusals) {
        List<PeerAddress> out = new ArrayList<>();
        Set<NodeId> tried = new HashSet<>();
        for (PeerAddress p : found) {
            if (!tried.add(p.nodeId())) {
                continue;
            }
            List<Contact> relays = new ArrayList<>();
            try {
                Contact recorded = dht.onLoop(n -> n.relayOf(p.nodeId())).get(5, TimeUnit.SECONDS);
                if (recorded != null) {
                    relays.add(recorded);
                }
            } catch (ExecutionException | TimeoutException e) {
                // the relays links named, if any
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            synchronized (linkRelays) {
                for (Contact r : linkRelays.getOrDefault(p.nodeId(), List.of())) {
                    if (!relays.contains(r)) {
                        relays.add(r);
                    }
                }
            }
            if (relays.isEmpty()) {
                continue;
            }
            InetSocketAddress direct = new InetSocketAddress(p.host(), p.port());
            try {
                RelayPath path = RelayPath.open(p.nodeId(), relays, direct.isUnresolved() ? null : direct, blame, pathThreads,
                        gone -> paths.remove(gone.port(), gone));
                paths.put(path.port(), path);
                out.add(path.address());
            } catch (RelayClient.Refused e) {
                refusals.append(refusals.length() == 0 ? ", and relays refused: " : "; ").append(e.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        probes.shutdownNow();
        List.copyOf(paths.values()).forEach(RelayPath::close);
        pathThreads.close();
    }

    InetSocketAddress observedAddress() {
        try {
            return dht.onLoop(n -> n.observedAddress()).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            return null;
        }
    }
}
