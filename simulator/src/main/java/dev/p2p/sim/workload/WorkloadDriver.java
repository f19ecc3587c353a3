package dev.p2p.sim.workload;

import dev.p2p.dht.NodeId;
import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.metrics.MetricsRecorder;
import dev.p2p.sim.net.SimNetwork;
import dev.p2p.sim.world.Peer;
import dev.p2p.sim.world.Population;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Starts lookups, publications and provider searches as Poisson processes and judges each
 * against the simulator's global view. A lookup succeeds when the closest id it returns is the
 * online id closest to the target other than the asking node's own, as of the lookup's start or
 * its end (either is a right answer for a network that changed while it ran). With adversaries,
 * their ids are passed over in the result (the population holds honest peers only), and a
 * content probe counts only when the real publisher is among the providers found.
 */
public final class WorkloadDriver<M> {
    private static final int PROBE_TRIES = 8;

    private final Simulation sim;
    private final Population<M> population;
    private final SimNetwork<M> network;
    private final MetricsRecorder recorder;
    private final WorkloadConfig config;
    private final Random random;
    private final List<Content> published = new ArrayList<>();
    private Predicate<NodeId> hostile = id -> false;
    private NodeId firstKey;

    public WorkloadDriver(Simulation sim, Population<M> population, SimNetwork<M> network,
            MetricsRecorder recorder, WorkloadConfig config) {
        this.sim = sim;
        this.population = population;
        this.network = network;
        this.recorder = recorder;
        this.config = config;
        this.random = sim.random();
    }

    /** Ids that are not honest peers': lookups' results are judged without them. */
    public void setHostile(Predicate<NodeId> hostileIds) {
        this.hostile = hostileIds;
    }

    /** The first item published will have {@code key} (an eclipse target), not a random one. */
    public void setFirstKey(NodeId key) {
        this.firstKey = key;
    }

    /** The peer that published {@code key}, or null if nobody has yet. */
    public NodeId publisherOf(NodeId key) {
        for (Content c : published) {
            if (c.key.equals(key)) {
                return c.publisher;
            }
        }
        return null;
    }

    /** Starts lookups at {@code lookupsFromMillis}, and content at {@code contentFromMillis}. */
    public void start(long lookupsFromMillis, long contentFromMillis) {
        if (config.lookupsPerPeerPerMinute() > 0) {
            sim.scheduleAt(lookupsFromMillis, () -> {
                population.online().forEach(this::keepLookingUp);
                population.whenOnline(this::keepLookingUp);
            });
        }
        sim.scheduleAt(contentFromMillis, () -> {
            for (int i = 0; i < config.initialContent(); i++) {
                publish();
            }
            if (config.publishesPerMinute() > 0) {
                repeat(config::publishesPerMinute, this::publish);
            }
            if (config.findsPerMinute() > 0) {
                repeat(config::findsPerMinute, this::probeContent);
            }
        });
    }

    /**
     * Runs {@code action} at exponentially spaced times; the rate (per minute) is read again
     * each time, and while it is zero the stream only looks again a second later.
     */
    private void repeat(DoubleSupplier perMinute, Runnable action) {
        double rate = perMinute.getAsDouble();
        long gap = rate > 0 ? Math.max(1, Math.round(-60_000 / rate * Math.log(1 - random.nextDouble()))) : 1_000;
        sim.schedule(gap, () -> {
            if (rate > 0) {
                action.run();
            }
            repeat(perMinute, action);
        });
    }

    /**
     * Each online peer looks up at exponentially spaced times of its own, in its own lane: as
     * many lookups as one stream at the rate times the online count starting each from a random
     * online peer, but no world event each, which would halt every lane while it ran. The peer's
     * chain of lookups ends when it goes offline (its timers die with it) and starts anew when
     * it is back.
     */
    private void keepLookingUp(Peer<M> peer) {
        double gapMillis = 60_000 / config.lookupsPerPeerPerMinute();
        peer.schedule(Math.max(1, Math.round(-gapMillis * Math.log(1 - peer.laneRandom().nextDouble()))), () -> {
            lookup(peer, peer.laneRandom());
            keepLookingUp(peer);
        });
    }

    /**
     * Starts a lookup from {@code source}, in its lane: while a window runs, the world (who is
     * online, the index of online ids) only changes between windows, so reading it here is safe.
     */
    private void lookup(Peer<M> source, Random random) {
        NodeId target = random.nextDouble() < config.onlineTargetShare()
                ? population.randomOnline(random).id()
                : NodeId.random(random);
        NodeId truthAtStart = population.closestOnline(target, source.id());
        long started = sim.nowMillis();
        source.node().lookup(target, outcome -> {
            long latency = sim.nowMillis() - started;
            // Judged in the lane, against the world as it is all this window; only the tally,
            // which every lane adds to, waits for the world's context.
            NodeId truthAtEnd = population.closestOnline(target, source.id());
            NodeId first = outcome.closest().stream().filter(hostile.negate()).findFirst().orElse(null);
            boolean success = first != null && (first.equals(truthAtStart) || first.equals(truthAtEnd));
            Peer<M> truthPeer = truthAtStart == null ? null : population.peerById(truthAtStart);
            boolean acrossCut = truthPeer != null && network.isAcrossAnyCut(source.host(), truthPeer.host());
            int hops = outcome.hops();
            sim.inWorld(() -> recorder.lookupFinished(latency, hops, success, acrossCut));
        });
    }

    private void publish() {
        Peer<M> publisher = population.randomOnline(random);
        if (publisher == null) {
            return;
        }
        NodeId key = NodeId.random(random);
        if (firstKey != null) {
            key = firstKey;
            firstKey = null;
        }
        publisher.providedKeys().add(key);
        publisher.node().provide(key);
        published.add(new Content(key, publisher.id()));
    }

    /** Searches for a published item whose publisher is online, from another online peer. */
    private void probeContent() {
        for (int i = 0; i < PROBE_TRIES && !published.isEmpty(); i++) {
            Content item = published.get(random.nextInt(published.size()));
            Peer<M> publisher = population.peerById(item.publisher);
            Peer<M> searcher = population.randomOnline(random);
            if (publisher != null && searcher != null && searcher != publisher) {
                searcher.node().findProviders(item.key,
                        found -> sim.inWorld(() -> recorder.contentProbed(found.providers().contains(item.publisher),
                                found.firstProviderMillis())));
                return;
            }
        }
    }

    public int publishedCount() {
        return published.size();
    }

    /** A published item and who published it (by id, so a peer gone for good is not kept alive). */
    private record Content(NodeId key, NodeId publisher) {}
}
