package dev.p2p.cli.node;

import dev.p2p.cli.ExitCode;
import dev.p2p.cli.UserError;
import dev.p2p.dht.BootstrapResult;
import dev.p2p.dht.Contact;
import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.Provider;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.ProvidersResult;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.dht.store.IdentityStore;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadException;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.Downloader;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.serve.TransferServer;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One peer: the DHT on UDP port P and the transfer server on TCP port P, the identity and
 * remembered contacts and shares of one data directory. Used by `p2p node` and, when no node
 * runs, by `p2p share` and `p2p get` for their own duration.
 */
public final class LocalNode implements AutoCloseable {
    private static final int PROVIDERS_WANTED = 16;

    private final Path dataDir;
    private final Identity identity;
    private final DhtServer dht;
    private final TransferServer transfer;
    private final ShareRegistry registry;
    private final Downloader downloader;
    private final ShareBook shareBook;
    private final Map<Path, SharedContent> sharedByPath = new LinkedHashMap<>();
    private final Map<String, DownloadState> downloads = new LinkedHashMap<>();
    /** Shared keys not announced yet because this node is not known to be reachable. */
    private final Set<NodeId> unannounced = new LinkedHashSet<>();
    private final NodeMetrics metrics;
    private final HolePuncher puncher;

    private LocalNode(Path dataDir, Identity identity, DhtServer dht, TransferServer transfer, ShareRegistry registry)
            throws IOException {
        this.dataDir = dataDir;
        this.identity = identity;
        this.dht = dht;
        this.transfer = transfer;
        this.registry = registry;
        // With the registry: a download is served to others as its chunks are verified, and once complete.
        this.downloader = new Downloader(identity, DownloadConfig.DEFAULTS, registry);
        this.shareBook = new ShareBook(dataDir);
        dht.setReachabilityListener(this::onReachability);
        this.metrics = new NodeMetrics(this);
        dht.setLookupObserver(metrics::onLookup);
        this.puncher = new HolePuncher(dht, dht.localAddress().getPort());
        dht.setPunchListener(puncher::onNotice);
    }

    /**
     * Starts a node for {@code dataDir} listening on {@code port} (UDP and TCP; 0 = any free port)
     * on {@code bindHost}.
     */
    public static LocalNode start(Path dataDir, InetAddress bindHost, int port, long uploadBytesPerSecond) throws IOException {
        return start(dataDir, bindHost, port, uploadBytesPerSecond, Reachability.Mode.AUTO);
    }

    /** Like {@link #start(Path, InetAddress, int, long)}, with how the node decides it is reachable. */
    public static LocalNode start(Path dataDir, InetAddress bindHost, int port, long uploadBytesPerSecond,
            Reachability.Mode reachability) throws IOException {
        Files.createDirectories(dataDir);
        Identity identity = IdentityStore.loadOrCreate(dataDir);
        ShareRegistry registry = new ShareRegistry();
        ServerConfig serverConfig = ServerConfig.DEFAULTS.withUploadRate(uploadBytesPerSecond);
        for (int attempt = 0; ; attempt++) {
            TransferServer transfer = new TransferServer(identity, registry, serverConfig);
            int tcpPort;
            try {
                tcpPort = transfer.start(new InetSocketAddress(bindHost, port)).getPort();
            } catch (Exception e) {
                transfer.close();
                throw portProblem(port, "TCP", e);
            }
            try {
                DhtServer dht = DhtServer.start(identity, DhtConfig.defaults(), new InetSocketAddress(bindHost, tcpPort), null, dataDir,
                        reachability);
                return new LocalNode(dataDir, identity, dht, transfer, registry);
            } catch (IOException e) {
                transfer.close();
                if (port != 0 || attempt >= 5) {
                    throw portProblem(port == 0 ? tcpPort : port, "UDP", e);
                }
                // port 0: the free TCP port happened to be taken for UDP; try another
            }
        }
    }

