package dev.p2p.node.virtual;

import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.session.Servable;
import dev.p2p.transfer.session.TransferCore;
import dev.p2p.transfer.wire.ChunkPayload;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A peer's disk in a virtual world: the disk half of a {@code TransferWorld} over
 * {@link MemoryStore}s, answering the core after {@link #DISK_NANOS} (twice that to commit or
 * publish). A download's store is served while it runs (its journaled chunks), and the complete
 * content once published. The world supplies the time ({@code later}), the core to answer
 * (read at answer time: a restarted peer has a new one) and the map of what the peer serves.
 */
public final class MemoryDisk {
    /** How long a write takes. */
    public static final long DISK_NANOS = 1_000_000L;

    /** Runs a task after a delay on the peer's thread, unless the peer is gone by then. */
    public interface Later {
        void run(long delayNanos, Runnable task);
    }

    private final Function<ContentId, VirtualContent> contents;
    private final Map<ContentId, Servable> served;
    private final Later later;
    private final Supplier<TransferCore> core;
    private final Map<ContentId, MemoryStore> stores = new HashMap<>();

    public MemoryDisk(Function<ContentId, VirtualContent> contents, Map<ContentId, Servable> served, Later later,
            Supplier<TransferCore> core) {
        this.contents = contents;
        this.served = served;
        this.later = later;
        this.core = core;
    }

    public void openStore(ContentId id) {
        MemoryStore store = stores.computeIfAbsent(id, k -> new MemoryStore(contents.apply(id)));
        later.run(DISK_NANOS, () -> {
            served.putIfAbsent(id, store.partial());
            core.get().onStoreOpened(id, store.journaled());
        });
    }

    public void write(ContentId id, int chunk, ChunkPayload data) {
        later.run(DISK_NANOS, () -> {
            stores.get(id).write(chunk, data);
            core.get().onWritten(id, chunk);
        });
    }

    public void commit(ContentId id) {
        later.run(2 * DISK_NANOS, () -> core.get().onCommitted(id, stores.get(id).commit()));
    }

    public void publish(ContentId id) {
        later.run(2 * DISK_NANOS, () -> {
            stores.get(id).commit();
            VirtualContent content = contents.apply(id);
            served.put(id, content);
            core.get().onPublished(id, Path.of("virtual", content.layout().manifest().name()));
        });
    }

    public void abandon(ContentId id) {
        MemoryStore store = stores.get(id);
        if (store != null) {
            store.commit();
            served.remove(id, store.partial());
        }
    }

    /** The user deleted what was downloaded of {@code id}: a later download starts from nothing. */
    public void forget(ContentId id) {
        stores.remove(id);
    }

    /** The process died: what was written but not journaled is lost. */
    public void crash() {
        stores.values().forEach(MemoryStore::crash);
    }

    /** The store of {@code id}, or null. */
    public MemoryStore store(ContentId id) {
        return stores.get(id);
    }

    public Collection<MemoryStore> stores() {
        return stores.values();
    }
}
