package dev.p2p.cli.node;

import dev.p2p.cli.ExitCode;
import dev.p2p.cli.UserError;
import dev.p2p.dht.BootstrapResult;
import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.node.Node;
import dev.p2p.node.NodeConfig;
import dev.p2p.node.NodeException;
import dev.p2p.node.policy.RelayLimits;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.host.TransferHost;
import dev.p2p.transfer.session.TransferLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The p2p command's peer: a {@link Node} with what the command adds around it: the shares this
 * data directory remembers across restarts ({@link ShareBook}), the downloads the control API
 * follows ({@link DownloadState}), metrics, and failures as {@link UserError}s with exit codes.
 * Used by `p2p node` and, when no node runs, by `p2p share` and `p2p get` for their own duration.
 */
public final class LocalNode implements AutoCloseable {
    private final Node node;
    private final ShareBook shareBook;
    private final Map<String, DownloadState> downloads = new LinkedHashMap<>();
    private final NodeMetrics metrics;
    private volatile ShareRescanner rescanner; // once rescanning started

    private LocalNode(Node node) throws IOException {
        this.node = node;
        this.shareBook = new ShareBook(node.dataDir());
        this.metrics = new NodeMetrics(this);
        node.dht().setLookupObserver(metrics::onLookup);
    }

    /**
     * Starts a node for {@code dataDir} listening on {@code port} (UDP and TCP; 0 = any free port)
     * on {@code bindHost}, with {@code limits} (peers served at once, upload and download rates).
     */
    public static LocalNode start(Path dataDir, InetAddress bindHost, int port, TransferLimits.Settings limits) throws IOException {
        return start(dataDir, bindHost, port, limits, Reachability.Mode.AUTO);
    }

    /** Like {@link #start(Path, InetAddress, int, TransferLimits.Settings)}, with how the node decides it is reachable. */
    public static LocalNode start(Path dataDir, InetAddress bindHost, int port, TransferLimits.Settings limits,
            Reachability.Mode reachability) throws IOException {
        return start(dataDir, bindHost, port, limits, reachability, false, RelayLimits.DEFAULTS);
    }

    /**
     * Like {@link #start(Path, InetAddress, int, TransferLimits.Settings, Reachability.Mode)}; asks the router to forward
     * the port when {@code portMapping}, and relays for peers behind NAT within {@code relay} ({@link RelayLimits#OFF}: for nobody).
     */
    public static LocalNode start(Path dataDir, InetAddress bindHost, int port, TransferLimits.Settings limits,
            Reachability.Mode reachability, boolean portMapping, RelayLimits relay) throws IOException {
        NodeConfig config = NodeConfig.defaults(dataDir).withBindHost(bindHost).withPort(port)
                .withLimits(limits).withReachability(reachability).withPortMapping(portMapping).withRelay(relay);
        try {
            return new LocalNode(Node.start(config));
        } catch (NodeException e) {
            throw userError(e);
        }
    }

    /** The exit code a {@link NodeException} stands for, as a {@link UserError}. */
    static UserError userError(NodeException e) {
        int code = switch (e.kind()) {
            case USAGE -> ExitCode.USAGE;
            case NOT_FOUND -> ExitCode.NOT_FOUND;
            case NETWORK -> ExitCode.NETWORK;
            case TRANSFER -> ExitCode.TRANSFER;
        };
        return new UserError(code, e.getMessage());
    }

    public Identity identity() {
        return node.identity();
    }

    public Path dataDir() {
        return node.dataDir();
    }

    /** "IPv4 and IPv6", or "IPv4 only: ..." with why (see {@link Node#families}). */
    public String families() {
        return node.families();
    }

    /** The port the node listens on, UDP and TCP. */
    public int port() {
        return node.port();
    }

    /** Peers served at once, upload and download rates, now. */
    public TransferLimits.Settings limits() {
        return node.limits();
    }

