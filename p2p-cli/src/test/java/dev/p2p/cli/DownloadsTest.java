package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.p2p.cli.control.ControlClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Downloads of a running node as things of their own: listed, paused, resumed, cancelled, resumed after a crash. */
class DownloadsTest extends NodeProcessesTest {
    static final long MIB = 1 << 20;

    /** The node's download {@code id} as `p2p downloads --json` lists it (missing when it lists none such). */
    JsonNode download(String node, String id) throws Exception {
        P2pProcess p = P2pProcess.run(home, 30, "--data-dir", home.resolve(node).toString(), "--json", "downloads");
        assertEquals(0, p.exitCode(), p.err.toString());
        for (JsonNode d : new ObjectMapper().readTree(String.join("\n", p.out)).path("downloads")) {
            if (d.path("id").asText().equals(id)) {
                return d;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Polls the node's control API until download {@code id} exists and satisfies {@code test}; returns it. */
    static JsonNode await(Path dataDir, String id, Predicate<JsonNode> test, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode d = null;
        while (System.nanoTime() < deadline) {
            try {
                d = ControlClient.forRunningNode(dataDir).get("/v1/downloads/" + id);
                if (test.test(d)) {
                    return d;
                }
            } catch (UserError e) {
                // not asked for yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("download " + id + " not as expected within " + seconds + " s: " + d);
    }

    P2pProcess run(String node, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--data-dir", home.resolve(node).toString()));
        all.addAll(List.of(args));
        return P2pProcess.run(home, 60, all.toArray(String[]::new));
    }

    @Test
    void pauseResumeAndCancelThroughTheCommandsAndTheControlApi() throws Exception {
        String boot = bootstrapNode();
        node("seeder", "--port", "0", "--bootstrap", boot, "--upload-rate", "2M");
        node("fetcher", "--port", "0", "--bootstrap", boot);
        Path fetcher = home.resolve("fetcher");
        Path film = TestFiles.randomFile(home.resolve("film.bin"), 16 * MIB, 1);
        String link = share("seeder", film);

        P2pProcess detached = run("fetcher", "get", link, "-o", home.resolve("out").toString(), "--detach");
        assertEquals(0, detached.exitCode(), detached.err.toString());
        assertEquals(List.of("download 1 started: p2p downloads follows it"), detached.out);
        await(fetcher, "1", d -> d.path("verifiedBytes").asLong() > MIB, 30);
        P2pProcess listed = run("fetcher", "downloads");
        assertTrue(listed.out.get(1).matches("1 +downloading +[0-9.]+ MiB/16\\.0 MiB .* 1 +film\\.bin"), listed.out.toString());

        P2pProcess paused = run("fetcher", "pause", "1");
        assertEquals(0, paused.exitCode(), paused.err.toString());
        assertTrue(paused.out.get(0).matches("1 +paused .*"), paused.out.toString());
        long atPause = download("fetcher", "1").path("verifiedBytes").asLong();
        Thread.sleep(1500);
        JsonNode still = download("fetcher", "1");
        assertEquals("paused", still.path("state").asText());
        assertEquals(atPause, still.path("verifiedBytes").asLong(), "nothing fetched while paused");
        assertTrue(Files.readString(fetcher.resolve("downloads.txt")).contains("\"paused\":true"), "remembered as paused");

        assertEquals(0, run("fetcher", "resume", "1").exitCode());
        JsonNode done = await(fetcher, "1", d -> d.path("state").asText().equals("done"), 60);
        assertTrue(done.path("resumedBytes").asLong() >= atPause - MIB, "resumed from the verified chunks: " + done);
        assertArrayEquals(Files.readAllBytes(film), Files.readAllBytes(home.resolve("out/film.bin")));
        assertEquals("", Files.readString(fetcher.resolve("downloads.txt")), "done: nothing to resume after a restart");

        // The same through the control API, then cancelled with its partial data.
        Path other = TestFiles.randomFile(home.resolve("other.bin"), 16 * MIB, 2);
        ControlClient api = ControlClient.forRunningNode(fetcher);
        String id = api.post("/v1/get", Map.of("link", share("seeder", other), "out", home.resolve("out2").toString()))
                .path("id").asText();
        await(fetcher, id, d -> d.path("verifiedBytes").asLong() > 0, 30);
        assertEquals("paused", api.post("/v1/downloads/" + id + "/pause", Map.of()).path("state").asText());
        assertEquals("cancelled", api.post("/v1/downloads/" + id + "/cancel", Map.of("delete", true)).path("state").asText());
        assertTrue(Files.notExists(home.resolve("out2/.p2p-partial")), "--delete took the partial data");
        assertTrue(download("fetcher", id).isMissingNode(), "forgotten");

        UserMistakesTest.assertOneLine(run("fetcher", "pause", "99"), ExitCode.USAGE, "no such download: 99");
        UserMistakesTest.assertOneLine(run("fetcher", "cancel", "x1"), ExitCode.USAGE, "no such download: x1");
        UserMistakesTest.assertOneLine(run("fetcher", "resume", id), ExitCode.USAGE, "no such download: " + id);
        UserMistakesTest.assertOneLine(run("fetcher", "pause", "1"), ExitCode.USAGE, "download 1 is done");
    }

    @Test
    void ctrlCOnAGetWithoutATerminalCancelsTheDownloadInTheNode() throws Exception {
        String boot = bootstrapNode();
        node("seeder", "--port", "0", "--bootstrap", boot, "--upload-rate", "1M");
        node("fetcher", "--port", "0", "--bootstrap", boot);
        String link = share("seeder", TestFiles.randomFile(home.resolve("film.bin"), 16 * MIB, 3));
        P2pProcess get = P2pProcess.start(home, "--data-dir", home.resolve("fetcher").toString(), "get", link, "-o",
                home.resolve("out").toString());
        processes.add(get);
        await(home.resolve("fetcher"), "1", d -> d.path("verifiedBytes").asLong() > 0, 30);
        new ProcessBuilder("kill", "-INT", Long.toString(get.process.pid())).start().waitFor();
        assertTrue(get.process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(ExitCode.INTERRUPTED, get.exitCode(), get.err.toString());
        assertTrue(get.err.stream().anyMatch(l -> l.startsWith("p2p: interrupted: download 1 cancelled")), get.err.toString());
        assertTrue(download("fetcher", "1").isMissingNode(), "the node no longer runs it");
        assertTrue(Files.isDirectory(home.resolve("out/.p2p-partial")), "verified chunks kept for a later get");
    }

    @Test
    void aNodeKilledMidDownloadResumesItOnRestartWithoutFetchingVerifiedChunksAgain() throws Exception {
        String boot = bootstrapNode();
        node("seeder", "--port", "0", "--bootstrap", boot, "--upload-rate", "2M");
        P2pProcess fetcher = node("fetcher", "--port", "0", "--bootstrap", boot);
        Path film = TestFiles.randomFile(home.resolve("film.bin"), 16 * MIB, 4);
        String link = share("seeder", film);
        assertEquals(0, run("fetcher", "get", link, "-o", home.resolve("out").toString(), "--detach").exitCode());
        long atKill = await(home.resolve("fetcher"), "1", d -> d.path("verifiedBytes").asLong() >= 4 * MIB, 30)
                .path("verifiedBytes").asLong();
        fetcher.kill();

        P2pProcess again = node("fetcher", "--port", "0", "--bootstrap", boot);
        assertTrue(again.out.contains("resuming 1 downloads (p2p downloads lists them)"), again.out.toString());
        JsonNode done = await(home.resolve("fetcher"), "1", d -> d.path("state").asText().equals("done"), 60);
        assertArrayEquals(Files.readAllBytes(film), Files.readAllBytes(home.resolve("out/film.bin")));
        // Chunks are journaled every 250 ms: what was verified a moment before the kill was kept.
        assertTrue(done.path("resumedBytes").asLong() >= atKill - MIB, "resumed " + done.path("resumedBytes") + " of " + atKill);
        long uploaded = ControlClient.forRunningNode(home.resolve("seeder")).get("/v1/ls").path("shares").get(0)
                .path("uploadedBytes").asLong();
        assertTrue(uploaded <= 16 * MIB + 2 * MIB, "the seeder sent " + uploaded + " bytes for 16 MiB: verified chunks "
                + "were not fetched again");
    }
}
