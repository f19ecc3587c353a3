package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests with `p2p node` processes on 127.0.0.1, each with its data directory under {@code home}; all are killed after each test. */
abstract class NodeProcessesTest {
    static final Pattern PORT = Pattern.compile("listening on port (\\d+) ");

    @TempDir
    Path home;
    final List<P2pProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (P2pProcess p : processes) {
            p.close();
        }
    }

    P2pProcess node(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--data-dir", home.resolve(name).toString(), "node"));
        args.addAll(List.of(extra));
        P2pProcess p = P2pProcess.start(home, args.toArray(String[]::new));
        processes.add(p);
        p.awaitLine(l -> l.startsWith("ready"), 60);
        return p;
    }

    /** Starts the node the others join through; answers its address. */
    String bootstrapNode() throws Exception {
        return "127.0.0.1:" + port(node("boot", "--port", "0"));
    }

    static int port(P2pProcess node) throws InterruptedException {
        Matcher m = PORT.matcher(node.awaitLine(l -> PORT.matcher(l).find(), 5));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    /** `p2p get LINK` by content id alone (no hints), through {@code bootstrap}, with data in {@code name}; asserts exit 0 and byte-identical. */
    void fetchByContentId(String name, String link, Path original, String bootstrap) throws Exception {
        Path out = home.resolve("out-" + name);
        P2pProcess get = P2pProcess.run(home, 90, "--data-dir", home.resolve(name).toString(), "get", TestFiles.withoutHints(link),
                "-o", out.toString(), "--bootstrap", bootstrap, "--timeout", "30s");
        assertEquals(0, get.exitCode(), name + ": " + get.err);
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out.resolve(original.getFileName().toString())), name);
    }

    String share(String name, Path file) throws Exception {
        P2pProcess s = P2pProcess.run(home, 60, "--data-dir", home.resolve(name).toString(), "share", file.toString());
        assertEquals(0, s.exitCode(), "share failed: " + s.err);
        assertTrue(s.lastLine().startsWith("p2p://"), "last line is the link: " + s.out);
        return s.lastLine();
    }
}
