package dev.p2p.transfer.session;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.ManifestCodec;
import dev.p2p.transfer.content.ManifestException;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.schedule.ChunkScheduler;
import dev.p2p.transfer.schedule.Outcome;
import dev.p2p.transfer.wire.Bitfields;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One download of one content from many peers, as a state machine without I/O: it never touches
 * a socket, a file, a thread or a clock, so the production host (Netty, a disk executor) and a
 * simulator in virtual time run the very same code, and a seed replays a run.
 *
 * <p>Inputs are the {@code on*} methods and {@link #start}/{@link #abort}, each given the time
 * ({@code now}, monotonic nanoseconds); the host also calls {@link #onTimeout} once
 * {@link #nextDeadline} has passed. Outputs are {@link DownloadAction}s taken from {@link #poll}
 * after each input: connections to open, messages to send, disk work, and reports. Not
 * thread-safe: the host makes every call from one thread at a time.
 *
 * <p>The policy: identity first (the certificate's key, then HELLO); the manifest must hash to the
 * content id and pass {@link ManifestCodec}'s checks; leaf hashes are fetched in pages and checked
 * against each file's Merkle root; every chunk is checked against its leaf before it is written, a
 * peer whose chunks fail is struck and banned by the {@link ChunkScheduler}, which also chooses
 * chunks (rarest first, pipelined to each peer's rate, endgame). At most
 * {@link #MAX_WRITES_IN_FLIGHT} chunks wait for the disk; while they do, no more are requested,
 * so memory stays bounded by the requests in flight whatever the disk's speed.
 */
public final class DownloadMachine {
    /** Period of the stall, progress and commit checks. */
    static final long TICK_NANOS = 100_000_000L;
    /**
     * Verified chunks handed to the disk and not written yet, at most (8 MiB of 256 KiB chunks). The
     * disk thread also waits its turn for a core: at 16, requests paused often enough that a warm
     * 1 GiB get took 3 to 9 % longer (bench/transfer/ab.sh, two runs).
     */
    static final int MAX_WRITES_IN_FLIGHT = 32;
    /** How long a peer may have nothing the download needs before it gives its place to one waiting. */
    static final long UNWANTED_NANOS = 5_000_000_000L;
    /**
     * How long a kept connection has to answer GET_MANIFEST (a live one answers in a round trip):
     * a peer that lost power or a NAT that forgot the mapping sends no FIN, and the full answer
     * timeout would hold the peer up for 30 s before a fresh dial.
     */
    static final long REUSED_ANSWER_NANOS = 5_000_000_000L;

    private final ContentId id;
    private final NodeId self;
    private final Selection selection;
    private final DownloadConfig config;
    private final TransferLimits limits;
    private final Random random;
    private final ArrayDeque<DownloadAction> out = new ArrayDeque<>();
    private final Map<NodeId, PeerLink> links = new LinkedHashMap<>(); // dialled, connecting or open
    private final Map<NodeId, PeerLink> live = new LinkedHashMap<>(); // said HELLO
    private final Set<NodeId> banned = new LinkedHashSet<>();
    private final Map<Integer, NodeId> writing = new HashMap<>(); // chunk -> its sender, until written
    private final DownloadStats stats;
    private final Dialing dialing;
    private ChunkLayout layout;
    private byte[] manifestBytes;
    private HashFetch hashes;
    private byte[] leaves; // once the store is open
    private long wantedBytes; // bytes of the selected files, once the manifest is known
    private ChunkScheduler scheduler; // once the store is open
    private boolean storeAsked;
    private boolean committing;
    private long lastCommitNanos;
    private long nextTickNanos = Long.MAX_VALUE;
    private boolean finishing; // Publish asked
    private boolean ended;
    private boolean refusedAsUnknown; // a peer said it does not share the content

    /**
     * @param self this node's id, said in HELLO
     * @param selection the entries to fetch ({@link Selection#ALL} for the whole content)
     * @param limits the node's limits, whose download budget every request is booked against
     * @param random the download's generator (ties among equally rare chunks)
     * @param now when the download starts
     */
    public DownloadMachine(ContentId id, NodeId self, Selection selection, DownloadConfig config, TransferLimits limits,
            Random random, long now) {
        this.id = id;
        this.self = self;
        this.selection = selection;
        this.config = config;
        this.limits = limits;
        this.random = random;
        this.stats = new DownloadStats(now);
        this.dialing = new Dialing(this, config);
    }

    public ContentId contentId() {
        return id;
    }

    /** The next action for the host, or null when there is none until the next input. */
    public DownloadAction poll() {
        return out.poll();
    }

    /** When {@link #onTimeout} is due next (monotonic nanoseconds), or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        if (ended) {
            return Long.MAX_VALUE;
        }
        long next = Math.min(nextTickNanos, dialing.nextDeadline());
        for (PeerLink l : links.values()) {
            if (!l.answered && !l.closing) {
                next = Math.min(next, l.answerDeadline);
            }
        }
        return next;
    }

    public boolean isEnded() {
        return ended;
    }

    // ---- inputs: the session

    /** Starts dialling {@code peers} (each node once, however many addresses it is listed with). */
    public void start(List<PeerAddress> peers, long now) {
        if (peers.isEmpty()) {
            fail("no peers to download " + id + " from");
            return;
        }
        nextTickNanos = now + TICK_NANOS;
        dialing.dialAll(peers);
    }

    /** More peers that may hold the content (a provider search found them); each node is dialled once. */
    public void addPeers(List<PeerAddress> peers, long now) {
        if (!ended && !finishing) {
            if (nextTickNanos == Long.MAX_VALUE) {
                nextTickNanos = now + TICK_NANOS;
            }
            dialing.dialAll(peers);
        }
    }

    /** Ends the download now (the user interrupted it); verified chunks stay for a resume. */
    public void abort(String reason) {
        fail(reason);
    }

    /** Periodic and deadline work; call when {@link #nextDeadline} has passed. */
    public void onTimeout(long now) {
        if (ended) {
            return;
        }
        dialing.onTimeout(now);
        checkAlive();
        for (PeerLink l : links.values()) {
            if (!l.answered && !l.closing && l.answerDeadline <= now) {
                close(l, l.reused ? "its kept connection did not answer within " + REUSED_ANSWER_NANOS / 1_000_000_000 + " s"
                        : "did not send its manifest and bitfield within " + config.answerTimeoutMillis() / 1000.0 + " s");
            }
        }
        if (now >= nextTickNanos) {
            nextTickNanos = now + TICK_NANOS;
            tick(now);
        }
    }

    // ---- inputs: connections

    /** The TCP and TLS handshake with {@code peer} is done; the certificate's key is {@code proven}'s. */
    public void onConnected(NodeId peer, NodeId proven, long now) {
        PeerLink link = links.get(peer);
        if (link == null || link.closing) {
            return;
        }
        if (!proven.equals(peer)) {
            String reason = "certificate key belongs to " + proven.shortHex() + ", not " + peer.shortHex();
            ban(link, reason);
            return;
        }
        link.answerDeadline = now + config.answerTimeoutMillis() * 1_000_000L;
        send(link, new Message.Hello(Message.VERSION, self));
        send(link, new Message.GetManifest(id));
    }

    /**
     * The host answered the dial of {@code peer} with a connection an earlier download kept: TLS
     * proved the peer then, and both sides said HELLO, so the peer is live now.
     */
    public void onReused(NodeId peer, long now) {
        PeerLink link = links.get(peer);
        if (link == null || link.closing) {
            return;
        }
        link.reused = true;
        link.answerDeadline = now + Math.min(REUSED_ANSWER_NANOS, config.answerTimeoutMillis() * 1_000_000L);
        goLive(link);
        send(link, new Message.GetManifest(id));
    }

    /** The connection to {@code peer} could not be made; {@code reason} says why, for the user. */
    public void onConnectFailed(NodeId peer, String reason, long now) {
        PeerLink link = links.remove(peer);
        if (link == null) {
            return;
        }
        dialing.settled();
        if (!ended) {
            dialing.noteError(peer, reason);
            dialing.dropped(link.address, false, now);
            checkAlive();
        }
    }

    /** The connection to {@code peer} closed; {@code reason} is the host's view (null: the peer closed it). */
    public void onClosed(NodeId peer, String reason, long now) {
        PeerLink link = links.remove(peer);
        if (link == null) {
            return;
        }
        if (link.ready) {
            live.remove(peer);
        } else {
            dialing.settled();
        }
        if (scheduler != null) {
            leave(link, now);
        } else if (hashes != null) {
            hashes.release(peer);
            live.values().stream().findFirst().ifPresent(this::askHashes);
        }
        if (!ended && !finishing) {
            String why = link.closeReason != null ? link.closeReason : reason != null ? reason : "connection closed by peer";
            if (link.setAside) {
                dialing.setAside(link.address); // no error: it gave its place to another
            } else if (link.reused && !link.answered) {
                dialing.redialNow(link.address); // the kept connection had died: no fault of the peer
            } else {
                dialing.noteError(peer, why);
                if (link.busy) {
                    dialing.busy(link.address, now);
                } else {
                    dialing.dropped(link.address, stats.hasDelivered(peer), now);
                }
            }
            checkAlive();
        }
    }

    /** A message from {@code peer}; a {@link Message.ChunkData}'s payload is the machine's from now on. */
    public void onMessage(NodeId peer, Message msg, long now) {
        PeerLink link = links.get(peer);
        if (ended || link == null || link.closing) {
            release(msg);
            return;
        }
        if (!link.ready) {
            hello(link, msg);
            release(msg);
            return;
        }
        if (msg instanceof Message.Bitfield || msg instanceof Message.Refuse) {
            link.answered = true;
        }
        if (msg instanceof Message.ChunkData c) {
            onChunk(link, c, now);
        } else if (msg instanceof Message.ManifestData m) {
            onManifest(link, m);
        } else if (msg instanceof Message.Bitfield b) {
            onBitfield(link, b, now);
        } else if (msg instanceof Message.Have h) {
            onHave(link, h, now);
        } else if (msg instanceof Message.HashesData h) {
            onHashes(link, h);
        } else if (msg instanceof Message.Refuse r) {
            onRefuse(link, r, now);
        }
        // A downloader serves nothing on this connection: asks and a second HELLO are ignored.
    }

    // ---- inputs: the disk

    /** The store is open; {@code verified} lists the chunks already on disk and checked (a resume). */
    public void onStoreOpened(BitSet verified, long now) {
        if (ended) {
            return;
        }
        leaves = hashes.leaves();
        BitSet skipped = selection.skippedChunks(layout);
        for (int c = verified.nextSetBit(0); c >= 0; c = verified.nextSetBit(c + 1)) {
            if (!skipped.get(c)) {
                stats.resumed(layout.chunkLength(c));
            }
        }
        lastCommitNanos = now;
        BitSet settled = (BitSet) verified.clone(); // what the scheduler need not fetch
        settled.or(skipped);
        scheduler = new ChunkScheduler(layout.totalChunks(), layout.chunkSize(), settled, config.scheduler(), random);
        for (PeerLink l : live.values()) {
            join(l, now);
        }
        finishIfComplete();
    }

    /** A {@link DownloadAction.Write} of {@code chunk} is done. */
    public void onWritten(int chunk, long now) {
        NodeId from = writing.remove(chunk);
        if (ended || from == null) {
            return;
        }
        stats.verified(from, layout.chunkLength(chunk), now);
        dialing.delivered(from);
        if (writing.size() == MAX_WRITES_IN_FLIGHT - 1) {
            for (PeerLink l : live.values()) {
                fill(l, now); // requests held back while the disk was behind go out now
            }
        }
        finishIfComplete();
    }

    /** A {@link DownloadAction.Commit} is done. */
    public void onCommitted() {
        committing = false;
    }

    /** The content was published at {@code path}: the download is complete. */
    public void onPublished(Path path, long now) {
        if (ended) {
            return;
        }
        out.add(new DownloadAction.Progress(stats.verifiedBytes(), wantedBytes, live.size()));
        ended = true;
        closeAll(now);
        out.add(new DownloadAction.Completed(stats.result(id, path, wantedBytes, banned, now)));
    }

    /** Disk work failed; {@code reason} is a line for the user ("cannot write to ...: disk full"). */
    public void onDiskFailed(String reason) {
        fail(reason);
    }

    // ---- the protocol

    private void hello(PeerLink link, Message msg) {
        if (msg instanceof Message.Hello h && h.version() == Message.VERSION && h.nodeId().equals(link.id())) {
            goLive(link);
        } else {
            close(link, msg instanceof Message.Refuse r ? "refused: " + r.text() : "peer did not say hello properly");
        }
    }

    private void goLive(PeerLink link) {
        link.ready = true;
        dialing.settled();
        live.put(link.id(), link);
    }

    private void onManifest(PeerLink link, Message.ManifestData m) {
        if (!m.content().equals(id)) {
            return;
        }
        if (!ContentId.ofManifest(m.manifest()).equals(id)) {
            ban(link, "sent a manifest that does not match the content id");
            return;
        }
        if (layout != null) {
            if (scheduler == null && hashes != null) {
                askHashes(link); // pages left unassigned by a peer that failed go to this one
            }
            return;
        }
        try {
            layout = new ChunkLayout(ManifestCodec.decode(m.manifest()));
        } catch (ManifestException e) {
            fail("refusing content " + id + ": its manifest is unsafe: " + e.getMessage());
            return;
        }
        manifestBytes = m.manifest();
        String unselectable = unselectable();
        if (unselectable != null) {
            end(unselectable, DownloadAction.Why.NOTHING_SELECTED);
            return;
        }
        wantedBytes = layout.manifest().totalSize() - skippedBytes(selection.skippedChunks(layout));
        out.add(new DownloadAction.ManifestKnown(layout.manifest()));
        hashes = new HashFetch(id, layout);
        if (hashes.isComplete()) {
            openStore();
        } else {
            askHashes(link);
        }
    }

    private void askHashes(PeerLink link) {
        for (Message.GetHashes page : hashes.assign(link.id())) {
            send(link, page);
        }
    }

    private void onHashes(PeerLink link, Message.HashesData h) {
        if (hashes == null || storeAsked || !h.content().equals(id)) {
            return;
        }
        if (hashes.accept(link.id(), h) == HashFetch.Result.BAD) {
            ban(link, "sent chunk hashes that do not match the manifest");
            return;
        }
        if (hashes.isComplete()) {
            openStore();
        } else {
            askHashes(link); // the next pages, at most HashFetch.MAX_PAGES_PER_PEER at a time
        }
    }

    private void openStore() {
        storeAsked = true;
        out.add(new DownloadAction.OpenStore(layout, manifestBytes, hashes.leaves(), selection));
    }

    /** Why the selection cannot apply to the content, or null when it does. */
    private String unselectable() {
        if (selection.all()) {
            return null;
        }
        String name = layout.manifest().name();
        if (!layout.manifest().directory()) {
            return "--include picks files of a shared directory, and " + name + " is a single file";
        }
        if (!selection.selectsAFile(layout.manifest())) {
            return "--include " + selection + " matches no file of " + name + " (" + layout.manifest().entries().size()
                    + " entries)";
        }
        return null;
    }

    private long skippedBytes(BitSet skipped) {
        long bytes = 0;
        for (int c = skipped.nextSetBit(0); c >= 0; c = skipped.nextSetBit(c + 1)) {
            bytes += layout.chunkLength(c);
        }
        return bytes;
    }

    private void onBitfield(PeerLink link, Message.Bitfield b, long now) {
        if (layout == null || !b.content().equals(id)) {
            return;
        }
        if (b.chunkCount() != layout.totalChunks()) {
            ban(link, "sent a bitfield of the wrong size");
            return;
        }
        link.announced = Bitfields.fromWire(b.bits(), b.chunkCount());
        if (scheduler != null) {
            join(link, now);
        }
    }

    private void onHave(PeerLink link, Message.Have h, long now) {
        if (link.announced != null && layout != null && h.chunk() < layout.totalChunks()) {
            link.announced.set(h.chunk());
            if (scheduler != null && link.inScheduler) {
                scheduler.peerHas(link.id(), h.chunk());
                fill(link, now);
            }
        }
    }

    /** A chunk arrived: checked against its leaf hash, then written (kept) or dropped. */
    private void onChunk(PeerLink link, Message.ChunkData c, long now) {
        ChunkPayload data = c.data();
        if (scheduler == null || !c.content().equals(id)) {
            data.release(); // not asked for yet
            return;
        }
        int chunk = c.chunk();
        int len = data.length();
        boolean ok = chunk < layout.totalChunks() && len == layout.chunkLength(chunk)
                && Arrays.equals(data.leafHash(), 0, 32, leaves, chunk * 32, chunk * 32 + 32);
        stats.received(len);
        if (!link.inScheduler || !decide(link, chunk, len, ok, now)) {
            data.release();
            return;
        }
        writing.put(chunk, link.id());
        out.add(new DownloadAction.Write(chunk, data));
    }

    /** Scheduler bookkeeping for an arrived chunk; true if it is to be written. */
    private boolean decide(PeerLink link, int chunk, int len, boolean ok, long now) {
        if (!ok) {
            stats.rejected();
            out.add(new DownloadAction.BadChunk(link.id(), chunk));
            if (scheduler.onFailed(link.id(), chunk, now) instanceof Outcome.Reject r && r.banned()) {
                link.inScheduler = false;
                ban(link, "sent chunks that failed verification");
                return false;
            }
            fill(link, now);
            return false;
        }
        Outcome outcome = scheduler.onVerified(link.id(), chunk, len, now);
        if (outcome instanceof Outcome.Accept a) {
            cancel(a.cancels(), now);
        }
        fill(link, now); // ask for more before writing, to keep the pipeline full
        return outcome instanceof Outcome.Accept;
    }

    private void onRefuse(PeerLink link, Message.Refuse r, long now) {
        if (r.refusedType() == MessageCodec.REQUEST && r.reason() == Message.Reason.BUSY && scheduler != null) {
            scheduler.onChoked(link.id(), r.index(), now); // it serves others now: ask them, and it again later
            stats.answered(now); // waiting for a turn is not being stuck, as with a busy refusal at HELLO
            return;
        }
        if (r.refusedType() == MessageCodec.REQUEST && r.reason() != Message.Reason.STALE
                && r.reason() != Message.Reason.UNKNOWN_CONTENT && scheduler != null) {
            scheduler.onRefused(link.id(), r.index());
            fill(link, now);
            return;
        }
        if (r.reason() == Message.Reason.BUSY) {
            link.busy = true; // its places are full: it is asked again later, and waiting for it is not being stuck
            stats.answered(now);
        } else {
            dialing.giveUp(link.id()); // it lacks the content or it changed: do not retry
        }
        refusedAsUnknown |= r.reason() == Message.Reason.UNKNOWN_CONTENT;
        close(link, "refused: " + r.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + r.text());
    }

    // ---- requests

    /** A peer whose bitfield we know starts getting requests. */
    private void join(PeerLink link, long now) {
        if (link.announced != null && !link.inScheduler && scheduler.addPeer(link.id(), link.announced, now)) {
            link.inScheduler = true;
            fill(link, now);
        }
    }

    /** The peer left: what it owed goes to the others. */
    private void leave(PeerLink link, long now) {
        if (link.inScheduler) {
            link.inScheduler = false;
            scheduler.removePeer(link.id());
            for (PeerLink l : live.values()) {
                fill(l, now);
            }
        }
    }

    /**
     * Tops up the peer's pipeline, unless the disk is behind, with as many requests as the node's
     * download budget affords now (the tick tries again while it affords none).
     */
    private void fill(PeerLink link, long now) {
        if (ended || !link.inScheduler || link.closing || writing.size() >= MAX_WRITES_IN_FLIGHT) {
            return;
        }
        int affordable = limits.requestsAffordable(layout.chunkSize(), Integer.MAX_VALUE, now);
        if (affordable == 0) {
            return;
        }
        List<Integer> picked = scheduler.nextRequests(link.id(), now, affordable);
        limits.requested(picked.size(), layout.chunkSize(), now);
        for (int c : picked) {
            send(link, new Message.Request(id, c));
        }
    }

    /** Tells peers which of our requests we no longer need, and asks them for something else. */
    private void cancel(List<Outcome.Cancel> cancels, long now) {
        for (Outcome.Cancel c : cancels) {
            PeerLink other = live.get(c.peer());
            if (other != null) {
                send(other, new Message.Cancel(id, c.chunk()));
                fill(other, now);
            }
        }
    }

    // ---- periodic work and the end

    private void tick(long now) {
        if (finishing) {
            return;
        }
        if (scheduler != null) {
            cancel(scheduler.releaseStalled(now), now);
            for (PeerLink l : live.values()) {
                fill(l, now);
            }
            for (NodeId stalled : scheduler.stalledOut()) {
                PeerLink link = live.get(stalled);
                if (link != null && !link.closing) {
                    dialing.giveUp(stalled); // it claims chunks it does not send: do not redial
                    close(link, "delivered nothing for " + 2 * config.scheduler().stallNanos() / 1_000_000_000.0
                            + " s although it announced the chunks");
                }
            }
            setAsideUnwanted(now);
        }
        if (stats.nanosSinceProgress(now) > config.stuckTimeoutMillis() * 1_000_000L) {
            fail("no progress for " + config.stuckTimeoutMillis() / 1000 + " s");
            return;
        }
        out.add(new DownloadAction.Progress(stats.verifiedBytes(), wantedBytes, live.size()));
        if (scheduler != null && !committing && now - lastCommitNanos >= config.commitIntervalMillis() * 1_000_000L) {
            lastCommitNanos = now;
            committing = true;
            out.add(new DownloadAction.Commit());
        }
    }

    /**
     * Peers that have had nothing this download still needs for {@link #UNWANTED_NANOS} give their
     * places to peers waiting for one, as many as wait: otherwise a download whose places are all
     * taken by peers missing the same chunks as it waits for ever, while peers that have them wait
     * in line behind.
     */
    private void setAsideUnwanted(long now) {
        int places = dialing.waiting();
        for (PeerLink l : links.values()) {
            if (l.setAside) { // closing, its place not free yet
                places--;
            }
        }
        for (PeerLink l : live.values()) {
            if (!l.inScheduler || l.closing || scheduler.requestsInFlight(l.id()) > 0 || scheduler.hasWanted(l.id())) {
                l.unwantedSince = -1;
            } else if (l.unwantedSince < 0) {
                l.unwantedSince = now;
            } else if (places > 0 && now - l.unwantedSince >= UNWANTED_NANOS) {
                places--;
                l.setAside = true;
                close(l, "has nothing this download still needs");
            }
        }
    }

    private void finishIfComplete() {
        if (!finishing && !ended && scheduler.isComplete() && writing.isEmpty()) {
            finishing = true;
            out.add(new DownloadAction.Publish());
        }
    }

    /** False once the session ended or the peer is banned. */
    boolean wantsPeer(NodeId peer) {
        return !ended && !finishing && !banned.contains(peer);
    }

    /** Called by {@link Dialing}. */
    void dial(PeerAddress address) {
        links.put(address.nodeId(), new PeerLink(address));
        out.add(new DownloadAction.Dial(address));
    }

    private void checkAlive() {
        if (!ended && !finishing && live.isEmpty() && dialing.pending() == 0) {
            String reason = "no peer left to download " + id + " from" + dialing.lastErrors();
            if (layout == null && refusedAsUnknown) {
                end(reason, DownloadAction.Why.NOT_PROVIDED);
            } else {
                fail(reason);
            }
        }
    }

    private void ban(PeerLink link, String reason) {
        if (banned.add(link.id())) {
            out.add(new DownloadAction.Banned(link.id(), reason));
        }
        close(link, reason);
    }

    private void send(PeerLink link, Message m) {
        out.add(new DownloadAction.Send(link.id(), m));
    }

    private void close(PeerLink link, String reason) {
        close(link, reason, false);
    }

    private void close(PeerLink link, String reason, boolean reusable) {
        if (link.closing) {
            return;
        }
        link.closing = true;
        if (link.closeReason == null) {
            link.closeReason = reason;
        }
        out.add(new DownloadAction.Close(link.id(), reason, reusable));
    }

    private void fail(String reason) {
        end(reason, DownloadAction.Why.TRANSFER);
    }

    private void end(String reason, DownloadAction.Why why) {
        if (ended) {
            return;
        }
        ended = true;
        closeAll(-1);
        if (storeAsked) {
            out.add(new DownloadAction.Abandon());
        }
        out.add(new DownloadAction.Failed(reason, why));
    }

    /**
     * Closes every connection. {@code completedAt} is when the download completed, or -1: the
     * connections of peers still serving well then may be kept for a later download (a staller,
     * a peer struck or one that sent nothing is not worth keeping).
     */
    private void closeAll(long completedAt) {
        for (PeerLink l : links.values()) {
            boolean keep = completedAt >= 0 && l.ready && !l.busy && scheduler != null && scheduler.servingWell(l.id(), completedAt);
            close(l, "download over", keep);
        }
    }

    private static void release(Message msg) {
        if (msg instanceof Message.ChunkData c) {
            c.data().release();
        }
    }
}
