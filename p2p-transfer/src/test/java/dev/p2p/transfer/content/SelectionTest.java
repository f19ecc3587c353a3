package dev.p2p.transfer.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What `p2p get --include GLOB` picks out of a directory share. */
class SelectionTest {
    static final byte[] ROOT = new byte[32];
    static final Manifest ALBUM = Manifest.directory("album", Manifest.MIN_CHUNK_SIZE, List.of(
            ManifestEntry.file("a.txt", 10, ROOT),
            ManifestEntry.file("covers/front.jpg", 40_000, ROOT),
            ManifestEntry.file("covers/hi/back.jpg", 5, ROOT),
            ManifestEntry.emptyDirectory("empty"),
            ManifestEntry.file("notes.md", 0, ROOT),
            ManifestEntry.file("sub/deep/b.txt", 20_000, ROOT)));

    static List<String> picked(String... globs) {
        BitSet chosen = Selection.of(List.of(globs)).entries(ALBUM);
        List<String> paths = new ArrayList<>();
        for (int i = chosen.nextSetBit(0); i >= 0; i = chosen.nextSetBit(i + 1)) {
            paths.add(ALBUM.entries().get(i).path());
        }
        return paths;
    }

    @Test
    void aGlobWithoutSlashMatchesNamesAtAnyDepth() {
        assertEquals(List.of("a.txt", "sub/deep/b.txt"), picked("*.txt"));
        assertEquals(List.of("covers/front.jpg", "covers/hi/back.jpg"), picked("*.jpg"));
        assertEquals(List.of("notes.md"), picked("note?.md"));
    }

    @Test
    void aGlobWithSlashMatchesTheWholePathAndStarsStayInOneLevel() {
        assertEquals(List.of("covers/front.jpg"), picked("covers/*.jpg"));
        assertEquals(List.of("covers/front.jpg", "covers/hi/back.jpg"), picked("covers/**"));
        assertEquals(List.of("covers/front.jpg", "covers/hi/back.jpg"), picked("covers/**/*.jpg"));
        assertEquals(List.of("sub/deep/b.txt"), picked("**/deep/*"));
    }

    @Test
    void aMatchedDirectoryTakesEverythingUnderIt() {
        assertEquals(List.of("covers/front.jpg", "covers/hi/back.jpg"), picked("covers"));
        assertEquals(List.of("covers/hi/back.jpg"), picked("/covers/hi/"));
        assertEquals(List.of("empty"), picked("empty"));
    }

    @Test
    void globsAddUpAndLiteralCharactersAreNotPatterns() {
        assertEquals(List.of("a.txt", "notes.md"), picked("a.txt", "*.md"));
        assertEquals(List.of(), picked("a.tx."), "a dot is a dot");
        assertEquals(List.of(), picked("(a|b).txt"));
    }

    @Test
    void skippedChunksAreThoseOfFilesLeftOut() {
        ChunkLayout layout = new ChunkLayout(ALBUM);
        BitSet skipped = Selection.of(List.of("covers/front.jpg")).skippedChunks(layout);
        int front = layout.firstChunk(1);
        assertEquals(3, layout.chunkCount(1), "40,000 bytes in 16 KiB chunks");
        assertEquals(layout.totalChunks() - 3, skipped.cardinality());
        assertFalse(skipped.get(front) || skipped.get(front + 1) || skipped.get(front + 2));
        assertTrue(Selection.ALL.skippedChunks(layout).isEmpty());
    }

    @Test
    void onlyASelectionWithAFileCanRun() {
        assertTrue(Selection.of(List.of("*.md")).selectsAFile(ALBUM));
        assertFalse(Selection.of(List.of("empty")).selectsAFile(ALBUM), "an empty directory alone fetches nothing");
        assertFalse(Selection.of(List.of("*.flac")).selectsAFile(ALBUM));
        assertTrue(Selection.of(List.of()).all());
    }

    @Test
    void hostileGlobsAreRefusedWithAReason() {
        for (String bad : List.of("", "/", "//", "a\0b", "x".repeat(Selection.MAX_GLOB_LENGTH + 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selection.of(List.of(bad)));
            assertTrue(e.getMessage().startsWith("bad --include glob"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Selection.of(Collections.nCopies(Selection.MAX_GLOBS + 1, "*")));
        assertEquals(List.of("sub/deep/b.txt"), picked("**/".repeat(300) + "b.txt"), "repeated **/ count once");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selection.of(List.of("**/a/".repeat(5) + "*")));
        assertTrue(e.getMessage().contains("at most 4 '**'"), e.getMessage());
    }
}
