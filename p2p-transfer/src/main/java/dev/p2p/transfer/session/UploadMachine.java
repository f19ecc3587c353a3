package dev.p2p.transfer.session;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.wire.Bitfields;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Function;

/**
 * Serving one connected peer, as a state machine without I/O (see {@link DownloadMachine} for the
 * contract: inputs with the time, {@link UploadAction}s out, one deadline).
 *
 * <p>The peer must finish TLS and say HELLO, as the node its certificate proves, within the hello
 * deadline, and it takes one of the node's places ({@link TransferLimits#admit}) or is refused as
 * busy. Its asks (REQUEST, GET_HASHES, GET_MANIFEST) wait in one queue of at most
 * {@code maxQueuedRequests}; more are refused, and a peer refused that way more than that many
 * times is disconnected. Asks are answered only while the connection is writable and, for chunks,
 * while the node's rate budget allows, so memory per peer stays at about the host's write buffer
 * plus one answer whatever the peer asks. Chunks go only to peers holding one of the node's few
 * upload slots ({@link UploadSlots}); the others' chunk asks are refused as busy, and they ask again.
 */
public final class UploadMachine {
    /**
     * Answer bytes handed to the host in one turn, at most (a turn ends when the host has flushed
     * them and says, with {@code onWritable(true)}, that it can take more): so memory per peer stays
     * at about the host's write buffer plus one answer, however many asks are queued.
     */
    static final int TURN_BYTES = 512 * 1024;
    /** The all-zero content id, for refusals not about any content. */
    private static final ContentId NO_CONTENT = ContentId.of(new byte[ContentId.BYTES]);

    private final NodeId self;
    private final Function<ContentId, ? extends Servable> catalog;
    private final TransferLimits limits;
    private final int maxQueued;
    private final ArrayDeque<UploadAction> out = new ArrayDeque<>();
    private final ArrayDeque<Message> queue = new ArrayDeque<>(); // REQUEST, GET_HASHES, GET_MANIFEST
    private final Set<ContentId> subscribed = new HashSet<>();
    private NodeId peer; // proven by TLS
    private long helloDeadline;
    private boolean helloSeen;
    private boolean admitted;
    private boolean writable = true;
    private boolean reading; // a Read is out
    private Message.Request paidFor; // its bytes are booked; sent when the budget's wait is over
    private long budgetDeadline = Long.MAX_VALUE;
    private int overflows;
    private long turnBytes; // answer bytes handed out since the host last said it can take more
    private long lastAsked; // when the peer last asked for something, or said HELLO
    private boolean closed;

    /**
     * @param catalog what this node serves: the servable content of an id, or null
     * @param helloTimeoutNanos TLS and HELLO must be done this long after {@code now}
     */
    public UploadMachine(NodeId self, Function<ContentId, ? extends Servable> catalog, TransferLimits limits,
            int maxQueuedRequests, long helloTimeoutNanos, long now) {
        this.self = self;
        this.catalog = catalog;
        this.limits = limits;
        this.maxQueued = maxQueuedRequests;
        this.helloDeadline = now + helloTimeoutNanos;
    }

    public UploadAction poll() {
        return out.poll();
    }

    /** When {@link #onTimeout} is due next, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        return closed ? Long.MAX_VALUE : Math.min(helloSeen ? Long.MAX_VALUE : helloDeadline, budgetDeadline);
    }

    /**
     * Since when this peer, served and said HELLO, has had nothing asked and nothing under way
     * (a downloader that finished and keeps the connection for later), or {@link Long#MAX_VALUE}
     * while it is not quiet.
     */
    public long quietSince() {
        boolean quiet = helloSeen && admitted && !closed && queue.isEmpty() && !reading && paidFor == null;
        return quiet ? lastAsked : Long.MAX_VALUE;
    }

    // ---- inputs

    /** TLS is done; the peer's certificate proves it is {@code proven}. */
    public void onTlsDone(NodeId proven, long now) {
        if (closed) {
            return;
        }
        peer = proven;
        out.add(new UploadAction.Send(new Message.Hello(Message.VERSION, self)));
        admitted = limits.admit();
        if (!admitted) {
            refuse(NO_CONTENT, MessageCodec.HELLO, 0, Message.Reason.BUSY, "too many peers; try later");
            close();
        }
    }

