package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM that bin/p2p starts for a command (p2p-cli/src/dist/lib/p2p-jvm-options.sh), read from
 * the JVM's own final flags: C2 and the node's JIT settings for a command that moves data itself,
 * C1 alone for a client of a running node. A client with a node's JIT is only slower to start; a
 * node with C1 alone would lose the AES and SHA-256 intrinsics, so `get` must not take it then.
 */
class LauncherJvmOptionsTest {
    private static final Pattern FLAG = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+=\\s+(\\S+).*");
    /** The further values of a list flag (CompileCommand) are printed on lines of their own. */
    private static final Pattern MORE = Pattern.compile("^\\s*(\\w+)\\s+\\+=\\s+(\\S+).*");

    @TempDir
    Path home;

    @Test
    void aClientOfARunningNodeRunsOnC1AndACommandThatRunsANodeOnC2() throws Exception {
        Path data = home.resolve("n");
        Map<String, String> alone = flags("--data-dir", data.toString(), "get", "not-a-link");
        assertEquals("4", alone.get("TieredStopAtLevel"), "get without a node runs the transfer itself: C2");
        assertEquals("0", alone.get("PerMethodTrapLimit"));
        assertEquals("true", alone.get("UseSerialGC"));
        Map<String, String> nodeFlags = flags("--data-dir", data.toString(), "node", "--help");
        assertEquals("4", nodeFlags.get("TieredStopAtLevel"));
        for (String transferPath : List.of("dev.p2p.transfer", "io.netty", "sun.security.ssl", "com.sun.crypto.provider")) {
            assertTrue(nodeFlags.get("CompileCommand").contains("CompileThresholdScaling," + transferPath + ".*::*,0.25"),
                    "a node compiles the transfer path at a quarter of the usual counts: " + nodeFlags.get("CompileCommand"));
        }
        assertTrue(nodeFlags.get("CompileCommand").startsWith("quiet"), "no line per CompileCommand on stdout");
        assertEquals("500", nodeFlags.get("InlineSmallCode"), "a compiled send path is called, not inlined again");
        assertEquals("100", nodeFlags.get("FreqInlineSize"), "C2 inlines less around the crypto stubs: a fresh node compiles less");
        assertEquals(String.valueOf(24L << 20), nodeFlags.get("MaxNewSize"), "a node's eden is touched and collected early");
        assertEquals(nodeFlags.get("MaxNewSize"), alone.get("MaxNewSize"));
        assertEquals(nodeFlags.get("CompileCommand"), alone.get("CompileCommand"), "get without a node moves the data itself");
        assertEquals("1", flags("--data-dir", data.toString(), "id").get("TieredStopAtLevel"), "id is a short client");

        try (P2pProcess node = P2pProcess.start(home, "--data-dir", data.toString(), "node", "--port", "0")) {
            node.awaitLine(l -> l.startsWith("ready"), 60);
            Map<String, String> client = flags("--data-dir", data.toString(), "get", "not-a-link");
            assertEquals("1", client.get("TieredStopAtLevel"), "get through a running node only talks to it: C1");
            assertFalse(String.valueOf(client.get("CompileCommand")).contains("CompileThresholdScaling"),
                    "no transfer path to compile early in a client");
            assertEquals("true", client.get("UseSerialGC"));
            assertFalse(client.get("MaxNewSize").equals(nodeFlags.get("MaxNewSize")), "a client keeps the JVM's young generation");
            assertEquals("1", flags("get", "--data-dir=" + data, "not-a-link").get("TieredStopAtLevel"),
                    "--data-dir after the command, in its = form");
            assertEquals("4", flags("--data-dir", home.resolve("other").toString(), "get", "not-a-link").get("TieredStopAtLevel"),
                    "no node runs on another data directory");
        }
    }

    @Test
    void aCollectorChosenInP2pJavaOptsWins() throws Exception {
        Map<String, String> f = flags(List.of("-XX:+UseParallelGC"), "id");
        assertEquals("true", f.get("UseParallelGC"));
        assertEquals("false", f.get("UseSerialGC"));
    }

    private Map<String, String> flags(String... args) throws Exception {
        return flags(List.of(), args);
    }

    /** The final JVM flags of {@code bin/p2p args}, with {@code extraOpts} in P2P_JAVA_OPTS. */
    private Map<String, String> flags(List<String> extraOpts, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "P2P_JAVA_OPTS=-XX:+PrintFlagsFinal -Xmx256m "
                + P2pProcess.NO_PORT_MAPPING + " " + String.join(" ", extraOpts), ReadmeTest.ROOT.resolve("bin/p2p").toString()));
        cmd.addAll(List.of(args));
        P2pProcess p = P2pProcess.finish(P2pProcess.startCommand(home, ReadmeTest.ROOT, cmd), 60);
        Map<String, String> flags = new java.util.HashMap<>();
        for (String line : p.out) {
            Matcher m = FLAG.matcher(line);
            Matcher more = MORE.matcher(line);
            if (m.matches()) {
                flags.put(m.group(1), m.group(2));
            } else if (more.matches()) {
                flags.merge(more.group(1), more.group(2), (a, b) -> a + " " + b);
            }
        }
        assertTrue(flags.containsKey("TieredStopAtLevel"), "the JVM printed its flags: " + p.out + p.err);
        return flags;
    }
}