    /** Changes the limits from now on, for transfers under way too (not remembered across restarts). */
    public void setLimits(TransferLimits.Settings limits) {
        node.setLimits(limits);
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    public DhtServer dht() {
        return node.dht();
    }

    public TransferHost transfer() {
        return node.transfer();
    }

    /** Joins through {@code seeds}, or through remembered contacts when none are given. */
    public BootstrapResult bootstrap(List<InetSocketAddress> seeds) throws InterruptedException {
        try {
            return node.join(seeds);
        } catch (NodeException e) {
            throw userError(e);
        }
    }

    /** Starts joining through {@code link}'s peers and the remembered contacts together; not waited for. */
    public java.util.concurrent.CompletableFuture<BootstrapResult> bootstrap(ShareLink link) {
        return node.join(link);
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
        try {
            return Node.checkShareable(path);
        } catch (NodeException e) {
            throw userError(e);
        }
    }

    /** Hashes {@code path}, serves it in place, announces it in the DHT and remembers it. */
    public SharedContent share(Path path, IndexProgress progress) throws IOException, InterruptedException {
        try {
            SharedContent content = node.index(path, progress);
            keepSharing(checkShareable(path), content);
            return content;
        } catch (NodeException e) {
            throw userError(e);
        }
    }

    /**
     * Keeps sharing what this node downloaded to {@code root} (as {@code p2p share} would, across
     * restarts too), so others find it through the DHT once the first seeders are gone.
     */
    public SharedContent shareDownloaded(ContentId id, Path root) throws IOException, InterruptedException {
        try {
            SharedContent content = node.downloaded(id, root);
            keepSharing(root.toAbsolutePath().normalize(), content);
            return content;
        } catch (NodeException e) {
            throw userError(e);
        }
    }

    /**
     * Indexes the shared {@code path} again (files unchanged since hashed are not read) and, if its
     * content changed, serves and announces the new content; returns the content it holds now.
     */
    public SharedContent reindex(Path path) throws IOException, InterruptedException {
        try {
            SharedContent now = node.index(path, IndexProgress.NONE);
            SharedContent before = node.sharesByPath().get(path);
            if (before != null && !before.id().equals(now.id())) { // still shared (not unshared meanwhile), and changed
                node.serve(path, now);
            }
            return now;
        } catch (NodeException e) {
            throw userError(e);
        }
    }

    /** What shared paths held before they changed, still served under their old links. */
    public Map<Path, List<SharedContent>> earlierByPath() {
        return node.earlierByPath();
    }

    /** Withdraws earlier contents of shared paths whose files changed since (see {@link #earlierByPath}); returns them. */
    public List<SharedContent> withdrawChanged() {
        return node.withdrawChanged();
    }

    /** Remembers {@code content} as shared from {@code abs}, then serves and announces it. */
    private void keepSharing(Path abs, SharedContent content) throws IOException {
        shareBook.add(abs); // first: if it cannot be remembered, it is not listed or announced either
        node.serve(abs, content);
    }

    /**
     * Stops sharing {@code target}, a link (every path shared with its content) or a path, and
     * forgets it across restarts; returns the paths unshared with their content ids (null where a
     * remembered path was not being served). A {@link UserError} when nothing matches.
     */
    public Map<Path, ContentId> unshare(String target) throws IOException {
        Map<Path, SharedContent> shared = sharesByPath();
        Map<Path, ContentId> out = new LinkedHashMap<>();
        if (target.startsWith(ShareLink.SCHEME)) {
            ContentId id;
            try {
                id = ShareLink.parse(target).contentId();
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCode.USAGE, "malformed link: " + e.getMessage());
            }
            shared.forEach((path, content) -> {
                if (content.id().equals(id)) {
                    out.put(path, id);
                }
            });
        } else {
            Path abs = Path.of(target).toAbsolutePath().normalize();
            SharedContent content = shared.get(abs);
            if (content != null || shareBook.paths().contains(abs)) {
                out.put(abs, content == null ? null : content.id());
            }
        }
        if (out.isEmpty()) {
            throw new UserError(ExitCode.USAGE, "not shared by this node: " + target + " (p2p ls lists what is)");
        }
        for (Path p : out.keySet()) {
            shareBook.remove(p); // first: what is not served any more must not come back after a restart
            node.unshare(p);
        }
        return out;
    }

    /** Chunk bytes of {@code content} sent to peers since the node started. */
    public long uploaded(ContentId content) {
        return node.uploaded(content);
    }

    /** Bytes of shared files hashed since the node started, and bytes found unchanged in its hash cache. */
    public long[] hashCounts() {
        return node.hashCounts();
    }

    /** Whether peers can dial this node (the DHT decides at run time; see docs/REACHABILITY.md). */
    public boolean reachable() {
        return node.reachable();
    }

    /** The reachability decision (null status: static configuration) and its one-line reason. */
    public Map.Entry<Reachability.Status, String> reachability() {
        return node.reachability();
    }

