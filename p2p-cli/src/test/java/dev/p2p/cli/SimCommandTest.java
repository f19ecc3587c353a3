package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `p2p sim` keeps the simulator's contract: its output files, its overrides, its exit codes. */
class SimCommandTest {
    static final Path QUICK = Path.of("../simulator/scenarios/quick.scenario").toAbsolutePath().normalize();

    @TempDir
    Path home;

    @Test
    void writesTheThreeFilesAndReplaysBySeed() throws Exception {
        Path a = home.resolve("a");
        Path b = home.resolve("b");
        for (Path out : new Path[] {a, b}) {
            // The second run on one thread: the thread count never changes the results.
            P2pProcess p = P2pProcess.run(home, 300, "sim", QUICK.toString(), "--peers", "200", "--duration", "10m",
                    "--seed", "5", "--out", out.toString(), "--threads", out == a ? "2" : "1");
            assertEquals(0, p.exitCode(), p.out + " " + p.err);
        }
        for (String f : new String[] {"summary.json", "timeseries.csv", "report.html"}) {
            assertTrue(Files.size(a.resolve(f)) > 0, f);
        }
        assertArrayEquals(Files.readAllBytes(a.resolve("summary.json")), Files.readAllBytes(b.resolve("summary.json")));
    }

    @Test
    void malformedScenarioIsOneLineAndExitTwo() throws Exception {
        Path bad = Files.writeString(home.resolve("bad.scenario"), "peers = many\n");
        P2pProcess p = P2pProcess.run(home, 60, "sim", bad.toString());
        assertEquals(2, p.exitCode());
        assertEquals(1, p.err.size(), p.err.toString());
        assertTrue(p.err.get(0).contains("peers"), p.err.get(0));
        P2pProcess zero = P2pProcess.run(home, 60, "sim", QUICK.toString(), "--threads", "0");
        assertEquals(2, zero.exitCode());
        assertTrue(String.join("\n", zero.err).contains("--threads"), zero.err.toString());
    }
}
