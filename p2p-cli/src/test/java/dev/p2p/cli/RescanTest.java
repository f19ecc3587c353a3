package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** A running node notices a shared directory change: the new link serves it, the old one while its bytes last. */
class RescanTest extends NodeProcessesTest {
    @Test
    void aChangedShareIsServedUnderItsNewLinkAndTheOldLinkUntilItsBytesChange() throws Exception {
        Path dir = home.resolve("photos");
        Files.createDirectories(dir);
        TestFiles.randomFile(dir.resolve("a.jpg"), 600_000, 1);
        String boot = bootstrapNode();
        P2pProcess seeder = node("seeder", "--port", "0", "--bootstrap", boot, "--rescan", "1s");
        String first = TestFiles.withoutHints(share("seeder", dir));

        TestFiles.randomFile(dir.resolve("b.jpg"), 300_000, 2); // a file added: the old bytes are all still there
        JsonNode share = awaitNewContent(first);
        String second = "p2p://" + share.path("contentId").asText();
        assertEquals("serving: its files are unchanged", share.path("earlierLinks").get(0).path("state").asText(), share.toString());
        seeder.awaitLine(l -> l.startsWith("share " + dir + " changed on disk: now p2p://"), 10);

        assertEquals(0, get("old", first).exitCode(), "the old link is still served");
        assertEquals(-1, Files.mismatch(dir.resolve("a.jpg"), home.resolve("old-out/photos/a.jpg")));
        assertTrue(Files.notExists(home.resolve("old-out/photos/b.jpg")), "the old link names the old content");
        P2pProcess now = get("new", second);
        assertEquals(0, now.exitCode(), now.err.toString());
        assertEquals(-1, Files.mismatch(dir.resolve("b.jpg"), home.resolve("new-out/photos/b.jpg")));

        try (var ch = java.nio.channels.FileChannel.open(dir.resolve("a.jpg"), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 1000); // the old bytes are gone
        }
        JsonNode third = awaitNewContent(second);
        JsonNode earlier = third.path("earlierLinks");
        assertEquals("gone: a file changed", earlier.get(0).path("state").asText(), third.toString());
        UserMistakesTest.assertOneLine(get("late", first), ExitCode.NOT_FOUND, "nobody provides it");
        P2pProcess latest = get("latest", "p2p://" + third.path("contentId").asText());
        assertEquals(0, latest.exitCode(), latest.err.toString());
        assertEquals(-1, Files.mismatch(dir.resolve("a.jpg"), home.resolve("latest-out/photos/a.jpg")));
    }

    /** Waits for the seeder's share to hold content other than {@code link}'s; returns the share as `ls --json` shows it. */
    private JsonNode awaitNewContent(String link) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            P2pProcess ls = P2pProcess.run(home, 30, "--data-dir", home.resolve("seeder").toString(), "--json", "ls");
            JsonNode share = new ObjectMapper().readTree(String.join("\n", ls.out)).path("shares").get(0);
            String id = share.path("contentId").asText();
            if (!link.equals("p2p://" + id)) {
                assertNotEquals("", id);
                return share;
            }
            assertTrue(System.nanoTime() < deadline, "the change was not noticed: " + share);
            Thread.sleep(300);
        }
    }

    private P2pProcess get(String name, String link) throws Exception {
        return P2pProcess.run(home, 90, "--data-dir", home.resolve(name).toString(), "get", link, "-o",
                home.resolve(name + "-out").toString(), "--bootstrap", "127.0.0.1:" + bootPort(), "--timeout", "10s");
    }

    private int bootPort() throws InterruptedException {
        return port(processes.get(0));
    }
}
