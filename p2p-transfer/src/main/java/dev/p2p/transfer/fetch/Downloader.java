package dev.p2p.transfer.fetch;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.ProviderSource;
import dev.p2p.transfer.TransferEnvironment;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.host.TransferHost;
import dev.p2p.transfer.runtime.SystemEnvironment;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.ShareRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Downloads content from several peers at once over TLS, verifying every chunk, resuming from
 * whatever an earlier run left under {@code <outputDir>/.p2p-partial/}. One Downloader can run
 * several downloads (of different content); close it when done to stop its threads. A node that
 * also serves uses a {@link TransferHost} for both.
 */
public final class Downloader implements AutoCloseable {
    private final TransferHost host;

    public Downloader(Identity identity, DownloadConfig config) {
        this(identity, config, SystemEnvironment.INSTANCE);
    }

    /** As above, taking the time, the disk thread and the downloads' generators from {@code env}. */
    public Downloader(Identity identity, DownloadConfig config, TransferEnvironment env) {
        this.host = new TransferHost(identity, new ShareRegistry(), ServerConfig.DEFAULTS, config, env);
    }

    /**
     * Downloads {@code content} from {@code peers} into {@code outputDir}, blocking until the
     * content is complete, verified and published as {@code outputDir/<manifest name>}.
     *
     * @throws DownloadException when it cannot complete (no peers left, unsafe manifest, disk
     *     error); verified chunks stay on disk and the next call resumes from them
     */
    public DownloadResult download(ContentId content, List<PeerAddress> peers, Path outputDir, DownloadListener listener)
            throws DownloadException, InterruptedException {
        return await(host, content, host.download(content, peers, outputDir, listener));
    }

    /** As above, with peers found through {@code providers} (the DHT, or a share link's hints). */
    public DownloadResult download(ContentId content, ProviderSource providers, Path outputDir, DownloadListener listener)
            throws IOException, InterruptedException {
        return download(content, providers.providers(content), outputDir, listener);
    }

    /** Waits for a download of {@code host}'s; an interrupt aborts it (verified chunks are kept). */
    public static DownloadResult await(TransferHost host, ContentId content, java.util.concurrent.CompletableFuture<DownloadResult> result)
            throws DownloadException, InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DownloadException d) {
                throw d;
            }
            throw new DownloadException("download failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            host.abort(content, "download interrupted");
            throw e;
        }
    }

    /** Connections that completed downloads left open, for the next download from the same peers (kept 60 s). */
    public int keptConnections() {
        return host.keptConnections();
    }

    @Override
    public void close() {
        host.close();
    }
}
