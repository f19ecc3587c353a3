package dev.p2p.transfer.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompleteContentTest {
    private static final int CHUNK = 16384;
    @TempDir Path tmp;

    /** Chunk {@code i} as the server would send it, or null when it sends nothing. */
    static byte[] chunk(CompleteContent c, int i) {
        ByteBuf b = c.read(i, ByteBufAllocator.DEFAULT);
        if (b == null) {
            return null;
        }
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void aFileReplacedUnderItsNameWithTheSameSizeAndMtimeIsNotSent() throws Exception {
        byte[] data = new byte[3 * CHUNK];
        new Random(1).nextBytes(data);
        Path f = Files.write(tmp.resolve("f.bin"), data);
        SharedContent shared = new Indexer(CHUNK).index(f, (d, t) -> {});
        CompleteContent served = new CompleteContent(shared);
        assertArrayEquals(Arrays.copyOfRange(data, 0, CHUNK), chunk(served, 0)); // the file is open now

        byte[] other = data.clone();
        other[CHUNK + 1] ^= 1;
        Path next = Files.write(tmp.resolve("next.bin"), other);
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(f));
        Files.move(next, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertTrue(served.isServable());
        assertNull(chunk(served, 1)); // the path names another file than the one hashed
        assertFalse(served.isServable());
        assertNull(chunk(served, 0));
    }

    @Test
    void afterCloseNothingIsReadAndTheContentIsNotMarkedStale() throws Exception {
        byte[] data = new byte[2 * CHUNK];
        new Random(2).nextBytes(data);
        Path f = Files.write(tmp.resolve("g.bin"), data);
        ShareRegistry registry = new ShareRegistry();
        SharedContent shared = new Indexer(CHUNK).index(f, (d, t) -> {});
        registry.share(shared);
        CompleteContent served = (CompleteContent) registry.servable(shared.id());
        assertArrayEquals(Arrays.copyOfRange(data, CHUNK, 2 * CHUNK), chunk(served, 1));
        registry.unshare(shared.id()); // closes the files it kept open
        assertNull(chunk(served, 0));
        assertFalse(shared.isStale());
    }
}
