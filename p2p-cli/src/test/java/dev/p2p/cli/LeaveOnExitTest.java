package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Real `p2p node` processes: a node stopped with SIGTERM (as Ctrl-C or a service manager stops it)
 * tells the nodes that hold it (a signed LEAVE), and they drop it from their routing tables in
 * seconds, not at their next ping sweep minutes later.
 */
class LeaveOnExitTest extends NodeProcessesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNodeStoppedWithSigtermLeavesTheTablesOfThoseThatHeldIt() throws Exception {
        String boot = bootstrapNode();
        P2pProcess leaver = node("leaver", "--port", "0", "--bootstrap", boot);
        String id = leaver.awaitLine(l -> l.startsWith("node "), 5).substring("node ".length()).trim();
        assertTrue(awaitKnown(id, true, 20), "the bootstrap node took the newcomer into its table");

        leaver.stop();
        assertFalse(leaver.process.isAlive(), "the node exited on SIGTERM");
        assertTrue(awaitKnown(id, false, 5), "the bootstrap node still holds the node 5 s after it stopped");
    }

    /** Polls the bootstrap node's routing table until it holds {@code id} (or not); true when it came to that. */
    private boolean awaitKnown(String id, boolean known, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        do {
            if (holds(id) == known) {
                return true;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private boolean holds(String id) throws Exception {
        P2pProcess peers = P2pProcess.run(home, 60, "--data-dir", home.resolve("boot").toString(), "peers", "--json");
        assertEquals(0, peers.exitCode(), "peers: " + peers.err);
        for (JsonNode c : JSON.readTree(String.join("\n", peers.out)).path("contacts")) {
            if (c.path("nodeId").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
