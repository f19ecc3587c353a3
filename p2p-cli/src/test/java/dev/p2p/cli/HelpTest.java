package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command explains itself with examples, and a completion script can be generated. */
class HelpTest {
    @TempDir
    Path home;

    @Test
    void everyCommandHasHelpWithExamples() throws Exception {
        for (String cmd : new String[] {"demo", "node", "share", "unshare", "get", "downloads", "pause", "resume", "cancel", "ls", "peers", "id", "stats", "limits", "sim"}) {
            P2pProcess p = P2pProcess.run(home, 60, cmd, "--help");
            assertEquals(0, p.exitCode(), cmd);
            assertTrue(p.out.contains("Examples:"), cmd + " --help has examples: " + p.out);
            assertTrue(p.out.stream().anyMatch(l -> l.contains("p2p " + cmd)), cmd + " examples use the command");
        }
        P2pProcess top = P2pProcess.run(home, 60, "--help");
        assertTrue(top.out.stream().anyMatch(l -> l.startsWith("Exit codes:")), top.out.toString());
        for (String cmd : new String[] {"demo", "node", "share", "unshare", "get", "downloads", "pause", "resume", "cancel", "ls", "peers", "id", "stats", "limits", "sim", "generate-completion"}) {
            assertTrue(top.out.stream().anyMatch(l -> l.startsWith("  " + cmd + " ")), "p2p --help lists " + cmd + ": " + top.out);
        }
    }

    @Test
    void completionScriptIsGenerated() throws Exception {
        P2pProcess p = P2pProcess.run(home, 60, "generate-completion");
        assertEquals(0, p.exitCode());
        assertTrue(p.out.stream().anyMatch(l -> l.contains("complete -F")), "a bash completion function is registered");
        assertTrue(p.out.stream().anyMatch(l -> l.contains("share")), "it knows the subcommands");
    }
}
