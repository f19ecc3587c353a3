package dev.p2p.transfer.schedule;

import dev.p2p.dht.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Decides which chunk to ask which peer for; no I/O, no clock, no threads. Time comes in as
 * {@code now} (nanoseconds on any monotonic scale), randomness from the seeded {@link Random}
 * given at construction, so a simulator can drive it and a seed replays a run.
 *
 * <p>Policy: rarest first among the chunks a peer has and nobody has been asked for (ties broken
 * by a random rotation); per peer as many requests in flight as its measured rate fills in
 * {@link SchedulerConfig#targetQueueNanos}, between min and max depth; when every missing chunk
 * is already requested, the endgame asks a second peer for chunks in flight elsewhere and cancels
 * the spare requests when one copy arrives. A peer whose chunk fails verification gets a strike
 * and is banned at {@link SchedulerConfig#strikesToBan}. A peer that delivers nothing for
 * {@link SchedulerConfig#stallNanos} loses its requests to others and is kept at depth one; if it
 * stalls again at depth one it is reported by {@link #stalledOut} for the caller to drop. A peer
 * that refuses a request as busy (its upload slots serve others) keeps its chunks but is asked for
 * nothing for a while ({@link #onChoked}).
 *
 * <p>Not thread-safe: the caller serialises calls (one event loop, or a lock).
 */
public final class ChunkScheduler {
    /** Stalls in a row after which a peer is reported by {@link #stalledOut}. */
    public static final int STALLS_TO_DROP = 2;
    /** How long a peer that refused a request as busy is left alone before it is asked again. */
    public static final long CHOKED_NANOS = 1_000_000_000L;
    /** The longest such wait: it doubles with each busy refusal in a row, up to this. */
    public static final long CHOKED_MAX_NANOS = 4_000_000_000L;
    private final int chunkCount;
    private final int chunkSize;
    private final SchedulerConfig config;
    private final Random random;
    private final BitSet done;
    private final int[] availability;
    private final int[] requestedFrom; // how many peers each chunk is in flight to
    /** Chunks not done, per availability: the lowest level in use ends a rarest-first scan early. */
    private int[] wantedAt;
    /** Grows whenever a chunk not done stops being in flight to anyone: it can be asked for again. */
    private long freed;
    private final Map<NodeId, PeerSlot> peers = new LinkedHashMap<>();
    private final Map<NodeId, Boolean> banned = new LinkedHashMap<>();

    /** @param done chunks already verified (from a resumed download); copied */
    public ChunkScheduler(int chunkCount, int chunkSize, BitSet done, SchedulerConfig config, Random random) {
        this.chunkCount = chunkCount;
        this.chunkSize = chunkSize;
        this.config = config;
        this.random = random;
        this.done = (BitSet) done.clone();
        this.availability = new int[chunkCount];
        this.requestedFrom = new int[chunkCount];
        this.wantedAt = new int[2];
        this.wantedAt[0] = chunkCount - this.done.cardinality();
    }

    /** {@code availability[c] += by}, keeping {@link #wantedAt} in step. */
    private void changeAvailability(int c, int by) {
        int from = availability[c];
        availability[c] = from + by;
        if (!done.get(c)) {
            if (from + by >= wantedAt.length) {
                wantedAt = Arrays.copyOf(wantedAt, Math.max(from + by + 1, wantedAt.length * 2));
            }
            wantedAt[from]--;
            wantedAt[from + by]++;
        }
    }

    /** The lowest availability, at least 1, of a chunk not done: no chunk a peer has is rarer. */
    private int rarestLevel() {
        for (int level = 1; level < wantedAt.length; level++) {
            if (wantedAt[level] > 0) {
                return level;
            }
        }
        return 1;
    }

    public boolean isComplete() {
        return done.cardinality() == chunkCount;
    }

    public int remaining() {
        return chunkCount - done.cardinality();
    }

    public boolean isDone(int chunk) {
        return done.get(chunk);
    }

    public boolean isBanned(NodeId peer) {
        return banned.containsKey(peer);
    }

    public List<NodeId> bannedPeers() {
        return List.copyOf(banned.keySet());
    }

    public boolean hasPeer(NodeId peer) {
        return peers.containsKey(peer);
    }

    public int requestsInFlight(NodeId peer) {
        PeerSlot s = peers.get(peer);
        return s == null ? 0 : s.inFlight.size();
    }

    /**
     * Whether {@code peer} announced a chunk this download does not have yet (asked of anyone or
     * not): a peer that has none can give us nothing until it announces more.
     */
    public boolean hasWanted(NodeId peer) {
        PeerSlot s = peers.get(peer);
        if (s == null) {
            return false;
        }
        for (int c = s.has.nextSetBit(0); c >= 0; c = s.has.nextSetBit(done.nextClearBit(c))) {
            if (!done.get(c)) {
                return true;
            }
        }
        return false;
    }

    /** Measured delivery rate of a peer in bytes per second (0 until measured). */
    public double rate(NodeId peer) {
        PeerSlot s = peers.get(peer);
        return s == null ? 0 : s.bytesPerSecond();
    }

    /** Adds a peer with the chunks it announced; a banned peer is ignored. Returns false if ignored. */
    public boolean addPeer(NodeId peer, BitSet has, long now) {
        if (banned.containsKey(peer) || peers.containsKey(peer)) {
            return false;
        }
        BitSet copy = (BitSet) has.clone();
        if (copy.length() > chunkCount) {
            copy.clear(chunkCount, copy.length());
        }
        peers.put(peer, new PeerSlot(copy, now));
        for (int c = copy.nextSetBit(0); c >= 0; c = copy.nextSetBit(c + 1)) {
            changeAvailability(c, 1);
        }
        return true;
    }

    /** The peer announced one more chunk. */
    public void peerHas(NodeId peer, int chunk) {
        PeerSlot s = peers.get(peer);
        if (s != null && chunk >= 0 && chunk < chunkCount && !s.has.get(chunk)) {
            s.has.set(chunk);
            s.hasVersion++;
            changeAvailability(chunk, 1);
        }
    }

    /** The peer left (or was dropped): its requests become free for others. */
    public void removePeer(NodeId peer) {
        PeerSlot s = peers.remove(peer);
        if (s == null) {
            return;
        }
        for (int c = s.has.nextSetBit(0); c >= 0; c = s.has.nextSetBit(c + 1)) {
            changeAvailability(c, -1);
        }
        for (int c : s.inFlight) {
            release(c);
        }
    }

    /** One peer fewer has chunk {@code c} in flight. */
    private void release(int c) {
        if (--requestedFrom[c] == 0 && !done.get(c)) {
            freed++;
        }
    }

    /**
     * Free places in a pipeline of {@code depth} that make a top-up: an eighth of it, at least
     * one. A full pipeline is topped up four chunks at a time, not one at a time as chunks
     * arrive: one burst of requests that the peer serves in one go. From 4 seeders on one
     * machine a 1 GiB get took 2.67 to 2.79 s against 3.02 to 3.17 s refilled chunk by chunk.
     */
    static int refillBatch(int depth) {
        return Math.max(1, depth / 8);
    }

    /** Chunks to request from {@code peer} now to fill its pipeline; they are recorded as in flight. */
    public List<Integer> nextRequests(NodeId peer, long now) {
        return nextRequests(peer, now, Integer.MAX_VALUE);
    }

    /** As {@link #nextRequests(NodeId, long)}, at most {@code max} chunks (a rate limit's share). */
    public List<Integer> nextRequests(NodeId peer, long now, int max) {
        PeerSlot s = peers.get(peer);
        if (s == null) {
            return List.of();
        }
        int depth = s.depth(config, chunkSize);
        int free = depth - s.inFlight.size();
        if (free <= 0 || now < s.chokedUntil || !s.inFlight.isEmpty() && free < refillBatch(depth)) {
            return List.of();
        }
        int slots = Math.min(max, free);
        if (slots <= 0) {
            return List.of();
        }
        if (s.inFlight.isEmpty()) {
            s.lastProgressNanos = now; // the stall clock runs only while something is owed
        }
        List<Integer> picked = pickRarest(s, slots, 0);
        if (picked.size() < slots) {
            picked.addAll(pickEndgame(s, slots - picked.size()));
        }
        for (int c : picked) {
            s.inFlight.add(c);
            requestedFrom[c]++;
        }
        return picked;
    }

    /**
     * Up to {@code slots} chunks {@code s} has, not done, requested from exactly {@code inFlight}
     * peers, lowest availability first; one pass from a random offset.
     */
    private List<Integer> pickRarest(PeerSlot s, int slots, int inFlight) {
        int levels = peers.size() + 1;
        int start = chunkCount == 0 ? 0 : random.nextInt(chunkCount);
        if (inFlight == 0 && s.nothingAtFreed == freed && s.nothingAtHas == s.hasVersion) {
            // nothing was found last time, and since then no chunk was freed and the peer announced none:
            // the scan would find nothing again (done only grows)
            return new ArrayList<>();
        }
        @SuppressWarnings("unchecked")
        List<Integer>[] byAvailability = new List[levels]; // a level's list is made when a chunk lands in it
        boolean found = false;
        int rarest = rarestLevel(); // a bucket of this level that is full cannot be bettered
        int foundAtRarest = 0;
        // from start to the end, then from 0 to start: only chunks the peer has and this download has not
        for (int round = 0; round < 2 && foundAtRarest < slots; round++) {
            int end = round == 0 ? chunkCount : start;
            for (int c = nextWanted(s, round == 0 ? start : 0, end); c >= 0 && foundAtRarest < slots; c = nextWanted(s, c + 1, end)) {
                // requestedFrom counts the peers a chunk is in flight to, so at 0 it is in no peer's set
                if (requestedFrom[c] != inFlight || inFlight > 0 && s.inFlight.contains(c)) {
                    continue;
                }
                int level = Math.min(availability[c], levels - 1);
                if (byAvailability[level] == null) {
                    byAvailability[level] = new ArrayList<>(Math.min(slots, 16));
                }
                List<Integer> bucket = byAvailability[level];
                if (bucket.size() < slots) {
                    bucket.add(c);
                    found = true;
                    if (availability[c] <= rarest) {
                        foundAtRarest++;
                    }
                }
            }
        }
        List<Integer> picked = new ArrayList<>(Math.min(slots, 64));
        if (inFlight == 0 && !found) {
            s.nothingAtFreed = freed;
            s.nothingAtHas = s.hasVersion;
            return picked;
        }
        for (List<Integer> bucket : byAvailability) {
            if (bucket == null) {
                continue;
            }
            for (int c : bucket) {
                if (picked.size() == slots) {
                    return picked;
                }
                picked.add(c);
            }
        }
        return picked;
    }

    /** The first chunk in [{@code from}, {@code end}) that {@code s} has and this download has not; -1 if none. */
    private int nextWanted(PeerSlot s, int from, int end) {
        int c = s.has.nextSetBit(from);
        while (c >= 0 && c < end && done.get(c)) {
            c = s.has.nextSetBit(done.nextClearBit(c));
        }
        return c >= 0 && c < end ? c : -1;
    }

    /** Endgame: nothing unrequested is left for this peer, so duplicate requests in flight elsewhere. */
    private List<Integer> pickEndgame(PeerSlot s, int slots) {
        List<Integer> picked = new ArrayList<>();
        for (int dup = 1; dup < config.endgameDuplicates() && picked.size() < slots; dup++) {
            if (!allMissingRequested()) {
                break;
            }
            picked.addAll(pickRarest(s, slots - picked.size(), dup));
        }
        return picked;
    }

    private boolean allMissingRequested() {
        for (int c = done.nextClearBit(0); c < chunkCount; c = done.nextClearBit(c + 1)) {
            if (requestedFrom[c] == 0 && availability[c] > 0) {
                return false;
            }
        }
        return true;
    }

    /** A chunk from {@code peer} passed verification. */
    public Outcome onVerified(NodeId peer, int chunk, int bytes, long now) {
        PeerSlot s = peers.get(peer);
        if (s != null) {
            if (s.inFlight.remove(chunk)) {
                requestedFrom[chunk]--;
            }
            s.delivered(bytes, now);
        }
        if (chunk < 0 || chunk >= chunkCount || done.get(chunk) || s == null) {
            return new Outcome.Drop();
        }
        done.set(chunk);
        wantedAt[availability[chunk]]--;
        List<Outcome.Cancel> cancels = new ArrayList<>();
        for (Map.Entry<NodeId, PeerSlot> e : peers.entrySet()) {
            if (e.getValue().inFlight.remove(chunk)) {
                requestedFrom[chunk]--;
                cancels.add(new Outcome.Cancel(e.getKey(), chunk));
            }
        }
        return new Outcome.Accept(cancels);
    }

    /** A chunk from {@code peer} failed verification: strike, maybe ban (then the peer is removed). */
    public Outcome onFailed(NodeId peer, int chunk, long now) {
        PeerSlot s = peers.get(peer);
        if (s == null) {
            return new Outcome.Reject(banned.containsKey(peer));
        }
        if (s.inFlight.remove(chunk)) {
            release(chunk);
        }
        s.strikes++;
        if (s.strikes >= config.strikesToBan()) {
            removePeer(peer);
            banned.put(peer, Boolean.TRUE);
            return new Outcome.Reject(true);
        }
        return new Outcome.Reject(false);
    }

    /**
     * The peer refused a request as busy (its upload slots serve others): the chunk is free for
     * other peers, and this one is asked for nothing until {@link #CHOKED_NANOS} have passed,
     * twice as long after each refusal in a row up to {@link #CHOKED_MAX_NANOS}, and then for one
     * chunk at a time until it delivers one: polling a busy peer costs a request and a refusal.
     */
    public void onChoked(NodeId peer, int chunk, long now) {
        PeerSlot s = peers.get(peer);
        if (s == null || chunk < 0 || chunk >= chunkCount) {
            return;
        }
        if (s.inFlight.remove(chunk)) {
            release(chunk);
        }
        if (now >= s.chokedUntil) { // the first refusal of this ask, not its pipeline's others
            s.chokedUntil = now + Math.min(CHOKED_MAX_NANOS, CHOKED_NANOS << Math.min(s.chokes, 8));
            s.chokes++;
        }
    }

    /** The peer refused a request: it does not have the chunk after all. */
    public void onRefused(NodeId peer, int chunk) {
        PeerSlot s = peers.get(peer);
        if (s == null || chunk < 0 || chunk >= chunkCount) {
            return;
        }
        if (s.inFlight.remove(chunk)) {
            release(chunk);
        }
        if (s.has.get(chunk)) {
            s.has.clear(chunk);
            changeAvailability(chunk, -1);
        }
    }

    /**
     * Peers owing chunks that delivered nothing for {@link SchedulerConfig#stallNanos}: their
     * requests are released for others and they drop to depth one. Returns the (peer, chunk)
     * requests released, so the caller can send cancels.
     */
    public List<Outcome.Cancel> releaseStalled(long now) {
        List<Outcome.Cancel> released = new ArrayList<>();
        for (Map.Entry<NodeId, PeerSlot> e : peers.entrySet()) {
            PeerSlot s = e.getValue();
            if (!s.inFlight.isEmpty() && now - s.lastProgressNanos >= config.stallNanos()) {
                for (int c : s.inFlight) {
                    release(c);
                    released.add(new Outcome.Cancel(e.getKey(), c));
                }
                s.inFlight.clear();
                s.snubbed = true;
                s.stalls++;
                s.lastProgressNanos = now;
            }
        }
        return released;
    }

    /**
     * Peers that stalled {@value #STALLS_TO_DROP} times in a row (the second time owing a single
     * chunk): they claim chunks they do not deliver, and the caller should disconnect them.
     */
    public List<NodeId> stalledOut() {
        List<NodeId> out = new ArrayList<>();
        for (Map.Entry<NodeId, PeerSlot> e : peers.entrySet()) {
            if (e.getValue().stalls >= STALLS_TO_DROP) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * Whether {@code peer} was still serving well at {@code now}: it delivered a verified chunk
     * within the stall time (so it has not stalled since) and has no strike.
     */
    public boolean servingWell(NodeId peer, long now) {
        PeerSlot s = peers.get(peer);
        return s != null && s.strikes == 0 && s.lastDeliveredNanos >= 0 && now - s.lastDeliveredNanos < config.stallNanos();
    }

    /** Missing chunks that no connected peer has: the download cannot finish with these peers. */
    public int missingWithoutSource() {
        int n = 0;
        for (int c = done.nextClearBit(0); c < chunkCount; c = done.nextClearBit(c + 1)) {
            if (availability[c] == 0) {
                n++;
            }
        }
        return n;
    }

    public List<NodeId> peers() {
        return List.copyOf(peers.keySet());
    }
}
