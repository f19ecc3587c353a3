package dev.p2p.transfer.session;

import dev.p2p.dht.Cancellable;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.serve.CompleteContent;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A tiny discrete-event world for whole transfer nodes, in the manner of quinn-proto's test pair:
 * every peer is a real {@link TransferCore} (its downloads and the peers it serves), and this world
 * is each one's {@link TransferWorld}: links with latency and each peer's uplink bandwidth, stores
 * in memory, chunks as {@link TokenPayload}s (a wrong hash for a corrupting peer). Time is virtual,
 * events run in (time, sequence) order and every draw comes from the seed, so a seed replays a run
 * exactly; {@link #trace} records what the peers did.
 */
final class VirtualSwarm {
    static final long MS = 1_000_000L;
    private static final long ONE_WAY_NANOS = 20 * MS;
    private static final long CONNECT_FAIL_NANOS = 500 * MS;
    private static final long DISK_NANOS = MS;

    final StringBuilder trace = new StringBuilder();
    final SharedContent content;
    final Map<NodeId, Peer> peers = new LinkedHashMap<>();
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Random world;
    private final long seed;
    private final DownloadConfig config;
    private long now;
    private long sequence;

    private record Event(long at, long seq, Runnable run) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    VirtualSwarm(SharedContent content, long seed, DownloadConfig config) {
        this.content = content;
        this.seed = seed;
        this.config = config;
        this.world = new Random(seed);
    }

    long now() {
        return now;
    }

    void at(long delay, Runnable run) {
        events.add(new Event(now + delay, sequence++, run));
    }

    /** Runs events until {@code done} holds or {@code limit} of virtual time passed. */
    void runUntil(java.util.function.BooleanSupplier done, long limit) {
        long end = now + limit;
        while (!done.getAsBoolean() && !events.isEmpty() && events.peek().at <= end) {
            Event e = events.poll();
            now = e.at;
            e.run.run();
        }
    }

    /** Runs every event due in the next {@code span} of virtual time. */
    void runFor(long span) {
        long end = now + span;
        runUntil(() -> false, span);
        now = end;
    }

    /** A peer that serves the content from the start (a seeder), or nothing yet. */
    Peer addPeer(String name, long uplinkBytesPerSecond, boolean seeding, boolean corrupt) {
        NodeId id = Identity.generate(new Random(seed * 31 + peers.size() + 1)).nodeId();
        Peer p = new Peer(name, new PeerAddress("10.0.0." + (peers.size() + 1), 24100, id), uplinkBytesPerSecond, corrupt);
        if (seeding) {
            p.served.put(content.id(), new CompleteContent(content));
        }
        peers.put(id, p);
        return p;
    }

    private void log(Peer p, String line) {
        trace.append(now / MS).append(' ').append(p.name).append(' ').append(line).append('\n');
    }

    /** One direction of a connection: the peer at this end and the id it knows the connection by. */
    private static final class End {
        final Peer peer;
        final long id;
        End other;
        boolean open = true;
        long lastArrival; // arrivals at the other end keep their order

        End(Peer peer, long id) {
            this.peer = peer;
            this.id = id;
        }
    }

    /** A node: its {@link TransferCore}, and this world as its {@link TransferWorld}. */
    final class Peer implements TransferWorld {
        final String name;
        final PeerAddress address;
        final long uplinkBytesPerSecond;
        final boolean corrupt;
        final Map<ContentId, Servable> served = new HashMap<>();
        final Map<ContentId, MemoryStore> stores = new HashMap<>();
        private final Map<Long, End> ends = new HashMap<>();
        TransferCore core;
        int incarnation;
        boolean up = true;
        long uplinkFree;
        private long lastConnection;
        // what the peer's one download saw
        DownloadResult result;
        String failure;
        final List<NodeId> banned = new ArrayList<>();
        int badChunks;

        Peer(String name, PeerAddress address, long uplinkBytesPerSecond, boolean corrupt) {
            this.name = name;
            this.address = address;
            this.uplinkBytesPerSecond = uplinkBytesPerSecond;
            this.corrupt = corrupt;
            this.core = newCore();
        }

        private TransferCore newCore() {
            return new TransferCore(address.nodeId(), this, config, new UploadLimits(64, 0), 64, 10_000 * MS);
        }

        NodeId id() {
            return address.nodeId();
        }

        boolean ended() {
            return result != null || failure != null;
        }

        /** Starts this peer's download of the content from {@code from}. */
        void download(List<Peer> from) {
            List<PeerAddress> addresses = new ArrayList<>();
            from.forEach(p -> addresses.add(p.address));
            core.download(content.id(), addresses, new DownloadObserver() {
                @Override
                public void onBadChunk(NodeId peer, int chunk) {
                    badChunks++;
                    log(Peer.this, "bad chunk " + chunk + " from " + peer.shortHex());
                }

                @Override
                public void onPeerBanned(NodeId peer, String reason) {
                    banned.add(peer);
                    log(Peer.this, "banned " + peer.shortHex() + ": " + reason);
                }

                @Override
                public void onProgress(long verifiedBytes, long totalBytes, int connected) {
                    log(Peer.this, "progress " + verifiedBytes + "/" + totalBytes + " from " + connected);
                }

                @Override
                public void completed(DownloadResult r) {
                    result = r;
                    log(Peer.this, "completed, " + r.receivedBytes() + " bytes received");
                }

                @Override
                public void failed(String reason) {
                    failure = reason;
                    log(Peer.this, "failed: " + reason);
                }
            });
        }

        /** Runs {@code input} later, unless this incarnation of the peer is gone by then. */
        private void later(long delay, Runnable input) {
            int when = incarnation;
            at(delay, () -> {
                if (up && incarnation == when) {
                    input.run();
                }
            });
        }

        /** The host vanishes: its connections reset and nobody reaches it any more. */
        void vanish() {
            up = false;
            dropConnections("connection reset");
            log(this, "vanish");
        }

        /** The process dies and starts again: connections drop, what was not committed is lost, a new core. */
        void restart() {
            dropConnections("connection reset");
            incarnation++;
            stores.values().forEach(MemoryStore::crash);
            served.clear();
            result = null;
            failure = null;
            core = newCore();
            log(this, "restart");
        }

        private void dropConnections(String reason) {
            for (End e : List.copyOf(ends.values())) {
                e.open = false;
                if (e.other.open) {
                    e.other.open = false;
                    e.other.peer.later(0, () -> e.other.peer.core.onClosed(e.other.id, reason));
                }
            }
            ends.clear();
        }

        // ---- TransferWorld

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Random newRandom() {
            return new Random(world.nextLong());
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            boolean[] cancelled = {false};
            later(delayNanos, () -> {
                if (!cancelled[0]) {
                    task.run();
                }
            });
            return () -> cancelled[0] = true;
        }

        @Override
        public long dial(PeerAddress to) {
            long id = ++lastConnection;
            log(this, "dial " + to.nodeId().shortHex());
            Peer target = peers.get(to.nodeId());
            if (target == null || !target.up) {
                later(CONNECT_FAIL_NANOS, () -> core.onConnectFailed(id, "connection timed out"));
                return id;
            }
            End mine = new End(this, id);
            End theirs = new End(target, ++target.lastConnection);
            mine.other = theirs;
            theirs.other = mine;
            ends.put(id, mine);
            target.ends.put(theirs.id, theirs);
            target.later(2 * ONE_WAY_NANOS, () -> target.core.onAccepted(theirs.id));
            later(4 * ONE_WAY_NANOS, () -> { // TCP and TLS 1.3: two round trips
                if (mine.open && theirs.open) {
                    target.later(0, () -> target.core.onTlsDone(theirs.id, id()));
                    core.onTlsDone(id, target.id());
                }
            });
            return id;
        }

        @Override
        public void send(long connection, Message message) {
            End e = ends.get(connection);
            if (e == null || !e.open) {
                release(message);
                return;
            }
            if (!(message instanceof Message.ChunkData)) {
                log(this, "send " + describe(message) + " to " + e.other.peer.name);
            }
            int size = message instanceof Message.ChunkData c ? c.data().length() + 45 : 64;
            long sent = Math.max(now, uplinkFree) + size * 1_000_000_000L / uplinkBytesPerSecond;
            uplinkFree = sent;
            long arrival = Math.max(e.lastArrival, sent + ONE_WAY_NANOS + world.nextInt(5_000_000));
            e.lastArrival = arrival;
            End to = e.other;
            at(arrival - now, () -> {
                if (to.open && to.peer.up) {
                    to.peer.core.onMessage(to.id, message);
                } else {
                    release(message);
                }
            });
        }

        @Override
        public void close(long connection) {
            End e = ends.remove(connection);
            if (e == null || !e.open) {
                return;
            }
            e.open = false;
            later(0, () -> core.onClosed(connection, null));
            if (e.other.open) {
                e.other.open = false;
                e.other.peer.ends.remove(e.other.id);
                e.other.peer.later(ONE_WAY_NANOS, () -> e.other.peer.core.onClosed(e.other.id, "closed by peer"));
            }
        }

        @Override
        public void introduced(long connection) {}

        @Override
        public Servable servable(ContentId id) {
            return served.get(id);
        }

        @Override
        public void read(long connection, Servable servable, Message.Request request) {
            int chunk = request.chunk();
            byte[] hash = content.leafHash(chunk);
            if (corrupt) {
                hash[0] ^= 1;
            }
            ChunkPayload token = new TokenPayload(content.layout().chunkLength(chunk), hash);
            later(0, () -> core.onChunkRead(connection, request, token, false));
        }

        @Override
        public void openStore(ContentId id, ChunkLayout layout, byte[] manifestBytes, byte[] leaves) {
            MemoryStore store = stores.computeIfAbsent(id, k -> new MemoryStore(content));
            later(DISK_NANOS, () -> {
                served.putIfAbsent(id, store.partial());
                core.onStoreOpened(id, store.journaled());
            });
        }

        @Override
        public void write(ContentId id, int chunk, ChunkPayload data) {
            later(DISK_NANOS, () -> {
                stores.get(id).write(chunk, data);
                core.onWritten(id, chunk);
            });
        }

        @Override
        public void commit(ContentId id) {
            later(2 * DISK_NANOS, () -> core.onCommitted(id, stores.get(id).commit()));
        }

        @Override
        public void publish(ContentId id) {
            later(2 * DISK_NANOS, () -> {
                stores.get(id).commit();
                served.put(id, new CompleteContent(content));
                core.onPublished(id, Path.of("virtual", content.manifest().name()));
            });
        }

        @Override
        public void abandon(ContentId id) {
            MemoryStore store = stores.get(id);
            if (store != null) {
                store.commit();
                served.remove(id, store.partial());
            }
        }
    }

    private static void release(Message m) {
        if (m instanceof Message.ChunkData c) {
            c.data().release();
        }
    }

    static String describe(Message m) {
        return switch (MessageCodec.type(m)) {
            case MessageCodec.HELLO -> "HELLO";
            case MessageCodec.GET_MANIFEST -> "GET_MANIFEST";
            case MessageCodec.MANIFEST -> "MANIFEST";
            case MessageCodec.GET_HASHES -> "GET_HASHES";
            case MessageCodec.HASHES -> "HASHES";
            case MessageCodec.BITFIELD -> "BITFIELD";
            case MessageCodec.HAVE -> "HAVE " + ((Message.Have) m).chunk();
            case MessageCodec.REQUEST -> "REQUEST " + ((Message.Request) m).chunk();
            case MessageCodec.CANCEL -> "CANCEL " + ((Message.Cancel) m).chunk();
            case MessageCodec.REFUSE -> "REFUSE " + ((Message.Refuse) m).reason();
            default -> "type " + MessageCodec.type(m);
        };
    }

    /** A download's disk: chunks written since the last commit, and the journal of committed ones. */
    static final class MemoryStore {
        private final SharedContent content;
        private final BitSet written = new BitSet();
        private final BitSet journal = new BitSet();
        private final Servable partial;
        int writes;
        int wrongWrites;

        MemoryStore(SharedContent content) {
            this.content = content;
            CompleteContent all = new CompleteContent(content);
            this.partial = new Servable() { // the content as far as it is journaled
                public ContentId id() {
                    return all.id();
                }

                public byte[] manifestBytes() {
                    return all.manifestBytes();
                }

                public ChunkLayout layout() {
                    return all.layout();
                }

                public byte[] leafHashes(int entry, int first, int count) {
                    return all.leafHashes(entry, first, count);
                }

                public BitSet available() {
                    return (BitSet) journal.clone();
                }

                public boolean isServable() {
                    return true;
                }
            };
        }

        Servable partial() {
            return partial;
        }

        void write(int chunk, ChunkPayload data) {
            writes++;
            if (!Arrays.equals(data.leafHash(), content.leafHash(chunk)) || data.length() != content.layout().chunkLength(chunk)) {
                wrongWrites++;
            }
            written.set(chunk);
            data.release();
        }

        /** Journals what was written; returns the chunks it journaled. */
        List<Integer> commit() {
            List<Integer> chunks = new ArrayList<>();
            written.stream().forEach(chunks::add);
            journal.or(written);
            written.clear();
            return chunks;
        }

        /** A crash: what was written but not journaled is not known to be there. */
        void crash() {
            written.clear();
        }

        BitSet journaled() {
            return (BitSet) journal.clone();
        }
    }
}
