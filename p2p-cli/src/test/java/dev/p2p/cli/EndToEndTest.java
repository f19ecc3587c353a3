package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Separate `p2p` processes on 127.0.0.1, as users run them. */
class EndToEndTest extends NodeProcessesTest {
    @Test
    void downloaderThatKnowsOnlyTheBootstrapFetchesFromTwoSeedersAndSurvivesLosingOne() throws Exception {
        Path file = TestFiles.randomFile(home.resolve("video.bin"), 24L << 20, 1);
        Path slow = Files.writeString(home.resolve("slow.properties"), "upload-rate = 3000000\n");
        String seed = bootstrapNode();
        P2pProcess seeder1 = node("s1", "--config", slow.toString(), "--port", "0", "--bootstrap", seed);
        node("s2", "--config", slow.toString(), "--port", "0", "--bootstrap", seed);
        String link1 = share("s1", file);
        String link2 = share("s2", file);
        assertEquals(TestFiles.withoutHints(link1), TestFiles.withoutHints(link2), "same content, same id");

        Path out = home.resolve("downloads");
        P2pProcess get = P2pProcess.start(home, "--data-dir", home.resolve("d").toString(), "get",
                TestFiles.withoutHints(link1), "-o", out.toString(), "--bootstrap", seed, "--timeout", "30s");
        processes.add(get);
        Thread.sleep(2_500);
        assertTrue(get.process.isAlive(), "still downloading when the seeder dies: " + get.out + get.err);
        seeder1.kill();
        assertTrue(get.process.waitFor(120, TimeUnit.SECONDS), "download finished");
        Thread.sleep(100);
        assertEquals(0, get.exitCode(), "stderr: " + get.err);
        assertTrue(get.lastLine().startsWith("done: "), get.out.toString());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("video.bin")));
    }

    @Test
    void restartedNodeRejoinsWithoutBootstrapFlagAndStillServesItsShares() throws Exception {
        Path file = TestFiles.randomFile(home.resolve("notes.bin"), 3L << 20, 2);
        String seed = bootstrapNode();
        node("other", "--port", "0", "--bootstrap", seed);
        int port = TestFiles.freePort();
        P2pProcess seeder = node("seeder", "--port", Integer.toString(port), "--bootstrap", seed);
        String link = TestFiles.withoutHints(share("seeder", file));
        seeder.stop();
        assertEquals(143, seeder.exitCode(), "SIGTERM stops the node");

        P2pProcess again = node("seeder", "--port", Integer.toString(port));
        assertTrue(again.out.stream().anyMatch(l -> l.startsWith("joined the network")), again.out.toString());
        assertTrue(again.out.stream().anyMatch(l -> l.equals("serving 1 shares")), again.out.toString());

        Path out = home.resolve("got");
        P2pProcess get = P2pProcess.run(home, 90, "--data-dir", home.resolve("d").toString(), "get", link, "-o", out.toString(),
                "--bootstrap", seed, "--timeout", "30s");
        assertEquals(0, get.exitCode(), "stderr: " + get.err);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("notes.bin")));
    }

    @Test
    void aRunningNodeKeepsSharingWhatItFetchedSoOthersGetItOnceTheSeederIsGone() throws Exception {
        Path file = TestFiles.randomFile(home.resolve("album.bin"), 4L << 20, 3);
        String seed = bootstrapNode();
        P2pProcess seeder = node("seeder", "--port", "0", "--bootstrap", seed);
        node("fetcher", "--port", "0", "--bootstrap", seed);
        node("other", "--port", "0", "--bootstrap", seed);
        String link = TestFiles.withoutHints(share("seeder", file));

        Path fetched = home.resolve("fetched");
        P2pProcess viaNode = P2pProcess.run(home, 90, "--data-dir", home.resolve("fetcher").toString(), "--json", "get", link,
                "-o", fetched.toString(), "--timeout", "30s");
        assertEquals(0, viaNode.exitCode(), "stderr: " + viaNode.err);
        JsonNode result = new ObjectMapper().readTree(String.join("\n", viaNode.out));
        assertEquals("done", result.path("state").asText(), result.toString());
        assertTrue(result.path("shared").asBoolean(), "done once shared: " + result);
        assertTrue(result.path("shareError").isNull(), result.toString());
        String shared = fetched.resolve("album.bin").toString();
        P2pProcess ls = P2pProcess.run(home, 30, "--data-dir", home.resolve("fetcher").toString(), "ls");
        assertTrue(listsShare(ls, shared), "the node lists what it fetched as shared as soon as get returns: " + ls.out);
        seeder.kill();

        Path out = home.resolve("later");
        P2pProcess get = P2pProcess.run(home, 90, "--data-dir", home.resolve("d").toString(), "get", link, "-o", out.toString(),
                "--bootstrap", seed, "--timeout", "30s");
        assertEquals(0, get.exitCode(), "stderr: " + get.err);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("album.bin")));
    }

    @Test
    void aFetchTheNodeCannotShareStillSucceedsAndSaysWhyItIsNotShared() throws Exception {
        Path file = TestFiles.randomFile(home.resolve("paper.bin"), 1L << 20, 4);
        String seed = bootstrapNode();
        node("seeder", "--port", "0", "--bootstrap", seed);
        node("fetcher", "--port", "0", "--bootstrap", seed);
        String link = TestFiles.withoutHints(share("seeder", file));
        // The node keeps its shares in shares.txt; a directory in its place makes recording a share fail.
        Path book = home.resolve("fetcher").resolve("shares.txt");
        Files.createDirectories(book);
        Files.writeString(book.resolve("in-the-way"), "x");

        Path fetched = home.resolve("fetched");
        P2pProcess get = P2pProcess.run(home, 90, "--data-dir", home.resolve("fetcher").toString(), "--json", "get", link,
                "-o", fetched.toString(), "--timeout", "30s");
        assertEquals(0, get.exitCode(), "complete and verified, so exit 0; stderr: " + get.err);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(fetched.resolve("paper.bin")));
        JsonNode result = new ObjectMapper().readTree(String.join("\n", get.out));
        assertEquals("done", result.path("state").asText(), result.toString());
        assertFalse(result.path("shared").asBoolean(), result.toString());
        assertTrue(result.path("shareError").asText().endsWith(book + " (is a directory)"), result.toString());
        assertTrue(get.err.stream().anyMatch(l -> l.startsWith("warning: downloaded, but the node does not share it: ")
                && l.contains("p2p share " + fetched.resolve("paper.bin"))), get.err.toString());

        P2pProcess ls = P2pProcess.run(home, 30, "--data-dir", home.resolve("fetcher").toString(), "ls");
        assertFalse(listsShare(ls, fetched.resolve("paper.bin").toString()), ls.out.toString());
        assertTrue(ls.out.stream().anyMatch(l -> l.startsWith("get    done") && l.contains("(not shared: ")), ls.out.toString());
    }

    private static boolean listsShare(P2pProcess ls, String path) {
        return ls.out.stream().anyMatch(l -> l.startsWith("share ") && l.contains(path));
    }
}
