package dev.p2p.cli.node;

import dev.p2p.cli.Logs;
import dev.p2p.cli.UserError;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.content.SharedContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * Indexes a running node's shares again every so often, so a file added to, changed in or removed
 * from a shared directory is served under the share's new link without a restart. The hash cache
 * makes this a walk and a stat per file unless something changed. The old link stays served while
 * its files are unchanged (see {@code Node#serve}); once one changed it is withdrawn and reported
 * gone.
 */
public final class ShareRescanner implements AutoCloseable {
    /** What became of a link a shared path had before: replaced by {@code now}, {@code gone} once its bytes changed. */
    public record Replaced(Path path, ContentId before, ContentId now, boolean gone) {}

    private final LocalNode node;
    private final Consumer<String> say;
    private final Map<ContentId, Replaced> replaced = new LinkedHashMap<>(); // guarded by this
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "p2p-rescan");
        t.setDaemon(true);
        return t;
    });

    /** @param say where a line for the user goes when a share changed */
    public ShareRescanner(LocalNode node, Consumer<String> say) {
        this.node = node;
        this.say = say;
    }

    /** Rescans every {@code periodMillis} from now on. */
    public void start(long periodMillis) {
        timer.scheduleWithFixedDelay(this::rescanQuietly, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void rescanQuietly() {
        try {
            rescan();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Logs.get(ShareRescanner.class).log(Level.WARNING, "rescanning the shares failed", e);
        }
    }

    /** Indexes every share again; serves and announces what changed. */
    public void rescan() throws InterruptedException {
        for (Map.Entry<Path, SharedContent> e : node.sharesByPath().entrySet()) {
            Path path = e.getKey();
            SharedContent before = e.getValue();
            SharedContent now;
            try {
                now = node.reindex(path);
            } catch (UserError | IOException ex) {
                // gone from disk, or changing while hashed: `ls` says so, and the next rescan tries again
                Logs.get(ShareRescanner.class).fine("rescan of " + path + ": " + ex.getMessage());
                continue;
            }
            if (!now.id().equals(before.id())) {
                synchronized (this) {
                    replaced.put(before.id(), new Replaced(path, before.id(), now.id(), false));
                }
                say.accept("share " + path + " changed on disk: now " + node.linkFor(now).format()
                        + (node.earlierByPath().getOrDefault(path, List.of()).contains(before)
                                ? " (the old link is served while its files are unchanged)" : " (the old link is gone)"));
            }
        }
        for (SharedContent gone : node.withdrawChanged()) {
            synchronized (this) {
                replaced.computeIfPresent(gone.id(), (id, r) -> new Replaced(r.path(), id, r.now(), true));
            }
        }
        synchronized (this) {
            Map<Path, List<SharedContent>> kept = node.earlierByPath();
            replaced.replaceAll((id, r) -> r.gone() || kept.getOrDefault(r.path(), List.of()).stream()
                    .anyMatch(c -> c.id().equals(id)) ? r : new Replaced(r.path(), id, r.now(), true));
        }
    }

    /** The links shared paths had before, since the node started, with what became of each. */
    public synchronized List<Replaced> replaced() {
        return List.copyOf(replaced.values());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
