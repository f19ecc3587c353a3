package dev.p2p.transfer.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
    static final byte[] ROOT = new byte[32];

    @Test
    void directoryRoundTripsAndIdIsStable() {
        Manifest m = Manifest.directory("photos", Manifest.DEFAULT_CHUNK_SIZE, List.of(
                ManifestEntry.file("a.txt", 10, ROOT),
                ManifestEntry.emptyDirectory("empty"),
                ManifestEntry.file("sub/b.bin", 1 << 20, ROOT)));
        byte[] bytes = ManifestCodec.encode(m);
        assertEquals(m, ManifestCodec.decode(bytes));
        assertArrayEquals(bytes, ManifestCodec.encode(ManifestCodec.decode(bytes)));
        assertEquals(ContentId.ofManifest(bytes), ContentId.ofManifest(ManifestCodec.encode(m)));
    }

    @Test
    void refusesHostilePaths() {
        for (String bad : List.of("../x", "/etc/passwd", "a/../../x", "a//b", "", ".", "a/./b", "C:x", "a\\b",
                "con", "NUL.txt", "a/lpt1", "trailing.", "trailing ", "tab\tname", "a/")) {
            byte[] bytes = raw("dir", 1, List.of(bad));
            ManifestException e = assertThrows(ManifestException.class, () -> ManifestCodec.decode(bytes), bad);
            assertTrue(e.getMessage().length() > 5);
        }
    }

    @Test
    void refusesHostileTopLevelNameAndStructure() {
        assertThrows(ManifestException.class, () -> ManifestCodec.decode(raw("..", 1, List.of("a"))));
        assertThrows(ManifestException.class, () -> ManifestCodec.decode(raw("a/b", 1, List.of("a"))));
        assertThrows(ManifestException.class, () -> ManifestCodec.decode(raw("d", 1, List.of("b", "a"))), "unsorted");
        assertThrows(ManifestException.class, () -> ManifestCodec.decode(raw("d", 1, List.of("a", "a"))), "duplicate");
        assertThrows(ManifestException.class, () -> ManifestCodec.decode(raw("d", 1, List.of("a", "a/b"))), "file as dir");
        assertThrows(ManifestException.class, () -> ManifestCodec.decode(raw("f", 0, List.of("x"))), "file with path");
    }

    @Test
    void refusesTruncatedTrailingAndHugeCounts() {
        byte[] ok = raw("d", 1, List.of("a"));
        for (int len = 0; len < ok.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(ok, len);
            assertThrows(ManifestException.class, () -> ManifestCodec.decode(cut));
        }
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThrows(ManifestException.class, () -> ManifestCodec.decode(longer));
        byte[] huge = ok.clone();
        int countAt = 4 + 1 + 1 + 4 + 2 + 1;
        huge[countAt] = 0x7f;
        assertThrows(ManifestException.class, () -> ManifestCodec.decode(huge));
    }

    /** A manifest written byte by byte, bypassing every check of the encoder. */
    static byte[] raw(String name, int kind, List<String> paths) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(ManifestCodec.MAGIC);
            out.writeByte(1);
            out.writeByte(kind);
            out.writeInt(Manifest.DEFAULT_CHUNK_SIZE);
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            out.writeShort(n.length);
            out.write(n);
            out.writeInt(paths.size());
            for (String p : paths) {
                byte[] b = p.getBytes(StandardCharsets.UTF_8);
                out.writeByte(0);
                out.writeShort(b.length);
                out.write(b);
                out.writeLong(5);
                out.write(ROOT);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }
}
