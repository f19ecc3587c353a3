package dev.p2p.transfer.session;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.fetch.DownloadConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which peers a download dials, and when it dials them again: each node once at a time, at most
 * {@link DownloadConfig#maxPeers} at once (the rest wait until a peer is given up), and a peer
 * that drops is redialled after 200 ms times its failures in a row, until it has failed
 * {@link DownloadConfig#maxConnectFailures} times without delivering anything. A peer that refused
 * us as busy (its upload places are full) is no failure: it leaves its place to the next peer
 * waiting and is tried again after {@link #BUSY_FIRST_NANOS}, doubling with each refusal in a row
 * up to {@link #BUSY_MAX_NANOS}, for as long as the download runs.
 */
final class Dialing {
    private static final long REDIAL_STEP_NANOS = 200_000_000L;
    /** Wait before asking a busy peer again, after its first refusal in a row. */
    static final long BUSY_FIRST_NANOS = 2_000_000_000L;
    /** Longest wait before asking a busy peer again. */
    static final long BUSY_MAX_NANOS = 32_000_000_000L;

    private final DownloadMachine session;
    private final int maxFailures;
    private final int maxPeers;
    private final ArrayDeque<PeerAddress> backlog = new ArrayDeque<>();
    private final Set<NodeId> known = new HashSet<>();
    private final Map<NodeId, Integer> failures = new HashMap<>();
    private final Map<NodeId, String> lastError = new LinkedHashMap<>();
    private final List<Redial> redials = new ArrayList<>(); // in the order they were scheduled
    private final List<Redial> busyWaits = new ArrayList<>(); // busy peers waiting for their turn, holding no place
    private final Map<NodeId, Integer> busyInARow = new HashMap<>();
    private int pending; // connects under way or scheduled
    private int slots; // peers dialled and not given up

    private record Redial(long dueNanos, PeerAddress address) {}

    Dialing(DownloadMachine session, DownloadConfig config) {
        this.session = session;
        this.maxFailures = config.maxConnectFailures();
        this.maxPeers = config.maxPeers();
    }

    /** Connects or redials that are not settled yet. */
    int pending() {
        return pending;
    }

    /** Dials each node once, whatever number of addresses it is listed with. */
    void dialAll(List<PeerAddress> peers) {
        for (PeerAddress p : peers) {
            if (known.add(p.nodeId())) {
                backlog.add(p);
            }
        }
        dialMore();
    }

    private void dialMore() {
        while (slots < maxPeers && !backlog.isEmpty()) {
            PeerAddress next = backlog.poll();
            if (session.wantsPeer(next.nodeId())) {
                slots++;
                dial(next);
            }
        }
    }

    private void dial(PeerAddress address) {
        pending++;
        session.dial(address);
    }

    /** The connection reached HELLO, or ended before it did: it is no longer pending. */
    void settled() {
        pending--;
    }

    /** Remembers why the last connection to {@code peer} ended, for the error a user sees. */
    void noteError(NodeId peer, String reason) {
        lastError.remove(peer);
        lastError.put(peer, reason);
    }

    /** The reasons the last three peers dropped, as {@code ": peer abcd1234: reason; ..."}, or "". */
    String lastErrors() {
        StringBuilder b = new StringBuilder();
        int skip = Math.max(0, lastError.size() - 3);
        for (Map.Entry<NodeId, String> e : lastError.entrySet()) {
            if (skip-- > 0) {
                continue;
            }
            b.append(b.length() == 0 ? ": " : "; ").append("peer ").append(e.getKey().shortHex()).append(' ').append(e.getValue());
        }
        return b.toString();
    }

    /** The peer may deliver again: its failures are forgotten. */
    void delivered(NodeId peer) {
        failures.remove(peer);
        busyInARow.remove(peer);
    }

    /** The peer refused us as busy and the connection ended: its place goes to the next, and it is asked again later. */
    void busy(PeerAddress address, long now) {
        int times = busyInARow.merge(address.nodeId(), 1, Integer::sum);
        long wait = Math.min(BUSY_MAX_NANOS, BUSY_FIRST_NANOS << Math.min(times - 1, 20));
        slots--;
        pending++; // the download waits for it
        busyWaits.add(new Redial(now + wait, address));
        dialMore();
    }

    /** Peers known and waiting for a place (never dialled, set aside, or busy and due again). */
    int waiting() {
        return backlog.size();
    }

    /**
     * The peer's connection was closed to give its place to one waiting: it goes to the back of
     * the line, with no failure counted (it may have what the download needs later).
     */
    void setAside(PeerAddress address) {
        slots--;
        backlog.addLast(address);
        dialMore();
    }

    /** A kept connection to the peer closed before it answered: the peer is dialled afresh now, no failure counted. */
    void redialNow(PeerAddress address) {
        if (session.wantsPeer(address.nodeId())) {
            dial(address);
        } else {
            slots--;
            dialMore();
        }
    }

    /** The peer is not worth redialling (it lacks the content, or is banned). */
    void giveUp(NodeId peer) {
        failures.put(peer, maxFailures);
    }

    /** The peer's connection ended; redials it later unless it keeps failing or the session ended. */
    void dropped(PeerAddress address, boolean deliveredSinceLastFailure, long now) {
        NodeId peer = address.nodeId();
        int failed = deliveredSinceLastFailure && !failures.containsKey(peer) ? 0 : failures.merge(peer, 1, Integer::sum);
        if (!session.wantsPeer(peer) || failed >= maxFailures) {
            slots--; // given up: its place goes to the next peer waiting
            dialMore();
        } else {
            pending++;
            redials.add(new Redial(now + REDIAL_STEP_NANOS * (failed + 1), address));
        }
    }

    /** Earliest redial due, or {@link Long#MAX_VALUE}. */
    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Redial r : redials) {
            next = Math.min(next, r.dueNanos);
        }
        for (Redial r : busyWaits) {
            next = Math.min(next, r.dueNanos);
        }
        return next;
    }

    /** Redials the peers whose delay is over. */
    void onTimeout(long now) {
        List<Redial> due = new ArrayList<>();
        redials.removeIf(r -> r.dueNanos <= now && due.add(r));
        for (Redial r : due) {
            pending--;
            if (session.wantsPeer(r.address.nodeId())) {
                dial(r.address);
            } else {
                slots--;
                dialMore();
            }
        }
        List<Redial> turns = new ArrayList<>();
        busyWaits.removeIf(r -> r.dueNanos <= now && turns.add(r));
        for (Redial r : turns) {
            pending--;
            backlog.addFirst(r.address); // ahead of peers never tried: it has the content
        }
        dialMore();
    }
}
