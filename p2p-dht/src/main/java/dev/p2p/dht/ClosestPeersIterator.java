package dev.p2p.dht;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
        /** The first 64 bits of its distance to the target: orders peers without touching the ids. */
        final long distanceWord;
        State state = State.NOT_CONTACTED;

        Peer(Contact contact, int hop, long distanceWord) {
            this.contact = contact;
            this.hop = hop;
            this.distanceWord = distanceWord;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final int k;
    private final int alpha;
    private final int maxCandidates;
    /**
     * Candidates ordered by XOR distance to the target, closest first. A sorted array rather than
     * a tree: it holds at most a few hundred peers, and inserting by binary search costs no
     * allocation per candidate.
     */
    private final ArrayList<Peer> peers = new ArrayList<>();
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
            long d = c.id().firstWord() ^ target.firstWord();
            int at = search(c.id(), d);
            if (at < 0) {
                peers.add(-at - 1, new Peer(c, hop, d));
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
        for (Peer p : peers) {
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
        for (Peer p : peers) {
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
        for (Peer p : peers) {
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
        for (int i = peers.size() - 1; i >= 0 && peers.size() > maxCandidates; i--) {
            if (peers.get(i).state == State.NOT_CONTACTED) {
                peers.remove(i);
            }
        }
    }

    /** Index of the peer with {@code id}, or (-(insertion point) - 1) as in {@link java.util.Collections#binarySearch}. */
    private int search(NodeId id, long distanceWord) {
        int lo = 0;
        int hi = peers.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Peer p = peers.get(mid);
            int c = Long.compareUnsigned(p.distanceWord, distanceWord);
            if (c == 0) {
                c = target.compareDistance(p.contact.id(), id);
            }
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
