package dev.p2p.sim.swarm;

import dev.p2p.dht.Cancellable;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.wire.Message;
import dev.p2p.node.NodeException;
import dev.p2p.node.core.DhtPort;
import dev.p2p.node.core.GetObserver;
import dev.p2p.node.core.PeerCore;
import dev.p2p.node.core.PeerWorld;
import dev.p2p.node.virtual.DhtNodePort;
import dev.p2p.node.virtual.MemoryDisk;
import dev.p2p.node.virtual.MemoryStore;
import dev.p2p.node.virtual.VirtualContent;
import dev.p2p.sim.DhtNodeAdapter;
import dev.p2p.sim.net.FlowModel;
import dev.p2p.sim.net.Host;
import dev.p2p.sim.net.VirtualAddresses;
import dev.p2p.sim.node.NodeEnvironment;
import dev.p2p.sim.node.SimulatedNode;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.ForwardingListener;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.session.Servable;
import dev.p2p.transfer.session.TransferCore;
import dev.p2p.transfer.session.TransferLimits;
import dev.p2p.transfer.session.TransferWorld;
import dev.p2p.transfer.wire.ChunkPayload;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One whole virtual peer: the real {@link dev.p2p.dht.DhtNode} (through {@link DhtNodeAdapter}),
 * {@link TransferCore} and {@link PeerCore}, the code a node runs, with the simulator as their
 * world: virtual time and timers from the peer's lane, datagrams through the simulated network,
 * transfer connections through {@link TransferNet}, a disk in memory ({@link MemoryStore}) and
 * chunks as tokens checked by the download's own verification. A crash or a restart starts new
 * cores, as a new process would; what was journaled stays.
 */
public final class WholePeer implements SimulatedNode<Message>, TransferWorld, PeerWorld {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final Runnable NOTHING = () -> { };

    private final DhtNodeAdapter dht;
    private final NodeEnvironment<Message> env;
    private final Swarm swarm;
    private final TransferNet net;
    private final Role role;
    private final Nat nat;
    private final FlowModel.Links links;
    /** Peers whose punch notice reached this one: their connections get through its NAT. */
    private final java.util.Set<NodeId> punchedBy = new java.util.HashSet<>();
    private final PeerAddress address;
    private final Map<Long, TransferNet.End> ends = new HashMap<>();
    private final Map<ContentId, Servable> served = new LinkedHashMap<>();
    private final MemoryDisk disk = new MemoryDisk(this::content, served, this::laterNanos, () -> this.core);
    private final Map<ContentId, GetObserver> gets = new LinkedHashMap<>();
    private final java.util.Set<ContentId> wanted = new java.util.HashSet<>();
    private final java.util.Set<NodeId> announced = new java.util.HashSet<>(); // keys this process's PeerCore announces
    private TransferCore core;
    private PeerCore node;
    private int incarnation;
    private boolean running;
    private boolean everStarted;
    private long lastConnection;
    private long uploadedBefore;
    private long downloaded; // chunk bytes uploaded by earlier incarnations' cores

    WholePeer(DhtNodeAdapter dht, NodeEnvironment<Message> env, Swarm swarm, TransferNet net, Role role, Nat nat,
            FlowModel.Links links) {
        this.dht = dht;
        this.env = env;
        this.swarm = swarm;
        this.net = net;
        this.role = role;
        this.nat = nat;
        this.links = links;
        this.address = PeerAddress.of(env.host().address(), dht.id());
        net.register(this);
        dht.dhtNode().setEventListener(event -> {
            if (event instanceof dev.p2p.dht.NodeEvent.PunchNotice n && nat == Nat.PORT_KEEPING) {
                punchedBy.add(n.requester()); // our SYN towards it opens our NAT for its connection
            }
        });
        newCores();
    }

    private void newCores() {
        ServerConfig server = ServerConfig.DEFAULTS;
        if (core != null) {
            uploadedBefore += core.limits().bytesUploaded();
        }
        core = new TransferCore(dht.id(), this, DownloadConfig.DEFAULTS, new TransferLimits(server.maxPeers(), 0),
                server.maxQueuedRequests(), server.helloTimeoutMillis() * NANOS_PER_MILLI);
        announced.clear();
        node = new PeerCore(dht.id(), core, new Announcing(new DhtNodePort(dht.dhtNode(), VirtualAddresses.PORT)), this,
                nat == Nat.NONE ? null : dev.p2p.dht.Reachability.Status.PRIVATE);
    }

