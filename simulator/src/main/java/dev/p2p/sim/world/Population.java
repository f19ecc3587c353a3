package dev.p2p.sim.world;

import dev.p2p.dht.NodeId;
import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.net.SimNetwork;
import dev.p2p.sim.node.NodeFactory;
import dev.p2p.sim.node.SimulatedNode.RoutingEntry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every peer the run has made, and the simulator's global view of who is online: a peer is
 * online once its bootstrap has finished, until it leaves or crashes. Lists here keep insertion
 * (or swap-remove) order, which depends only on the seed.
 */
public final class Population<M> {
    private final Simulation sim;
    private final SimNetwork<M> network;
    private final NodeFactory<M> factory;
    private final List<Peer<M>> byHostNumber = new ArrayList<>();
    private final List<Peer<M>> online = new ArrayList<>();
    private final SortedMap<String, Long> retiredCounters = new TreeMap<>();
    private final ClosestIndex index = new ClosestIndex();
    private final Map<NodeId, Peer<M>> onlineById = new HashMap<>();
    private final List<Consumer<Peer<M>>> onlineListeners = new ArrayList<>();
    private long onlinePeerMillis;
    private long lastCountChangeMillis;
    private long joins;
    private long crashes;
    private long gracefulLeaves;

    public Population(Simulation sim, SimNetwork<M> network, NodeFactory<M> factory) {
        this.sim = sim;
        this.network = network;
        this.factory = factory;
        byHostNumber.add(null);
    }

    /** A new peer with a new identity on a new host; still offline. */
    public Peer<M> spawn() {
        Peer<M> p = new Peer<>(network.newHost(), sim, network, sim.newChildRandom(), factory);
        while (byHostNumber.size() < p.host().number()) {
            byHostNumber.add(null); // a host the population does not own (an adversary's)
        }
        byHostNumber.add(p);
        return p;
    }

    /**
     * Starts {@code peer} and bootstraps it through {@code seeds}; once that finishes it counts as
     * online and {@code joined} runs. A peer coming back with its old state is stopped first so
     * its node re-arms its timers cleanly.
     */
    public void bringUp(Peer<M> peer, List<InetSocketAddress> seeds, Runnable joined) {
        if (peer.isUp()) {
            throw new IllegalStateException("peer is already up: " + peer.id());
        }
        if (peer.sessions() > 0) {
            peer.node().stop();
        }
        peer.setState(Peer.State.JOINING);
        network.attach(peer.host(), peer.node().receiver());
        peer.node().start();
        // The bootstrap ends in the peer's lane; who is online is the world's to change.
        peer.node().bootstrap(seeds, () -> sim.inWorld(() -> {
            if (peer.state() == Peer.State.JOINING) {
                markOnline(peer);
                joined.run();
            }
        }));
    }

    /**
     * Takes {@code peer} off the network: a graceful leave stops its node first (which tells its
     * peers it leaves), a crash does not.
     */
    public void takeDown(Peer<M> peer, boolean graceful) {
        if (!peer.isUp()) {
            return;
        }
        if (graceful) {
            peer.providedKeys().forEach(peer.node()::stopProviding);
            peer.node().leave();
            gracefulLeaves++;
        } else {
            peer.node().crash();
            crashes++;
        }
        if (peer.state() == Peer.State.ONLINE) {
            removeOnline(peer);
        }
        network.detach(peer.host());
        peer.setState(Peer.State.OFFLINE);
    }

    /**
     * Forgets an offline peer that will never come back (its slot returns as someone new): its
     * node's memory is freed, its counters are kept in the totals, and entries naming it stay
     * stale for good.
     */
    public void retire(Peer<M> peer) {
        if (peer.isUp()) {
            throw new IllegalStateException("only an offline peer can be retired: " + peer.id());
        }
        addCounters(retiredCounters, peer);
        byHostNumber.set(peer.host().number(), null);
    }

