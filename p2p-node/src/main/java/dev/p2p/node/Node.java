package dev.p2p.node;

import dev.p2p.dht.BootstrapResult;
import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.dht.store.IdentityStore;
import dev.p2p.node.core.GetObserver;
import dev.p2p.node.core.PeerCore;
import dev.p2p.node.policy.RelayLimits;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.Manifest;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.ForwardingListener;
import dev.p2p.transfer.host.TransferHost;
import dev.p2p.transfer.runtime.SystemEnvironment;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.session.TransferLimits;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One peer of the network: the DHT on UDP port P and the transfer server on TCP port P, with the
 * identity of one data directory. It shares files (served in place, announced in the DHT while
 * others can reach it), fetches content by link from whoever provides it (the link's hints and the
 * DHT), verified chunk by chunk, and keeps serving what it fetched. Thread-safe; made with
 * {@link #start}, stopped with {@link #close}. The p2p command runs one; so can any Java program:
 *
 * <pre>{@code
 * try (Node node = Node.start(NodeConfig.defaults(dataDir))) {
 *     node.join(List.of(new InetSocketAddress("198.51.100.7", 24100)));
 *     DownloadResult r = node.get(ShareLink.parse(link), Path.of("downloads"));
 * }
 * }</pre>
 *
 * Failures a caller can act on are {@link NodeException}s with a one-line message.
 */
public final class Node implements AutoCloseable {
    /** How long {@link #get(ShareLink, Path)} looks for providers. */
    public static final Duration DEFAULT_FIND_TIMEOUT = Duration.ofSeconds(60);
    /** Relays a link names at most: a downloader takes another when one breaks its circuits (docs/REACHABILITY.md). */
    static final int LINK_RELAYS = 3;
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Node.class.getName());

    private final Path dataDir;
    private final InetAddress bindHost;
    private final Identity identity;
    private final DhtServer dht;
    private final TransferHost transfer;
    private final ShareRegistry registry;
    private final HolePuncher puncher;
    private final RelayClient circuits;
    private final RelayService relayService; // null when the node relays for nobody
    private final HostPeerWorld world;
    private final PeerCore core; // on the transfer host's loop only
    private final Map<Path, SharedContent> sharedByPath = new LinkedHashMap<>();
    private final EarlierShares earlier = new EarlierShares(); // guarded by this
    private final HashCache hashes;
    private boolean closed;
    private final Set<CompletableFuture<DownloadResult>> pending = new HashSet<>(); // gets under way
    private final RouterPortMapping portMapping; // null when off
    private final CompletableFuture<String> portMappingLine = new CompletableFuture<>();
    private volatile InetSocketAddress mapped; // where the router forwards to us, while it does
    private final String families;

    private Node(NodeConfig config, Identity identity, DhtServer dht, TransferHost transfer, ShareRegistry registry,
            String families, RelayService relay) {
        this.families = families;
        this.dataDir = config.dataDir();
        this.bindHost = config.bindHost();
        this.identity = identity;
        this.dht = dht;
        this.transfer = transfer;
        this.registry = registry;
        this.hashes = new HashCache(config.dataDir());
        this.puncher = new HolePuncher(dht, dht.localAddress().getPort());
        dht.setPunchListener(puncher::onNotice);
        this.circuits = new RelayClient(dht.localAddress().getPort());
        dht.setCircuitListener(circuits::onNotice);
        this.relayService = relay;
        if (relay != null) {
            transfer.openDoor(CircuitWire.MAGIC, relay.address());
        }
        this.world = new HostPeerWorld(transfer, dht, puncher);
        this.core = new PeerCore(identity.nodeId(), transfer.core(), new ServerDhtPort(dht, transfer, this::announcedPort), world,
                reachability().getKey(), true);
        dht.setReachabilityListener(status -> onReachability());
        onReachability(); // a change before the listener was set
        if (!config.portMapping()) {
            portMapping = null;
            portMappingLine.complete("off");
        } else if (config.bindHost().isLoopbackAddress()) {
            portMapping = null;
            portMappingLine.complete("not tried: the node listens on loopback only");
        } else {
            portMapping = new RouterPortMapping(port(), this::onPortMapping);
        }
    }

    /** What the router granted (on the mapping's thread): the DHT's reachability decision weighs it. */
    private void onPortMapping(RouterPortMapping.Outcome outcome) {
        if (outcome instanceof RouterPortMapping.Outcome.Mapped m) {
            boolean routable = Reachability.routable(m.external().getAddress());
            if (routable) {
                mapped = m.external(); // what links and provider records name from now on
            }
            dht.setPortMapping(m.external()); // the DHT's reachability decision weighs it, routable or not
            String line = "the router forwards " + m.external().getAddress().getHostAddress() + ":"
                    + m.external().getPort() + " to port " + port() + " (UDP and TCP, " + m.protocol() + ")"
                    + (routable ? "" : ", but that address is private: another NAT above the router still stands between "
                            + "this node and peers");
            if (!portMappingLine.complete(line)) {
                LOG.info("port mapping again after it was lost: " + line);
            }
        } else if (outcome instanceof RouterPortMapping.Outcome.Unavailable u) {
            portMappingLine.complete("no mapping was possible: " + u.why() + "; reachability is decided as without it");
        } else if (outcome instanceof RouterPortMapping.Outcome.Lost l) {
            mapped = null;
            dht.setPortMapping(null);
            LOG.warning("port mapping lost: " + l.why());
        }
    }

    /**
     * One line for a person on the port mapping, once it is known: what the router forwards, why no
     * mapping was possible, or that it is off.
     */
    public CompletableFuture<String> portMappingOutcome() {
        return portMappingLine;
    }

    /** The router's address and port that forward to this node, or null without a port mapping in force. */
    public InetSocketAddress mappedAddress() {
        return mapped;
    }

    /** The TCP port announced in provider records: the router's, under a port mapping. */
    private int announcedPort() {
        InetSocketAddress m = mapped;
        return m != null ? m.getPort() : port();
    }

    /**
     * Starts a node: loads or creates the identity in the data directory, and listens on UDP and
     * TCP at the configured port (port 0: the same free port for both).
     *
     * @throws NodeException of kind NETWORK when the port is taken or cannot be listened on, of kind
     *     USAGE when the identity file is damaged (the node's caches are set aside instead, see
     *     {@link dev.p2p.dht.store.StateFiles})
     */
    public static Node start(NodeConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        Identity identity;
        try {
            identity = IdentityStore.loadOrCreate(config.dataDir());
        } catch (IdentityStore.DamagedIdentityException e) {
            throw new NodeException(NodeException.Kind.USAGE, e.getMessage());
        }
        ShareRegistry registry = new ShareRegistry();
        int port = config.port();
        InetAddress bindHost = config.bindHost();
        String families = bindHost.isAnyLocalAddress() ? "IPv4 and IPv6" : bindHost.getHostAddress() + " only";
        if (DualStack.wanted(bindHost)) {
            String problem = DualStack.ipv6Problem();
            if (problem != null) {
                bindHost = DualStack.ANY_IPV4;
                families = "IPv4 only: this host has no IPv6 (" + problem + ")";
            }
        }
        for (int attempt = 0; ; attempt++) {
            // One host serves and downloads: a download is served to others as its chunks are verified, and once complete.
            TransferHost transfer = new TransferHost(identity, registry, config.server(), config.download(), SystemEnvironment.INSTANCE);
            int tcpPort;
            try {
                tcpPort = transfer.listen(new InetSocketAddress(bindHost, port)).getPort();
            } catch (Exception e) {
                transfer.close();
                throw portProblem(port, "TCP", e);
            }
            try {
                DhtServer dht = DhtServer.start(identity, config.dht(), new InetSocketAddress(bindHost, tcpPort), null,
                        config.dataDir(), config.reachability());
                RelayService relay = config.relay().relays() ? new RelayService(dht, config.relay()) : null;
                return new Node(config, identity, dht, transfer, registry, families, relay);
            } catch (IOException e) {
                transfer.close();
                if (port != 0 || attempt >= 5) {
                    throw portProblem(port == 0 ? tcpPort : port, "UDP", e);
                }
                // port 0: the free TCP port happened to be taken for UDP; try another
            }
        }
    }

    private static NodeException portProblem(int port, String protocol, Exception e) {
        if (e instanceof BindException || e.getCause() instanceof BindException) {
            return new NodeException(NodeException.Kind.NETWORK, protocol + " port " + port
                    + " is in use (is another node running?): choose another with --port P, or --port 0 for any free port");
        }
        return new NodeException(NodeException.Kind.NETWORK, "cannot listen on " + protocol + " port " + port + ": " + e.getMessage());
    }

    public Identity identity() {
        return identity;
    }

    public NodeId id() {
        return identity.nodeId();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The port the node listens on, UDP and TCP. */
    public int port() {
        return dht.localAddress().getPort();
    }

    /**
     * Which addresses the node listens on, for a person: "IPv4 and IPv6", or "IPv4 only: this host
     * has no IPv6 (why)" when it asked for both and IPv6 sockets fail, or the one address it was given.
     */
    public String families() {
        return families;
    }

    public DhtServer dht() {
        return dht;
    }

    public TransferHost transfer() {
        return transfer;
    }

    // ---- joining

    /**
     * Joins the network through {@code seeds} (any node's address), or through the contacts this
     * data directory remembers when none are given; waits up to a minute.
     */
    public BootstrapResult join(List<InetSocketAddress> seeds) throws InterruptedException {
        try {
            return dht.bootstrap(seeds).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new NodeException(NodeException.Kind.NETWORK, "joining the network failed: " + e.getMessage());
        }
    }

    /**
     * Starts joining through the peers {@code link} names together with the contacts this data
     * directory remembers: how a get with no bootstrap peer finds the network (docs/REACHABILITY.md).
     * Not waited for: some of a link's peers (LAN addresses from elsewhere, a NAT) never answer,
     * and the get reaches the link's peers and searches the DHT again meanwhile.
     */
    public CompletableFuture<BootstrapResult> join(ShareLink link) {
        List<InetSocketAddress> seeds = new ArrayList<>();
        List<PeerAddress> hints = new ArrayList<>(link.relays()); // public peers first: the likeliest to answer
        hints.addAll(link.peers());
        for (PeerAddress p : hints) {
            InetSocketAddress a = new InetSocketAddress(p.host(), p.port());
            if (!a.isUnresolved() && !seeds.contains(a)) {
                seeds.add(a);
            }
        }
        return dht.bootstrapWithRemembered(seeds);
    }

    // ---- sharing

    /** The absolute path to share; a {@link NodeException} of kind USAGE when it cannot be shared. */
    public static Path checkShareable(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new NodeException(NodeException.Kind.USAGE, "cannot share " + path + ": no such file or directory");
        }
        if (!Files.isReadable(abs)) {
            throw new NodeException(NodeException.Kind.USAGE, "cannot share " + path + ": not readable");
        }
        return abs;
    }

    /** Hashes {@code path} (a file or a directory) and serves it in place, announced in the DHT. */
    public SharedContent share(Path path, IndexProgress progress) throws IOException, InterruptedException {
        SharedContent content = index(path, progress);
        serve(checkShareable(path), content);
        return content;
    }

    /** As {@link #share(Path, IndexProgress)}, without progress reports. */
    public SharedContent share(Path path) throws IOException, InterruptedException {
        return share(path, IndexProgress.NONE);
    }

    /**
     * Bytes of shared files read and hashed since the node started, and bytes whose hashes came
     * from the hash cache instead (files unchanged since they were hashed, by size, modification
     * time and inode).
     */
    public long[] hashCounts() {
        return hashes.counts();
    }

    /** Hashes {@code path} without serving it yet (see {@link #serve}); files unchanged since an earlier hashing are not read. */
    public SharedContent index(Path path, IndexProgress progress) throws IOException, InterruptedException {
        Path abs = checkShareable(path);
        try {
            SharedContent content = new Indexer(Manifest.DEFAULT_CHUNK_SIZE, hashes).index(abs, progress);
            hashes.save();
            return content;
        } catch (NoSuchFileException e) {
            throw new NodeException(NodeException.Kind.USAGE, "cannot share " + path + ": " + e.getMessage() + " vanished while hashing");
        }
    }

    /**
     * Serves indexed {@code content} from {@code abs} and announces it. What was served from the
     * same path before under another id stays served and announced while all its files are
     * unchanged (files were only added), else it is withdrawn.
     */
    public void serve(Path abs, SharedContent content) {
        registry.share(content);
        SharedContent old;
        synchronized (this) {
            old = sharedByPath.put(abs, content);
            if (old != null && (old.id().equals(content.id()) || earlier.keep(abs, old))) {
                old = null;
            }
        }
        if (old != null) {
            withdraw(old);
        }
        transfer.post(() -> core.shared(content.id()));
    }

    /**
     * Withdraws the earlier contents of shared paths (see {@link #serve}) whose files changed since;
     * returns them. The node calls it after indexing its shares again.
     */
    public List<SharedContent> withdrawChanged() {
        List<SharedContent> gone;
        synchronized (this) {
            gone = earlier.changed();
        }
        gone.forEach(this::withdraw);
        return gone;
    }

    /** What shared paths held before they were indexed again, still served under their old links. */
    public synchronized Map<Path, List<SharedContent>> earlierByPath() {
        return earlier.snapshot();
    }

    /** Stops serving and announcing {@code gone}, unless a path still shares the same content. */
    private void withdraw(SharedContent gone) {
        SharedContent same = null;
        synchronized (this) {
            for (SharedContent c : sharedByPath.values()) {
                if (c.id().equals(gone.id())) {
                    same = c;
                }
            }
            if (same == null && earlier.holds(gone.id())) {
                return;
            }
        }
        if (same != null) {
            registry.share(same); // served from the path that still holds it
        } else {
            registry.unshare(gone.id());
            transfer.post(() -> core.unshared(gone.id()));
        }
    }

    /**
     * The content this node downloaded to {@code root}, as it serves it (downloads are served once
     * complete, verified, without hashing them again); indexed afresh if it was downloaded elsewhere.
     */
    public SharedContent downloaded(ContentId id, Path root) throws IOException, InterruptedException {
        SharedContent content = registry.complete(id);
        return content != null ? content : index(root, IndexProgress.NONE);
    }

    /**
     * Stops serving what is shared from {@code abs}, and announcing it (records already in the DHT
     * expire), unless another shared path holds the same content; false when nothing is shared from there.
     */
    public boolean unshare(Path abs) {
        SharedContent gone;
        List<SharedContent> before;
        synchronized (this) {
            gone = sharedByPath.remove(abs);
            before = earlier.remove(abs);
            if (gone == null) {
                return false;
            }
        }
        withdraw(gone);
        before.forEach(this::withdraw);
        return true;
    }

    /** Chunk bytes of {@code content} this node sent to peers since it started. */
    public long uploaded(ContentId content) {
        return transfer.bytesUploaded(List.of(content))[0];
    }

    /** Stops serving and announcing {@code id} (records already in the DHT expire). */
    public void unshare(ContentId id) {
        synchronized (this) {
            sharedByPath.values().removeIf(c -> c.id().equals(id));
            earlier.remove(id);
        }
        registry.unshare(id);
        transfer.post(() -> core.unshared(id));
    }

    /** The DHT's reachability decision changed: the core hears it, with its reason, on its loop. */
    private void onReachability() {
        dht.reachability().thenAccept(r -> transfer.post(() -> core.onReachability(r.getKey(), r.getValue())));
    }

    /** Keys shared but not announced, because this node is not reachable. */
    public int unannouncedCount() {
        return transfer.call(core::unannouncedCount);
    }

    /**
     * A link to {@code content} that is enough to fetch it (docs/REACHABILITY.md): this node at the
     * address peers see it at, when they told us; and, while it is not known to be public, at its
     * own LAN addresses too, for a downloader on the same network, and its relays when it has any
     * (up to {@link #LINK_RELAYS}, its relay first).
     */
    public ShareLink link(SharedContent content) {
        List<PeerAddress> hints = new ArrayList<>();
        InetSocketAddress m = mapped;
        InetSocketAddress seen = m != null ? m : observedAddress();
        // Behind NAT too: the NAT's address is where hole punching reaches us (docs/REACHABILITY.md).
        if (seen != null) {
            hints.add(new PeerAddress(seen.getAddress().getHostAddress(), m != null ? m.getPort() : port(), identity.nodeId()));
        }
        if (seen == null || !reachable()) {
            for (InetAddress lan : LanAddresses.of(bindHost)) {
                PeerAddress hint = new PeerAddress(lan.getHostAddress(), port(), identity.nodeId());
                if (!hints.contains(hint)) {
                    hints.add(hint);
                }
            }
        }
        List<PeerAddress> relays = new ArrayList<>();
        if (!reachable()) {
            for (Contact relay : relays()) {
                if (relays.size() < LINK_RELAYS) {
                    relays.add(PeerAddress.of(relay.address(), relay.id()));
                }
            }
        }
        return new ShareLink(content.id(), hints, relays);
    }

    /** Every public peer that keeps a mapping open to this node, so can relay to it: its relay first. */
    private List<Contact> relays() {
        try {
            return dht.onLoop(n -> n.relays()).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The public peer this node's relayed records and links name while it is behind NAT, or null. */
    public Contact relay() {
        try {
            return dht.onLoop(n -> n.relay()).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public synchronized List<SharedContent> shares() {
        return new ArrayList<>(sharedByPath.values());
    }

    public synchronized Map<Path, SharedContent> sharesByPath() {
        return new LinkedHashMap<>(sharedByPath);
    }

    // ---- fetching

    /** As {@link #get(ShareLink, Path, Duration, DownloadListener)}, looking for a minute, without progress reports. */
    public DownloadResult get(ShareLink link, Path outputDir) throws InterruptedException {
        return get(link, outputDir, DEFAULT_FIND_TIMEOUT, DownloadListener.NONE);
    }

    /**
     * Finds providers of the link's content (its hints and the DHT) for up to {@code findTimeout}
     * and downloads it into {@code outputDir}, every chunk verified; the content appears there,
     * under its own name, only when complete. The node then serves it too.
     *
     * @throws NodeException NOT_FOUND, NETWORK (providers unreachable) or TRANSFER (verified chunks are kept: call again to resume)
     */
    public DownloadResult get(ShareLink link, Path outputDir, Duration findTimeout, DownloadListener listener)
            throws InterruptedException {
        return get(link, Selection.ALL, outputDir, findTimeout, listener);
    }

    /**
     * As {@link #get(ShareLink, Path, Duration, DownloadListener)}, fetching only the files of a
     * directory share that {@code selection} names; they appear under {@code outputDir/<name>/}
     * each once complete. Such a download is not served as the content afterwards.
     *
     * @throws NodeException USAGE when the selection matches no file, or the content is one file
     */
    public DownloadResult get(ShareLink link, Selection selection, Path outputDir, Duration findTimeout,
            DownloadListener listener) throws InterruptedException {
        ContentId id = link.contentId();
        if (!transfer.prepare(id, outputDir)) {
            throw new NodeException(NodeException.Kind.TRANSFER, "download failed: this content is already being downloaded"
                    + " by this node");
        }
        List<Contact> relays = new ArrayList<>();
        for (PeerAddress relay : link.relays()) {
            InetSocketAddress at = new InetSocketAddress(relay.host(), relay.port());
            if (!at.isUnresolved()) {
                relays.add(new Contact(relay.nodeId(), at));
            }
        }
        for (PeerAddress peer : link.peers()) {
            if (!relays.isEmpty()) {
                dht.onLoop(n -> {
                    n.rememberRelay(peer.nodeId(), relays.get(0)); // punch requests go to it
                    return null;
                });
                world.rememberRelays(peer.nodeId(), relays); // circuits may go through any of them
            }
        }
        CompletableFuture<DownloadResult> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                throw new NodeException(NodeException.Kind.TRANSFER, "the node is closed");
            }
            pending.add(result);
        }
        transfer.post(() -> core.get(link, selection, findTimeout.toNanos(), new Waiter(id, listener, result)));
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NodeException n) {
                throw n;
            }
            throw new NodeException(NodeException.Kind.TRANSFER, "download failed: " + e.getCause());
        } catch (InterruptedException e) {
            transfer.post(() -> core.cancel(id, "download interrupted"));
            throw e;
        } finally {
            synchronized (this) {
                pending.remove(result);
            }
        }
    }

    /**
     * Ends the get of {@code id} under way (looking for providers or downloading) as a failure of
     * kind TRANSFER with {@code reason}; verified chunks stay for a later get. Nothing when none runs.
     */
    public void cancel(ContentId id, String reason) {
        transfer.post(() -> core.cancel(id, reason));
    }

    /** Completes a get's future once the disk work asked before its end is done. */
    private final class Waiter extends ForwardingListener implements GetObserver {
        private final ContentId id;
        private final CompletableFuture<DownloadResult> result;

        Waiter(ContentId id, DownloadListener listener, CompletableFuture<DownloadResult> result) {
            super(listener);
            this.id = id;
            this.result = result;
        }

        @Override
        public void completed(DownloadResult r) {
            transfer.settle(id, result, r, null);
        }

        @Override
        public void failed(NodeException.Kind kind, String reason) {
            transfer.settle(id, result, null, new NodeException(kind, reason));
        }
    }

    // ---- limits

    /** The node's limits now: peers served at once, upload and download rates. */
    public TransferLimits.Settings limits() {
        return transfer.limits();
    }

    /** Changes the node's limits from now on (transfers under way included). */
    public void setLimits(TransferLimits.Settings limits) {
        transfer.setLimits(limits);
    }

    // ---- state

    /** Whether peers can dial this node (decided at run time; see docs/REACHABILITY.md). */
    public boolean reachable() {
        return isReachable(reachability().getKey());
    }

    private static boolean isReachable(Reachability.Status s) {
        return s == null || s == Reachability.Status.PUBLIC;
    }

    /** The reachability decision (null status: static configuration) and its one-line reason. */
    public Map.Entry<Reachability.Status, String> reachability() {
        try {
            return dht.reachability().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Map.entry(Reachability.Status.UNKNOWN, "the node did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.entry(Reachability.Status.UNKNOWN, "interrupted");
        }
    }

    /**
     * What this node relays for others: circuits open now, opened and refused since it started,
     * and bytes relayed (both ways); null when it relays for nobody ({@code --relay off}).
     */
    public long[] relayCounts() {
        return relayService == null ? null : relayService.counts();
    }

    /**
     * Relays this node no longer uses for its downloads because a circuit through one broke (TLS
     * failed, or it stopped passing bytes; docs/REACHABILITY.md), with why; each for an hour.
     */
    public Map<NodeId, String> bannedRelays() {
        return world.bannedRelays();
    }

    /** The limits this node relays under, or {@link RelayLimits#OFF}. */
    public RelayLimits relayLimits() {
        return relayService == null ? RelayLimits.OFF : relayService.limits();
    }

    /** Our address as peers see it, or null when nobody told us yet. */
    public InetSocketAddress observedAddress() {
        return world.observedAddress();
    }

    /** The routing table's contacts now. */
    public List<Contact> contacts() throws InterruptedException {
        try {
            return dht.onLoop(n -> n.routingTable().contacts()).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return List.of();
        }
    }

    /** The address this node listens on, for others on this host to join through. */
    public InetSocketAddress localAddress() {
        InetSocketAddress bound = dht.localAddress();
        InetAddress host = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.getAddress();
        return new InetSocketAddress(host, bound.getPort());
    }

    /** Where peers on this host reach this node's transfers, with its node id (a hint for links). */
    public PeerAddress peerAddress() {
        return new PeerAddress(localAddress().getAddress().getHostAddress(), port(), id());
    }

    /** Stops the node; a second call does nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            // Gets waiting on this node end now (verified chunks stay on disk for a resume).
            pending.forEach(f -> f.completeExceptionally(new NodeException(NodeException.Kind.TRANSFER, "the node was closed")));
        }
        if (portMapping != null) {
            portMapping.close(); // asks the router to remove the mapping
        }
        puncher.close();
        circuits.close();
        if (relayService != null) {
            relayService.close();
        }
        world.close();
        dht.close();
        transfer.close();
    }
}