    /**
     * The DHT as this peer's {@link PeerCore} uses it, noting what it announces (for the availability
     * metric); a free rider's client announces nothing, as it serves nothing.
     */
    private final class Announcing implements DhtPort {
        private final DhtPort dht;

        Announcing(DhtPort dht) {
            this.dht = dht;
        }

        @Override
        public void findProviders(NodeId key, int wanted, Consumer<List<PeerAddress>> done) {
            dht.findProviders(key, wanted, done);
        }

        @Override
        public void provide(NodeId key) {
            if (role != Role.FREE_RIDER) {
                announced.add(key);
                dht.provide(key);
            }
        }

        @Override
        public void stopProviding(NodeId key) {
            if (announced.remove(key)) {
                dht.stopProviding(key);
            }
        }
    }

    // ---- what the swarm's users do

    public Role role() {
        return role;
    }

    public Nat nat() {
        return nat;
    }

    /** True when a connection from {@code from} gets through to this peer: no NAT, or a hole punched for it. */
    public boolean admits(WholePeer from) {
        return nat == Nat.NONE || punchedBy.contains(from.id());
    }

    /** Asks the DHT's public peers to tell {@code target} to punch towards us (PUNCH_REQUEST). */
    int requestPunch(NodeId target) {
        return dht.dhtNode().requestPunch(target, VirtualAddresses.PORT);
    }

    public PeerAddress address() {
        return address;
    }

    /** Serves complete {@code content} and announces it (a free rider does neither). */
    public void seed(VirtualContent content) {
        if (role == Role.FREE_RIDER) {
            return;
        }
        served.put(content.id(), content);
        node.shared(content.id());
    }

    /** Stops serving {@code id} and withdraws its announcement. */
    public void unseed(ContentId id) {
        if (served.remove(id) != null) {
            node.unshared(id);
        }
    }

    /**
     * The user is done with {@code id}: it stops seeding and deletes its copy, so a later ask for
     * it is a new download (a seed leaving the swarm, in the fluid model's terms).
     */
    public void leaveSwarm(ContentId id) {
        unseed(id);
        disk.forget(id);
    }

    /** True while this peer holds a complete copy of {@code id} it serves. */
    public boolean seeds(ContentId id) {
        return served.get(id) instanceof VirtualContent;
    }

    /** What this peer serves now: complete copies, and the downloads under way as far as they are journaled. */
    Map<ContentId, Servable> served() {
        return served;
    }

    /** True when this process announces {@code id} in the DHT (it may still be on its way to the closest nodes). */
    boolean announces(ContentId id) {
        return announced.contains(id.toKey());
    }

    /** True when this peer seeds {@code id}, or its user wants it (fetching it, or about to try again). */
    public boolean busyWith(ContentId id) {
        return seeds(id) || wanted.contains(id);
    }

    /** What this peer's user wants and does not have yet: the swarm's to keep. */
    java.util.Set<ContentId> wanted() {
        return wanted;
    }

    /** Fetches {@code content} by a link with {@code hints} (none: by its id alone), as {@code p2p get} does. */
    public void get(VirtualContent content, List<PeerAddress> hints, long findTimeoutMillis, GetObserver observer) {
        gets.put(content.id(), observer);
        node.get(new ShareLink(content.id(), hints), findTimeoutMillis * NANOS_PER_MILLI, new Ending(content.id(), observer));
    }

    /** Passes a get's reports on, and ends it in {@link #gets} (a get ended by {@link #end} reports nothing more). */
    private final class Ending extends ForwardingListener implements GetObserver {
        private final ContentId id;
        private final GetObserver observer;

        Ending(ContentId id, GetObserver observer) {
            super(observer);
            this.id = id;
            this.observer = observer;
        }

        @Override
        public void completed(DownloadResult result) {
            if (gets.remove(id, observer)) {
                observer.completed(result);
            }
        }

        @Override
        public void failed(NodeException.Kind kind, String reason) {
            if (gets.remove(id, observer)) {
                observer.failed(kind, reason);
            }
        }
    }

    /** Chunk payload bytes this peer has uploaded, over all its incarnations. */
    public long uploadedBytes() {
        return uploadedBefore + core.limits().bytesUploaded();
    }

    /** Chunk payload bytes delivered to this peer's connections. */
    public long downloadedBytes() {
        return downloaded;
    }

    void received(long chunkBytes) {
        downloaded += chunkBytes;
    }

