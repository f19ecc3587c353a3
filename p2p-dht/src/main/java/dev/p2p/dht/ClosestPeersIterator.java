package dev.p2p.dht;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The state of one iterative lookup, without I/O (after rust-libp2p's ClosestPeersIter): it keeps
 * the candidates seen so far ordered by distance to the target, says whom to ask next, and is fed
 * the answers. It ends when the k closest candidates that did not fail have all answered, or when
 * nobody is left to ask.
 */
final class ClosestPeersIterator {
    /** SKIPPED: another disjoint path claimed the peer first, so this path leaves it out. */
    enum State { NOT_CONTACTED, WAITING, SUCCEEDED, FAILED, SKIPPED }

    static final class Peer {
        final Contact contact;
        final int hop;
        State state = State.NOT_CONTACTED;

        Peer(Contact contact, int hop) {
            this.contact = contact;
            this.hop = hop;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final int k;
    private final int alpha;
    private final int maxCandidates;
    /** Candidates keyed by their XOR distance to the target: iteration is closest first. */
    private final TreeMap<NodeId, Peer> peers = new TreeMap<>();
    private int inFlight;
    private int queried;

    ClosestPeersIterator(NodeId target, NodeId self, int k, int alpha) {
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.maxCandidates = k * 8;
    }

    /** Adds contacts learned at lookup depth {@code hop}; ourselves and known ones are skipped. */
    void addCandidates(List<Contact> contacts, int hop) {
        for (Contact c : contacts) {
            if (c.id().equals(self)) {
                continue;
            }
            NodeId distance = c.id().xor(target);
            if (!peers.containsKey(distance)) {
                peers.put(distance, new Peer(c, hop));
            }
        }
        trimFarthestUncontacted();
    }

    /**
     * The next peer to ask, marked as waiting; null when at capacity, finished or out of candidates.
     * Peers whose id or address is in {@code claimed} (asked by another disjoint path) are skipped for good.
     */
    Peer next(Set<Object> claimed) {
        if (inFlight >= alpha) {
            return null;
        }
        int live = 0;
        for (Peer p : peers.values()) {
            if (p.state == State.NOT_CONTACTED && (claimed.contains(p.contact.id()) || claimed.contains(p.contact.address()))) {
                p.state = State.SKIPPED;
            }
            if (p.state == State.FAILED || p.state == State.SKIPPED) {
                continue;
            }
            if (p.state == State.NOT_CONTACTED) {
                p.state = State.WAITING;
                inFlight++;
                queried++;
                return p;
            }
            if (++live >= k) {
                return null;
            }
        }
        return null;
    }

    /** True when the k closest live candidates have answered, or nobody is left to ask or wait for. */
    boolean isFinished() {
        int answered = 0;
        for (Peer p : peers.values()) {
            if (p.state == State.FAILED || p.state == State.SKIPPED) {
                continue;
            }
            if (p.state != State.SUCCEEDED) {
                return false;
            }
            if (++answered >= k) {
                return true;
            }
        }
        return true;
    }

    /** {@code p} answered, maybe after it was given up as failed (a late answer still counts). */
    void onSuccess(Peer p, List<Contact> closer) {
        if (p.state == State.WAITING) {
            inFlight--;
        }
        p.state = State.SUCCEEDED;
        addCandidates(closer, p.hop + 1);
    }

    void onFailure(Peer p) {
        if (p.state == State.WAITING) {
            inFlight--;
        }
        p.state = State.FAILED;
    }

    /** Up to {@code n} peers that answered, closest first. */
    List<Peer> closestSucceeded(int n) {
        List<Peer> out = new ArrayList<>(n);
        for (Peer p : peers.values()) {
            if (p.state == State.SUCCEEDED) {
                out.add(p);
                if (out.size() == n) {
                    break;
                }
            }
        }
        return out;
    }

    int inFlight() {
        return inFlight;
    }

    int queried() {
        return queried;
    }

    NodeId target() {
        return target;
    }

    private void trimFarthestUncontacted() {
        if (peers.size() <= maxCandidates) {
            return;
        }
        Iterator<Peer> it = peers.descendingMap().values().iterator();
        while (peers.size() > maxCandidates && it.hasNext()) {
            if (it.next().state == State.NOT_CONTACTED) {
                it.remove();
            }
        }
    }
}
