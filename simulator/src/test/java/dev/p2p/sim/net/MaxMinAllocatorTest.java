package dev.p2p.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The incremental allocation against progressive filling over every flow from nothing. */
class MaxMinAllocatorTest {
    /** Bytes per millisecond, as in the flash crowd's mix (1, 10, 20, 100, 500, 1000 Mbit/s), and unlimited. */
    private static final double[] CAPACITIES = {125, 1_250, 2_500, 12_500, 62_500, 125_000, Double.POSITIVE_INFINITY};

    @Test
    void afterEveryChangeEachFlowHasTheRateAFullRecomputeGivesIt() {
        long allocations = 0;
        long full = 0;
        long filled = 0;
        long flowsSeen = 0;
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            List<Link[]> hosts = new ArrayList<>();
            for (int h = 0; h < 60; h++) {
                hosts.add(new Link[] {new Link(capacity(random)), new Link(capacity(random))});
            }
            MaxMinAllocator allocator = new MaxMinAllocator();
            List<Flow> flows = new ArrayList<>();
            for (int step = 0; step < 400; step++) {
                int changes = 1 + random.nextInt(3);
                for (int c = 0; c < changes; c++) {
                    if (flows.size() > 20 && random.nextInt(flows.size()) > 100) {
                        allocator.remove(flows.remove(random.nextInt(flows.size())));
                    } else {
                        int from = random.nextInt(hosts.size());
                        int to = (from + 1 + random.nextInt(hosts.size() - 1)) % hosts.size();
                        Flow f = new Flow(hosts.get(from)[0], hosts.get(to)[1]);
                        flows.add(f);
                        allocator.add(f);
                    }
                }
                allocator.allocate();
                assertMaxMinFair(flows, "seed " + seed + ", step " + step);
                flowsSeen += flows.size();
            }
            allocations += allocator.allocations();
            full += allocator.fullAllocations();
            filled += allocator.flowsFilled();
        }
        // the point of the incremental allocation: a change reaches a few flows, not all of them
        assertTrue(full * 20 < allocations, full + " of " + allocations + " allocations filled every flow");
        assertTrue(filled * 4 < flowsSeen, filled + " flows filled again of " + flowsSeen + " there");
    }

    @Test
    void aFlowAddedToAFullLinkSlowsItsNeighboursAndTheNeighboursOfThoseGainWhatTheyFree() {
        // A's uplink (10) carries A->B and A->C; C's downlink (12) carries A->C and D->C; D's uplink is wide.
        // Before: A->B 5, A->C 5, D->C 7. A third flow A->E takes a third of A: A->C drops to 10/3,
        // and D->C, two links away from the change, rises to 12 - 10/3.
        Link aUp = new Link(10);
        Link cDown = new Link(12);
        Link dUp = new Link(100);
        Link wide = new Link(Double.POSITIVE_INFINITY);
        MaxMinAllocator allocator = new MaxMinAllocator();
        Flow ab = new Flow(aUp, new Link(Double.POSITIVE_INFINITY));
        Flow ac = new Flow(aUp, cDown);
        Flow dc = new Flow(dUp, cDown);
        for (Flow f : List.of(ab, ac, dc)) {
            allocator.add(f);
        }
        allocator.allocate();
        assertEquals(7, dc.rate, 1e-9);
        allocator.add(new Flow(aUp, wide));
        allocator.allocate();
        assertEquals(10.0 / 3, ac.rate, 1e-9);
        assertEquals(12 - 10.0 / 3, dc.rate, 1e-9);
    }

    private static double capacity(Random random) {
        return CAPACITIES[random.nextInt(CAPACITIES.length)];
    }

    static void assertMaxMinFair(List<Flow> flows, String where) {
        List<Link> ups = new ArrayList<>();
        List<Link> downs = new ArrayList<>();
        for (Flow f : flows) {
            ups.add(f.up);
            downs.add(f.down);
        }
        double[] expected = MaxMinReference.rates(ups, downs);
        for (int i = 0; i < flows.size(); i++) {
            double rate = flows.get(i).rate;
            if (expected[i] == Double.POSITIVE_INFINITY) {
                assertEquals(expected[i], rate, where + ", flow " + i);
            } else {
                assertEquals(expected[i], rate, expected[i] * 1e-7, where + ", flow " + i);
            }
        }
    }
}
