package dev.p2p.sim.churn;

import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.world.Peer;
import dev.p2p.sim.world.Population;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives each peer slot through sessions and downtimes: join, stay for a drawn session, crash or
 * leave, stay away for a drawn downtime, come back with the same identity (and its routing table
 * and content) or as a new peer.
 */
public final class ChurnDriver<M> {
    /** Bootstrap peers a newcomer is given, as a user's configured bootstrap list would. */
    static final int BOOTSTRAP_SEEDS = 3;
    /** Routing-table entries a returning peer tries first. */
    static final int REMEMBERED_SEEDS = 16;

    private final Simulation sim;
    private final Population<M> population;
    private final ChurnConfig config;
    private final Random random;

    public ChurnDriver(Simulation sim, Population<M> population, ChurnConfig config) {
        this.sim = sim;
        this.population = population;
        this.config = config;
        this.random = sim.random();
    }

    /** Adds a new peer that joins at {@code atMillis} and then follows the churn model. */
    public void addPeerAt(long atMillis) {
        Slot slot = new Slot(population.spawn());
        sim.scheduleAt(atMillis, () -> join(slot));
    }

    private void join(Slot slot) {
        Peer<M> peer = slot.peer;
        population.bringUp(peer, seedsFor(peer), () -> peer.providedKeys().forEach(peer.node()::provide));
        if (config.enabled()) {
            sim.schedule(config.session().sampleMillis(random), () -> leave(slot));
        }
    }

    private void leave(Slot slot) {
        boolean crash = random.nextDouble() < config.crashFraction();
        population.takeDown(slot.peer, !crash);
        sim.schedule(config.downtime().sampleMillis(random), () -> rejoin(slot));
    }

    private void rejoin(Slot slot) {
        if (random.nextDouble() >= config.rejoinSameIdentity()) {
            population.retire(slot.peer);
            slot.peer = population.spawn();
        }
        join(slot);
    }

    private List<InetSocketAddress> seedsFor(Peer<M> peer) {
        List<InetSocketAddress> seeds = new ArrayList<>();
        if (peer.sessions() > 0) {
            peer.node().routingEntries().stream()
                    .limit(REMEMBERED_SEEDS)
                    .forEach(e -> seeds.add(e.address()));
        }
        for (InetSocketAddress s : population.randomSeeds(peer, BOOTSTRAP_SEEDS, random)) {
            if (!seeds.contains(s)) {
                seeds.add(s);
            }
        }
        return seeds;
    }

    /** One place in the population; the peer in it changes when it returns as someone new. */
    private final class Slot {
        Peer<M> peer;

        Slot(Peer<M> peer) {
            this.peer = peer;
        }
    }
}