    private static UserError portProblem(int port, String protocol, Exception e) {
        if (e instanceof BindException || (e.getCause() instanceof BindException)) {
            return new UserError(ExitCode.NETWORK, protocol + " port " + port
                    + " is in use (is another node running?): choose another with --port P, or --port 0 for any free port");
        }
        return new UserError(ExitCode.NETWORK, "cannot listen on " + protocol + " port " + port + ": " + e.getMessage());
    }

    public Identity identity() {
        return identity;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The port the node listens on, UDP and TCP. */
    public int port() {
        return dht.localAddress().getPort();
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    public DhtServer dht() {
        return dht;
    }

    public TransferServer transfer() {
        return transfer;
    }

    /** Joins through {@code seeds}, or through remembered contacts when none are given. */
    public BootstrapResult bootstrap(List<InetSocketAddress> seeds) throws InterruptedException {
        try {
            return dht.bootstrap(seeds).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new UserError(ExitCode.NETWORK, "joining the network failed: " + e.getMessage());
        }
    }

    /** Serves again what this data directory shared before; returns the paths that are gone. */
    public List<Path> restoreShares(IndexProgress progress) throws InterruptedException {
        List<Path> missing = new ArrayList<>();
        for (Path p : shareBook.paths()) {
            try {
                share(p, progress);
            } catch (UserError | IOException e) {
                missing.add(p);
            }
        }
        return missing;
    }

    /** The absolute path to share; a {@link UserError} when it cannot be shared. */
    public static Path checkShareable(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new UserError(ExitCode.USAGE, "cannot share " + path + ": no such file or directory");
        }
        if (!Files.isReadable(abs)) {
            throw new UserError(ExitCode.USAGE, "cannot share " + path + ": not readable");
        }
        return abs;
    }

    /** Hashes {@code path}, serves it in place, announces it in the DHT and remembers it. */
    public SharedContent share(Path path, IndexProgress progress) throws IOException, InterruptedException {
        Path abs = checkShareable(path);
        SharedContent content;
        try {
            content = new Indexer().index(abs, progress);
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCode.USAGE, "cannot share " + path + ": " + e.getMessage() + " vanished while hashing");
        }
        registry.share(content);
        keepSharing(abs, content);
        return content;
    }

    /**
     * Keeps sharing what this node downloaded to {@code root} (as {@code p2p share} would, across
     * restarts too), so others find it through the DHT once the first seeders are gone. The
     * downloader already serves it, verified, without hashing it again.
     */
    public SharedContent shareDownloaded(ContentId id, Path root) throws IOException, InterruptedException {
        SharedContent content = registry.complete(id);
        if (content == null) {
            return share(root, IndexProgress.NONE); // not served (the download was made elsewhere): index it
        }
        keepSharing(root.toAbsolutePath().normalize(), content);
        return content;
    }

    /** Remembers {@code content} as shared from {@code abs} and announces it (served already). */
    private void keepSharing(Path abs, SharedContent content) throws IOException, InterruptedException {
        shareBook.add(abs); // first: if it cannot be remembered, it is not listed or announced either
        synchronized (this) {
            SharedContent old = sharedByPath.put(abs, content);
            if (old != null && !old.id().equals(content.id())) {
                registry.unshare(old.id());
                dht.stopProviding(old.id().toKey());
            }
        }
        NodeId key = content.id().toKey();
        if (!reachable()) {
            synchronized (this) {
                unannounced.add(key);
            }
            if (reachable()) { // became reachable meanwhile: the listener may have missed this key
                onReachability(Reachability.Status.PUBLIC);
            }
            return;
        }
        try {
            dht.provide(key, port()).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Still served and republished; peers holding the link's hints can fetch it meanwhile.
        }
    }

