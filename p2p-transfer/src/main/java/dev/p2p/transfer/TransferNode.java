package dev.p2p.transfer;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.Downloader;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.serve.TransferServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The transfer side of a node in one object, for the CLI: serves what it shares on a TCP port
 * and downloads from peers. Made with {@link #start}; {@link #close} stops both.
 */
public final class TransferNode implements AutoCloseable {
    private final ShareRegistry registry = new ShareRegistry();
    private final TransferServer server;
    private final Downloader downloader;
    private final String advertisedHost;

    private TransferNode(Identity identity, ServerConfig serverConfig, DownloadConfig downloadConfig, String advertisedHost) {
        this.server = new TransferServer(identity, registry, serverConfig);
        this.downloader = new Downloader(identity, downloadConfig);
        this.advertisedHost = advertisedHost;
    }

    /**
     * Starts serving on {@code bind} (port 0 picks one).
     *
     * @param advertisedHost host put in share links; null for the bound address
     */
    public static TransferNode start(Identity identity, InetSocketAddress bind, String advertisedHost,
            ServerConfig serverConfig, DownloadConfig downloadConfig) throws InterruptedException {
        TransferNode node = new TransferNode(identity, serverConfig, downloadConfig, advertisedHost);
        node.server.start(bind);
        return node;
    }

    /** Hashes {@code path} (a file or directory, served in place from then on) and serves it. */
    public SharedContent share(Path path, IndexProgress progress) throws IOException {
        SharedContent content = new Indexer().index(path, progress);
        registry.share(content);
        return content;
    }

    /** Stops serving {@code id}. */
    public void unshare(ContentId id) {
        registry.unshare(id);
    }

    /** A link to {@code id} naming this node as a peer. */
    public ShareLink link(ContentId id) {
        return new ShareLink(id, List.of(address()));
    }

    /** Where other peers reach this node, with its node id. */
    public PeerAddress address() {
        PeerAddress bound = server.address();
        return advertisedHost == null ? bound : new PeerAddress(advertisedHost, bound.port(), bound.nodeId());
    }

    /**
     * Downloads what {@code link} names into {@code outputDir}, from the link's peer hints and
     * whatever {@code providers} adds (the DHT; {@code ProviderSource.fixed(List.of())} for none).
     */
    public DownloadResult get(ShareLink link, ProviderSource providers, Path outputDir, DownloadListener listener)
            throws IOException, InterruptedException {
        Set<PeerAddress> peers = new LinkedHashSet<>(link.peers());
        peers.addAll(providers.providers(link.contentId()));
        peers.removeIf(p -> p.nodeId().equals(server.nodeId()));
        return downloader.download(link.contentId(), new ArrayList<>(peers), outputDir, listener);
    }

    public ShareRegistry registry() {
        return registry;
    }

    /** Chunk bytes this node has uploaded. */
    public long bytesUploaded() {
        return server.bytesUploaded();
    }

    @Override
    public void close() {
        downloader.close();
        server.close();
    }
}