    private void markOnline(Peer<M> peer) {
        countChanging();
        peer.setState(Peer.State.ONLINE);
        peer.onlineListPosition = online.size();
        online.add(peer);
        index.add(peer.id());
        onlineById.put(peer.id(), peer);
        joins++;
        for (Consumer<Peer<M>> listener : onlineListeners) {
            listener.accept(peer);
        }
    }

    /** Calls {@code listener}, in the world's context, each time a peer comes online (its bootstrap done). */
    public void whenOnline(Consumer<Peer<M>> listener) {
        onlineListeners.add(listener);
    }

    /** The peers online now, in the population's order (which depends on the seed alone). */
    public List<Peer<M>> online() {
        return List.copyOf(online);
    }

    private void removeOnline(Peer<M> peer) {
        countChanging();
        Peer<M> last = online.remove(online.size() - 1);
        if (last != peer) {
            online.set(peer.onlineListPosition, last);
            last.onlineListPosition = peer.onlineListPosition;
        }
        peer.onlineListPosition = -1;
        index.remove(peer.id());
        onlineById.remove(peer.id());
    }

    private void countChanging() {
        long now = sim.nowMillis();
        onlinePeerMillis += online.size() * (now - lastCountChangeMillis);
        lastCountChangeMillis = now;
    }

    public int onlineCount() {
        return online.size();
    }

    /** Online peers integrated over virtual time so far, in peer-milliseconds. */
    public long onlinePeerMillis() {
        return onlinePeerMillis + online.size() * (sim.nowMillis() - lastCountChangeMillis);
    }

    /** A uniformly chosen online peer, or null when none is. */
    public Peer<M> randomOnline(Random random) {
        return online.isEmpty() ? null : online.get(random.nextInt(online.size()));
    }

    /** Up to {@code count} distinct online peers' addresses other than {@code self}'s. */
    public List<InetSocketAddress> randomSeeds(Peer<M> self, int count, Random random) {
        List<InetSocketAddress> seeds = new ArrayList<>(count);
        for (int tries = 0; seeds.size() < count && tries < 4 * count && !online.isEmpty(); tries++) {
            Peer<M> p = randomOnline(random);
            if (p != self && !seeds.contains(p.address())) {
                seeds.add(p.address());
            }
        }
        return seeds;
    }

    /**
     * The online id XOR-closest to {@code target} (the target itself when an online peer has it),
     * leaving out {@code asker}: a node's lookup never returns the node itself.
     */
    public NodeId closestOnline(NodeId target, NodeId asker) {
        return index.closestExcept(target, asker);
    }

    /** The online peer with {@code id}, or null. */
    public Peer<M> peerById(NodeId id) {
        return onlineById.get(id);
    }

    /** The peer living at {@code address}, or null. */
    public Peer<M> peerAt(InetSocketAddress address) {
        var host = network.host(address);
        return host == null || host.number() >= byHostNumber.size() ? null : byHostNumber.get(host.number());
    }

    /** True when {@code entry} names a peer that is up at that address with that id. */
    public boolean isLive(RoutingEntry entry) {
        Peer<M> p = peerAt(entry.address());
        return p != null && p.isUp() && p.id().equals(entry.id());
    }

    /** Every peer the run made and has not retired, by host number. */
    public List<Peer<M>> allPeers() {
        List<Peer<M>> all = new ArrayList<>();
        for (Peer<M> p : byHostNumber) {
            if (p != null) {
                all.add(p);
            }
        }
        return all;
    }

    /** Every peer's node counters added up, over every peer the run made, by counter name. */
    public SortedMap<String, Long> nodeCounterTotals() {
        SortedMap<String, Long> totals = new TreeMap<>(retiredCounters);
        for (Peer<M> p : byHostNumber) {
            if (p != null) {
                addCounters(totals, p);
            }
        }
        return totals;
    }

    private static void addCounters(SortedMap<String, Long> totals, Peer<?> peer) {
        peer.node().counters().forEach((name, v) -> totals.merge(name, v, Long::sum));
    }

    public long joins() {
        return joins;
    }

    public long crashes() {
        return crashes;
    }

    public long gracefulLeaves() {
        return gracefulLeaves;
    }
}