    /**
     * Announces only while others can reach us: a NATed node's record would send downloaders to an
     * address nobody can dial. Called on the DHT's thread when the decision changes.
     */
    private void onReachability(Reachability.Status status) {
        List<NodeId> keys;
        synchronized (this) {
            if (status == Reachability.Status.PUBLIC) {
                keys = new ArrayList<>(unannounced);
                unannounced.clear();
            } else {
                keys = new ArrayList<>();
                for (SharedContent c : sharedByPath.values()) {
                    keys.add(c.id().toKey());
                }
                unannounced.addAll(keys);
            }
        }
        for (NodeId key : keys) {
            if (status == Reachability.Status.PUBLIC) {
                dht.provide(key, port());
            } else {
                dht.stopProviding(key);
            }
        }
    }

    /** Whether peers can dial this node (the DHT decides at run time; see docs/REACHABILITY.md). */
    public boolean reachable() {
        Reachability.Status s = reachability().getKey();
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

    /** Keys shared but not announced, because this node is not reachable. */
    public synchronized int unannouncedCount() {
        return unannounced.size();
    }

    /** The link for {@code content}, with this node as a hint when its address is known. */
    public ShareLink linkFor(SharedContent content) {
        List<PeerAddress> hints = new ArrayList<>();
        InetSocketAddress seen = observedAddress();
        // Behind NAT too: the NAT's address is where hole punching reaches us (docs/REACHABILITY.md).
        if (seen != null) {
            hints.add(new PeerAddress(seen.getAddress().getHostAddress(), port(), identity.nodeId()));
        }
        return new ShareLink(content.id(), hints);
    }

    /** Our address as peers see it, or null when nobody told us yet. */
    public InetSocketAddress observedAddress() {
        try {
            return dht.onLoop(n -> n.observedAddress()).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            return null;
        }
    }

    public synchronized List<SharedContent> shares() {
        return new ArrayList<>(sharedByPath.values());
    }

    public synchronized Map<Path, SharedContent> sharesByPath() {
        return new LinkedHashMap<>(sharedByPath);
    }

    public synchronized List<DownloadState> downloads() {
        return new ArrayList<>(downloads.values());
    }

    public synchronized DownloadState download(String id) {
        return downloads.get(id);
    }

    public List<Contact> contacts() throws InterruptedException {
        try {
            return dht.onLoop(n -> n.routingTable().contacts()).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return List.of();
        }
    }

    /** Registers a download so `ls` and the control API can follow it. */
    public DownloadState track(String link, Path outputDir) {
        return track(link, outputDir, false);
    }

    /** As {@link #track(String, Path)}, for a download to share once done (see {@link DownloadState#shareWhenDone}). */
    public synchronized DownloadState track(String link, Path outputDir, boolean shareWhenDone) {
        String id = Integer.toString(downloads.size() + 1);
        DownloadState s = new DownloadState(id, link, outputDir.toString(), shareWhenDone);
        downloads.put(id, s);
        return s;
    }

    /**
     * Finds providers of the link's content (its hints and the DHT) and downloads it into
     * {@code outputDir}, verified. Fails with a {@link UserError} whose exit code says why.
     */
    public DownloadResult get(ShareLink link, Path outputDir, Duration findTimeout, DownloadState state,
            DownloadListener listener) throws InterruptedException {
        try {
            List<PeerAddress> peers = dialable(link, findPeers(link, findTimeout));
            DownloadResult r = downloader.download(link.contentId(), peers, outputDir, new DownloadListener() {
                @Override
                public void onProgress(long verifiedBytes, long totalBytes, int connected) {
                    state.onProgress(verifiedBytes, totalBytes, connected);
                    listener.onProgress(verifiedBytes, totalBytes, connected);
                }

                @Override
                public void onPeerBanned(dev.p2p.dht.NodeId peer, String reason) {
                    listener.onPeerBanned(peer, reason);
                }
            });
            state.done(r.path().toString(), r.totalBytes());
            return r;
        } catch (UserError e) {
            state.failed(e.getMessage(), e.exitCode());
            throw e;
        } catch (DownloadException e) {
            state.failed(e.getMessage(), ExitCode.TRANSFER);
            throw new UserError(ExitCode.TRANSFER, "download failed: " + e.getMessage()
                    + " (verified chunks are kept; run the same command again to resume)");
        } catch (IOException e) {
            state.failed(e.getMessage(), ExitCode.TRANSFER);
            throw new UserError(ExitCode.TRANSFER, "download failed: " + e.getMessage());
        }
    }

    /**
     * The peers to download from: those a TCP connection reaches; when none does (they are all
     * behind NAT), loopback proxies to those hole punching reaches. None: a one-line error saying why.
     */
    private List<PeerAddress> dialable(ShareLink link, List<PeerAddress> found) throws InterruptedException {
        List<java.util.concurrent.CompletableFuture<Boolean>> probes = new ArrayList<>();
        for (PeerAddress p : found) {
            probes.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> HolePuncher.dialable(p)));
        }
        List<PeerAddress> direct = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            if (probes.get(i).join()) {
                direct.add(found.get(i));
            }
        }
        if (!direct.isEmpty()) {
            return found; // the downloader retries and gives up on the others by itself
        }
        InetSocketAddress seen = observedAddress();
        if (seen != null && seen.getPort() != port()) {
            throw new UserError(ExitCode.NETWORK, "cannot reach the " + found.size() + " peer(s) providing " + link.contentId().toText()
                    + ": they are behind NAT, and hole punching cannot work from here because this node's NAT changes ports "
                    + "(peers see port " + seen.getPort() + " for our port " + port() + ": a symmetric NAT); open a port, "
                    + "or fetch from a public node (docs/REACHABILITY.md)");
        }
        List<PeerAddress> punched = new ArrayList<>();
        for (PeerAddress p : found.subList(0, Math.min(4, found.size()))) {
            PeerAddress through = puncher.punch(p);
            if (through != null) {
                punched.add(through);
            }
        }
        if (punched.isEmpty()) {
            throw new UserError(ExitCode.NETWORK, "cannot reach the " + found.size() + " peer(s) providing " + link.contentId().toText()
                    + ": none answers directly, and hole punching through the peers we know failed (their NAT may change "
                    + "ports, or none of our peers talks to them); one of you must open a port or share from a public node "
                    + "(docs/REACHABILITY.md)");
        }
        return punched;
    }

    private List<PeerAddress> findPeers(ShareLink link, Duration timeout) throws InterruptedException {
        Set<PeerAddress> peers = new LinkedHashSet<>(link.peers());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                ProvidersResult found = dht.findProviders(link.contentId().toKey(), PROVIDERS_WANTED).get(left, TimeUnit.MILLISECONDS);
                for (Provider p : found.providers()) {
                    if (!p.nodeId().equals(identity.nodeId())) {
                        peers.add(PeerAddress.of(p.address(), p.nodeId()));
                    }
                }
            } catch (ExecutionException | TimeoutException e) {
                // counted as not found below
            }
            if (!peers.isEmpty()) {
                return new ArrayList<>(peers);
            }
            if (System.nanoTime() >= deadline) {
                Map.Entry<Reachability.Status, String> r = reachability();
                if (r.getKey() == Reachability.Status.PRIVATE) {
                    throw new UserError(ExitCode.NOT_FOUND, "no reachable peer provides " + link.contentId().toText() + " (searched for "
                            + timeout.toSeconds() + " s), and this node is " + r.getValue() + ": a sharer behind NAT is "
                            + "reachable by nobody, and this node cannot accept its connection either (no hole punching yet); "
                            + "one of you must open a port or share from a public node (docs/REACHABILITY.md)");
                }
                throw new UserError(ExitCode.NOT_FOUND, "nobody provides " + link.contentId().toText() + " (searched for "
                        + timeout.toSeconds() + " s): check the link, that a sharing node is running, and --bootstrap");
            }
            Thread.sleep(1_000);
        }
    }

    @Override
    public void close() {
        puncher.close();
        downloader.close();
        dht.close();
        transfer.close();
    }
}
