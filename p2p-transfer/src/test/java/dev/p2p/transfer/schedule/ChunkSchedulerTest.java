package dev.p2p.transfer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.NodeId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkSchedulerTest {
    static final NodeId A = NodeId.sha256(new byte[] {1});
    static final NodeId B = NodeId.sha256(new byte[] {2});
    static final int CHUNK = 1000;

    static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }

    static ChunkScheduler scheduler(int chunks, SchedulerConfig config, long seed) {
        return new ChunkScheduler(chunks, CHUNK, new BitSet(), config, new Random(seed));
    }

    @Test
    void asksForTheRarestChunksFirst() {
        ChunkScheduler s = scheduler(10, SchedulerConfig.DEFAULTS, 1);
        s.addPeer(A, range(0, 10), 0);
        s.addPeer(B, range(0, 5), 0);
        s.removePeer(A);
        s.addPeer(A, range(0, 10), 0);
        List<Integer> asked = s.nextRequests(A, 0);
        assertEquals(SchedulerConfig.DEFAULTS.initialDepth(), asked.size());
        assertTrue(asked.stream().allMatch(c -> c >= 5), "only A has 5..9: " + asked);
    }

    @Test
    void onlyAPeerThatDeliveredWithinTheStallTimeAndWasNeverStruckIsServingWell() {
        long stall = SchedulerConfig.DEFAULTS.stallNanos();
        ChunkScheduler s = scheduler(10, SchedulerConfig.DEFAULTS, 3);
        s.addPeer(A, range(0, 10), 0);
        s.addPeer(B, range(0, 10), 0);
        List<Integer> fromA = s.nextRequests(A, 0);
        List<Integer> fromB = s.nextRequests(B, 0);
        assertFalse(s.servingWell(A, 0), "nothing delivered yet");

        s.onVerified(A, fromA.get(0), CHUNK, 1_000);
        s.onVerified(B, fromB.get(0), CHUNK, 1_000);
        s.onFailed(B, fromB.get(1), 2_000);

        assertTrue(s.servingWell(A, 1_000 + stall - 1), "delivered within the stall time");
        assertFalse(s.servingWell(A, 1_000 + stall), "its last chunk is a stall time old: it stalled or had nothing to send");
        assertFalse(s.servingWell(B, 2_000), "struck, though it also delivered");
    }

    @Test
    void everyPickIsAmongTheRarestChunksThePeerCouldBeAsked() {
        Random r = new Random(11);
        int chunks = 300;
        ChunkScheduler s = scheduler(chunks, SchedulerConfig.DEFAULTS, 5);
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(NodeId.sha256(new byte[] {(byte) (10 + i)}));
        }
        Map<NodeId, BitSet> has = new HashMap<>();
        Map<NodeId, Set<Integer>> owed = new HashMap<>();
        int checkedPicks = 0;
        for (long t = 0; !s.isComplete() && t < 20_000; t++) {
            NodeId p = ids.get(r.nextInt(ids.size()));
            int action = r.nextInt(12);
            if (!has.containsKey(p)) {
                BitSet b = new BitSet();
                r.ints(r.nextInt(chunks), 0, chunks).forEach(b::set);
                assertTrue(s.addPeer(p, b, t));
                has.put(p, b);
                owed.put(p, new HashSet<>());
            } else if (action == 0) {
                int c = r.nextInt(chunks);
                s.peerHas(p, c);
                has.get(p).set(c);
            } else if (action == 1) {
                s.removePeer(p);
                has.remove(p);
                owed.remove(p);
            } else if (action < 5 && !owed.get(p).isEmpty()) {
                int c = owed.get(p).iterator().next();
                owed.get(p).remove(c);
                s.onVerified(p, c, CHUNK, t);
                owed.values().forEach(o -> o.remove(c)); // the others' copies are cancelled
            } else {
                Set<Integer> inFlight = new HashSet<>();
                owed.values().forEach(inFlight::addAll);
                List<Integer> picked = s.nextRequests(p, t);
                int rarestNotPicked = Integer.MAX_VALUE;
                int rarestPicked = 0;
                for (int c = has.get(p).nextSetBit(0); c >= 0; c = has.get(p).nextSetBit(c + 1)) {
                    if (s.isDone(c) || inFlight.contains(c)) {
                        continue;
                    }
                    int availability = 0;
                    for (BitSet b : has.values()) {
                        availability += b.get(c) ? 1 : 0;
                    }
                    if (picked.contains(c)) {
                        rarestPicked = Math.max(rarestPicked, availability);
                    } else {
                        rarestNotPicked = Math.min(rarestNotPicked, availability);
                    }
                }
                assertTrue(rarestPicked <= rarestNotPicked, "at " + t + " " + p + " got " + picked
                        + " while a chunk of availability " + rarestNotPicked + " was left");
                checkedPicks += picked.size();
                owed.get(p).addAll(picked);
            }
        }
        assertTrue(checkedPicks > 300, "the run asked for chunks: " + checkedPicks);
    }

    @Test
    void pipelineDepthFollowsRateWithinBounds() {
        SchedulerConfig cfg = new SchedulerConfig(2, 8, 3, 1_000_000_000L, 10_000_000_000L, 3, 2);
        ChunkScheduler s = scheduler(1000, cfg, 2);
        s.addPeer(A, range(0, 1000), 0);
        List<Integer> first = s.nextRequests(A, 0);
        assertEquals(3, first.size());
        long now = 0;
        for (int c : first) { // 3000 bytes in 300 ms: 10 kB/s, wants 10 chunks a second, capped at 8
            now += 100_000_000L;
            assertInstanceOf(Outcome.Accept.class, s.onVerified(A, c, CHUNK, now));
        }
        assertEquals(8, s.nextRequests(A, now).size());
        assertEquals(8, s.requestsInFlight(A));
        assertTrue(s.nextRequests(A, now).isEmpty(), "never beyond max depth");
    }

    @Test
    void aDeepPipelineIsToppedUpAnEighthAtATime() {
        SchedulerConfig cfg = new SchedulerConfig(2, 32, 32, 1_000_000_000L, 10_000_000_000L, 3, 2);
        ChunkScheduler s = scheduler(1000, cfg, 3);
        s.addPeer(A, range(0, 1000), 0);
        List<Integer> owed = new ArrayList<>(s.nextRequests(A, 0));
        assertEquals(32, owed.size());
        for (int i = 1; i <= 3; i++) {
            s.onVerified(A, owed.remove(0), CHUNK, i);
            assertTrue(s.nextRequests(A, i).isEmpty(), i + " free of 32: not yet");
        }
        s.onVerified(A, owed.remove(0), CHUNK, 4);
        assertEquals(4, s.nextRequests(A, 4).size(), "4 free: one top-up of 4");
        assertEquals(32, s.requestsInFlight(A));
    }

    @Test
    void endgameDuplicatesTheLastChunksAndCancelsTheSpare() {
        ChunkScheduler s = scheduler(2, SchedulerConfig.DEFAULTS, 3);
        s.addPeer(A, range(0, 2), 0);
        assertEquals(2, s.nextRequests(A, 0).size());
        s.addPeer(B, range(0, 2), 0);
        List<Integer> dup = s.nextRequests(B, 0);
        assertEquals(2, dup.size(), "endgame asks B for what A owes");
        Outcome.Accept a = (Outcome.Accept) s.onVerified(A, 0, CHUNK, 1);
        assertEquals(List.of(new Outcome.Cancel(B, 0)), a.cancels());
        assertInstanceOf(Outcome.Drop.class, s.onVerified(B, 0, CHUNK, 2), "late duplicate dropped");
        assertInstanceOf(Outcome.Accept.class, s.onVerified(B, 1, CHUNK, 3));
        assertTrue(s.isComplete());
    }

    @Test
    void badChunksStrikeThenBanAndTheChunkIsAskedAgain() {
        ChunkScheduler s = scheduler(10, SchedulerConfig.DEFAULTS, 4);
        s.addPeer(A, range(0, 10), 0);
        s.addPeer(B, range(0, 10), 0);
        for (int strike = 1; strike <= 3; strike++) {
            int c = s.nextRequests(A, 0).get(0);
            Outcome.Reject r = (Outcome.Reject) s.onFailed(A, c, 0);
            assertEquals(strike == 3, r.banned());
        }
        assertTrue(s.isBanned(A));
        assertFalse(s.addPeer(A, range(0, 10), 0), "a banned peer stays out");
        List<Integer> all = new ArrayList<>();
        for (int round = 0; round < 10 && !s.isComplete(); round++) {
            for (int c : s.nextRequests(B, round)) {
                all.add(c);
                s.onVerified(B, c, CHUNK, round);
            }
        }
        assertTrue(s.isComplete(), "B delivers everything, including what A failed: " + all);
    }

    @Test
    void stalledPeerLosesItsRequests() {
        ChunkScheduler s = scheduler(10, SchedulerConfig.DEFAULTS, 5);
        s.addPeer(A, range(0, 10), 0);
        int owed = s.nextRequests(A, 0).size();
        assertTrue(s.releaseStalled(1_000_000_000L).isEmpty());
        assertEquals(owed, s.releaseStalled(SchedulerConfig.DEFAULTS.stallNanos()).size());
        assertEquals(0, s.requestsInFlight(A));
        assertEquals(1, s.nextRequests(A, SchedulerConfig.DEFAULTS.stallNanos()).size(), "snubbed peer gets one at a time");
    }

    @Test
    void sameSeedSameChoices() {
        assertEquals(run(7), run(7));
    }

    private static List<Integer> run(long seed) {
        ChunkScheduler s = scheduler(500, SchedulerConfig.DEFAULTS, seed);
        s.addPeer(A, range(0, 500), 0);
        s.addPeer(B, range(100, 400), 0);
        List<Integer> order = new ArrayList<>();
        for (long t = 0; !s.isComplete(); t += 1_000_000) {
            for (NodeId p : List.of(A, B)) {
                for (int c : s.nextRequests(p, t)) {
                    order.add(c);
                    s.onVerified(p, c, CHUNK, t);
                }
            }
        }
        return order;
    }

    @Test
    void aPeerThatRefusesAsBusyFreesItsChunksForOthersAndIsAskedAgainASecondLater() {
        ChunkScheduler s = scheduler(4, SchedulerConfig.DEFAULTS, 5);
        s.addPeer(A, range(0, 4), 0);
        List<Integer> asked = s.nextRequests(A, 0);
        for (int c : asked) {
            s.onChoked(A, c, 10);
        }
        assertEquals(0, s.requestsInFlight(A));
        assertTrue(s.nextRequests(A, 20).isEmpty(), "a busy peer is left alone for a while");
        s.addPeer(B, range(0, 4), 20);
        assertEquals(asked.size(), s.nextRequests(B, 20).size(), "its chunks go to another peer, not to the endgame");
        s.removePeer(B);
        assertEquals(0, s.missingWithoutSource(), "A still has them: a busy peer is no lost source");
        long again = 10 + ChunkScheduler.CHOKED_NANOS;
        List<Integer> probe = s.nextRequests(A, again);
        assertEquals(1, probe.size(), "asked again once the wait is over, for one chunk");
        s.onChoked(A, probe.get(0), again + 10);
        assertTrue(s.nextRequests(A, again + 10 + ChunkScheduler.CHOKED_NANOS).isEmpty(), "busy twice in a row: a longer wait");
        List<Integer> next = s.nextRequests(A, again + 10 + 2 * ChunkScheduler.CHOKED_NANOS);
        assertEquals(1, next.size());
        s.onVerified(A, next.get(0), CHUNK, again + 20 + 2 * ChunkScheduler.CHOKED_NANOS);
        assertTrue(s.nextRequests(A, again + 20 + 2 * ChunkScheduler.CHOKED_NANOS).size() > 1,
                "once it sends a chunk, its pipeline fills again");
    }

    @Test
    void aPeerIsWantedOnlyWhileItHasAChunkNotDoneYet() {
        ChunkScheduler s = new ChunkScheduler(4, CHUNK, range(0, 2), SchedulerConfig.DEFAULTS, new Random(6));
        s.addPeer(A, range(0, 2), 0);
        s.addPeer(B, range(1, 4), 0);
        assertFalse(s.hasWanted(A), "A has only chunks already done");
        assertTrue(s.hasWanted(B));
        for (int c : s.nextRequests(B, 0)) {
            s.onVerified(B, c, CHUNK, 1);
        }
        assertTrue(s.isComplete());
        assertFalse(s.hasWanted(B), "nothing is wanted from anyone once complete");
    }
}