    /** Chunks written to this peer's stores that were not the content's: must stay 0. */
    public int wrongWrites() {
        int n = 0;
        for (MemoryStore s : disk.stores()) {
            n += s.wrongWrites();
        }
        return n;
    }

    // ---- the simulator's node

    public NodeId id() {
        return dht.id();
    }

    public Host host() {
        return env.host();
    }

    FlowModel.Links links() {
        return links;
    }

    Map<Long, TransferNet.End> ends() {
        return ends;
    }

    TransferCore core() {
        return core;
    }

    int incarnation() {
        return incarnation;
    }

    long nextConnectionId() {
        return ++lastConnection;
    }

    boolean isRunning() {
        return running;
    }

    boolean isRunning(int incarnationAsked) {
        return running && incarnation == incarnationAsked;
    }

    private VirtualContent content(ContentId id) {
        return swarm.content(id);
    }

    private void laterNanos(long delayNanos, Runnable input) {
        later((delayNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI, input);
    }

    /** Runs {@code input} later, unless this incarnation of the peer is gone by then. */
    void later(long delayMillis, Runnable input) {
        int when = incarnation;
        env.schedule(delayMillis, () -> {
            if (isRunning(when)) {
                input.run();
            }
        });
    }

    @Override
    public void start() {
        if (everStarted) { // a new process on the old disk: journals stay, nothing else
            dht.dhtNode().providedKeys().forEach(dht::stopProviding); // it serves nothing yet, so announces nothing
            newCores();
            punchedBy.clear();
            disk.crash();
            served.clear();
        }
        everStarted = true;
        running = true;
        dht.start();
    }

    @Override
    public void stop() {
        end("closed by peer");
        dht.stop();
    }

    @Override
    public void leave() {
        end("closed by peer");
        dht.leave();
    }

    @Override
    public void crash() {
        end("connection reset");
    }

    /** The process ends: its connections drop, its gets end unfinished, and later inputs are ignored. */
    private void end(String reason) {
        if (!running) {
            return;
        }
        running = false;
        incarnation++;
        net.dropAll(this, reason);
        List<GetObserver> unfinished = new ArrayList<>(gets.values());
        gets.clear();
        for (GetObserver o : unfinished) {
            o.failed(NodeException.Kind.TRANSFER, "the peer went offline");
        }
    }

    @Override
    public void onMessage(InetSocketAddress from, Message message) {
        dht.onMessage(from, message);
    }

    @Override
    public BiConsumer<InetSocketAddress, Message> receiver() {
        return dht.receiver();
    }

    @Override
    public void bootstrap(List<InetSocketAddress> seeds, Runnable done) {
        dht.bootstrap(seeds, done);
    }

    @Override
    public void lookup(NodeId target, Consumer<LookupOutcome> done) {
        dht.lookup(target, done);
    }

    @Override
    public void provide(NodeId key) {
        dht.provide(key);
    }

    @Override
    public void stopProviding(NodeId key) {
        dht.stopProviding(key);
    }

    @Override
    public void findProviders(NodeId key, Consumer<FindOutcome> done) {
        dht.findProviders(key, done);
    }

    @Override
    public Map<String, Long> counters() {
        return dht.counters();
    }

    @Override
    public List<RoutingEntry> routingEntries() {
        return dht.routingEntries();
    }

    // ---- TransferWorld and PeerWorld

    @Override
    public long nanoTime() {
        return env.nowMillis() * NANOS_PER_MILLI;
    }

    @Override
    public Random newRandom() {
        return new Random(env.random().nextLong());
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        return env.schedule((delayNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI, task);
    }

    @Override
    public void reach(ContentId id, List<PeerAddress> found, Consumer<Reach> done) {
        swarm.reach(this, found, done);
    }

    @Override
    public long dial(PeerAddress to) {
        return net.dial(this, to);
    }

    @Override
    public void send(long connection, dev.p2p.transfer.wire.Message message) {
        net.send(this, connection, message);
    }

    @Override
    public void close(long connection) {
        net.close(this, connection);
    }

    @Override
    public void introduced(long connection) {}

    @Override
    public Servable servable(ContentId id) {
        return role == Role.FREE_RIDER ? null : served.get(id);
    }

    @Override
    public void read(long connection, Servable content, dev.p2p.transfer.wire.Message.Request request) {
        ChunkPayload data = swarm.content(content.id()).payload(request.chunk(), role == Role.CORRUPT, NOTHING);
        laterNanos(MemoryDisk.DISK_NANOS, () -> core.onChunkRead(connection, request, data, false));
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