    /** One line on the port mapping once known: what the router forwards, why none was possible, or off. */
    public java.util.concurrent.CompletableFuture<String> portMappingOutcome() {
        return node.portMappingOutcome();
    }

    /** Circuits open now, opened and refused since start, bytes relayed; null when it relays for nobody. */
    public long[] relayCounts() {
        return node.relayCounts();
    }

    /** Relays this node's downloads no longer use because a circuit through one broke, with why. */
    public Map<dev.p2p.dht.NodeId, String> bannedRelays() {
        return node.bannedRelays();
    }

    public RelayLimits relayLimits() {
        return node.relayLimits();
    }

    /** The public peer this node's relayed records and links name while it is behind NAT, or null. */
    public Contact relay() {
        return node.relay();
    }

    /** Keys shared but not announced, because this node is not reachable. */
    public int unannouncedCount() {
        return node.unannouncedCount();
    }

    /** The link for {@code content}, with this node as a hint when its address is known. */
    public ShareLink linkFor(SharedContent content) {
        return node.link(content);
    }

    /** Our address as peers see it, or null when nobody told us yet. */
    public InetSocketAddress observedAddress() {
        return node.observedAddress();
    }

    public List<SharedContent> shares() {
        return node.shares();
    }

    public Map<Path, SharedContent> sharesByPath() {
        return node.sharesByPath();
    }

    public synchronized List<DownloadState> downloads() {
        return new ArrayList<>(downloads.values());
    }

    public synchronized DownloadState download(String id) {
        return downloads.get(id);
    }

    public List<Contact> contacts() throws InterruptedException {
        return node.contacts();
    }

    /** Registers a download so `ls` and the control API can follow it. */
    public DownloadState track(String link, Path outputDir) {
        return track(link, outputDir, Selection.ALL);
    }

    /** As {@link #track(String, Path)}, for a download of the files {@code selection} names. */
    public synchronized DownloadState track(String link, Path outputDir, Selection selection) {
        return track(Integer.toString(downloads.size() + 1), link, outputDir, false, selection);
    }

    /**
     * As {@link #track(String, Path, Selection)}, under a given id (one remembered across restarts),
     * maybe to share once done (see {@link DownloadState#shareWhenDone}).
     */
    public synchronized DownloadState track(String id, String link, Path outputDir, boolean shareWhenDone, Selection selection) {
        DownloadState s = new DownloadState(id, link, outputDir.toString(), shareWhenDone, selection);
        downloads.put(id, s);
        return s;
    }

    /** Stops following download {@code id} (cancelled). */
    public synchronized void forget(String id) {
        downloads.remove(id);
    }

    /** Ends the run of a download of {@code id} now, as a failure with {@code reason}; verified chunks stay. */
    public void stop(ContentId id, String reason) {
        node.cancel(id, reason);
    }

    /**
     * Finds providers of the link's content (its hints and the DHT) and downloads it into
     * {@code outputDir}, verified. Fails with a {@link UserError} whose exit code says why.
     */
    public DownloadResult get(ShareLink link, Path outputDir, Duration findTimeout, DownloadState state,
            DownloadListener listener) throws InterruptedException {
        try {
            DownloadResult r = node.get(link, state.selection, outputDir, findTimeout, new DownloadListener() {
                @Override
                public void onManifest(dev.p2p.transfer.content.Manifest manifest) {
                    state.onManifest(manifest);
                    listener.onManifest(manifest);
                }

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
            state.done(r.path().toString(), r.totalBytes(), r.resumedBytes());
            return r;
        } catch (NodeException e) {
            UserError error = userError(e);
            state.failed(e.getMessage(), error.exitCode());
            throw error;
        }
    }

    @Override
    public void close() {
        ShareRescanner r = rescanner;
        if (r != null) {
            r.close();
        }
        node.close();
    }

    /** Indexes the shares again every {@code periodMillis}, telling {@code say} when one changed (see {@link ShareRescanner}). */
    public synchronized void rescanEvery(long periodMillis, java.util.function.Consumer<String> say) {
        if (rescanner == null) {
            rescanner = new ShareRescanner(this, say);
            rescanner.start(periodMillis);
        }
    }

    /** The links shared paths had before they changed, since the node started, and what became of each. */
    public List<ShareRescanner.Replaced> replacedShares() {
        ShareRescanner r = rescanner;
        return r == null ? List.of() : r.replaced();
    }
}
