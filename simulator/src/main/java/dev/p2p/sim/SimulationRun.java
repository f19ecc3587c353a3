package dev.p2p.sim;

import dev.p2p.dht.NodeId;
import dev.p2p.dht.wire.Message;
import dev.p2p.sim.adversary.AdversaryReport;
import dev.p2p.sim.adversary.Adversaries;
import dev.p2p.sim.adversary.EclipseProbes;
import dev.p2p.sim.churn.ChurnDriver;
import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.metrics.MetricsRecorder;
import dev.p2p.sim.metrics.WorldSample;
import dev.p2p.sim.net.SimNetwork;
import dev.p2p.sim.node.NodeFactory;
import dev.p2p.sim.node.SimulatedNode.RoutingEntry;
import dev.p2p.sim.scenario.Scenario;
import dev.p2p.sim.workload.WorkloadDriver;
import dev.p2p.sim.world.Peer;
import dev.p2p.sim.world.Population;
import dev.p2p.sim.swarm.DownloadRow;
import dev.p2p.sim.swarm.Swarm;
import dev.p2p.sim.swarm.TransferNet;
import dev.p2p.sim.swarm.WholePeerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One run of a scenario: builds the world (engine, network, peers, churn, workload, metrics),
 * advances virtual time to the end and hands back what was measured.
 *
 * @param <M> the protocol's message type
 */
public final class SimulationRun<M> {
    /** Called now and then with the run's position; the only place wall time may enter (the caller's). */
    public interface Progress {
        void update(long nowMillis, long durationMillis, int onlinePeers, long events);
    }

    private static final long PROGRESS_STEP_MILLIS = 10_000;
    /** Host pairs whose round trips give the run's median. */
    private static final int ROUND_TRIP_PAIRS = 100_001;

    private final Scenario scenario;
    private final Simulation sim;
    private final SimNetwork<M> network;
    private final Population<M> population;
    private final MetricsRecorder recorder;
    private final WorkloadDriver<M> workload;
    private final Random sampling;
    /** The attacker's nodes, or null; they take {@code sybils} of the peer slots. */
    private Adversaries adversaries;
    private EclipseProbes<M> eclipse;
    /** The file-sharing users of whole peers, or null. */
    private final Swarm swarm;
    private final List<DownloadRow> downloadRows = new ArrayList<>();
    private int sybils;
    private long hostileEntries;
    private long entriesSampled;

    /** A run on {@link #defaultThreads()} threads. */
    public SimulationRun(Scenario scenario, NodeFactory<M> factory) {
        this(scenario, factory, defaultThreads(scenario));
    }

    /**
     * A run whose lanes share up to {@code threads} threads; the results are the same for any
     * count. With adversaries it is one thread: their nodes share what they learn (see Coalition).
     */
    public SimulationRun(Scenario scenario, NodeFactory<M> factory, int threads) {
        this.scenario = scenario;
        this.sim = new Simulation(scenario.seed(), scenario.adversary().enabled() ? 1 : threads);
        this.sampling = sim.newChildRandom();
        this.network = new SimNetwork<>(sim, scenario.network(), factory);
        this.population = new Population<>(sim, network, factory);
        this.swarm = scenario.swarm() == null ? null : addSwarm(factory);
        this.recorder = new MetricsRecorder(scenario.warmupMillis(), sample(0, 0));
        this.workload = new WorkloadDriver<>(sim, population, network, recorder, scenario.workload());
        if (scenario.adversary().enabled()) {
            addAdversaries(factory);
        }
    }

    /**
     * Whole peers share bandwidth through one flow model, which couples every host: they all run
     * in lane 0 (so on one thread, whatever {@code --threads} says).
     */
    @SuppressWarnings("unchecked")
    private Swarm addSwarm(NodeFactory<M> factory) {
        if (!(factory instanceof WholePeerFactory whole)) {
            throw new IllegalArgumentException("a swarm needs whole peers");
        }
        network.useOneLane();
        Swarm s = new Swarm(sim, scenario.swarm());
        TransferNet net = new TransferNet(sim.lane(0), network,
                (from, to) -> to.admits(from) ? null : "connection timed out", // a NAT drops what it was not opened for
                scenario.swarm().realBytes());
        whole.bind(s, net);
        s.bind((Population<Message>) population, net);
        return s;
    }

    /** Hands every window to the threads however few events it has (tests: to exercise the handover). */
    SimulationRun<M> alwaysParallel() {
        sim.parallelFromEventsPerWindow(0);
        return this;
    }