    /** A message from the peer; a {@link Message.ChunkData}'s payload is released here (a server asked for none). */
    public void onMessage(Message msg, long now) {
        if (msg instanceof Message.ChunkData c) {
            c.data().release();
            return;
        }
        if (closed || !admitted) {
            return;
        }
        if (!helloSeen) {
            if (!(msg instanceof Message.Hello h) || h.version() != Message.VERSION || !h.nodeId().equals(peer)) {
                close(); // a peer must first say who it is, and be who its certificate says
                return;
            }
            helloSeen = true;
            lastAsked = now;
            out.add(new UploadAction.Introduced());
            return;
        }
        if (msg instanceof Message.GetManifest || msg instanceof Message.GetHashes || msg instanceof Message.Request) {
            turnBytes = 0; // a peer that reads what it asked for asks again: a new turn
            lastAsked = now;
            if (queue.size() >= maxQueued) {
                overflow(msg);
                return;
            }
            queue.add(msg);
            pump(now);
        } else if (msg instanceof Message.Cancel c) {
            queue.removeIf(m -> m instanceof Message.Request r && r.chunk() == c.chunk() && r.content().equals(c.content()));
        }
        // HELLO again, HAVE, BITFIELD, REFUSE: nothing to do for a server.
    }

    /**
     * The host's write buffer went over its high-water mark (false), or it sent what it had and can
     * take more (true): a new turn of answers.
     */
    public void onWritable(boolean writable, long now) {
        this.writable = writable;
        if (writable) {
            turnBytes = 0;
        }
        pump(now);
    }

    /**
     * The {@link UploadAction.Read} of {@code request} is done: {@code data} holds the checked chunk,
     * or is null when it could not be served ({@code stale}: the content changed on disk).
     */
    public void onChunkRead(Message.Request request, ChunkPayload data, boolean stale, long now) {
        reading = false;
        if (closed) {
            if (data != null) {
                data.release();
            }
            return;
        }
        if (data == null) {
            if (stale) {
                refuse(request.content(), MessageCodec.REQUEST, request.chunk(), Message.Reason.STALE,
                        "content changed on disk; it is not served until shared again");
            } else {
                refuse(request.content(), MessageCodec.REQUEST, request.chunk(), Message.Reason.NOT_AVAILABLE, "do not have it");
            }
        } else {
            limits.uploaded(request.content(), data.length());
            turnBytes += data.length();
            out.add(new UploadAction.Send(new Message.ChunkData(request.content(), request.chunk(), data)));
        }
        pump(now);
    }

    /** A chunk of subscribed {@code content} became available (a download in progress verified it). */
    public void onAvailable(ContentId content, int chunk) {
        if (!closed && subscribed.contains(content)) {
            out.add(new UploadAction.Send(new Message.Have(content, chunk)));
        }
    }

    public void onTimeout(long now) {
        if (closed) {
            return;
        }
        if (!helloSeen && now >= helloDeadline) {
            close(); // TLS and HELLO took too long: a slow or silent client holds no place
            return;
        }
        if (now >= budgetDeadline) {
            budgetDeadline = Long.MAX_VALUE;
            Message.Request r = paidFor;
            paidFor = null;
            if (queue.peek() == r) { // else cancelled meanwhile: its budget goes to the next
                queue.poll();
                read(r);
            }
            pump(now);
        }
    }

    /** The connection is gone (whoever closed it). */
    public void onClosed() {
        limits.leaveSlot(this);
        if (admitted) {
            limits.release();
            admitted = false;
        }
        closed = true;
        queue.clear();
        subscribed.clear();
    }

    // ---- answers

