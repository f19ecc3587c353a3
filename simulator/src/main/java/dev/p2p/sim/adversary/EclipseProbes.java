package dev.p2p.sim.adversary;

import dev.p2p.dht.NodeId;
import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.world.Peer;
import dev.p2p.sim.world.Population;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Checks whether the eclipse works: now and then a random honest peer (not the publisher) looks
 * up the target key, once for nodes and once for providers. A node lookup is eclipsed when no
 * honest node is among its results; a provider lookup when the real publisher is not among the
 * providers found.
 */
public final class EclipseProbes<M> {
    private final Simulation sim;
    private final Population<M> population;
    private final NodeId key;
    private final Supplier<NodeId> publisher;
    private final Predicate<NodeId> hostile;
    private final double perMinute;
    private final Random random;
    private long nodeLookups;
    private long nodeLookupsEclipsed;
    private long providerLookups;
    private long providerLookupsEclipsed;

    /** @param publisher the honest peer that published {@code key} (null until it has) */
    public EclipseProbes(Simulation sim, Population<M> population, NodeId key, Supplier<NodeId> publisher,
            Predicate<NodeId> hostile, double perMinute) {
        this.sim = sim;
        this.population = population;
        this.key = key;
        this.publisher = publisher;
        this.hostile = hostile;
        this.perMinute = perMinute;
        this.random = sim.newChildRandom();
    }

    public void start(long atMillis) {
        if (perMinute > 0) {
            sim.scheduleAt(atMillis, this::next);
        }
    }

    private void next() {
        probe();
        sim.schedule(Math.max(1, Math.round(-60_000 / perMinute * Math.log(1 - random.nextDouble()))), this::next);
    }

    private void probe() {
        NodeId owner = publisher.get();
        Peer<M> searcher = population.randomOnline(random);
        if (owner == null || population.peerById(owner) == null || searcher == null || searcher.id().equals(owner)) {
            return;
        }
        searcher.node().lookup(key, found -> sim.inWorld(() -> {
            nodeLookups++;
            if (found.closest().stream().allMatch(hostile)) {
                nodeLookupsEclipsed++;
            }
        }));
        searcher.node().findProviders(key, found -> sim.inWorld(() -> {
            providerLookups++;
            if (!found.providers().contains(owner)) {
                providerLookupsEclipsed++;
            }
        }));
    }

    public NodeId key() {
        return key;
    }

    public long nodeLookups() {
        return nodeLookups;
    }

    public long nodeLookupsEclipsed() {
        return nodeLookupsEclipsed;
    }

    public long providerLookups() {
        return providerLookups;
    }

    public long providerLookupsEclipsed() {
        return providerLookupsEclipsed;
    }
}
