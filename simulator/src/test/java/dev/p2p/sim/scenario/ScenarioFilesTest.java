package dev.p2p.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.churn.Distribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScenarioFilesTest {
    private static final String FLAT = """
            # churn for two hours
            name = churn-test
            seed: 7
            peers = 2_000
            duration = 2h
            warmup = 10m
            network.loss = 0.01
            network.partitions.0.start = 30m
            network.partitions.0.end = 40m
            network.partitions.1.start = 50m   # a second cut
            network.partitions.1.end = 55m
            network.partitions.1.fraction = 0.25
            churn.session.distribution = exponential
            churn.session.median = 30m
            churn.downtime.distribution = weibull
            churn.downtime.shape = 0.5
            churn.downtime.median = 10m
            churn.crashFraction = 0.3
            workload.lookupsPerPeerPerMinute = 0.5
            workload.initialContent = 100
            dht.k = 16
            """;

    private static final String JSON = """
            {"name": "churn-test", "seed": 7, "peers": 2000, "duration": "2h", "warmup": "10m",
             "network": {"loss": 0.01, "partitions": [{"start": "30m", "end": "40m"},
                                                      {"start": "50m", "end": "55m", "fraction": 0.25}]},
             "churn": {"session": {"distribution": "exponential", "median": "30m"},
                       "downtime": {"distribution": "weibull", "shape": 0.5, "median": "10m"},
                       "crashFraction": 0.3},
             "workload": {"lookupsPerPeerPerMinute": 0.5, "initialContent": 100},
             "dht": {"k": 16}}
            """;

    private static Scenario read(String text) throws ScenarioException {
        return ScenarioReader.read(ScenarioFiles.parse(text), "unnamed");
    }

    @Test
    void flatAndJsonFormsMeanTheSame() throws ScenarioException {
        Scenario flat = read(FLAT);
        assertEquals(read(JSON), flat);
        assertEquals("churn-test", flat.name());
        assertEquals(2_000, flat.peers());
        assertEquals(7_200_000, flat.durationMillis());
        assertEquals(300_000, flat.joinMillis(), "join period defaults to half the warm-up");
        assertEquals(2, flat.network().partitions().size());
        assertEquals(0.25, flat.network().partitions().get(1).fraction());
        assertEquals(1_800_000, flat.churn().session().medianMillis(), 1e-6);
        assertTrue(flat.churn().downtime() instanceof Distribution.Weibull);
        assertEquals(0.3, flat.churn().crashFraction());
        assertEquals(0.8, flat.churn().rejoinSameIdentity(), "default");
        assertEquals(16, flat.dht().k());
    }

    @Test
    void everyShippedScenarioLoads() throws IOException, ScenarioException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of("scenarios"))) {
            files = listing.filter(p -> p.toString().endsWith(".scenario")).sorted().toList();
        }
        assertTrue(files.size() >= 8, files.toString());
        for (Path f : files) {
            Scenario s = ScenarioFiles.load(f);
            assertEquals(f.getFileName().toString().replace(".scenario", ""), s.name(), "name matches the file");
        }
    }

    @Test
    void defaultsMakeAMinimalScenarioRunnable() throws ScenarioException {
        Scenario s = read("peers = 100\nduration = 30m\n");
        assertEquals("unnamed", s.name());
        assertEquals(1, s.seed());
        assertEquals(600_000, s.warmupMillis());
        assertFalse(s.churn().enabled());
        assertEquals(1.0, s.workload().lookupsPerPeerPerMinute());
    }

    private static void assertRejected(String text, String field, String messagePart) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> read(text));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void errorsNameTheField() {
        assertRejected("duration = 1h\n", "peers", "required");
        assertRejected("peers = 10\nduration = 1h\nchurn.session.distribution = exponential\nchurn.session.median = soon\n",
                "churn.session.median", "duration");
        assertRejected("peers = 10\nduration = 1h\nnetwork.los = 0.1\n", "network.los", "unknown field");
        assertRejected("peers = 10\nduration = 1h\nnetwork.loss = 2\n", "network.loss", "between");
        assertRejected("peers = ten\nduration = 1h\n", "peers", "whole number");
        assertRejected("peers = 10\nduration = 1h\nchurn.session.distribution = normal\n",
                "churn.session.distribution", "exponential, weibull, pareto");
        assertRejected("peers = 10\nduration = 1h\nwarmup = 2h\n", "warmup", "shorter");
        assertRejected("peers = 10\nduration = 1h\nnetwork.partitions.0.start = 20m\nnetwork.partitions.0.end = 10m\n",
                "network.partitions.0.end", "after start");
        assertRejected("{\"peers\": 10, \"duration\": \"1h\", \"network\": 3}", "network", "group");
        String swarm = "peers = 10\nduration = 1h\nswarm.files = 1\nswarm.fileSize.mib = 16\n";
        assertRejected(swarm + "swarm.arrivals.kind = poisson\nswarm.arrivals.perMinute = -1\n",
                "swarm.arrivals.perMinute", "between");
        assertRejected(swarm + "swarm.arrivals.kind = flash\nswarm.arrivals.count = 5\nswarm.corruptShare = 1.5\n",
                "swarm.corruptShare", "between");
        assertRejected(swarm + "swarm.arrivals.kind = flash\nswarm.arrivals.count = 5\nswarm.freeRiderShare = 0.6\n"
                + "swarm.corruptShare = 0.6\n", "swarm.corruptShare", "at most 1");
        assertRejected(swarm + "swarm.arrivals.kind = storm\n", "swarm.arrivals.kind", "flash or poisson");
        assertRejected(swarm + "swarm.arrivals.kind = flash\nswarm.arrivals.count = 5\n"
                + "swarm.seedTime.distribution = normal\n", "swarm.seedTime.distribution", "exponential, weibull");
        assertRejected("peers = 10\nduration = 1h\nswarm.files = 1\nswarm.fileSize.distribution = zipf\n",
                "swarm.fileSize.distribution", "constant, uniform or loguniform");
        assertRejected(swarm + "swarm.arrivals.kind = flash\nswarm.arrivals.count = 5\nswarm.bandwidth.0.share = 0.5\n"
                + "swarm.bandwidth.0.downMbps = 10\nswarm.bandwidth.0.upMbps = 1\n", "swarm.bandwidth", "add up to 1");
        assertRejected("peers = 10\nduration = 1h\nswarm.files = 100\nswarm.fileSize.mib = 16\nswarm.arrivals.kind = flash\n"
                + "swarm.arrivals.count = 5\nswarm.realBytes = true\n", "swarm.realBytes", "at most 1024 MiB");
        assertRejected(swarm + "swarm.arrivals.kind = flash\nswarm.arrivals.count = 5\nswarm.bandwidth.0.share = 1\n"
                + "swarm.bandwidth.0.downMbps = -10\nswarm.bandwidth.0.upMbps = 1\n", "swarm.bandwidth.0.downMbps", "between");
        assertRejected(swarm + "swarm.arrivals.kind = flash\nswarm.arrivals.count = 5\nswarm.nat.portKeepingShare = 0.7\n"
                + "swarm.nat.symmetricShare = 0.4\n", "swarm.nat.symmetricShare", "at most 1");
        assertRejected(swarm + "swarm.arrivals.kind = flash\nswarm.arrivals.count = 5\nswarm.nat.publisher = cone\n",
                "swarm.nat.publisher", "port-keeping");
        assertRejected("peers 10\n", "", "line 1");
        assertRejected("{\"peers\": 10,", "", "not valid JSON");
    }
}
