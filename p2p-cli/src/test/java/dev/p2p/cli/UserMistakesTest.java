package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each user mistake: one clear line on stderr, no stack trace, and its documented exit code. */
class UserMistakesTest {
    @TempDir
    Path home;

    static void assertOneLine(P2pProcess p, int exitCode, String expectedText) {
        assertEquals(exitCode, p.exitCode(), "stdout " + p.out + " stderr " + p.err);
        List<String> err = p.err.stream().filter(l -> !l.startsWith("Try '")).toList();
        assertEquals(1, err.size(), "one line: " + p.err);
        assertTrue(err.get(0).startsWith("p2p: "), err.get(0));
        assertTrue(err.get(0).contains(expectedText), "'" + err.get(0) + "' should say '" + expectedText + "'");
        assertTrue(p.err.stream().noneMatch(l -> l.contains("Exception") || l.trim().startsWith("at ")), "no stack trace: " + p.err);
    }

    String dataDir() {
        return home.resolve("data").toString();
    }

    @Test
    void missingFile() throws Exception {
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "share", home.resolve("nope.txt").toString()),
                ExitCode.USAGE, "no such file or directory");
    }

    @Test
    void malformedLink() throws Exception {
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "get", "p2p://not-a-content-id", "-o", home.toString()),
                ExitCode.USAGE, "malformed link");
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "get", "https://example.org/x", "-o", home.toString()),
                ExitCode.USAGE, "malformed link");
    }

    @Test
    void unreachableBootstrap() throws Exception {
        int dead = TestFiles.freePort();
        String link = "p2p://" + "a".repeat(52);
        P2pProcess p = P2pProcess.run(home, 60, "--data-dir", dataDir(), "get", link, "-o", home.toString(),
                "--bootstrap", "127.0.0.1:" + dead);
        assertOneLine(p, ExitCode.NETWORK, "no bootstrap peer answered: tried 127.0.0.1:" + dead);
    }

    @Test
    void malformedBootstrapAddress() throws Exception {
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "peers", "--bootstrap", "localhost"),
                ExitCode.USAGE, "is not host:port");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"));
                DatagramSocket udp = new DatagramSocket(tcp.getLocalPort())) {
            P2pProcess p = P2pProcess.run(home, 60, "--data-dir", dataDir(), "node", "--port", Integer.toString(tcp.getLocalPort()));
            assertOneLine(p, ExitCode.NETWORK, "port " + tcp.getLocalPort() + " is in use");
        }
    }

    @Test
    void contentNotFoundWithinTheTimeout() throws Exception {
        P2pProcess boot = P2pProcess.start(home, "--data-dir", home.resolve("boot").toString(), "node", "--port", "0");
        try (boot) {
            String line = boot.awaitLine(l -> l.startsWith("listening on port"), 60);
            String port = line.split(" ")[3];
            boot.awaitLine(l -> l.startsWith("ready"), 60);
            String link = "p2p://" + "a".repeat(52);
            P2pProcess p = P2pProcess.run(home, 60, "--data-dir", dataDir(), "get", link, "-o", home.toString(),
                    "--bootstrap", "127.0.0.1:" + port, "--timeout", "2s");
            assertOneLine(p, ExitCode.NOT_FOUND, "nobody provides");
        }
    }

    @Test
    void unknownFlag() throws Exception {
        P2pProcess p = P2pProcess.run(home, 60, "share", "--frobnicate", "x");
        assertEquals(ExitCode.USAGE, p.exitCode());
        assertTrue(p.err.get(0).contains("Unknown option: '--frobnicate'"), p.err.toString());
    }

    @Test
    void badConfigFile() throws Exception {
        Path cfg = java.nio.file.Files.writeString(home.resolve("c.properties"), "bootstrapp = 1.2.3.4:5\n");
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "--config", cfg.toString(), "peers"),
                ExitCode.USAGE, "unknown key 'bootstrapp'");
    }

    @Test
    void malformedRates() throws Exception {
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "node", "--upload-rate", "20Q"),
                ExitCode.USAGE, "'20Q' is not a rate like 512K, 20M or 1G");
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "node", "--download-rate", "1K"),
                ExitCode.USAGE, "'1K' is outside 16K to 1024G per second");
        Path cfg = java.nio.file.Files.writeString(home.resolve("rate.properties"), "download-rate = fast\n");
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "--config", cfg.toString(), "node"),
                ExitCode.USAGE, "download-rate: 'fast' is not a rate");
        assertOneLine(P2pProcess.run(home, 60, "--data-dir", dataDir(), "limits", "--max-peers", "0"),
                ExitCode.CONTROL, "no node runs on");
    }
}
