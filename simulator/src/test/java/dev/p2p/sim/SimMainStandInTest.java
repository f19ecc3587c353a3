package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline (scenario, churn, workload, metrics, outputs) on the stand-in protocol. */
class SimMainStandInTest {
    private static final String SCENARIO = """
            name = stand-in
            peers = 300
            duration = 20m
            warmup = 4m
            network.loss = 0.01
            network.partitions.0.start = 8m
            network.partitions.0.end = 10m
            churn.session.distribution = exponential
            churn.session.median = 10m
            churn.downtime.distribution = pareto
            churn.downtime.shape = 2
            churn.downtime.median = 3m
            workload.lookupsPerPeerPerMinute = 1
            workload.onlineTargetShare = 0.5
            workload.initialContent = 20
            workload.publishesPerMinute = 2
            workload.findsPerMinute = 30
            """;

    @TempDir
    Path dir;

    private int run(String... args) {
        return SimMain.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()),
                s -> new StandInNodes());
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws IOException {
        Path scenario = Files.writeString(dir.resolve("s.scenario"), SCENARIO);
        assertEquals(0, run(scenario.toString(), "--seed", "9", "--out", dir.resolve("a").toString()));
        assertEquals(0, run(scenario.toString(), "--seed=9", "--out=" + dir.resolve("b"), "--threads", "1"));
        assertEquals(0, run(scenario.toString(), "--seed", "10", "--out", dir.resolve("c").toString()));
        for (String file : new String[] {"summary.json", "timeseries.csv", "report.html"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)),
                    Files.readAllBytes(dir.resolve("b").resolve(file)), file);
        }
        assertTrue(!Files.readString(dir.resolve("a/summary.json")).equals(Files.readString(dir.resolve("c/summary.json"))),
                "another seed, another run");
    }

    @Test
    void outputsHoldTheMeasuredFigures() throws IOException {
        Path scenario = Files.writeString(dir.resolve("s.scenario"), SCENARIO);
        assertEquals(0, run(scenario.toString(), "--out", dir.toString(), "--peers", "200", "--duration", "16m"));
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(200, summary.path("scenario").path("peers").asInt());
        assertEquals("16m", summary.path("scenario").path("duration").asText());
        assertTrue(summary.path("lookups").path("finished").asLong() > 1_000, summary.toString());
        assertTrue(summary.path("lookups").path("acrossCut").path("finished").asLong() > 0);
        assertTrue(summary.path("content").path("probes").asLong() > 100);
        assertTrue(summary.path("peers").path("crashesWholeRun").asLong() > 0);
        String csv = Files.readString(dir.resolve("timeseries.csv"));
        assertEquals(17, csv.lines().count(), "header and one row per minute");
        assertTrue(csv.lines().skip(9).findFirst().orElseThrow().split(",")[2].equals("1"), "minute 9 is partitioned");
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<svg") && !html.contains("<script") && !html.contains("http://www.w3.org/1999"));
    }

    @Test
    void scenarioAndUsageErrorsAreOneLineAndExitTwo() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.scenario"), "peers = 10\nduration = 1h\nchurn.session.median = 5\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimMain.run(new String[] {bad.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err), s -> new StandInNodes());
        assertEquals(2, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("churn.session"), message);
        assertEquals(2, run());
        assertEquals(0, run("--help"));
        assertEquals(2, run(bad.toString(), "--peers", "lots"));
        assertEquals(2, run(bad.toString(), "--bogus", "1"));
        assertEquals(2, run(bad.toString(), "--threads", "0"));
        assertEquals(2, run(dir.resolve("missing.scenario").toString()));
    }

    @Test
    void anOutputDirectoryThatCannotBeWrittenIsRefusedBeforeTheRun() throws IOException {
        Path scenario = Files.writeString(dir.resolve("s.scenario"), SCENARIO);
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimMain.run(new String[] {scenario.toString(), "--out", file.resolve("results").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), s -> new StandInNodes());
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, message);
        assertEquals(1, message.lines().count(), "refused at once, with no progress lines: " + message);
        assertTrue(message.startsWith("error: --out " + file.resolve("results")), message);
    }

    @Test
    void aSecondRunReplacesTheFilesWholeAndLeavesNothingElse() throws IOException {
        Path scenario = Files.writeString(dir.resolve("s.scenario"), SCENARIO);
        Path out = dir.resolve("out");
        assertEquals(0, run(scenario.toString(), "--out", out.toString(), "--seed", "3", "--duration", "12m"));
        assertEquals(0, run(scenario.toString(), "--out", out.toString(), "--seed", "4", "--duration", "12m"));
        try (var files = Files.list(out)) {
            assertEquals(java.util.Set.of("summary.json", "timeseries.csv", "report.html"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(0, run(scenario.toString(), "--out", dir.resolve("again").toString(), "--seed", "4", "--duration", "12m"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("again/summary.json")), Files.readAllBytes(out.resolve("summary.json")),
                "the second run's summary, not the first's");
    }

    @Test
    void aMissingScenarioSaysSoInWords() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimMain.run(new String[] {dir.resolve("missing.scenario").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), s -> new StandInNodes());
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing.scenario: no such file or directory"), err.toString());
    }
}
