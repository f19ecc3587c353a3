package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.TransferEnvironment;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.ManifestCodec;
import dev.p2p.transfer.content.ManifestException;
import dev.p2p.transfer.schedule.ChunkScheduler;
import dev.p2p.transfer.schedule.Outcome;
import dev.p2p.transfer.store.PartialDownload;
import dev.p2p.transfer.wire.Bitfields;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One download: glues peer connections, the pure {@link ChunkScheduler}, verification and the
 * {@link PartialDownload} on disk. Netty threads call in; all state is guarded by this object's
 * lock, except hashing a received chunk, which runs before the lock is taken. A single timer
 * thread ticks (stall checks, progress), commits verified chunks to the journal, reconnects and
 * publishes the finished content.
 */
final class DownloadSession {
    private final ContentId id;
    private final Path outputDir;
    private final DownloadListener listener;
    private final DownloadConfig config;
    private final ScheduledExecutorService timer;
    private final Random random;
    private final CompletableFuture<DownloadResult> result = new CompletableFuture<>();
    private final Map<NodeId, PeerConnection> live = new LinkedHashMap<>();
    private final Set<NodeId> banned = new LinkedHashSet<>();
    private final TransferEnvironment env;
    private final DownloadStats stats;
    private final PeerDialer dialer;
    private final Seeding seeding;
    private volatile ChunkLayout layout;
    private volatile byte[] leaves;
    private HashFetch hashes;
    private byte[] manifestBytes;
    private RequestFlow requests; // once the hashes are known
    private PartialDownload store;
    private long lastCommitNanos;
    private int writesInFlight;
    private boolean finishing;
    private boolean finished;

    /** Takes its clock, timer thread and generator from the downloader's environment. */
    DownloadSession(Downloader downloader, ContentId id, Path outputDir, DownloadListener listener, DownloadConfig config) {
        this.env = downloader.env();
        this.stats = new DownloadStats(env.nanoTime());
        ScheduledExecutorService timer = env.newTimer("download-" + id.toText().substring(0, 8));
        this.dialer = new PeerDialer(this, downloader, timer, config);
        this.seeding = new Seeding(downloader.registry());
        this.id = id;
        this.outputDir = outputDir;
        this.listener = listener;
        this.config = config;
        this.timer = timer;
        this.random = env.newRandom();
    }

    ContentId contentId() {
        return id;
    }

    CompletableFuture<DownloadResult> result() {
        return result;
    }

