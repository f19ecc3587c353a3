package dev.p2p.transfer.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.wire.ByteBufPayload;
import dev.p2p.transfer.wire.Message;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedHashingTest {
    static final ContentId ID = ContentId.ofManifest(new byte[] {1});

    /** Runs what it was given only when the test says so, as a thread that lags would. */
    static final class Held implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runOne() {
            tasks.poll().run();
        }
    }

    final Held hasher = new Held();
    final Held loop = new Held();
    final List<Message> delivered = new ArrayList<>();
    int backlogChanges;
    final OrderedHashing hashing = new OrderedHashing(hasher, loop, delivered::add, () -> backlogChanges++);

    static Message.ChunkData chunk(int index, int bytes) {
        return new Message.ChunkData(ID, index, new ByteBufPayload(Unpooled.wrappedBuffer(new byte[bytes])));
    }

    @Test
    void messagesBehindAChunkWaitForItsHashAndAllGoOnInArrivalOrder() {
        Message before = new Message.Have(ID, 9);
        Message.ChunkData first = chunk(0, 1000);
        Message between = new Message.Have(ID, 10);
        Message.ChunkData second = chunk(1, 2000);
        hashing.arrived(before);
        hashing.arrived(first);
        hashing.arrived(between);
        hashing.arrived(second);
        assertEquals(List.of(before), delivered, "nothing overtakes a chunk that is being hashed");

        hasher.runOne();
        hasher.runOne();
        loop.runOne();
        assertEquals(List.of(before, first, between), delivered, "the first chunk hashed: what waited behind it only");
        loop.runOne();
        assertEquals(List.of(before, first, between, second), delivered);
        assertArrayEquals(Hashes.leaf(ByteBuffer.wrap(new byte[2000])), second.data().leafHash(), "hashed off the loop, with the leaf rule");
        List<String> closed = new ArrayList<>();
        hashing.afterLast(() -> closed.add("closed"));
        assertEquals(List.of("closed"), closed, "with nothing waiting, the close is told at once");
    }

    @Test
    void theCloseIsToldAfterTheMessagesReadBeforeIt() {
        List<String> events = new ArrayList<>();
        OrderedHashing h = new OrderedHashing(hasher, loop, m -> events.add("message"), () -> {});
        h.arrived(chunk(0, 10));
        h.afterLast(() -> events.add("closed"));
        assertEquals(List.of(), events);
        hasher.runOne();
        loop.runOne();
        assertEquals(List.of("message", "closed"), events);
    }

    @Test
    void tooManyUnhashedBytesStopReadingUntilTheHasherCatchesUp() {
        int chunk = 256 * 1024;
        int fill = (int) (OrderedHashing.BACKLOG_BYTES / chunk);
        for (int i = 0; i < fill - 1; i++) {
            hashing.arrived(chunk(i, chunk));
        }
        assertFalse(hashing.full());
        assertEquals(0, backlogChanges);
        hashing.arrived(chunk(fill - 1, chunk));
        assertTrue(hashing.full(), "8 MiB wait for their hash: the connection stops reading");
        assertEquals(1, backlogChanges);
        hasher.runOne();
        loop.runOne();
        assertFalse(hashing.full(), "one chunk hashed: reading goes on");
        assertEquals(2, backlogChanges);
        assertEquals(1, delivered.size());
        assertNull(loop.tasks.peek());
    }
}