    /** One thread per core, up to the engine's lane count. */
    public static int defaultThreads() {
        return Math.min(Simulation.LANES, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #defaultThreads()}, but one for a swarm: whole peers all run in lane 0 (one flow
     * model couples them), so a second thread would only wait at every window's barrier
     * (flash-crowd-1k: 181 s wall on two threads, 162 s on one, the same bytes).
     */
    public static int defaultThreads(Scenario scenario) {
        return scenario.swarm() != null ? 1 : defaultThreads();
    }

    /** Adversaries speak the DHT's own messages, so they need the real DHT's network. */
    @SuppressWarnings("unchecked")
    private void addAdversaries(NodeFactory<M> factory) {
        if (!(factory instanceof DhtNodeFactory)) {
            throw new IllegalArgumentException("adversaries need the real DHT's nodes");
        }
        var config = scenario.adversary();
        sybils = config.sybils(scenario.peers());
        Random draws = sim.newChildRandom();
        NodeId key = config.eclipseNodes() == 0 ? null
                : config.eclipseKey() != null ? config.eclipseKey() : NodeId.random(draws);
        adversaries = new Adversaries(sim, (SimNetwork<Message>) network, config, sybils, key, scenario.joinMillis(),
                () -> population.randomSeeds(null, 3, draws));
        ((DhtNodeFactory) factory).keyIds(adversaries.keyIds());
        workload.setHostile(adversaries::isHostile);
        if (key != null) {
            workload.setFirstKey(key);
            eclipse = new EclipseProbes<>(sim, population, key, () -> workload.publisherOf(key), adversaries::isHostile,
                    config.eclipseProbesPerMinute());
            eclipse.start(scenario.warmupMillis() + 60_000);
        }
    }

    public RunResult run(Progress progress) {
        ChurnDriver<M> churn = new ChurnDriver<>(sim, population, scenario.churn());
        int honest = scenario.peers() - sybils;
        for (int i = 0; i < honest; i++) {
            churn.addPeerAt(scenario.joinMillis() * i / honest);
        }
        workload.start(scenario.joinMillis(), scenario.warmupMillis());
        if (swarm != null) {
            swarm.start(scenario.warmupMillis());
        }
        long interval = scenario.metricsIntervalMillis();
        for (long t = interval; t <= scenario.durationMillis() + interval - 1; t += interval) {
            long windowEnd = Math.min(t, scenario.durationMillis());
            advanceTo(windowEnd, progress);
            recorder.closeWindow(sampleWithStaleness());
            if (swarm != null) {
                downloadRows.add(swarm.closeWindow());
            }
        }
        return new RunResult(scenario, recorder.rows(), recorder.totals(), recorder.measuredStart(),
                recorder.lastSample(), population.crashes(), population.gracefulLeaves(),
                network.datagramsLost(), workload.publishedCount(), sim.eventsRun(),
                network.sentByKind(), population.nodeCounterTotals(), adversaryReport(), List.copyOf(downloadRows),
                swarm == null ? null : swarm.report(),
                // its own generator from the seed: drawing from the run's would change what follows
                network.medianRoundTripMillis(ROUND_TRIP_PAIRS, new Random(scenario.seed())));
    }

    private AdversaryReport adversaryReport() {
        return adversaries == null ? null : new AdversaryReport(scenario.adversary(), adversaries.census(),
                adversaries.lies(), entriesSampled == 0 ? Double.NaN : (double) hostileEntries / entriesSampled, eclipse);
    }

    private void advanceTo(long endMillis, Progress progress) {
        while (sim.nowMillis() < endMillis) {
            sim.runUntil(Math.min(endMillis, sim.nowMillis() + PROGRESS_STEP_MILLIS));
            progress.update(sim.nowMillis(), scenario.durationMillis(), population.onlineCount(), sim.eventsRun());
        }
    }

    private WorldSample sampleWithStaleness() {
        long stale = 0;
        long entries = 0;
        int samples = Math.min(scenario.staleSamplePeers(), population.onlineCount());
        for (int i = 0; i < samples; i++) {
            Peer<M> p = population.randomOnline(sampling);
            for (RoutingEntry e : p.node().routingEntries()) {
                if (adversaries != null) {
                    boolean measured = sim.nowMillis() > scenario.warmupMillis();
                    entriesSampled += measured ? 1 : 0;
                    if (adversaries.isHostile(e.id())) {
                        hostileEntries += measured ? 1 : 0;
                        continue; // not stale: an attacker's node that is up
                    }
                }
                entries++;
                if (!population.isLive(e)) {
                    stale++;
                }
            }
        }
        return sample(stale, entries);
    }

    private WorldSample sample(long stale, long entries) {
        return new WorldSample(sim.nowMillis(), population.onlineCount(), population.onlinePeerMillis(),
                network.datagramsSent(), network.bytesSent(), population.joins(),
                population.crashes() + population.gracefulLeaves(), network.wasPartitioned(sim.nowMillis() - scenario.metricsIntervalMillis(), sim.nowMillis()),
                stale, entries);
    }
}