    synchronized void start(List<PeerAddress> peers) {
        if (peers.isEmpty()) {
            fail(new DownloadException("no peers to download " + id + " from"));
            return;
        }
        dialer.dialAll(peers);
        timer.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** False once the session ended or the peer is banned. */
    boolean wantsPeer(NodeId peer) {
        return !finished && !finishing && !banned.contains(peer);
    }

    void checkAlive() {
        if (!finished && !finishing && live.isEmpty() && dialer.pending() == 0) {
            fail(new DownloadException("no peer left to download " + id + " from" + dialer.lastErrors()));
        }
    }

    synchronized void onReady(PeerConnection conn) {
        dialer.connected();
        live.put(conn.id(), conn);
    }

    synchronized void onIdentityMismatch(PeerConnection conn, String reason) {
        banned.add(conn.id());
        listener.onPeerBanned(conn.id(), reason);
    }

    synchronized void onManifest(PeerConnection conn, Message.ManifestData m) {
        if (finished || !m.content().equals(id)) {
            return;
        }
        if (!ContentId.ofManifest(m.manifest()).equals(id)) {
            ban(conn, "sent a manifest that does not match the content id");
            return;
        }
        if (layout != null) {
            if (requests == null && hashes != null) {
                askHashes(conn); // pages left unassigned by a peer that failed go to this one
            }
            return;
        }
        try {
            layout = new ChunkLayout(ManifestCodec.decode(m.manifest()));
        } catch (ManifestException e) {
            fail(new DownloadException("refusing content " + id + ": its manifest is unsafe: " + e.getMessage()));
            return;
        }
        manifestBytes = m.manifest();
        listener.onManifest(layout.manifest());
        hashes = new HashFetch(id, layout);
        if (hashes.isComplete()) {
            startTransfer();
        } else {
            askHashes(conn);
        }
    }

    private void askHashes(PeerConnection conn) {
        List<Message.GetHashes> pages = hashes.assign(conn.id());
        pages.forEach(conn::send);
        if (!pages.isEmpty()) {
            conn.flush();
        }
    }

    synchronized void onHashes(PeerConnection conn, Message.HashesData h) {
        if (finished || hashes == null || requests != null || !h.content().equals(id)) {
            return;
        }
        if (hashes.accept(conn.id(), h) == HashFetch.Result.BAD) {
            ban(conn, "sent chunk hashes that do not match the manifest");
            return;
        }
        if (hashes.isComplete()) {
            startTransfer();
        } else {
            askHashes(conn); // the next pages, at most HashFetch.MAX_PAGES_PER_PEER at a time
        }
    }

    private void startTransfer() {
        try {
            store = PartialDownload.open(outputDir, id, layout, hashes.leaves());
        } catch (IOException | RuntimeException e) {
            fail(new DownloadException("cannot prepare the download in " + outputDir + ": " + e.getMessage(), e));
            return;
        }
        leaves = hashes.leaves();
        seeding.started(id, manifestBytes, layout, leaves, store);
        BitSet done = store.verified();
        for (int c = done.nextSetBit(0); c >= 0; c = done.nextSetBit(c + 1)) {
            stats.resumed(layout.chunkLength(c));
        }
        requests = new RequestFlow(id, new ChunkScheduler(layout.totalChunks(), layout.chunkSize(), done,
                config.scheduler(), random), live, env::nanoTime);
        live.values().forEach(requests::join);
        if (requests.scheduler().isComplete()) {
            finishAsync();
        }
    }

    synchronized void onBitfield(PeerConnection conn, Message.Bitfield b) {
        if (layout == null || !b.content().equals(id)) {
            return;
        }
        if (b.chunkCount() != layout.totalChunks()) {
            ban(conn, "sent a bitfield of the wrong size");
            return;
        }
        conn.announced = Bitfields.fromWire(b.bits(), b.chunkCount());
        if (requests != null) {
            requests.join(conn);
        }
    }

    synchronized void onHave(PeerConnection conn, Message.Have h) {
        if (conn.announced != null && layout != null && h.chunk() < layout.totalChunks()) {
            conn.announced.set(h.chunk());
            if (requests != null) {
                requests.has(conn, h.chunk());
            }
        }
    }

    /**
     * A chunk arrived. It is hashed and, if accepted, written on the I/O thread outside the lock;
     * only the scheduler's decision and the accounting happen under it, so connections on other
     * threads are not held up by the hashing or the disk.
     */
    void onChunk(PeerConnection conn, int chunk, ByteBuf data, ContentId content) {
        byte[] lv = leaves;
        ChunkLayout l = layout;
        if (lv == null || !content.equals(id)) {
            return; // not asked for yet
        }
        int len = data.readableBytes();
        boolean ok = chunk < l.totalChunks() && len == l.chunkLength(chunk)
                && Arrays.equals(Hashes.leaf(data.nioBuffer()), 0, 32, lv, chunk * 32, chunk * 32 + 32);
        long now = env.nanoTime();
        synchronized (this) {
            stats.received(len);
            if (finished || !conn.inScheduler || !decide(conn, chunk, len, ok, now)) {
                return;
            }
            writesInFlight++;
        }
        IOException error = null;
        try {
            store.write(chunk, data.nioBuffer());
        } catch (IOException e) {
            error = e;
        }
        synchronized (this) {
            writesInFlight--;
            if (error != null) {
                fail(new DownloadException("cannot write to " + outputDir + ": " + error.getMessage(), error));
                return;
            }
            stats.verified(conn.id(), len, now);
            dialer.delivered(conn.id());
            if (requests.scheduler().isComplete() && writesInFlight == 0 && !finishing && !finished) {
                finishAsync();
            }
        }
    }

    /** Scheduler bookkeeping for an arrived chunk; true if this thread must write it. */
    private boolean decide(PeerConnection conn, int chunk, int len, boolean ok, long now) {
        if (!ok) {
            stats.rejected();
            listener.onBadChunk(conn.id(), chunk);
            if (((Outcome.Reject) requests.scheduler().onFailed(conn.id(), chunk, now)).banned()) {
                conn.inScheduler = false;
                ban(conn, "sent chunks that failed verification");
                return false;
            }
            requests.fill(conn);
            return false;
        }
        Outcome outcome = requests.scheduler().onVerified(conn.id(), chunk, len, now);
        if (outcome instanceof Outcome.Accept a) {
            requests.cancel(a.cancels());
        }
        requests.fill(conn); // ask for more before writing, to keep the pipeline full
        return outcome instanceof Outcome.Accept;
    }

    synchronized void onRefuse(PeerConnection conn, Message.Refuse r) {
        if (!finished && r.refusedType() == MessageCodec.REQUEST && r.reason() != Message.Reason.STALE && requests != null) {
            requests.refused(conn, r.index());
        } else if (!finished) {
            if (r.reason() != Message.Reason.BUSY) {
                dialer.giveUp(conn.id()); // it lacks the content or it changed: do not retry
            }
            conn.close("refused: " + r.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + r.text());
        }
    }

    synchronized void onDisconnected(PeerConnection conn, boolean wasReady) {
        if (wasReady) {
            live.remove(conn.id());
        } else {
            dialer.failedBeforeHello();
        }
        if (requests != null) {
            requests.leave(conn);
        } else if (hashes != null) {
            hashes.release(conn.id());
            live.values().stream().findFirst().ifPresent(this::askHashes);
        }
        if (!finished && !finishing) {
            dialer.noteError(conn.id(), conn.closeReason == null ? "connection closed by peer" : conn.closeReason);
            dialer.dropped(conn.address, stats.hasDelivered(conn.id()));
        }
    }

    private void ban(PeerConnection conn, String reason) {
        if (banned.add(conn.id())) {
            listener.onPeerBanned(conn.id(), reason);
        }
        conn.close(reason);
    }

    /** Periodic work; must never throw, or the timer would stop calling it. */
    private void tick() {
        try {
            tickOnce();
        } catch (RuntimeException e) {
            fail(new DownloadException("internal error: " + e, e));
        }
    }

    private void tickOnce() {
        synchronized (this) {
            if (finished || finishing) {
                return;
            }
            long now = env.nanoTime();
            if (requests != null) {
                requests.releaseStalled(now);
                for (NodeId stalled : requests.scheduler().stalledOut()) {
                    PeerConnection conn = live.get(stalled);
                    if (conn != null) {
                        dialer.giveUp(stalled); // it claims chunks it does not send: do not redial
                        conn.close("delivered nothing for " + 2 * config.scheduler().stallNanos() / 1_000_000_000.0
                                + " s although it announced the chunks");
                    }
                }
            }
            if (stats.nanosSinceProgress(now) > config.stuckTimeoutMillis() * 1_000_000L) {
                fail(new DownloadException("no progress for " + config.stuckTimeoutMillis() / 1000 + " s"));
                return;
            }
            listener.onProgress(stats.verifiedBytes(), layout == null ? 0 : layout.manifest().totalSize(), live.size());
            if (store == null || now - lastCommitNanos < config.commitIntervalMillis() * 1_000_000L) {
                return;
            }
            lastCommitNanos = now;
        }
        try {
            seeding.committed(store.commit());
        } catch (IOException e) {
            fail(new DownloadException("cannot record progress in " + outputDir + ": " + e.getMessage(), e));
        }
    }

    private void finishAsync() {
        finishing = true;
        timer.execute(this::finish);
    }

    private void finish() {
        try {
            Path path = store.finish();
            seeding.finished(layout, path, leaves);
            synchronized (this) {
                listener.onProgress(stats.verifiedBytes(), layout.manifest().totalSize(), live.size());
                finished = true;
                closeAll();
                result.complete(stats.result(id, path, layout.manifest().totalSize(), banned, env.nanoTime()));
            }
        } catch (IOException | RuntimeException e) {
            fail(new DownloadException("cannot publish the download: " + e.getMessage(), e));
        }
    }

    /** Ends the download with an error; the partial state stays on disk for a later resume. */
    synchronized void fail(Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        closeAll();
        seeding.stopped();
        if (store != null) {
            try {
                store.commit();
                store.close();
            } catch (IOException e) {
                error.addSuppressed(e);
            }
        }
        result.completeExceptionally(error);
    }

    private void closeAll() {
        if (requests != null) {
            requests.stop();
        }
        for (PeerConnection c : List.copyOf(live.values())) {
            c.close("download over");
        }
        timer.shutdown();
    }
}
