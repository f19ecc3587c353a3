package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.cli.control.ControlClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Upload and download rate limits of real node processes, measured as a user would, and changed while running. */
class LimitsTest extends NodeProcessesTest {
    static final long MIB = 1 << 20;

    /** Verified bytes of the node's one download (0 before it is asked for), read through its control API. */
    static long verified(Path dataDir) throws Exception {
        return ControlClient.forRunningNode(dataDir).get("/v1/ls").path("downloads").path(0).path("verifiedBytes").asLong();
    }

    P2pProcess startGet(String node, String link) throws Exception {
        P2pProcess get = P2pProcess.start(home, "--data-dir", home.resolve(node).toString(), "get", link, "-o",
                home.resolve(node + "-out").toString(), "--timeout", "30s");
        processes.add(get);
        return get;
    }

    @Test
    void rateFlagsHoldWithinTenPercentOverThirtySecondsAndChangeWhileRunning() throws Exception {
        String boot = bootstrapNode();
        Path up = TestFiles.randomFile(home.resolve("up.bin"), 48 * MIB, 1);
        Path down = TestFiles.randomFile(home.resolve("down.bin"), 48 * MIB, 2);
        node("slowseed", "--port", "0", "--bootstrap", boot, "--upload-rate", "1M");
        node("seed", "--port", "0", "--bootstrap", boot);
        node("fetch", "--port", "0", "--bootstrap", boot);
        P2pProcess slowFetch = node("slowfetch", "--port", "0", "--bootstrap", boot, "--download-rate", "1M");
        assertTrue(slowFetch.out.contains("limits: upload no limit, download 1M per second, 64 peers served at once"),
                slowFetch.out.toString());
        // Each content has one provider: the upload limit is measured on one pair, the download limit on the other.
        P2pProcess uploadLimited = startGet("fetch", share("slowseed", up));
        P2pProcess downloadLimited = startGet("slowfetch", share("seed", down));
        Path fetch = home.resolve("fetch");
        Path slowfetch = home.resolve("slowfetch");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((verified(fetch) < 2 * MIB || verified(slowfetch) < 2 * MIB) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long t0 = System.nanoTime();
        long up0 = verified(fetch);
        long down0 = verified(slowfetch);
        Thread.sleep(30_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double upRate = (verified(fetch) - up0) / seconds;
        double downRate = (verified(slowfetch) - down0) / seconds;
        System.out.printf("LimitsTest: --upload-rate 1M gave %.3f MiB/s, --download-rate 1M %.3f MiB/s, over %.1f s%n",
                upRate / MIB, downRate / MIB, seconds);
        assertTrue(Math.abs(upRate - MIB) <= 0.1 * MIB, "--upload-rate 1M gave " + upRate / MIB + " MiB/s over 30 s");
        assertTrue(Math.abs(downRate - MIB) <= 0.1 * MIB, "--download-rate 1M gave " + downRate / MIB + " MiB/s over 30 s");

        // Lifting the limits on the running nodes: the ~14 MiB left would take 14 s at 1 MiB/s.
        for (String[] lift : List.of(new String[] {"slowseed", "--upload-rate", "0"}, new String[] {"slowfetch", "--download-rate", "0"})) {
            P2pProcess limits = P2pProcess.run(home, 60, "--data-dir", home.resolve(lift[0]).toString(), "limits", lift[1], lift[2]);
            assertEquals(0, limits.exitCode(), limits.err.toString());
            assertTrue(limits.out.contains(lift[1].equals("--upload-rate") ? "upload    no limit" : "download  no limit"), limits.out.toString());
        }
        long lifted = System.nanoTime();
        assertTrue(uploadLimited.process.waitFor(60, TimeUnit.SECONDS) && downloadLimited.process.waitFor(60, TimeUnit.SECONDS));
        double after = (System.nanoTime() - lifted) / 1e9;
        assertEquals(0, uploadLimited.exitCode(), uploadLimited.err.toString());
        assertEquals(0, downloadLimited.exitCode(), downloadLimited.err.toString());
        assertTrue(after < 8, "both finished " + after + " s after the limits were lifted");
    }
}
