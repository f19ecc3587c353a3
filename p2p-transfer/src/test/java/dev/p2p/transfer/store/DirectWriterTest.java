package dev.p2p.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectWriterTest {
    static final int CHUNK = 256 * 1024;
    @TempDir Path tmp;

    @Test
    void aChunkInUnevenBuffersReplacesWhatThePageCacheHeldAndReadsBackExactly() throws Exception {
        Path file = tmp.resolve("content");
        byte[] old = new byte[CHUNK * 2];
        Arrays.fill(old, (byte) 7);
        Files.write(file, old); // these pages sit in the page cache when the direct write comes
        DirectWriter w = DirectWriter.open(file);
        assumeTrue(w != null, "this filesystem has no O_DIRECT (tmpfs): every write goes through the page cache");
        try {
            byte[] chunk = new byte[CHUNK];
            new Random(5).nextBytes(chunk);
            int[] cuts = {0, 16384 - 29, 16384 - 29, 2 * 16384 + 5, CHUNK}; // records off the wire: uneven, one empty
            ByteBuffer[] parts = new ByteBuffer[cuts.length - 1];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = ByteBuffer.allocateDirect(cuts[i + 1] - cuts[i]).put(chunk, cuts[i], cuts[i + 1] - cuts[i]).flip();
            }
            assertTrue(w.fits(CHUNK, CHUNK));
            w.write(parts, CHUNK, CHUNK);
            for (ByteBuffer part : parts) {
                assertEquals(0, part.position(), "the caller's buffers are left as they were");
            }
            byte[] now = Files.readAllBytes(file);
            assertArrayEquals(Arrays.copyOf(old, CHUNK), Arrays.copyOf(now, CHUNK), "the chunk before is untouched");
            assertArrayEquals(chunk, Arrays.copyOfRange(now, CHUNK, 2 * CHUNK));
        } finally {
            w.close();
        }
    }

    @Test
    void onlyWholeBlocksAtBlockBoundariesGoPastThePageCache() throws Exception {
        Path file = Files.write(tmp.resolve("content"), new byte[CHUNK]);
        DirectWriter w = DirectWriter.open(file);
        assumeTrue(w != null, "this filesystem has no O_DIRECT (tmpfs)");
        try {
            assertTrue(w.fits(0, CHUNK));
            assertFalse(w.fits(0, CHUNK - 5), "a file's last, short chunk");
            assertFalse(w.fits(100, 4096), "a position inside a block");
            assertFalse(w.fits(0, 0));
        } finally {
            w.close();
        }
    }
}
