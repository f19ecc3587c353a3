package dev.p2p.sim;

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

    private final Scenario scenario;
    private final Simulation sim;
    private final SimNetwork<M> network;
    private final Population<M> population;
    private final MetricsRecorder recorder;
    private final WorkloadDriver<M> workload;
    private final Random sampling;

    public SimulationRun(Scenario scenario, NodeFactory<M> factory) {
        this.scenario = scenario;
        this.sim = new Simulation(scenario.seed());
        this.sampling = sim.newChildRandom();
        this.network = new SimNetwork<>(sim, scenario.network(), factory);
        this.population = new Population<>(sim, network, factory);
        this.recorder = new MetricsRecorder(scenario.warmupMillis(), sample(0, 0));
        this.workload = new WorkloadDriver<>(sim, population, network, recorder, scenario.workload());
    }

    public RunResult run(Progress progress) {
        ChurnDriver<M> churn = new ChurnDriver<>(sim, population, scenario.churn());
        for (int i = 0; i < scenario.peers(); i++) {
            churn.addPeerAt(scenario.joinMillis() * i / scenario.peers());
        }
        workload.start(scenario.joinMillis(), scenario.warmupMillis());
        long interval = scenario.metricsIntervalMillis();
        for (long t = interval; t <= scenario.durationMillis() + interval - 1; t += interval) {
            long windowEnd = Math.min(t, scenario.durationMillis());
            advanceTo(windowEnd, progress);
            recorder.closeWindow(sampleWithStaleness());
        }
        return new RunResult(scenario, recorder.rows(), recorder.totals(), recorder.measuredStart(),
                recorder.lastSample(), population.crashes(), population.gracefulLeaves(),
                network.datagramsLost(), workload.publishedCount(), sim.eventsRun(),
                network.sentByKind(), population.nodeCounterTotals());
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
