package dev.p2p.transfer.session;

import dev.p2p.dht.Cancellable;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;
import java.util.Random;

/**
 * Everything a {@link TransferCore} needs from the world it runs in: time, timers and randomness,
 * connections, what this node serves, and a download's disk. Production implements it with Netty
 * channels and a disk thread; a simulation with virtual time, a simulated network and stores in
 * memory. The core calls it from one thread; every answer (the core's {@code on*} inputs) comes back
 * on that thread, never from inside one of these calls.
 */
public interface TransferWorld {
    /** Monotonic nanoseconds; only differences mean anything. */
    long nanoTime();

    /** A new generator for one download's choices, drawn from the node's seed. */
    Random newRandom();

    /** Runs {@code task} on the core's thread after {@code delayNanos}, unless cancelled first. */
    Cancellable schedule(long delayNanos, Runnable task);

    // ---- connections, named by ids the world hands out

    /** Opens a connection to {@code peer} for a download; answered by {@code onTlsDone}, {@code onConnectFailed} or {@code onClosed}. */
    long dial(PeerAddress peer);

    /** Sends {@code message} on the connection (nothing once it closed; a chunk's payload is released then). */
    void send(long connection, Message message);

    /** Closes the connection; {@code onClosed} follows. */
    void close(long connection);

    /** The peer on an accepted connection said HELLO: it no longer counts as handshaking. */
    void introduced(long connection);

    // ---- what this node serves

    /** The content this node can serve under {@code id} (shared, or a download in progress), or null. */
    Servable servable(ContentId id);

    /** Reads and checks a chunk of {@code content}; answered by {@code onChunkRead}. */
    void read(long connection, Servable content, Message.Request request);

    // ---- a download's disk, one store per content id; answers come in the order asked

    /** Opens or resumes the store of {@code id} (and serves its verified chunks); answered by {@code onStoreOpened} or {@code onDiskFailed}. */
    void openStore(ContentId id, ChunkLayout layout, byte[] manifestBytes, byte[] leaves, Selection selection);

    /** Writes a verified chunk in place and releases {@code data}; answered by {@code onWritten}. */
    void write(ContentId id, int chunk, ChunkPayload data);

    /** Makes what was written durable, then journals it; answered by {@code onCommitted}. */
    void commit(ContentId id);

    /** Publishes the complete content under its own name and serves it from there; answered by {@code onPublished}. */
    void publish(ContentId id);

    /** The download ended unfinished: journal what was written, stop serving it and let go of the store. */
    void abandon(ContentId id);
}
