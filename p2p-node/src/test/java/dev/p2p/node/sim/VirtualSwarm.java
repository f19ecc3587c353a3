package dev.p2p.node.sim;

import dev.p2p.dht.Cancellable;
import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.DhtNode;
import dev.p2p.dht.Environment;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.node.NodeException;
import dev.p2p.node.core.DhtPort;
import dev.p2p.node.core.GetObserver;
import dev.p2p.node.core.PeerCore;
import dev.p2p.node.core.PeerWorld;
import dev.p2p.node.virtual.DhtNodePort;
import dev.p2p.node.virtual.MemoryDisk;
import dev.p2p.node.virtual.MemoryStore;
import dev.p2p.node.virtual.VirtualContent;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.session.DownloadObserver;
import dev.p2p.transfer.session.Servable;
import dev.p2p.transfer.session.TransferCore;
import dev.p2p.transfer.session.TransferLimits;
import dev.p2p.transfer.session.TransferWorld;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A tiny discrete-event world for whole peers, in the manner of quinn-proto's test pair: every
 * peer is a real {@link PeerCore} over a real {@link TransferCore} (its downloads and the peers it
 * serves) and a real {@link DhtNode}, and this world is each one's {@link TransferWorld},
 * {@link PeerWorld}, DHT {@link Environment} and {@link DhtPort}: datagrams and connections with
 * latency, each peer's uplink bandwidth, stores in memory, chunks as {@link dev.p2p.node.virtual.TokenPayload}s (a wrong
 * hash for a corrupting peer). Time is virtual, events run in (time, sequence) order and every draw
 * comes from the seed, so a seed replays a run exactly; {@link #trace} records what the peers did.
 */
final class VirtualSwarm {
    static final long MS = 1_000_000L;
    private static final long ONE_WAY_NANOS = 20 * MS;
    private static final long CONNECT_FAIL_NANOS = 500 * MS;

    /** Chunk tokens made and not yet released, by every swarm. */
    static final AtomicInteger LIVE_TOKENS = new AtomicInteger();
    final StringBuilder trace = new StringBuilder();
    final VirtualContent content;
    final Map<NodeId, Peer> peers = new LinkedHashMap<>();
    private final Map<InetSocketAddress, Peer> byAddress = new HashMap<>();
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
        this.content = VirtualContent.of(content);
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
        Identity identity = Identity.generate(new Random(seed * 31 + peers.size() + 1));
        PeerAddress address = new PeerAddress("10.0.0." + (peers.size() + 1), 24100, identity.nodeId());
        Peer p = new Peer(name, identity, address, uplinkBytesPerSecond, corrupt);
        if (seeding) {
            p.served.put(content.id(), content);
        }
        peers.put(identity.nodeId(), p);
        byAddress.put(p.socket, p);
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

    /** A peer: its {@link PeerCore}, {@link TransferCore} and {@link DhtNode}, with this world as their world. */
    final class Peer implements TransferWorld, PeerWorld, DhtPort {
        final String name;
        final PeerAddress address;
        final InetSocketAddress socket;
        final DhtNode dht;
        private final DhtNodePort dhtPort;
        PeerCore node;
        final long uplinkBytesPerSecond;
        final boolean corrupt;
        final Map<ContentId, Servable> served = new HashMap<>();
        private final Map<Long, End> ends = new HashMap<>();
        TransferCore core;
        final MemoryDisk disk = new MemoryDisk(id -> content, served, this::later, () -> this.core);
        int incarnation;
        boolean up = true;
        long uplinkFree;
        private long lastConnection;
        private int places = 64; // peers served at once
        // what the peer's one download saw
        DownloadResult result;
        String failure;
        final List<NodeId> banned = new ArrayList<>();
        int badChunks;

        Peer(String name, Identity identity, PeerAddress address, long uplinkBytesPerSecond, boolean corrupt) {
            this.name = name;
            this.address = address;
            this.socket = new InetSocketAddress(address.host(), address.port());
            this.uplinkBytesPerSecond = uplinkBytesPerSecond;
            this.corrupt = corrupt;
            this.dht = new DhtNode(identity, DhtConfig.defaults(), new DhtEnvironment(this, new Random(seed * 17 + peers.size())));
            this.dhtPort = new DhtNodePort(dht, address.port());
            newCores();
        }

        private void newCores() {
            core = new TransferCore(address.nodeId(), this, config, new TransferLimits(places, 0), 64, 10_000 * MS);
            node = new PeerCore(address.nodeId(), core, this, this, null);
        }

        /** Serves at most {@code n} peers at once, refusing more as busy (a new process, before it does anything). */
        Peer places(int n) {
            places = n;
            newCores();
            return this;
        }

        /** Serves the content without the chunks in {@code lacking}, as a downloader part-way does. */
        void sharePart(BitSet lacking) {
            MemoryStore store = new MemoryStore(content);
            for (int c = lacking.nextClearBit(0); c < content.layout().totalChunks(); c = lacking.nextClearBit(c + 1)) {
                LIVE_TOKENS.incrementAndGet();
                store.write(c, content.token(c, false, LIVE_TOKENS::decrementAndGet));
            }
            store.commit();
            served.put(content.id(), store.partial());
        }

        /** Starts the DHT node and joins through {@code seed}'s. */
        void join(Peer seed) {
            dht.start();
            if (seed != this) {
                dht.bootstrap(List.of(seed.socket), r -> log(this, "joined, " + dht.routingTable().size() + " contacts"));
            }
        }

        /** Serves the content and announces it. */
        void share() {
            served.put(content.id(), content);
            node.shared(content.id());
        }

        /** Fetches the content knowing only its id, as {@code p2p get p2p://<id>} does. */
        void get() {
            node.get(new ShareLink(content.id(), List.of()), 60_000 * MS, new GetObserver() {
                @Override
                public void completed(DownloadResult r) {
                    result = r;
                    log(Peer.this, "got it, " + r.verifiedBytesByPeer().size() + " peer(s) delivered");
                }

                @Override
                public void failed(NodeException.Kind kind, String reason) {
                    failure = kind + ": " + reason;
                    log(Peer.this, "get failed: " + failure);
                }
            });
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
            disk.crash();
            served.clear();
            result = null;
            failure = null;
            newCores();
            log(this, "restart");
        }

        /** The user deleted the downloaded content: the next download of it starts from nothing. */
        void deleteDownloaded() {
            result = null;
            disk.forget(content.id());
            served.remove(content.id());
        }

        /** A NAT in front of this peer forgets its mappings: its connections go dead, and neither side hears of it. */
        void natForgets() {
            for (End e : ends.values()) {
                e.open = false;
                e.other.open = false;
            }
            log(this, "nat forgets");
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
        public void reach(ContentId id, List<PeerAddress> found, Consumer<Reach> done) {
            later(0, () -> done.accept(new Reach.Peers(found))); // no NAT in this world
        }

        @Override
        public void findProviders(NodeId key, int wanted, Consumer<List<PeerAddress>> done) {
            dhtPort.findProviders(key, wanted, found -> {
                log(this, "providers: " + found.size());
                done.accept(found);
            });
        }

        @Override
        public void provide(NodeId key) {
            dhtPort.provide(key);
            log(this, "announced");
        }

        @Override
        public void stopProviding(NodeId key) {
            dhtPort.stopProviding(key);
        }

        /** A datagram to {@code to}, after the one-way delay; lost if nobody is there. */
        void datagram(InetSocketAddress to, dev.p2p.dht.wire.Message message) {
            Peer target = byAddress.get(to);
            at(ONE_WAY_NANOS + world.nextInt(5_000_000), () -> {
                if (target != null && target.up) {
                    target.dht.onMessage(socket, message);
                }
            });
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
            if (e == null) {
                return;
            }
            if (!e.open) { // dead already (a NAT forgot it): only this side learns it is closed
                later(0, () -> core.onClosed(connection, null));
                return;
            }
            e.open = false;
            later(0, () -> core.onClosed(connection, null));
            End other = e.other;
            long fin = Math.max(e.lastArrival, now + ONE_WAY_NANOS) - now; // behind what was sent, as TCP's FIN
            other.peer.later(fin, () -> {
                if (other.open) {
                    other.open = false;
                    other.peer.ends.remove(other.id);
                    other.peer.core.onClosed(other.id, "closed by peer");
                }
            });
        }

        @Override
        public void introduced(long connection) {}

        @Override
        public Servable servable(ContentId id) {
            return served.get(id);
        }

        @Override
        public void read(long connection, Servable servable, Message.Request request) {
            LIVE_TOKENS.incrementAndGet();
            ChunkPayload token = content.token(request.chunk(), corrupt, LIVE_TOKENS::decrementAndGet);
            later(0, () -> core.onChunkRead(connection, request, token, false));
        }

        @Override
        public void openStore(ContentId id, ChunkLayout layout, byte[] manifestBytes, byte[] leaves, Selection selection) {
            disk.openStore(id);
        }

        @Override
        public void write(ContentId id, int chunk, ChunkPayload data) {
            disk.write(id, chunk, data);
        }

        @Override
        public void commit(ContentId id) {
            disk.commit(id);
        }

        @Override
        public void publish(ContentId id) {
            disk.publish(id);
        }

        @Override
        public void abandon(ContentId id) {
            disk.abandon(id);
        }
    }

    /** A peer's DHT {@link Environment}: the world's time, the peer's timers and generator, datagrams. */
    private static final class DhtEnvironment implements Environment {
        private final Peer peer;
        private final Random random;

        DhtEnvironment(Peer peer, Random random) {
            this.peer = peer;
            this.random = random;
        }

        @Override
        public long nowMillis() {
            return peer.nanoTime() / MS;
        }

        @Override
        public Random random() {
            return random;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            return peer.schedule(delayMillis * MS, task);
        }

        @Override
        public void send(InetSocketAddress to, dev.p2p.dht.wire.Message message) {
            peer.datagram(to, message);
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
}
