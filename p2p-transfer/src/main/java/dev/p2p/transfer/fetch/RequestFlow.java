package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.schedule.ChunkScheduler;
import dev.p2p.transfer.schedule.Outcome;
import dev.p2p.transfer.wire.Message;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns the {@link ChunkScheduler}'s decisions into REQUEST and CANCEL messages on the live
 * connections. Guarded by the session's lock; stops sending once {@link #stop} is called.
 */
final class RequestFlow {
    private final ContentId id;
    private final ChunkScheduler scheduler;
    private final Map<NodeId, PeerConnection> live;
    /** Monotonic nanoseconds, for the scheduler's stall clock. */
    private final LongSupplier clock;
    private boolean stopped;

    RequestFlow(ContentId id, ChunkScheduler scheduler, Map<NodeId, PeerConnection> live, LongSupplier clock) {
        this.id = id;
        this.clock = clock;
        this.scheduler = scheduler;
        this.live = live;
    }

    ChunkScheduler scheduler() {
        return scheduler;
    }

    void stop() {
        stopped = true;
    }

    /** A peer whose bitfield we know starts getting requests. */
    void join(PeerConnection conn) {
        if (conn.announced != null && !conn.inScheduler && scheduler.addPeer(conn.id(), conn.announced, clock.getAsLong())) {
            conn.inScheduler = true;
            fill(conn);
        }
    }

    /** The peer left: what it owed goes to the others. */
    void leave(PeerConnection conn) {
        if (conn.inScheduler) {
            conn.inScheduler = false;
            scheduler.removePeer(conn.id());
            live.values().forEach(this::fill);
        }
    }

    void has(PeerConnection conn, int chunk) {
        scheduler.peerHas(conn.id(), chunk);
        fill(conn);
    }

    void refused(PeerConnection conn, int chunk) {
        scheduler.onRefused(conn.id(), chunk);
        fill(conn);
    }

    /** Peers that stalled lose their requests to the others. */
    void releaseStalled(long now) {
        cancel(scheduler.releaseStalled(now));
        live.values().forEach(this::fill);
    }

    /** Tops up the peer's pipeline. */
    void fill(PeerConnection conn) {
        if (stopped || !conn.inScheduler) {
            return;
        }
        List<Integer> chunks = scheduler.nextRequests(conn.id(), clock.getAsLong());
        for (int c : chunks) {
            conn.send(new Message.Request(id, c));
        }
        if (!chunks.isEmpty()) {
            conn.flush();
        }
    }

    /** Tells peers which of our requests we no longer need, and asks them for something else. */
    void cancel(List<Outcome.Cancel> cancels) {
        for (Outcome.Cancel c : cancels) {
            PeerConnection other = live.get(c.peer());
            if (other != null) {
                other.send(new Message.Cancel(id, c.chunk()));
                fill(other);
                other.flush();
            }
        }
    }
}
