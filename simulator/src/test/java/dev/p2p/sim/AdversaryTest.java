package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.report.JsonSummary;
import dev.p2p.sim.scenario.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adversaries on the real DHT: they lie for real, runs replay exactly, and bad fields are one-line errors. */
class AdversaryTest {
    private static final String NETWORK = """
            peers = 300
            duration = 10m
            warmup = 4m
            joinPeriod = 2m
            workload.lookupsPerPeerPerMinute = 1
            workload.initialContent = 20
            workload.findsPerMinute = 30
            workload.providersWanted = 16
            dht.defences = off
            """;

    @TempDir
    Path dir;

    @Test
    void droppingSybilsCostHonestLookupsTimeButNotSuccess() {
        Scenario honest = ScenarioRuns.scenario(NETWORK);
        Scenario hostile = ScenarioRuns.scenario(NETWORK + "adversary.share = 0.3\nadversary.behaviour = drop\n");
        RunResult base = ScenarioRuns.run(honest);
        RunResult attacked = ScenarioRuns.run(hostile);
        assertEquals(90, attacked.adversaries().census().get("drop"));
        assertTrue(attacked.adversaries().lies().get("requestsDropped") > 1_000, attacked.adversaries().lies().toString());
        assertTrue(attacked.adversaries().hostileEntryShare() > 0.1, "Sybils got into honest tables");
        long baseTimeouts = base.nodeCounters().get("requestTimeouts");
        long timeouts = attacked.nodeCounters().get("requestTimeouts");
        assertTrue(timeouts > 10 * Math.max(1, baseTimeouts), timeouts + " timeouts vs " + baseTimeouts);
        assertTrue(attacked.totals().latencyMillis().percentile(0.5) > 1.5 * base.totals().latencyMillis().percentile(0.5),
                "median lookup latency " + attacked.totals().latencyMillis().percentile(0.5) + " vs "
                        + base.totals().latencyMillis().percentile(0.5) + ScenarioRuns.replay(hostile));
        // Since late answers count and lookups wait for the 20 closest live nodes, silent Sybils
        // cost time (timeouts) but not correctness in this small network; they must never help.
        assertTrue(attacked.totals().successRate() <= base.totals().successRate(),
                "success " + attacked.totals().successRate() + " vs " + base.totals().successRate() + ScenarioRuns.replay(hostile));
        assertTrue(attacked.totals().successRate() >= 0.95, "success " + attacked.totals().successRate() + ScenarioRuns.replay(hostile));
    }

    @Test
    void anEclipseRunWithEveryLieReplaysExactly() {
        Scenario s = ScenarioRuns.scenario(NETWORK.replace("peers = 300", "peers = 200") + """
                adversary.share = 0.2
                adversary.behaviour = mixed
                adversary.samePrefix = true
                adversary.eclipse.nodes = 20
                """);
        String first = JsonSummary.render(ScenarioRuns.run(s));
        assertArrayEquals(first.getBytes(StandardCharsets.UTF_8),
                JsonSummary.render(ScenarioRuns.run(s)).getBytes(StandardCharsets.UTF_8), ScenarioRuns.replay(s));
        assertTrue(first.contains("\"providerLookups\""), first);
        assertTrue(first.contains("\"false-providers\" : 10"), first);
    }

    @Test
    void everyAdversaryScenarioLoads() throws Exception {
        List<Path> files;
        try (var listing = Files.list(Path.of("scenarios", "adversaries"))) {
            files = listing.filter(p -> p.toString().endsWith(".scenario")).sorted().toList();
        }
        assertTrue(files.size() >= 8, files.toString());
        for (Path f : files) {
            Scenario s = dev.p2p.sim.scenario.ScenarioFiles.load(f);
            assertEquals(f.getFileName().toString().replace(".scenario", ""), s.name(), "name matches the file");
        }
    }

    @Test
    void badAdversaryFieldsAreOneLineErrorsWithExitTwo() throws IOException {
        List<String[]> cases = List.of(
                new String[] {"adversary.behaviour = lie", "adversary.behaviour"},
                new String[] {"adversary.share = 1.5", "adversary.share"},
                new String[] {"adversary.samePrefix = yes", "adversary.samePrefix"},
                new String[] {"adversary.eclipse.target = abc", "adversary.eclipse.target"},
                new String[] {"adversary.eclipse.nodes = -1", "adversary.eclipse.nodes"},
                new String[] {"adversary.sybils = 3", "adversary.sybils"},
                new String[] {"dht.defences = maybe", "dht.defences"});
        for (String[] c : cases) {
            Path file = Files.writeString(dir.resolve("bad.scenario"), "peers = 10\nduration = 1h\n" + c[0] + "\n");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = SimMain.run(new String[] {file.toString()}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err));
            String message = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, c[0] + ": " + message);
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.startsWith("error: scenario field '" + c[1] + "'"), message);
        }
    }
}
