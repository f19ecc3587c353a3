package dev.p2p.transfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.ManifestCodec;
import dev.p2p.transfer.content.SharedContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
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

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }
}
