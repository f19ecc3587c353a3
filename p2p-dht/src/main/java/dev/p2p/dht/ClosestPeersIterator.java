package dev.p2p.dht;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The state of one iterative lookup, without I/O (after rust-libp2p's ClosestPeersIter): it keeps
 * the candidates seen so far ordered by distance to the target, says whom to ask next, and is fed
 * the answers. It ends when the k closest candidates that did not fail have all answered, or when
 * nobody is left to ask.
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
     * in flight, so the next candidate is asked, but the lookup still waits for its answer or timeout.
     */
    enum State { NOT_CONTACTED, WAITING, SUCCEEDED, FAILED, SKIPPED, SLOW }

    private static final byte NOT_CONTACTED = (byte) State.NOT_CONTACTED.ordinal();
    private static final byte WAITING = (byte) State.WAITING.ordinal();
    private static final byte SUCCEEDED = (byte) State.SUCCEEDED.ordinal();
    private static final byte FAILED = (byte) State.FAILED.ordinal();
    private static final byte SKIPPED = (byte) State.SKIPPED.ordinal();
    private static final byte SLOW = (byte) State.SLOW.ordinal();

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
    /** Answers in a row that brought no closer candidate. */
    private int answersWithoutProgress;
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
        for (int i = 0; i < contacts.size(); i++) { // indexed: the iterator was not optimised away
            Contact c = contacts.get(i);
            long w = c.idWord();
            if (w == selfWord && c.id().equals(self)) {
                continue;
            }
            long d = w ^ targetWord;
            int at = search(c.id(), d); // reads the id only on a tie of first words
            if (at < 0) {
                insert(-at - 1, new Peer(c, hop, d));
            }
        }
        trimFarthestUncontacted();
    }

    /**
     * The next peer to ask, marked as waiting; null when at capacity, finished or out of candidates.
     * Peers whose id or address is in {@code claimed} (asked by another disjoint path) are skipped for good.
     */
    Peer next(ClaimedNodes claimed) {
        if (inFlight >= parallelism()) {
            return null;
        }
        int live = 0;
        int answered = 0;
        for (int i = 0; i < size; i++) {
            byte s = states[i];
            if (s == SUCCEEDED) {
                answered++;
            } else if (s == SLOW && answered >= alpha) {
                continue; // not waited for: its place among the k goes to the next candidate too
            }
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
            if (s != FAILED && s != SKIPPED && counts(words[i]) && ++live >= k) {
                return null;
            }
        }
        return null;
    }

    /**
     * True when the k closest live candidates have answered, or nobody is left to ask or wait for.
     * A slow peer (its answer later than round trips predict, most often a node that left) is not
     * waited for once alpha candidates closer to the target than it have answered: those know the
     * target's neighbourhood at least as well as it does. A slow peer with fewer closer answers
     * is waited for (until it answers or times out): not waiting for those cost lookups their
     * closest node now and then, when the slow peer was the one that knew it.
     */
    boolean isFinished() {
        int counted = 0;
        int answered = 0;
        for (int i = 0; i < size; i++) {
            byte s = states[i];
            if (s == FAILED || s == SKIPPED || (s == SLOW && answered >= alpha)) {
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
        return true;
    }

    /** {@code p} answered, maybe after it was given up as failed (a late answer still counts). */
    void onSuccess(Peer p, List<Contact> closer) {
        settle(p, SUCCEEDED);
        Peer closestBefore = size > 0 ? peers[0] : null;
        int sizeBefore = size;
        addCandidates(closer, p.hop + 1);
        boolean progress = peers[0] != closestBefore || sizeBefore < k;
        answersWithoutProgress = progress ? 0 : answersWithoutProgress + 1;
    }

    /**
     * How many requests may be in flight: alpha while answers bring closer nodes; k once alpha
     * answers in a row brought none (the Kademlia paper's last step, rust-libp2p's Stalled
     * state), so the remaining closest nodes are asked at once rather than alpha per round trip.
     */
    private int parallelism() {
        return answersWithoutProgress >= alpha ? k : alpha;
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
