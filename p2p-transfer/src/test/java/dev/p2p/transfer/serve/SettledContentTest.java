package dev.p2p.transfer.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.p2p.transfer.content.FileStamp;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.LeafCache;
import dev.p2p.transfer.content.SharedContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files that settled before they were indexed are sent without hashing each chunk again; every
 * way of writing to them afterwards must still keep the changed bytes from being sent.
 */
class SettledContentTest {
    private static final int CHUNK = 16384;
    private static Path dir;
    private static FileChannel mappedChannel;
    private static MappedByteBuffer mapping; // a writer that mapped its file before it was indexed

    /** Files written, and one page dirtied through a shared mapping, before they settle. */
    @BeforeAll
    static void filesThatSettled() throws Exception {
        dir = Files.createTempDirectory("settled");
        for (String name : new String[] {"untouched.bin", "rewritten.bin", "mapped.bin", "cached.bin", "replaced.bin"}) {
            byte[] data = new byte[3 * CHUNK];
            new Random(name.hashCode()).nextBytes(data);
            Files.write(dir.resolve(name), data);
        }
        mappedChannel = FileChannel.open(dir.resolve("mapped.bin"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        mapping = mappedChannel.map(FileChannel.MapMode.READ_WRITE, 0, 3 * CHUNK);
        mapping.put(CHUNK + 7, (byte) 42); // the page stays mapped writable: no fault on the next write, unless written back
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(FileStamp.SETTLE_NANOS) + 300);
    }

    @AfterAll
    static void closeMapping() throws IOException {
        mappedChannel.close();
    }

    private static void assumeWritebackFileSystem() throws IOException {
        String type = Files.getFileStore(dir).type();
        assumeTrue(FileStamp.WRITEBACK_FILE_SYSTEMS.contains(type), "temp files on " + type + " are hashed on every send");
    }

    private static SharedContent index(String name) throws IOException {
        return new Indexer(CHUNK).index(dir.resolve(name), (d, t) -> {});
    }

    @Test
    void anUntouchedSettledFileIsSentWithoutHashingItAgain() throws Exception {
        assumeWritebackFileSystem();
        SharedContent shared = index("untouched.bin");
        assertTrue(shared.unwrittenSinceIndexed(0, shared.unchangedFileKey(0)));
        byte[] data = Files.readAllBytes(dir.resolve("untouched.bin"));
        CompleteContent served = new CompleteContent(shared);
        assertArrayEquals(Arrays.copyOfRange(data, 2 * CHUNK, 3 * CHUNK), CompleteContentTest.chunk(served, 2));
        assertTrue(served.isServable());
    }

    @Test
    void aWriteThatRestoresSizeAndMtimeIsNotSent() throws Exception {
        assumeWritebackFileSystem();
        Path f = dir.resolve("rewritten.bin");
        SharedContent shared = index("rewritten.bin");
        CompleteContent served = new CompleteContent(shared);
        assertTrue(shared.unwrittenSinceIndexed(0, shared.unchangedFileKey(0)));
        assertTrue(CompleteContentTest.chunk(served, 0) != null);

        FileTime mtime = Files.getLastModifiedTime(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), CHUNK + 100);
        }
        Files.setLastModifiedTime(f, mtime); // what `touch -r` or a careless tool would do
        assertTrue(shared.isUnchanged(0), "size and mtime alone cannot tell");

        assertTrue(CompleteContentTest.chunk(served, 1) == null, "the ctime moved: the chunk is hashed, and it no longer matches");
        assertFalse(served.isServable());
    }

    @Test
    void aSettledFileReplacedUnderItsNameIsNotSent() throws Exception {
        assumeWritebackFileSystem();
        Path f = dir.resolve("replaced.bin");
        SharedContent shared = index("replaced.bin");
        CompleteContent served = new CompleteContent(shared);
        assertTrue(CompleteContentTest.chunk(served, 0) != null); // the file hashed is open now

        byte[] other = Files.readAllBytes(f);
        other[CHUNK + 1] ^= 1;
        Path next = Files.write(dir.resolve("replaced.next"), other);
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(f));
        Files.move(next, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertTrue(CompleteContentTest.chunk(served, 1) == null, "the path names another file than the one hashed");
        assertFalse(served.isServable());
    }

    @Test
    void aWriteThroughAMappingMadeBeforeIndexingIsNotSent() throws Exception {
        assumeWritebackFileSystem();
        SharedContent shared = index("mapped.bin"); // fsyncs: writeback write-protects the mapped page
        CompleteContent served = new CompleteContent(shared);
        assertTrue(shared.unwrittenSinceIndexed(0, shared.unchangedFileKey(0)));
        assertTrue(CompleteContentTest.chunk(served, 1) != null);

        mapping.put(CHUNK + 8, (byte) (mapping.get(CHUNK + 8) + 1)); // faults, so the kernel moves the ctime

        assertTrue(CompleteContentTest.chunk(served, 1) == null, "the changed chunk is not sent");
        assertFalse(served.isServable());
    }

    @Test
    void aFileFromTheHashCacheStaysSettledUntilItsChangeTimeMoves() throws Exception {
        assumeWritebackFileSystem();
        Map<LeafCache.Stamp, LeafCache.Hashed> remembered = new HashMap<>();
        LeafCache cache = new LeafCache() {
            @Override
            public LeafCache.Hashed get(LeafCache.Stamp stamp) {
                return remembered.get(stamp);
            }

            @Override
            public void put(LeafCache.Stamp stamp, LeafCache.Hashed hashed) {
                remembered.put(stamp, hashed);
            }
        };
        Path f = dir.resolve("cached.bin");
        SharedContent first = new Indexer(CHUNK, cache).index(f, (d, t) -> {});
        assertTrue(first.unwrittenSinceIndexed(0, first.unchangedFileKey(0)));
        assertEquals(1, remembered.size());

        SharedContent again = new Indexer(CHUNK, cache).index(f, (d, t) -> {}); // a restart: the leaves come from the cache
        assertEquals(1, remembered.size(), "nothing was hashed");
        assertTrue(again.unwrittenSinceIndexed(0, again.unchangedFileKey(0)), "the same ctime: still settled");

        Files.setLastModifiedTime(f, Files.getLastModifiedTime(f)); // moves the ctime only
        SharedContent touched = new Indexer(CHUNK, cache).index(f, (d, t) -> {});
        assertEquals(2, remembered.size(), "a new ctime misses the cache: the file is read and hashed");
        assertFalse(touched.unwrittenSinceIndexed(0, touched.unchangedFileKey(0)), "changed just now: not settled");
    }

    @Test
    void aFileChangedJustBeforeItWasIndexedIsHashedOnEverySend() throws Exception {
        byte[] data = new byte[2 * CHUNK];
        new Random(3).nextBytes(data);
        Files.write(dir.resolve("fresh.bin"), data);
        SharedContent shared = index("fresh.bin");
        assertFalse(shared.unwrittenSinceIndexed(0, shared.unchangedFileKey(0)));
        assertArrayEquals(Arrays.copyOfRange(data, 0, CHUNK), CompleteContentTest.chunk(new CompleteContent(shared), 0));
    }
}
