package dev.p2p.sim.swarm;

import dev.p2p.dht.Cancellable;
import dev.p2p.sim.engine.Lane;
import dev.p2p.sim.net.FlowModel;
import dev.p2p.sim.net.SimNetwork;
import dev.p2p.sim.net.VirtualAddresses;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.wire.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Transfer connections between whole peers: dialling (TCP and TLS 1.3, two round trips), messages
 * carried in order through the {@link FlowModel} and then the one-way delay of the latency model,
 * and closing. A connection to a host that is down, cut off or unreachable through NAT fails after
 * {@link #CONNECT_TIMEOUT_MILLIS}; a message that arrives where its connection is gone is lost and
 * resets the sender's end. Counts chunk payload bytes sent, delivered and lost for the
 * conservation check. Every peer lives in one lane, so this needs no locks. In a real-bytes run
 * every message goes through the real codec ({@link Wire}) and weighs its frame's bytes.
 */
public final class TransferNet {
    /** How long a dial to nobody takes to fail. */
    public static final long CONNECT_TIMEOUT_MILLIS = 3_000;
    /** Frame bytes around a message's payload (length, type, content id, index): an estimate. */
    static final int FRAME_BYTES = 45;
    /**
     * An accepted connection stops being writable with this much queued and is writable again
     * below {@link #LOW_WATER_BYTES}: the production host's Netty write-buffer water marks.
     */
    static final long HIGH_WATER_BYTES = 1024 * 1024;
    static final long LOW_WATER_BYTES = 512 * 1024;

    private final Lane lane;
    private final SimNetwork<?> network;
    private final FlowModel flows;
    private final Reachability reachability;
    private final boolean realCodec;
    private final Map<Integer, WholePeer> byHost = new HashMap<>();
    private long chunkBytesSent;
    private long chunkBytesDelivered;
    private long chunkBytesLost;
    private long connections;
    private long failedDials;

    /** Who may open a connection to whom (NAT). */
    public interface Reachability {
        /** Null when {@code from} can connect to {@code to}; else why not, in one line. */
        String refuse(WholePeer from, WholePeer to);
    }

    public TransferNet(Lane lane, SimNetwork<?> network, Reachability reachability, boolean realCodec) {
        this.lane = lane;
        this.network = network;
        this.reachability = reachability;
        this.realCodec = realCodec;
        this.flows = new FlowModel(new FlowModel.Clock() {
            public long nowMillis() {
                return lane.nowMillis();
            }

            public Cancellable schedule(long delayMillis, Runnable task) {
                return lane.schedule(delayMillis, task);
            }
        });
    }

    /** One end of a connection, owned by one incarnation of one peer. */
    static final class End {
        final WholePeer owner;
        final long id;
        final int incarnation;
        End other;
        FlowModel.Pipe out;
        boolean open = true;
        boolean cleared;
        /** The accepting side: the host reports its writability to the core, as production's does. */
        boolean accepted;
        boolean writable = true;
        boolean offerDue;
        long queuedBytes;
        long queuedChunkBytes;
        long delayMillis;

        End(WholePeer owner, long id) {
            this.owner = owner;
            this.id = id;
            this.incarnation = owner.incarnation();
        }

        boolean live() {
            return open && owner.isRunning(incarnation);
        }
    }

    /** The peer at {@code address}, or null. */
    WholePeer peerAt(PeerAddress address) {
        return byHost.get(VirtualAddresses.hostNumber(address.host(), address.port()));
    }

    void register(WholePeer peer) {
        byHost.put(peer.host().number(), peer);
    }

    FlowModel.Links links(long upBytesPerSecond, long downBytesPerSecond) {
        return new FlowModel.Links(upBytesPerSecond, downBytesPerSecond);
    }

    /** Opens a connection from {@code from} to {@code to}; answers the dialler's id for it. */
    long dial(WholePeer from, PeerAddress to) {
        long id = from.nextConnectionId();
        WholePeer target = peerAt(to);
        String refused = target == null || !target.isRunning() || !target.id().equals(to.nodeId())
                || network.isCut(from.host(), target.host()) ? "connection timed out" : reachability.refuse(from, target);
        if (refused != null) {
            failedDials++;
            from.later(CONNECT_TIMEOUT_MILLIS, () -> from.core().onConnectFailed(id, refused));
            return id;
        }
        connections++;
        long oneWay = Math.max(1, Math.round(network.oneWayMillis(from.host(), target.host())));
        End mine = new End(from, id);
        End theirs = new End(target, target.nextConnectionId());
        theirs.accepted = true;
        mine.other = theirs;
        theirs.other = mine;
        mine.out = flows.pipe(from.links(), target.links());
        theirs.out = flows.pipe(target.links(), from.links());
        mine.delayMillis = oneWay;
        theirs.delayMillis = oneWay;
        from.ends().put(id, mine);
        target.ends().put(theirs.id, theirs);
        lane.schedule(oneWay, () -> {
            if (theirs.live()) {
                target.core().onAccepted(theirs.id);
            }
        });
        lane.schedule(4 * oneWay, () -> { // TCP and TLS 1.3: two round trips
            if (mine.live() && theirs.live()) {
                target.core().onTlsDone(theirs.id, from.id());
                mine.owner.core().onTlsDone(id, target.id());
            }
        });
        return id;
    }

    /** Queues {@code message} on the connection; a message on a connection that is gone is released. */
    void send(WholePeer from, long connection, Message sent) {
        End e = from.ends().get(connection);
        if (e == null || !e.open) {
            release(sent);
            return;
        }
        Wire.Sent wire = realCodec ? Wire.through(sent) : null;
        Message message = wire != null ? wire.message() : sent;
        long chunk = message instanceof Message.ChunkData c ? c.data().length() : 0;
        int size = wire != null ? wire.bytes() : sizeOf(message);
        chunkBytesSent += chunk;
        e.queuedChunkBytes += chunk;
        e.queuedBytes += size;
        e.out.send(size, () -> {
            if (e.cleared) {
                return; // counted as lost when the pipe was cleared
            }
            e.queuedChunkBytes -= chunk;
            e.queuedBytes -= size;
            lane.schedule(e.delayMillis, () -> arrive(e, message, chunk));
            if (e.accepted && !e.writable && e.queuedBytes < LOW_WATER_BYTES && e.live()) {
                e.writable = true;
                e.owner.core().onWritable(e.id, true);
            }
        });
        if (e.accepted) {
            writability(e);
        }
    }

    /**
     * As the production host: past the high water mark the core hears the connection is not
     * writable; while it is, the core is offered a new turn of answers once what it wrote now is
     * flushed (at the end of this millisecond, once however many messages it wrote).
     */
    private void writability(End e) {
        if (e.writable && e.queuedBytes >= HIGH_WATER_BYTES) {
            e.writable = false;
            e.owner.later(0, () -> {
                if (e.open) {
                    e.owner.core().onWritable(e.id, e.writable); // as it is by then
                }
            });
        } else if (e.writable && !e.offerDue) {
            e.offerDue = true;
            e.owner.later(0, () -> {
                e.offerDue = false;
                if (e.open && e.writable) {
                    e.owner.core().onWritable(e.id, true);
                }
            });
        }
    }

    private void arrive(End from, Message message, long chunk) {
        End to = from.other;
        if (to.live()) {
            chunkBytesDelivered += chunk;
            to.owner.received(chunk);
            to.owner.core().onMessage(to.id, message);
            return;
        }
        chunkBytesLost += chunk;
        release(message);
        if (from.live()) { // the receiver's host answers with a reset (a closing sender hears nothing)
            lane.schedule(from.delayMillis, () -> drop(from, "connection reset"));
        }
    }

    /**
     * Closes one end as TCP does: nothing more is sent, what is queued still goes, and the other
     * side hears of the close after it (a FIN behind the data).
     */
    void close(WholePeer from, long connection) {
        End e = from.ends().remove(connection);
        if (e == null || !e.open) {
            return;
        }
        e.open = false;
        from.later(0, () -> from.core().onClosed(connection, null));
        End other = e.other;
        e.out.send(1, () -> {
            if (!e.cleared) {
                lane.schedule(e.delayMillis, () -> drop(other, "closed by peer"));
            }
        });
    }

    /** Every connection of {@code peer} ends now (it stops or crashes); the other ends hear after the one-way delay. */
    void dropAll(WholePeer peer, String reason) {
        List<End> ends = new ArrayList<>(peer.ends().values());
        peer.ends().clear();
        for (End e : ends) {
            if (e.open) {
                shut(e);
                End other = e.other;
                lane.schedule(e.delayMillis, () -> drop(other, reason));
            }
        }
    }

    /** The other side ended the connection: this end closes and its owner hears why. */
    private void drop(End e, String reason) {
        if (!e.open) {
            return;
        }
        shut(e);
        e.owner.ends().remove(e.id, e);
        if (e.owner.isRunning(e.incarnation)) {
            e.owner.core().onClosed(e.id, reason);
        }
    }

    private void shut(End e) {
        e.open = false;
        e.cleared = true;
        chunkBytesLost += e.queuedChunkBytes;
        e.queuedChunkBytes = 0;
        e.queuedBytes = 0;
        e.out.clear();
    }

    static int sizeOf(Message m) {
        int payload = 0;
        if (m instanceof Message.ChunkData c) {
            payload = c.data().length();
        } else if (m instanceof Message.HashesData h) {
            payload = h.hashes().length;
        } else if (m instanceof Message.ManifestData d) {
            payload = d.manifest().length;
        } else if (m instanceof Message.Bitfield b) {
            payload = b.bits().length;
        }
        return FRAME_BYTES + payload;
    }

    private static void release(Message m) {
        if (m instanceof Message.ChunkData c) {
            c.data().release();
        }
    }

    /** Chunk payload bytes handed to connections. */
    public long chunkBytesSent() {
        return chunkBytesSent;
    }

    /** Chunk payload bytes that reached a live connection's receiver. */
    public long chunkBytesDelivered() {
        return chunkBytesDelivered;
    }

    /** Chunk payload bytes dropped with a connection (queued, or arriving where it was gone). */
    public long chunkBytesLost() {
        return chunkBytesLost;
    }

    public long connections() {
        return connections;
    }

    public long failedDials() {
        return failedDials;
    }

    public FlowModel flows() {
        return flows;
    }
}
