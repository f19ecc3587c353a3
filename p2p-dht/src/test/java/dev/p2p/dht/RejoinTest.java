package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rejoin's schedule on its own, then a partition healed by it between real nodes, in virtual time. */
class RejoinTest {
    final VirtualNetwork net = new VirtualNetwork(1);
    final Random random = new Random(1);
    final RoutingTable table = new RoutingTable(NodeId.random(random), DhtConfig.defaults());
    final List<Long> pingedAt = new ArrayList<>();
    final List<InetSocketAddress> pinged = new ArrayList<>();
    final Rejoin rejoin = new Rejoin(net.environment(random, (from, to, m) -> { }), table, a -> {
        pinged.add(a);
        pingedAt.add(net.now);
    });

    Contact contact(int i) {
        return new Contact(NodeId.random(random), VirtualNetwork.address(10, 77, i / 250, i % 250 + 1, 4000));
    }

    /** Loses {@code n} contacts at once, numbered from {@code first}: a burst when {@code n >= 4}. */
    List<Contact> lose(int first, int n) {
        List<Contact> lost = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            lost.add(contact(i));
            rejoin.lost(lost.get(lost.size() - 1), net.now);
        }
        return lost;
    }

    @Test
    void contactsLostInABurstArePingedAfterTenSecondsThenHalfAsOftenEachTimeAndGivenUpAfterSixPings() {
        rejoin.start();
        lose(0, Rejoin.BURST_LOSSES);
        net.runFor(60 * 60_000);
        List<Long> seconds = new ArrayList<>();
        for (long t : new java.util.TreeSet<>(pingedAt)) {
            seconds.add(t / 1000);
        }
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 320L), seconds, "twice as long each time, from 10 s");
        assertEquals(6 * Rejoin.BURST_LOSSES, pinged.size());
        assertEquals(0, rejoin.remembered());
    }

    @Test
    void contactsLostOneAtATimeAsUnderChurnAreNotPinged() {
        rejoin.start();
        for (int i = 0; i < 20; i++) {
            rejoin.lost(contact(i), net.now);
            net.runFor(Rejoin.BURST_WINDOW_MILLIS / (Rejoin.BURST_LOSSES - 1) + 1);
        }
        net.runFor(60 * 60_000);
        assertTrue(pinged.isEmpty(), pinged.toString());
        assertTrue(rejoin.remembered() < Rejoin.BURST_LOSSES, "only the last window's losses are kept");
    }

    @Test
    void contactsSilentForLongAreNoSignOfACut() {
        rejoin.start();
        net.runFor(60 * 60_000);
        for (int i = 0; i < 10; i++) {
            rejoin.lost(contact(i), net.now - Rejoin.RECENTLY_SEEN_MILLIS - 1); // a ping sweep's dead
        }
        net.runFor(60 * 60_000);
        assertTrue(pinged.isEmpty(), pinged.toString());
        assertEquals(0, rejoin.remembered());
    }

    @Test
    void anAnswerOrAReturnToTheTableEndsThePings() {
        rejoin.start();
        List<Contact> lost = lose(0, Rejoin.BURST_LOSSES);
        net.runFor(10_000);
        assertEquals(Rejoin.BURST_LOSSES, pinged.size());
        for (Contact c : lost.subList(0, 2)) {
            rejoin.answered(c.address(), c.id());
        }
        for (Contact c : lost.subList(2, Rejoin.BURST_LOSSES)) {
            table.offer(c, net.now);
        }
        net.runFor(10 * 60_000);
        assertEquals(Rejoin.BURST_LOSSES, pinged.size(), "nobody left to ping: " + pinged);
        assertEquals(0, rejoin.remembered());
    }

    @Test
    void aStandingSeedIsPingedUntilItAnswersThenRestsUntilItLeavesTheTable() {
        rejoin.start();
        InetSocketAddress seed = VirtualNetwork.address(10, 78, 0, 1, 4000);
        rejoin.seeds(List.of(seed));
        net.runFor(10_000);
        assertEquals(List.of(seed), pinged);
        NodeId seedId = NodeId.random(random);
        rejoin.answered(seed, seedId);
        net.runFor(60 * 60_000);
        assertEquals(1, pinged.size(), "a seed in good standing is left alone");
        assertEquals(1, rejoin.remembered(), "and never forgotten");
        rejoin.lost(new Contact(seedId, seed), 0);
        net.runFor(10_000);
        assertEquals(List.of(seed, seed), pinged, "even when lost alone");
    }

    @Test
    void theFirstThreeSeedsOutOfTheTableAreNeverGivenUp() {
        rejoin.start();
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            seeds.add(VirtualNetwork.address(10, 78, 0, i, 4000));
        }
        rejoin.seeds(seeds);
        net.runFor(3 * 60 * 60_000);
        assertEquals(Set.copyOf(seeds.subList(0, Rejoin.STANDING_SEEDS)), Set.copyOf(pinged));
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < pinged.size(); i++) {
            if (pinged.get(i).equals(seeds.get(0))) {
                first.add(pingedAt.get(i));
            }
        }
        assertTrue(first.size() >= 14, "pinged " + first.size() + " times in three hours: " + first);
        for (int i = 1; i < first.size(); i++) {
            assertTrue(first.get(i) - first.get(i - 1) <= 1.5 * Rejoin.SEED_MAX_INTERVAL_MILLIS, "about 21 minutes apart at most");
        }
    }

    @Test
    void pingTimesOfDifferentAgesShareRounds() {
        rejoin.start();
        lose(0, 4);
        net.runFor(37_000);
        lose(4, 4);
        net.runFor(60 * 60_000);
        assertEquals(48, pinged.size());
        assertEquals(9, new HashSet<>(pingedAt).size(), "at 10, 20, 40 s, then 50, 60, 80 (both), 160 (both), ...: "
                + new java.util.TreeSet<>(pingedAt));
    }

    @Test
    void atMostEightPingsARoundAndSixtyFourLostContactsRemembered() {
        rejoin.start();
        lose(0, 100);
        assertEquals(Rejoin.MAX_REMEMBERED, rejoin.remembered());
        net.runFor(10_000);
        assertEquals(Rejoin.PINGS_PER_ROUND, pinged.size());
        net.runFor(10_000);
        assertEquals(2 * Rejoin.PINGS_PER_ROUND, new HashSet<>(pinged).size(), "the next round takes the next eight");
        assertTrue(pinged.contains(VirtualNetwork.address(10, 77, 0, 37, 4000)), "the oldest 36 were forgotten first");
    }

    @Test
    void noTimerRunsWhileNothingIsLostOrAfterStop() {
        rejoin.start();
        net.runFor(60 * 60_000);
        assertTrue(pinged.isEmpty());
        lose(0, 4);
        rejoin.stop();
        net.runFor(60 * 60_000);
        assertTrue(pinged.isEmpty());
    }

    /**
     * Two halves lose each other for five minutes, long enough for lookups to drop every contact
     * across the cut; after the heal, with no lookups running (nothing else would cross), the
     * rejoin pings find the other side again within about the cut's length (the lost contacts'
     * pings are by then 160 to 320 s apart); then lookups bring every node back across.
     */
    @Test
    void aPartitionHealsThroughRejoin() {
        VirtualNetwork world = new VirtualNetwork(7);
        int n = 40;
        for (int i = 0; i < n; i++) {
            world.addNode(world.addressOf(i), DhtConfig.defaults());
        }
        for (DhtNode node : world.nodes.subList(1, n)) {
            node.bootstrap(List.of(world.addressOf(0)), r -> { });
            world.runFor(200);
        }
        world.runFor(30_000);
        Set<InetSocketAddress> half = new HashSet<>();
        for (int i = n / 2; i < n; i++) {
            half.add(world.addressOf(i));
        }
        int before = crossings(world, half);
        world.cutOff = half;
        for (int t = 0; t < 30; t++) { // five minutes of lookups: contacts across the cut fail and leave
            for (DhtNode node : world.nodes) {
                node.lookupNode(NodeId.random(world.random), r -> { });
            }
            world.runFor(10_000);
        }
        int during = crossings(world, half);
        world.cutOff = null;
        world.runFor(3 * 60_000);
        int after = crossings(world, half);
        assertTrue(during < before / 4, "the cut emptied the tables across it: " + before + " -> " + during);
        assertTrue(after > before / 4, "three minutes after the heal: " + during + " -> " + after + " of " + before);
        for (int t = 0; t < 6; t++) { // and once lookups run again, they lead everyone back across
            for (DhtNode node : world.nodes) {
                node.lookupNode(NodeId.random(world.random), r -> { });
            }
            world.runFor(10_000);
        }
        for (int i = 0; i < n; i++) {
            assertTrue(crossings(world.nodes.get(i), half, half.contains(world.addressOf(i))) > 0, "node " + i + " is back across");
        }
    }

    private static int crossings(VirtualNetwork world, Set<InetSocketAddress> half) {
        int sum = 0;
        for (int i = 0; i < world.nodes.size(); i++) {
            sum += crossings(world.nodes.get(i), half, half.contains(world.addressOf(i)));
        }
        return sum;
    }

    private static int crossings(DhtNode node, Set<InetSocketAddress> half, boolean inHalf) {
        int count = 0;
        for (Contact c : node.routingTable().contacts()) {
            count += half.contains(c.address()) != inHalf ? 1 : 0;
        }
        return count;
    }
}
