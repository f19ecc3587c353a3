package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `p2p unshare` and what `p2p ls` says about shares, through real node processes. */
class UnshareTest extends NodeProcessesTest {
    JsonNode ls(String node) throws Exception {
        P2pProcess ls = P2pProcess.run(home, 30, "--data-dir", home.resolve(node).toString(), "--json", "ls");
        assertEquals(0, ls.exitCode(), ls.err.toString());
        return new ObjectMapper().readTree(String.join("\n", ls.out));
    }

    @Test
    void lsCountsUploadsAndAnUnsharedLinkIsFoundByNobody() throws Exception {
        String boot = bootstrapNode();
        Path film = TestFiles.randomFile(home.resolve("film.bin"), 3L << 20, 1);
        Path notes = TestFiles.randomFile(home.resolve("notes.bin"), 1L << 20, 2);
        node("seeder", "--port", "0", "--bootstrap", boot);
        String link = TestFiles.withoutHints(share("seeder", film));
        share("seeder", notes);

        P2pProcess first = P2pProcess.run(home, 90, "--data-dir", home.resolve("a").toString(), "get", link, "-o",
                home.resolve("a-out").toString(), "--bootstrap", boot, "--timeout", "30s");
        assertEquals(0, first.exitCode(), first.err.toString());
        JsonNode shares = ls("seeder").path("shares");
        assertEquals(2, shares.size(), shares.toString());
        JsonNode filmShare = shares.get(0);
        assertEquals(film.toString(), filmShare.path("path").asText());
        assertEquals("serving", filmShare.path("state").asText());
        assertEquals(3L << 20, filmShare.path("size").asLong());
        assertEquals(3L << 20, filmShare.path("uploadedBytes").asLong(), "one fetch of the film: its size uploaded");
        assertEquals(0, shares.get(1).path("uploadedBytes").asLong());
        P2pProcess text = P2pProcess.run(home, 30, "--data-dir", home.resolve("seeder").toString(), "ls");
        assertTrue(text.out.contains("share  serving  " + film + "  3.0 MiB  uploaded 3.0 MiB"), text.out.toString());

        P2pProcess unshare = P2pProcess.run(home, 30, "--data-dir", home.resolve("seeder").toString(), "unshare", link);
        assertEquals(0, unshare.exitCode(), unshare.err.toString());
        assertEquals(List.of("unshared " + film + " (" + link + ")"), unshare.out);
        P2pProcess byPath = P2pProcess.run(home, 30, "--data-dir", home.resolve("seeder").toString(), "unshare", notes.toString());
        assertEquals(0, byPath.exitCode(), byPath.err.toString());
        assertTrue(ls("seeder").path("shares").isEmpty());
        assertEquals(List.of(), Files.readAllLines(home.resolve("seeder/shares.txt")), "not served after a restart either");

        // The seeder's record is still in the DHT (it expires); asked anyway, the seeder says it does not share it.
        P2pProcess later = P2pProcess.run(home, 90, "--data-dir", home.resolve("b").toString(), "get", link, "-o",
                home.resolve("b-out").toString(), "--bootstrap", boot, "--timeout", "10s");
        UserMistakesTest.assertOneLine(later, ExitCode.NOT_FOUND, "nobody provides it");
        assertTrue(Files.notExists(home.resolve("b-out/film.bin")));

        UserMistakesTest.assertOneLine(P2pProcess.run(home, 30, "--data-dir", home.resolve("seeder").toString(), "unshare",
                notes.toString()), ExitCode.USAGE, "not shared by this node: " + notes);
    }

    @Test
    void withoutANodeAPathComesOffTheListAndALinkIsRefused() throws Exception {
        Path data = home.resolve("n");
        Files.createDirectories(data);
        Path kept = home.resolve("kept.bin");
        Files.writeString(data.resolve("shares.txt"), kept + "\n" + home.resolve("gone.bin") + "\n");
        P2pProcess p = P2pProcess.run(home, 30, "--data-dir", data.toString(), "unshare", home.resolve("gone.bin").toString());
        assertEquals(0, p.exitCode(), p.err.toString());
        assertEquals(List.of(kept.toString()), Files.readAllLines(data.resolve("shares.txt")));
        UserMistakesTest.assertOneLine(P2pProcess.run(home, 30, "--data-dir", data.toString(), "unshare", "p2p://" + "a".repeat(52)),
                ExitCode.USAGE, "give the shared path instead");
    }
}
