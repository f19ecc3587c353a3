package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.report.JsonSummary;
import dev.p2p.sim.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scenario and seed give the same bytes, on the real DHT, with every source of
 * randomness in play (and in wire mode, so every datagram also goes through the codec), on one
 * thread or several.
 */
class DeterminismTest {
    private static final String SCENARIO = """
            name = determinism
            peers = 150
            duration = 10m
            warmup = 4m
            network.loss = 0.02
            network.uplinkKbps = 2000
            network.encodeMessages = true
            network.partitions.0.start = 6m
            network.partitions.0.end = 8m
            churn.session.distribution = weibull
            churn.session.shape = 0.7
            churn.session.median = 8m
            churn.downtime.distribution = pareto
            churn.downtime.shape = 1.5
            churn.downtime.median = 2m
            churn.rejoinSameIdentity = 0.5
            workload.lookupsPerPeerPerMinute = 1
            workload.onlineTargetShare = 0.3
            workload.initialContent = 20
            workload.publishesPerMinute = 3
            workload.findsPerMinute = 20
            """;

    /** Whole peers: churn, Poisson arrivals over two files, NAT of both kinds, liars and free riders. */
    private static final String SWARM = """
            name = determinism-swarm
            peers = 60
            duration = 8m
            warmup = 2m
            churn.session.distribution = exponential
            churn.session.median = 6m
            churn.downtime.distribution = exponential
            churn.downtime.median = 2m
            workload.lookupsPerPeerPerMinute = 0.5
            swarm.files = 2
            swarm.fileSize.distribution = uniform
            swarm.fileSize.minMib = 2
            swarm.fileSize.maxMib = 6
            swarm.arrivals.kind = poisson
            swarm.arrivals.perMinute = 12
            swarm.seedTime.distribution = exponential
            swarm.seedTime.median = 2m
            swarm.freeRiderShare = 0.1
            swarm.corruptShare = 0.1
            swarm.nat.portKeepingShare = 0.3
            swarm.nat.symmetricShare = 0.1
            swarm.bandwidth.0.share = 0.7
            swarm.bandwidth.0.downMbps = 20
            swarm.bandwidth.0.upMbps = 2
            swarm.bandwidth.1.share = 0.3
            swarm.bandwidth.1.downMbps = 100
            swarm.bandwidth.1.upMbps = 50
            """;

    @TempDir
    Path dir;

    @Test
    void wholePeersSameSeedSameBytesOnOneThreadOrSeveral() throws IOException {
        Scenario s = ScenarioRuns.scenario(SWARM).withSeed(5);
        RunResult first = ScenarioRuns.runOn(s, SimMain.nodesOf(s), 1);
        RunResult second = ScenarioRuns.runOn(s, SimMain.nodesOf(s), 2);
        ScenarioRuns.write(first, dir.resolve("first"));
        ScenarioRuns.write(second, dir.resolve("second"));
        for (String file : new String[] {"summary.json", "timeseries.csv", "report.html"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("first").resolve(file)),
                    Files.readAllBytes(dir.resolve("second").resolve(file)), file + ScenarioRuns.replay(s));
        }
        assertTrue(first.swarm().total().completed() > 0, "downloads completed: " + first.swarm().total().failedTries());
        String other = JsonSummary.render(ScenarioRuns.run(s.withSeed(6)));
        assertFalse(other.equals(Files.readString(dir.resolve("first/summary.json"))), "seed 6 is another run");
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherRun() throws IOException {
        Scenario s = ScenarioRuns.scenario(SCENARIO).withSeed(77);
        RunResult first = new SimulationRun<>(s, new DhtNodeFactory(s), 1).run((now, end, online, events) -> { });
        // The lanes on two threads, every window handed over: the same run, byte for byte.
        RunResult second = new SimulationRun<>(s, new DhtNodeFactory(s), 2).alwaysParallel().run((now, end, online, events) -> { });
        ScenarioRuns.write(first, dir.resolve("first"));
        ScenarioRuns.write(second, dir.resolve("second"));
        for (String file : new String[] {"summary.json", "timeseries.csv", "report.html"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("first").resolve(file)),
                    Files.readAllBytes(dir.resolve("second").resolve(file)), file + ScenarioRuns.replay(s));
        }
        String other = JsonSummary.render(ScenarioRuns.run(s.withSeed(78)));
        assertFalse(other.equals(Files.readString(dir.resolve("first/summary.json"))), "seed 78 is another run");
    }
}
