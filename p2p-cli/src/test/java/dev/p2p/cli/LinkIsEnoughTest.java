package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Two people on one machine with nothing but a link between them: the sharer runs no node and
 * knows no peer, the downloader gives no --bootstrap (docs/REACHABILITY.md, "A link is enough").
 */
class LinkIsEnoughTest extends NodeProcessesTest {
    @Test
    void aNodeWithNoPeersPrintsALinkThatAGetWithNoBootstrapFetchesFrom() throws Exception {
        Path file = TestFiles.randomFile(home.resolve("photo.bin"), 2_000_000, 5);
        P2pProcess sharer = P2pProcess.start(home, "--data-dir", home.resolve("alice").toString(), "share", file.toString());
        processes.add(sharer);
        String link = sharer.awaitLine(l -> l.startsWith("p2p://"), 60);
        assertTrue(link.contains("?peer="), "the link names where the sharer listens: " + link);

        long start = System.nanoTime();
        P2pProcess get = P2pProcess.run(home, 120, "--data-dir", home.resolve("bob").toString(), "get", link, "-o",
                home.resolve("out").toString(), "--timeout", "60s");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(0, get.exitCode(), get.out + "" + get.err);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(home.resolve("out").resolve("photo.bin")));
        assertTrue(seconds < 45, "fetched through the link's peer, not after searching until the timeout: " + seconds + " s");
    }
}
