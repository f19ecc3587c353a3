package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the commands README.md shows, through the real bin/p2p launcher, so the README cannot go
 * stale. Only paths and the port are swapped for this test's own (/tmp/ to a temporary
 * directory, 24100 to a free port) and the link placeholder for the link printed.
 */
class ReadmeTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path home;
    int port;
    final List<P2pProcess> running = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (P2pProcess p : running) {
            p.close();
        }
    }

    /** The command lines of the code block after {@code <!-- walkthrough: NAME -->}. */
    static List<String> walkthrough(String name) throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int start = lines.indexOf("<!-- walkthrough: " + name + " -->");
        assertTrue(start >= 0, "README has the walkthrough '" + name + "'");
        List<String> commands = new ArrayList<>();
        for (int i = start + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("    bin/p2p ")) {
                commands.add(l.trim());
            } else if (!commands.isEmpty() && !l.isBlank() && !l.startsWith("    ")) {
                if (name.equals("two terminals") && commands.size() < 2) {
                    continue; // the two terminals' blocks are split by a sentence
                }
                break;
            }
        }
        return commands;
    }

    P2pProcess launch(String readmeLine, String link) throws Exception {
        String line = readmeLine.replace("/tmp/", home + "/").replace("24100", Integer.toString(port));
        if (link != null) {
            line = line.replace("p2p://<the link>", link);
        }
        List<String> cmd = new ArrayList<>(List.of(line.split(" +")));
        cmd.set(0, ROOT.resolve("bin/p2p").toString());
        P2pProcess p = P2pProcess.startCommand(home, ROOT, cmd);
        running.add(p);
        return p;
    }

    @Test
    void firstCommandRunsTheDemoAndItVerifies() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains("\n    bin/p2p demo\n"));
        assertTrue(readme.contains("\n    mvn -B -ntp verify\n"));
        assertTrue(Files.readString(ROOT.resolve(".ci/run")).contains("mvn -B -ntp verify"), ".ci/run runs the README's test command");
        P2pProcess demo = P2pProcess.finish(P2pProcess.startCommand(home, ROOT, List.of(ROOT.resolve("bin/p2p").toString(), "demo")), 180);
        assertEquals(0, demo.exitCode(), demo.out + " " + demo.err);
        assertTrue(demo.lastLine().startsWith("SHA-256 of the download matches the original"), demo.out.toString());
    }

    @Test
    void twoTerminals() throws Exception {
        List<String> lines = walkthrough("two terminals");
        assertEquals(2, lines.size(), lines.toString());
        port = TestFiles.freePort();
        P2pProcess alice = launch(lines.get(0), null);
        String link = alice.awaitLine(l -> l.startsWith("p2p://"), 120);
        P2pProcess bob = P2pProcess.finish(launch(lines.get(1), link), 120);
        assertEquals(0, bob.exitCode(), bob.out + " " + bob.err);
        assertArrayEquals(Files.readAllBytes(ROOT.resolve("README.md")), Files.readAllBytes(home.resolve("bob-downloads/README.md")));
    }

    @Test
    void simulator() throws Exception {
        List<String> lines = walkthrough("simulator");
        assertEquals(1, lines.size(), lines.toString());
        P2pProcess sim = P2pProcess.finish(launch(lines.get(0), null), 300);
        assertEquals(0, sim.exitCode(), sim.out + " " + sim.err);
        Path out = home.resolve("sim-quick");
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"successRate\""));
        assertTrue(Files.readString(out.resolve("timeseries.csv")).startsWith("time_s,"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"));
        assertEquals(List.of("wrote " + out.resolve("summary.json") + ", timeseries.csv and report.html"), sim.out,
                "stdout is the run's own line: nothing from the JVM's AOT cache leaks into it");
        if (simJavaHasAotCache()) {
            assertTrue(Files.isRegularFile(ROOT.resolve("p2p-cli/target/p2p-sim.aot")), "the first run left the AOT cache: " + sim.err);
            P2pProcess again = P2pProcess.finish(launch(lines.get(0), null), 300);
            assertEquals(0, again.exitCode(), again.out + " " + again.err);
            assertTrue(again.err.stream().noneMatch(l -> l.contains("ahead-of-time cache")), "the second run reuses the cache: " + again.err);
        }
    }

    /** Whether the JDK that simulator/bin/sim-java picks can make an AOT cache (JDK 25+). */
    private boolean simJavaHasAotCache() throws Exception {
        P2pProcess which = P2pProcess.finish(P2pProcess.startCommand(home, ROOT, List.of(ROOT.resolve("simulator/bin/sim-java").toString())), 30);
        P2pProcess flags = P2pProcess.finish(P2pProcess.startCommand(home, ROOT, List.of(which.lastLine(), "-XX:+PrintFlagsFinal", "-version")), 30);
        return flags.out.stream().anyMatch(l -> l.contains(" AOTCacheOutput "));
    }

    @Test
    void threePeers() throws Exception {
        List<String> lines = walkthrough("three peers");
        assertEquals(3, lines.size(), lines.toString());
        port = TestFiles.freePort();
        launch(lines.get(0), null).awaitLine(l -> l.startsWith("ready"), 120);
        String link = launch(lines.get(1), null).awaitLine(l -> l.startsWith("p2p://"), 120);
        P2pProcess bob = P2pProcess.finish(launch(lines.get(2), TestFiles.withoutHints(link)), 120);
        assertEquals(0, bob.exitCode(), bob.out + " " + bob.err);
        assertArrayEquals(Files.readAllBytes(ROOT.resolve("README.md")), Files.readAllBytes(home.resolve("bob-downloads/README.md")));
    }
}
