package dev.p2p.node;

import dev.p2p.dht.BootstrapResult;
import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.dht.store.IdentityStore;
import dev.p2p.node.policy.AnnouncePolicy;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadException;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.Downloader;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.host.TransferHost;
import dev.p2p.transfer.runtime.SystemEnvironment;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final Path dataDir;
    private final Identity identity;
    private final DhtServer dht;
    private final TransferHost transfer;
    private final ShareRegistry registry;
    private final HolePuncher puncher;
    private final AnnouncePolicy announcing;
    private final Map<Path, SharedContent> sharedByPath = new LinkedHashMap<>();
    private boolean closed;

    private Node(NodeConfig config, Identity identity, DhtServer dht, TransferHost transfer, ShareRegistry registry) {
        this.dataDir = config.dataDir();
        this.identity = identity;
        this.dht = dht;
        this.transfer = transfer;
        this.registry = registry;
        this.announcing = new AnnouncePolicy(isReachable(reachability().getKey()));
        dht.setReachabilityListener(this::onReachability);
        onReachability(reachability().getKey()); // a change before the listener was set
        this.puncher = new HolePuncher(dht, dht.localAddress().getPort());
        dht.setPunchListener(puncher::onNotice);
    }

    /**
     * Starts a node: loads or creates the identity in the data directory, and listens on UDP and
     * TCP at the configured port (port 0: the same free port for both).
     *
     * @throws NodeException of kind NETWORK when the port is taken or cannot be listened on
     */
    public static Node start(NodeConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        Identity identity = IdentityStore.loadOrCreate(config.dataDir());
        ShareRegistry registry = new ShareRegistry();
        int port = config.port();
        for (int attempt = 0; ; attempt++) {
            // One host serves and downloads: a download is served to others as its chunks are verified, and once complete.
            TransferHost transfer = new TransferHost(identity, registry, config.server(), config.download(), SystemEnvironment.INSTANCE);
            int tcpPort;
            try {
                tcpPort = transfer.listen(new InetSocketAddress(config.bindHost(), port)).getPort();
            } catch (Exception e) {
                transfer.close();
                throw portProblem(port, "TCP", e);
            }
            try {
                DhtServer dht = DhtServer.start(identity, config.dht(), new InetSocketAddress(config.bindHost(), tcpPort), null,
                        config.dataDir(), config.reachability());
                return new Node(config, identity, dht, transfer, registry);
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

    /** Hashes {@code path} without serving it yet (see {@link #serve}). */
    public SharedContent index(Path path, IndexProgress progress) throws IOException, InterruptedException {
        Path abs = checkShareable(path);
        try {
            return new Indexer().index(abs, progress);
        } catch (NoSuchFileException e) {
            throw new NodeException(NodeException.Kind.USAGE, "cannot share " + path + ": " + e.getMessage() + " vanished while hashing");
        }
    }

    /**
     * Serves indexed {@code content} from {@code abs} and announces it; what was served from the
     * same path before under another id is withdrawn.
     */
    public void serve(Path abs, SharedContent content) {
        registry.share(content);
        AnnouncePolicy.Changes changes;
        synchronized (this) {
            SharedContent old = sharedByPath.put(abs, content);
            if (old != null && !old.id().equals(content.id())) {
                registry.unshare(old.id());
                apply(announcing.unshared(old.id().toKey()));
            }
            changes = announcing.shared(content.id().toKey());
        }
        apply(changes);
    }

    /**
     * The content this node downloaded to {@code root}, as it serves it (downloads are served once
     * complete, verified, without hashing them again); indexed afresh if it was downloaded elsewhere.
     */
    public SharedContent downloaded(ContentId id, Path root) throws IOException, InterruptedException {
        SharedContent content = registry.complete(id);
        return content != null ? content : index(root, IndexProgress.NONE);
    }

    /** Stops serving and announcing {@code id} (records already in the DHT expire). */
    public void unshare(ContentId id) {
        AnnouncePolicy.Changes changes;
        synchronized (this) {
            sharedByPath.values().removeIf(c -> c.id().equals(id));
            changes = announcing.unshared(id.toKey());
        }
        registry.unshare(id);
        apply(changes);
    }

    /** Called on the DHT's thread when the reachability decision changes. */
    private void onReachability(Reachability.Status status) {
        AnnouncePolicy.Changes changes;
        synchronized (this) {
            changes = announcing.reachability(isReachable(status));
        }
        apply(changes);
    }

    private void apply(AnnouncePolicy.Changes changes) {
        for (NodeId key : changes.provide()) {
            dht.provide(key, port()); // republished by the DHT; peers holding the link's hints can fetch meanwhile
        }
        for (NodeId key : changes.withdraw()) {
            dht.stopProviding(key);
        }
    }

    /** Keys shared but not announced, because this node is not reachable. */
    public synchronized int unannouncedCount() {
        return announcing.unannouncedCount();
    }

    /** A link to {@code content}, with this node as a hint when peers told us our address. */
    public ShareLink link(SharedContent content) {
        List<PeerAddress> hints = new ArrayList<>();
        InetSocketAddress seen = observedAddress();
        // Behind NAT too: the NAT's address is where hole punching reaches us (docs/REACHABILITY.md).
        if (seen != null) {
            hints.add(new PeerAddress(seen.getAddress().getHostAddress(), port(), identity.nodeId()));
        }
        return new ShareLink(content.id(), hints);
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
        try {
            List<PeerAddress> peers = dialable(link, findPeers(link, findTimeout));
            return Downloader.await(transfer, link.contentId(), transfer.download(link.contentId(), peers, outputDir, listener));
        } catch (DownloadException e) {
            throw new NodeException(NodeException.Kind.TRANSFER, "download failed: " + e.getMessage()
                    + " (verified chunks are kept; run the same command again to resume)");
        }
    }

    private List<PeerAddress> findPeers(ShareLink link, Duration timeout) throws InterruptedException {
        List<PeerAddress> found;
        try {
            found = ProviderSearch.find(dht, identity.nodeId(), link, timeout.toMillis()).get();
        } catch (ExecutionException e) {
            found = List.of();
        }
        if (!found.isEmpty()) {
            return found;
        }
        Map.Entry<Reachability.Status, String> r = reachability();
        if (r.getKey() == Reachability.Status.PRIVATE) {
            throw new NodeException(NodeException.Kind.NOT_FOUND, "no reachable peer provides " + link.contentId().toText()
                    + " (searched for " + timeout.toSeconds() + " s), and this node is " + r.getValue() + ": a sharer behind NAT is "
                    + "reachable by nobody, and this node cannot accept its connection either (no hole punching yet); "
                    + "one of you must open a port or share from a public node (docs/REACHABILITY.md)");
        }
        throw new NodeException(NodeException.Kind.NOT_FOUND, "nobody provides " + link.contentId().toText() + " (searched for "
                + timeout.toSeconds() + " s): check the link, that a sharing node is running, and --bootstrap");
    }

    /**
     * The peers to download from: those a TCP connection reaches; when none does (they are all
     * behind NAT), loopback proxies to those hole punching reaches. None: a one-line error saying why.
     */
    private List<PeerAddress> dialable(ShareLink link, List<PeerAddress> found) throws InterruptedException {
        List<CompletableFuture<Boolean>> probes = new ArrayList<>();
        for (PeerAddress p : found) {
            probes.add(CompletableFuture.supplyAsync(() -> HolePuncher.dialable(p)));
        }
        for (CompletableFuture<Boolean> probe : probes) {
            if (probe.join()) {
                return found; // the downloader retries and gives up on the others by itself
            }
        }
        InetSocketAddress seen = observedAddress();
        if (seen != null && seen.getPort() != port()) {
            throw new NodeException(NodeException.Kind.NETWORK, "cannot reach the " + found.size() + " peer(s) providing "
                    + link.contentId().toText() + ": they are behind NAT, and hole punching cannot work from here because this "
                    + "node's NAT changes ports (peers see port " + seen.getPort() + " for our port " + port() + ": a symmetric "
                    + "NAT); open a port, or fetch from a public node (docs/REACHABILITY.md)");
        }
        List<PeerAddress> punched = new ArrayList<>();
        for (PeerAddress p : found.subList(0, Math.min(4, found.size()))) {
            PeerAddress through = puncher.punch(p);
            if (through != null) {
                punched.add(through);
            }
        }
        if (punched.isEmpty()) {
            throw new NodeException(NodeException.Kind.NETWORK, "cannot reach the " + found.size() + " peer(s) providing "
                    + link.contentId().toText() + ": none answers directly, and hole punching through the peers we know failed "
                    + "(their NAT may change ports, or none of our peers talks to them); one of you must open a port or share "
                    + "from a public node (docs/REACHABILITY.md)");
        }
        return punched;
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

    /** Our address as peers see it, or null when nobody told us yet. */
    public InetSocketAddress observedAddress() {
        try {
            return dht.onLoop(n -> n.observedAddress()).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            return null;
        }
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
        }
        puncher.close();
        dht.close();
        transfer.close();
    }
}