    /** Answers queued asks while the connection is writable and the rate budget allows. */
    private void pump(long now) {
        while (!closed && writable && turnBytes < TURN_BYTES && !reading && paidFor == null && !queue.isEmpty()) {
            Message head = queue.poll();
            if (head instanceof Message.GetManifest g) {
                answerManifest(g);
            } else if (head instanceof Message.GetHashes g) {
                answerHashes(g);
            } else if (head instanceof Message.Request r) {
                Servable c = catalog.apply(r.content());
                if (c == null) { // its user stopped sharing it since the manifest went out
                    refuse(r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.UNKNOWN_CONTENT, "no longer shared here");
                    continue;
                }
                if (r.chunk() >= c.layout().totalChunks()) {
                    refuse(r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.NOT_AVAILABLE, "not available");
                    continue;
                }
                if (!limits.maySend(this, now)) {
                    refuseQueuedChunks(r);
                    continue;
                }
                long wait = limits.reserve(c.layout().chunkLength(r.chunk()), now);
                if (wait > 0) {
                    queue.addFirst(r);
                    paidFor = r;
                    budgetDeadline = now + wait;
                    return;
                }
                read(r);
            }
        }
    }

    /**
     * Another peer holds our upload slots: {@code head} and every chunk asked for after it are
     * refused as busy (the downloader asks someone else, and us again shortly); asks for the
     * manifest and hashes stay, they are small and answered in turn.
     */
    private void refuseQueuedChunks(Message.Request head) {
        busy(head);
        for (Iterator<Message> it = queue.iterator(); it.hasNext(); ) {
            if (it.next() instanceof Message.Request r) {
                it.remove();
                busy(r);
            }
        }
    }

    private void busy(Message.Request r) {
        refuse(r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.BUSY, "upload slots taken; ask again");
    }

    private void read(Message.Request r) {
        reading = true;
        out.add(new UploadAction.Read(r));
    }

    /** Manifest, then what we have, then a HAVE for each chunk we get later (downloads in progress). */
    private void answerManifest(Message.GetManifest g) {
        Servable c = catalog.apply(g.content());
        if (c == null) {
            refuse(g.content(), MessageCodec.GET_MANIFEST, 0, Message.Reason.UNKNOWN_CONTENT, "not shared here");
            return;
        }
        if (subscribed.add(c.id())) {
            out.add(new UploadAction.Subscribe(c.id()));
        }
        out.add(new UploadAction.Send(new Message.ManifestData(c.id(), c.manifestBytes())));
        int n = c.layout().totalChunks();
        turnBytes += c.manifestBytes().length + n / 8;
        out.add(new UploadAction.Send(new Message.Bitfield(c.id(), n, Bitfields.toWire(c.available(), n))));
    }

    private void answerHashes(Message.GetHashes g) {
        Servable c = catalog.apply(g.content());
        if (c == null) {
            refuse(g.content(), MessageCodec.GET_HASHES, g.entry(), Message.Reason.UNKNOWN_CONTENT, "not shared here");
            return;
        }
        ChunkLayout layout = c.layout();
        if (g.entry() >= layout.entryCount() || (long) g.first() + g.count() > layout.chunkCount(g.entry())) {
            refuse(g.content(), MessageCodec.GET_HASHES, g.entry(), Message.Reason.BAD_REQUEST, "no such hashes");
            return;
        }
        byte[] hashes = c.leafHashes(g.entry(), g.first(), g.count());
        turnBytes += hashes.length;
        out.add(new UploadAction.Send(new Message.HashesData(c.id(), g.entry(), g.first(), hashes)));
    }

    /** Refuses an ask beyond the queue; a peer that keeps asking regardless is dropped. */
    private void overflow(Message msg) {
        if (++overflows > maxQueued) {
            queue.clear();
            close();
            return;
        }
        if (msg instanceof Message.Request r) {
            refuse(r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.TOO_MANY_REQUESTS, "queue full");
        } else if (msg instanceof Message.GetHashes g) {
            refuse(g.content(), MessageCodec.GET_HASHES, g.entry(), Message.Reason.TOO_MANY_REQUESTS, "queue full");
        } else if (msg instanceof Message.GetManifest g) {
            refuse(g.content(), MessageCodec.GET_MANIFEST, 0, Message.Reason.TOO_MANY_REQUESTS, "queue full");
        }
    }

    private void refuse(ContentId id, int type, int index, Message.Reason reason, String text) {
        out.add(new UploadAction.Send(new Message.Refuse(id, type, index, reason, text)));
    }

    private void close() {
        if (!closed) {
            out.add(new UploadAction.Close());
            closed = true; // onClosed still releases the place
        }
    }
}
