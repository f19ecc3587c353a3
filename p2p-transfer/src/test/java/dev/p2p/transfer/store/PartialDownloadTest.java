package dev.p2p.transfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.ManifestCodec;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.SharedContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialDownloadTest {
    static final int CHUNK = 16384;
    @TempDir Path tmp;

    @Test
    void journaledChunksSurviveReopenUnlessTheyNoLongerMatch() throws Exception {
        byte[] data = new byte[CHUNK * 4];
        new Random(1).nextBytes(data);
        Path src = Files.write(tmp.resolve("src.bin"), data);
        SharedContent c = new Indexer(CHUNK).index(src, (d, t) -> {});
        ContentId id = ContentId.ofManifest(ManifestCodec.encode(c.manifest()));
        ChunkLayout layout = c.layout();
        byte[] leaves = c.leafHashes(0, 0, 4);
        Path out = tmp.resolve("out");
        try (PartialDownload d = PartialDownload.open(out, id, layout, leaves)) {
            assertThrows(IOException.class, () -> PartialDownload.open(out, id, layout, leaves), "one download at a time");
            d.write(1, ByteBuffer.wrap(data, CHUNK, CHUNK));
            d.write(3, ByteBuffer.wrap(data, 3 * CHUNK, CHUNK));
            d.commit();
            d.write(2, ByteBuffer.wrap(data, 2 * CHUNK, CHUNK)); // written, never committed: a crash here loses it
        }
        Path journal = out.resolve(".p2p-partial/" + id.toText() + "/verified.journal");
        Files.write(journal, new byte[] {1, 2, 3}, StandardOpenOption.APPEND); // torn record
        try (PartialDownload d = PartialDownload.open(out, id, layout, leaves)) {
            assertEquals(bits(1, 3), d.verified());
        }
        assertEquals(16, Files.size(journal), "torn tail cut off");
        Path content = out.resolve(".p2p-partial/" + id.toText() + "/content");
        try (var ch = java.nio.channels.FileChannel.open(content, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42}), 3L * CHUNK + 7); // damage chunk 3 on disk
        }
        try (PartialDownload d = PartialDownload.open(out, id, layout, leaves)) {
            assertEquals(bits(1), d.verified(), "a journaled chunk that no longer hashes right is fetched again");
            for (int chunk : new int[] {0, 2, 3}) {
                d.write(chunk, ByteBuffer.wrap(data, chunk * CHUNK, CHUNK));
            }
            assertTrue(Files.notExists(out.resolve("src.bin")), "no final name before finish");
            Files.writeString(out.resolve("src.bin"), "someone else's file");
            assertThrows(java.nio.file.FileAlreadyExistsException.class, d::finish, "never replaces an existing name");
            assertEquals("someone else's file", Files.readString(out.resolve("src.bin")));
            Files.delete(out.resolve("src.bin"));
        }
        try (PartialDownload d = PartialDownload.open(out, id, layout, leaves)) {
            assertEquals(4, d.verified().cardinality(), "everything was kept for the next try");
            Path done = d.finish();
            assertEquals(-1, Files.mismatch(src, done));
        }
        assertTrue(Files.notExists(out.resolve(".p2p-partial")));
    }

    @Test
    void chunksThatArriveInSeveralBuffersLandByteIdenticalInAnyOrder() throws Exception {
        byte[] data = new byte[CHUNK * 4];
        new Random(3).nextBytes(data);
        Path src = Files.write(tmp.resolve("src.bin"), data);
        SharedContent c = new Indexer(CHUNK).index(src, (d, t) -> {});
        ContentId id = ContentId.ofManifest(ManifestCodec.encode(c.manifest()));
        Path out = tmp.resolve("out");
        try (PartialDownload d = PartialDownload.open(out, id, c.layout(), c.leafHashes(0, 0, 4))) {
            for (int chunk : new int[] {2, 0, 3, 1}) { // as records off the wire: uneven, one empty, direct buffers
                int at = chunk * CHUNK;
                int[] cuts = {0, 1000, 1000, 9000, CHUNK};
                ByteBuffer[] parts = new ByteBuffer[cuts.length - 1];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = ByteBuffer.allocateDirect(cuts[i + 1] - cuts[i]).put(data, at + cuts[i], cuts[i + 1] - cuts[i]).flip();
                }
                d.write(chunk, parts);
            }
            d.commit();
            assertEquals(-1, Files.mismatch(src, d.finish()));
        }
    }

    @Test
    void aFlushIsClaimedEveryFlushBytesAndRunsBesideWritesWithoutChangingWhatLands() throws Exception {
        int chunk = 1 << 20;
        int perFlush = (int) (PartialDownload.FLUSH_BYTES / chunk);
        int count = 2 * perFlush + 3;
        byte[] data = new byte[chunk * count];
        new Random(4).nextBytes(data);
        SharedContent c = new Indexer(chunk).index(Files.write(tmp.resolve("big.bin"), data), (d, t) -> {});
        ContentId id = ContentId.ofManifest(ManifestCodec.encode(c.manifest()));
        byte[] leaves = c.leafHashes(0, 0, count);
        Path out = tmp.resolve("out");
        try (PartialDownload d = PartialDownload.open(out, id, c.layout(), leaves)) {
            Thread flusher = null;
            for (int i = 0; i < count; i++) {
                d.write(i, ByteBuffer.wrap(data, i * chunk, chunk));
                if ((i + 1) % perFlush != 0) {
                    assertFalse(d.claimFlush(), "not due after " + (i + 1) + " MiB");
                    continue;
                }
                if (flusher != null) {
                    flusher.join();
                }
                assertTrue(d.claimFlush(), "due after " + (i + 1) + " MiB");
                assertFalse(d.claimFlush(), "one flush at a time");
                flusher = new Thread(() -> {
                    try {
                        d.flushWritten();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                flusher.start(); // writes go on meanwhile
            }
            flusher.join();
            assertFalse(d.claimFlush(), "3 MiB since the last flush");
            d.commit();
            Path done = d.finish();
            assertEquals(-1, Files.mismatch(tmp.resolve("big.bin"), done));
            d.flushWritten(); // after the download closed: quietly nothing
        }
    }

    @Test
    void aDamagedJournalIsSetAsideKeepingTheChunksListedBeforeTheDamage() throws Exception {
        byte[] data = new byte[CHUNK * 4];
        new Random(2).nextBytes(data);
        SharedContent c = new Indexer(CHUNK).index(Files.write(tmp.resolve("src.bin"), data), (d, t) -> {});
        ContentId id = ContentId.ofManifest(ManifestCodec.encode(c.manifest()));
        byte[] leaves = c.leafHashes(0, 0, 4);
        Path out = tmp.resolve("out");
        try (PartialDownload d = PartialDownload.open(out, id, c.layout(), leaves)) {
            d.write(0, ByteBuffer.wrap(data, 0, CHUNK));
            d.write(2, ByteBuffer.wrap(data, 2 * CHUNK, CHUNK));
            d.commit();
        }
        Path journal = out.resolve(".p2p-partial/" + id.toText() + "/verified.journal");
        byte[] garbage = new byte[64];
        new Random(3).nextBytes(garbage);
        Files.write(journal, garbage, StandardOpenOption.APPEND);
        try (PartialDownload d = PartialDownload.open(out, id, c.layout(), leaves)) {
            assertEquals(bits(0, 2), d.verified());
        }
        assertEquals(16 + 64, Files.size(journal.resolveSibling("verified.journal.damaged")), "set aside whole");
        assertEquals(16, Files.size(journal), "written anew with the chunks read before the damage");

        Files.delete(journal);
        Files.createDirectory(journal);
        try (PartialDownload d = PartialDownload.open(out, id, c.layout(), leaves)) {
            assertEquals(bits(), d.verified(), "nothing listed: every chunk is fetched again");
        }
        assertTrue(Files.isDirectory(journal.resolveSibling("verified.journal.damaged.2")));
        assertTrue(Files.isRegularFile(journal));
    }

    @Test
    void aSelectionCreatesAndPublishesOnlyItsFilesAndALaterOneAddsToThem() throws Exception {
        Path src = tmp.resolve("album");
        Files.createDirectories(src.resolve("covers"));
        byte[] song = randomBytes(CHUNK * 2 + 5, 4);
        byte[] front = randomBytes(CHUNK, 5);
        Files.write(src.resolve("song.flac"), song);
        Files.write(src.resolve("covers/front.jpg"), front);
        Files.writeString(src.resolve("notes.txt"), "liner notes");
        SharedContent c = new Indexer(CHUNK).index(src, (d, t) -> {});
        ContentId id = ContentId.ofManifest(ManifestCodec.encode(c.manifest()));
        ChunkLayout layout = c.layout();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int e = 0; e < layout.entryCount(); e++) {
            all.write(c.leafHashes(e, 0, layout.chunkCount(e)));
        }
        byte[] leaves = all.toByteArray();
        Path out = tmp.resolve("out");
        int songEntry = entry(c, "song.flac");
        try (PartialDownload d = PartialDownload.open(out, id, layout, leaves, Selection.of(List.of("*.flac")))) {
            Path partial = out.resolve(".p2p-partial/" + id.toText() + "/content");
            assertTrue(Files.notExists(partial.resolve("covers/front.jpg")), "no sparse file for what is left out");
            int first = layout.firstChunk(songEntry);
            for (int i = 0; i < 3; i++) {
                d.write(first + i, ByteBuffer.wrap(song, i * CHUNK, layout.chunkLength(first + i)));
            }
            assertEquals(out.resolve("album").toAbsolutePath(), d.finish());
        }
        assertEquals(List.of("song.flac"), listing(out.resolve("album")));
        assertEquals(-1, Files.mismatch(src.resolve("song.flac"), out.resolve("album/song.flac")));
        assertTrue(Files.notExists(out.resolve(".p2p-partial")));

        try (PartialDownload d = PartialDownload.open(out, id, layout, leaves, Selection.of(List.of("covers")))) {
            d.write(layout.firstChunk(entry(c, "covers/front.jpg")), ByteBuffer.wrap(front));
            d.finish();
        }
        assertEquals(List.of("covers", "covers/front.jpg", "song.flac"), listing(out.resolve("album")));
        assertEquals(-1, Files.mismatch(src.resolve("covers/front.jpg"), out.resolve("album/covers/front.jpg")));

        try (PartialDownload d = PartialDownload.open(out, id, layout, leaves, Selection.of(List.of("*.flac")))) {
            int first = layout.firstChunk(songEntry);
            for (int i = 0; i < 3; i++) {
                d.write(first + i, ByteBuffer.wrap(song, i * CHUNK, layout.chunkLength(first + i)));
            }
            assertThrows(java.nio.file.FileAlreadyExistsException.class, d::finish, "never replaces a file already there");
        }
    }

    private static int entry(SharedContent c, String path) {
        for (int i = 0; i < c.manifest().entries().size(); i++) {
            if (c.manifest().entries().get(i).path().equals(path)) {
                return i;
            }
        }
        throw new AssertionError(path);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<String> listing(Path root) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }
}
