package dev.p2p.dht;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The state of one iterative lookup, without I/O (after rust-libp2p's ClosestPeersIter): it keeps
 * the candidates seen so far ordered by distance to the target, says whom to ask next, and is fed
 * the answers. It ends when the k closest candidates that did not fail have all answered (a node
 * not answered yet with alpha closer answers need not: {@link #isFinished}), or when nobody is
 * left to ask.
 *
 * <p>Candidates sit in parallel arrays sorted by distance: the peers, their ids, the first 64 bits
 * of their distances, and their states. Merging an answer (a binary search per contact) and choosing
 * whom to ask next read only these arrays, a few cache lines, rather than a hundred
 * scattered objects: a lookup's answers arrive far apart, so its state is rarely still in cache.
 */
final class ClosestPeersIterator {
    /**
     * SKIPPED: another disjoint path claimed the peer first, so this path leaves it out. SLOW: asked,
     * and its answer is later than round trips predict; it no longer holds one of the alpha places
     * in flight, so the next candidate is asked; the lookup waits for its answer or timeout only
     * while fewer than alpha closer candidates answered.
     */
    enum State { NOT_CONTACTED, WAITING, SUCCEEDED, FAILED, SKIPPED, SLOW }

    private static final byte NOT_CONTACTED = (byte) State.NOT_CONTACTED.ordinal();
    private static final byte WAITING = (byte) State.WAITING.ordinal();
    private static final byte SUCCEEDED = (byte) State.SUCCEEDED.ordinal();
    private static final byte FAILED = (byte) State.FAILED.ordinal();
    private static final byte SKIPPED = (byte) State.SKIPPED.ordinal();
    private static final byte SLOW = (byte) State.SLOW.ordinal();

    /**
     * Candidates past the k closest asked too once the lookup has stalled and asks the rest of
     * the k closest at once. Under churn one of those has often left; a spare asked beside it has
     * answered by the time the departed one is let go, rather than being asked only then. Six
     * rather than 2 or 4: on bench-10k-1h node lookup p50 529, 503, 492 ms for 2.11, 2.18, 2.28
     * datagrams per peer per second (docs/BENCHMARKS-sim.md).
     */
    static final int SPARES = 6;

    /** A candidate as the lookup sees it; its state lives in the iterator. */
    static final class Peer {
        final Contact contact;
        final int hop;
        /** The first 64 bits of its distance to the target. */
        final long distanceWord;

        Peer(Contact contact, int hop, long distanceWord) {
            this.contact = contact;
            this.hop = hop;
            this.distanceWord = distanceWord;
        }
    }

    private final NodeId target;
    private final long targetWord;
    private final NodeId self;
    private final long selfWord;
    private final int k;
    private final int alpha;
    private final int maxCandidates;
    private Peer[] peers = new Peer[32];
    /** Each peer's id, so a search compares ids without reading the peer and its contact. */
    private NodeId[] ids = new NodeId[32];
    private long[] words = new long[32];
    private byte[] states = new byte[32];
    private int size;
    private int inFlight;
    /** Peers in state SLOW: asked, not answered, not holding a place in flight. */
    private int slow;
    private int queried;
    /** The last answer brought no node among the k closest: the rest of them are asked at once. */
    private boolean stalled;
    /** Candidates whose distance's first word is below this are not counted among the k closest. */
    private long countFrom;

    ClosestPeersIterator(NodeId target, NodeId self, int k, int alpha) {
        this.target = target;
        this.targetWord = target.firstWord();
        this.self = self;
        this.selfWord = self.firstWord();
        this.k = k;
        this.alpha = alpha;
        this.maxCandidates = k * 8;
    }

    /**
     * From now on candidates closer than {@code distanceWord} (the first 64 bits of a distance)
     * are still asked but not counted among the k closest the lookup must reach: they are
     * suspiciously close ({@link NetworkSizeEstimate}), so the lookup goes on past them.
     */
    void countOnlyFrom(long distanceWord) {
        countFrom = distanceWord;
    }

    /** True when a candidate at {@code distanceWord} counts among the k closest. */
    boolean counts(long distanceWord) {
        return Long.compareUnsigned(distanceWord, countFrom) >= 0;
    }

    /** Adds contacts learned at lookup depth {@code hop}; ourselves and known ones are skipped. */
    void addCandidates(List<Contact> contacts, int hop) {
        addAndGetClosest(contacts, hop);
    }

    /** As {@link #addCandidates}; returns the closest of the contacts that were new, or null. */
    private Peer addAndGetClosest(List<Contact> contacts, int hop) {
        Peer closest = null;
        for (int i = 0; i < contacts.size(); i++) { // indexed: the iterator was not optimised away
            Contact c = contacts.get(i);
            long w = c.idWord();
            if (w == selfWord && c.id().equals(self)) {
                continue;
            }
            long d = w ^ targetWord;
            int at = search(c.id(), d); // reads the id only on a tie of first words
            if (at < 0) {
                Peer p = new Peer(c, hop, d);
                insert(-at - 1, p);
                if (closest == null || closer(p, closest)) {
                    closest = p;
                }
            }
        }
        trimFarthestUncontacted();
        return closest;
    }

    /**
     * The next peer to ask, marked as waiting; null when at capacity, finished or out of candidates.
     * Peers whose id or address is in {@code claimed} (asked by another disjoint path) are skipped for good.
     */
    Peer next(ClaimedNodes claimed) {
        int parallelism = parallelism();
        if (inFlight >= parallelism) {
            return null;
        }
        int window = stalled ? k + SPARES : k;
        int live = 0;
        int answered = 0;
        for (int i = 0; i < size; i++) {
            byte s = states[i];
            if (s == NOT_CONTACTED) {
                Peer p = peers[i];
                if (claimed.contains(p.contact)) {
                    states[i] = SKIPPED;
                    continue;
                }
                states[i] = WAITING;
                inFlight++;
                queried++;
                return p;
            }
            if (mayCount(i, answered) && ++live >= window) {
                return null;
            }
            if (s == SUCCEEDED) {
                answered++;
            }
        }
        return null;
    }

    /**
     * True when the candidate at {@code i} may count among the k closest, {@code answeredBefore}
     * closer ones having answered: it did not fail, was not skipped, is not suspiciously close,
     * and is not a slow one let go (its place among the k goes to the next candidate).
     */
    private boolean mayCount(int i, int answeredBefore) {
        byte s = states[i];
        return s != FAILED && s != SKIPPED && !(s == SLOW && answeredBefore >= alpha) && counts(words[i]);
    }

    /**
     * True when the k closest live candidates have answered, or nobody is left to ask or wait for.
     * A peer asked and not answered yet is not waited for once alpha candidates closer to the
     * target than it have answered (those know the target's neighbourhood at least as well as it
     * does), as long as k others answered: under churn it is most often a node that left, and
     * waiting for it to be overdue cost a lookup its last quarter. A peer with fewer closer
     * answers is waited for (until it answers or times out): not waiting for those cost lookups
     * their closest node now and then, when the slow peer was the one that knew it.
     */
    boolean isFinished() {
        int counted = 0;
        int answered = 0;
        boolean passedOverWaiting = false;
        for (int i = 0; i < size; i++) {
            byte s = states[i];
            if (s == FAILED || s == SKIPPED || (s == SLOW && answered >= alpha)) {
                continue;
            }
            if (s == WAITING && answered >= alpha) {
                passedOverWaiting = true;
                continue;
            }
            if (s != SUCCEEDED) {
                return false;
            }
            answered++;
            if (counts(words[i]) && ++counted >= k) {
                return true;
            }
        }
        return !passedOverWaiting;
    }

    /**
     * {@code p} answered, maybe after it was given up as failed (a late answer still counts). The
     * lookup has stalled when the answer brought no node closer than the k-th closest candidate
     * that may still count (any new node while fewer than k are known is progress).
     */
    void onSuccess(Peer p, List<Contact> closer) {
        settle(p, SUCCEEDED);
        Peer boundary = kthLive();
        Peer closestNew = addAndGetClosest(closer, p.hop + 1);
        stalled = closestNew == null || (boundary != null && !closer(closestNew, boundary));
    }

    /**
     * How many requests may be in flight: alpha while answers bring nodes among the k closest; k
     * once an answer brought none (the Kademlia paper's last step, rust-libp2p's Stalled state),
     * so the rest of the k closest (and {@link #SPARES} more) are asked at once rather than alpha
     * per round trip. Stalling on one such answer rather than on alpha answers in a row that did
     * not change the closest candidate asks the last of the k closest about a round trip sooner.
     */
    private int parallelism() {
        return stalled ? k : alpha;
    }

    /** The k-th closest candidate that may still count among the k closest, or null when fewer are known. */
    private Peer kthLive() {
        int live = 0;
        int answered = 0;
        for (int i = 0; i < size; i++) {
            if (mayCount(i, answered) && ++live >= k) {
                return peers[i];
            }
            if (states[i] == SUCCEEDED) {
                answered++;
            }
        }
        return null;
    }

    private boolean closer(Peer a, Peer b) {
        int c = Long.compareUnsigned(a.distanceWord, b.distanceWord);
        return c != 0 ? c < 0 : target.compareDistance(a.contact.id(), b.contact.id()) < 0;
    }

    void onFailure(Peer p) {
        settle(p, FAILED);
    }

    /** {@code p} has not answered when it should have: its place goes to the next candidate. */
    void onSlow(Peer p) {
        int i = search(p.contact.id(), p.distanceWord);
        if (i >= 0 && states[i] == WAITING) {
            inFlight--;
            slow++;
            states[i] = SLOW;
        }
    }

    /** Up to {@code n} counted peers that answered, closest first, with the uncounted ones closer than them. */
    List<Peer> closestSucceeded(int n) {
        List<Peer> out = new ArrayList<>(n);
        int counted = 0;
        for (int i = 0; i < size && counted < n; i++) {
            if (states[i] == SUCCEEDED) {
                out.add(peers[i]);
                if (counts(words[i])) {
                    counted++;
                }
            }
        }
        return out;
    }

    int inFlight() {
        return inFlight;
    }

    /** Asked and neither answered nor timed out: those in flight and the slow ones. */
    int awaitingAnswers() {
        return inFlight + slow;
    }

    /** The candidates' ids, closest first (for tests). */
    List<NodeId> candidateIds() {
        return List.of(Arrays.copyOf(ids, size));
    }

    int queried() {
        return queried;
    }

    NodeId target() {
        return target;
    }

    private void settle(Peer p, byte outcome) {
        int i = search(p.contact.id(), p.distanceWord);
        if (i < 0) {
            return; // not a candidate of this path (never handed out by next)
        }
        if (states[i] == WAITING) {
            inFlight--;
        } else if (states[i] == SLOW) {
            slow--;
        }
        states[i] = outcome;
    }

    private void insert(int at, Peer p) {
        if (size == peers.length) {
            peers = Arrays.copyOf(peers, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
            words = Arrays.copyOf(words, size * 2);
            states = Arrays.copyOf(states, size * 2);
        }
        System.arraycopy(peers, at, peers, at + 1, size - at);
        System.arraycopy(ids, at, ids, at + 1, size - at);
        System.arraycopy(words, at, words, at + 1, size - at);
        System.arraycopy(states, at, states, at + 1, size - at);
        peers[at] = p;
        ids[at] = p.contact.id();
        words[at] = p.distanceWord;
        states[at] = NOT_CONTACTED;
        size++;
    }

    private void removeAt(int i) {
        System.arraycopy(peers, i + 1, peers, i, size - i - 1);
        System.arraycopy(ids, i + 1, ids, i, size - i - 1);
        System.arraycopy(words, i + 1, words, i, size - i - 1);
        System.arraycopy(states, i + 1, states, i, size - i - 1);
        ids[size - 1] = null;
        peers[--size] = null;
    }

    private void trimFarthestUncontacted() {
        for (int i = size - 1; i >= 0 && size > maxCandidates; i--) {
            if (states[i] == NOT_CONTACTED) {
                removeAt(i);
            }
        }
    }

    /** Index of the peer with {@code id}, or (-(insertion point) - 1) as in {@link java.util.Collections#binarySearch}. */
    private int search(NodeId id, long distanceWord) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(words[mid], distanceWord);
            if (c == 0) {
                c = target.compareDistance(ids[mid], id);
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
