package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** A restarted node reads again only the shared files that changed; its hash cache is one more file it survives damage of. */
class HashCacheTest extends NodeProcessesTest {
    static final String UNCHANGED = "1.0 GiB unchanged since last hashed (hash cache)";

    JsonNode onlyShare() throws Exception {
        P2pProcess ls = P2pProcess.run(home, 30, "--data-dir", home.resolve("n").toString(), "--json", "ls");
        JsonNode shares = new ObjectMapper().readTree(String.join("\n", ls.out)).path("shares");
        assertEquals(1, shares.size(), shares.toString());
        return shares.get(0);
    }

    String hashedLine(P2pProcess node) {
        return node.out.stream().filter(l -> l.startsWith("hashed ")).findFirst().orElse("(none) " + node.out);
    }

    @Test
    void aRestartHashesOnlyWhatChangedAndTheChangedDirectoryIsServedUnderItsNewLink() throws Exception {
        Path library = Files.createDirectory(home.resolve("library"));
        try (RandomAccessFile big = new RandomAccessFile(library.resolve("film.bin").toFile(), "rw")) {
            big.setLength(1L << 30);
        }
        Path notes = Files.writeString(library.resolve("notes.txt"), "first\n");
        P2pProcess first = node("n", "--port", "0");
        String before = share("n", library);
        first.stop();

        P2pProcess unchanged = node("n", "--port", "0");
        assertEquals("hashed 0 B of shared files; " + UNCHANGED, hashedLine(unchanged));
        assertEquals("serving", onlyShare().path("state").asText());
        assertTrue(before.startsWith("p2p://" + onlyShare().path("contentId").asText()), "same content, same link");
        unchanged.stop();

        Files.writeString(notes, "second\n", StandardOpenOption.APPEND);
        P2pProcess changed = node("n", "--port", "0");
        assertEquals("hashed 13 B of shared files; " + UNCHANGED, hashedLine(changed), "only the changed file is read");
        JsonNode share = onlyShare();
        assertEquals("serving", share.path("state").asText());
        assertNotEquals(TestFiles.withoutHints(before), "p2p://" + share.path("contentId").asText(), "a new link for the new content");
        changed.stop();

        byte[] junk = new byte[64];
        junk[0] = (byte) 0xff;
        Files.write(home.resolve("n/hashes.txt"), junk);
        P2pProcess damaged = node("n", "--port", "0");
        assertTrue(damaged.err.stream().anyMatch(l -> l.startsWith("p2p: warning: ") && l.contains("hashes.txt is damaged")
                && l.contains("set aside as hashes.txt.damaged")), damaged.err.toString());
        assertEquals("hashed 1.0 GiB of shared files; 0 B unchanged since last hashed (hash cache)", hashedLine(damaged));
    }
}
