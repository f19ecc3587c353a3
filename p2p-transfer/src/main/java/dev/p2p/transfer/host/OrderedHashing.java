package dev.p2p.transfer.host;

import dev.p2p.transfer.wire.Message;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One connection's arriving chunks hashed on a thread of their own, its messages still handed on
 * in the order they came. SHA-256 of every received byte was a fifth of a downloading node's CPU,
 * all of it on the event loop that also reads, decrypts and runs the core; off the loop it overlaps
 * with them. The core still compares the hash ({@code ChunkPayload#leafHash}, by then computed).
 * Unhashed bytes are bounded: past {@link #BACKLOG_BYTES} the connection is to stop reading.
 * Every method but the hashing itself runs on the connection's event loop.
 */
final class OrderedHashing {
    /** 32 chunks of 256 KiB, a full request pipeline from one peer. */
    static final long BACKLOG_BYTES = 8L << 20;

    private static final class Entry {
        final Message message;
        boolean hashed;

        Entry(Message message, boolean hashed) {
            this.message = message;
            this.hashed = hashed;
        }
    }

    private final Executor hasher;
    private final Executor loop;
    private final Consumer<Message> next;
    private final Runnable backlogChanged;
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private long backlog;
    private Runnable whenDrained;

    /**
     * @param next where messages go, in order, on the loop
     * @param backlogChanged told on the loop when {@link #full()} may have changed
     */
    OrderedHashing(Executor hasher, Executor loop, Consumer<Message> next, Runnable backlogChanged) {
        this.hasher = hasher;
        this.loop = loop;
        this.next = next;
        this.backlogChanged = backlogChanged;
    }

    void arrived(Message message) {
        if (!(message instanceof Message.ChunkData chunk)) {
            if (waiting.isEmpty()) {
                next.accept(message);
            } else {
                waiting.add(new Entry(message, true));
            }
            return;
        }
        Entry entry = new Entry(message, false);
        int length = chunk.data().length();
        waiting.add(entry);
        backlog += length;
        try {
            hasher.execute(() -> {
                chunk.data().leafHash();
                loop.execute(() -> hashed(entry, length));
            });
        } catch (RejectedExecutionException closing) {
            hashed(entry, length); // the node is stopping: the core hashes it itself, if it still cares
            return;
        }
        if (backlog >= BACKLOG_BYTES) {
            backlogChanged.run();
        }
    }

    /** True while the connection should not read: too many bytes wait for their hash. */
    boolean full() {
        return backlog >= BACKLOG_BYTES;
    }

    /** Runs {@code then} once every message that arrived has been handed on (now, if none waits). */
    void afterLast(Runnable then) {
        if (waiting.isEmpty()) {
            then.run();
        } else {
            whenDrained = then;
        }
    }

    private void hashed(Entry entry, int length) {
        boolean wasFull = full();
        entry.hashed = true;
        backlog -= length;
        while (!waiting.isEmpty() && waiting.peek().hashed) {
            next.accept(waiting.poll().message);
        }
        if (wasFull && !full()) {
            backlogChanged.run();
        }
        if (waiting.isEmpty() && whenDrained != null) {
            Runnable then = whenDrained;
            whenDrained = null;
            then.run();
        }
    }
}
