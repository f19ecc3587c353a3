package dev.p2p.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.engine.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaneDealerTest {
    /** Datagrams arrive at the sent time plus the rounded delay, so that is what the promise is about. */
    private static long arrivalDelay(SimNetwork<String> net, Host a, Host b) {
        return Math.round(net.baseRoundTripMillis(a, b) / 2);
    }

    private static List<Host> hosts(SimNetwork<String> net, int n) {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hosts.add(net.newHost());
        }
        return hosts;
    }

    private static SimNetwork<String> network(Simulation sim, double meanAccessMillis) {
        NetworkConfig d = NetworkConfig.defaults();
        return new SimNetwork<>(sim, new NetworkConfig(meanAccessMillis, d.meanJitterMillis(), 0, 0, List.of(), false), null);
    }

    @Test
    void noDatagramBetweenLanesArrivesWithinTheLookahead() {
        for (double meanAccess : new double[] {0.5, 1, 5, 20}) {
            Simulation sim = new Simulation(3);
            SimNetwork<String> net = network(sim, meanAccess);
            List<Host> hosts = hosts(net, 2_000);
            long lookahead = net.lanes().lookaheadMillis();
            long least = Long.MAX_VALUE;
            for (Host a : hosts) {
                for (Host b : hosts) {
                    if (a.lane() != b.lane()) {
                        least = Math.min(least, arrivalDelay(net, a, b));
                    }
                }
            }
            assertTrue(least >= lookahead, "mean access " + meanAccess + ": " + least + " ms < lookahead " + lookahead);
        }
    }

    @Test
    void theDefaultNetworkGetsWindowsTwoAndAHalfTimesLongerWithTwoFifthsOfHostsInLaneZero() {
        Simulation sim = new Simulation(3);
        SimNetwork<String> net = network(sim, NetworkConfig.defaults().meanAccessDelayMillis());
        int[] perLane = new int[Simulation.LANES];
        for (Host h : hosts(net, 10_000)) {
            perLane[h.lane()]++;
        }
        assertEquals(5, net.lanes().lookaheadMillis());
        assertTrue(perLane[0] > 3_600 && perLane[0] < 4_200, "lane 0 holds " + perLane[0]);
        for (int i = 1; i < perLane.length; i++) {
            assertTrue(perLane[i] > 700 && perLane[i] < 1_000, "lane " + i + " holds " + perLane[i]);
        }
    }

    @Test
    void accessLinksWithNoSpreadAreDealtByNumberAsBefore() {
        Simulation sim = new Simulation(3);
        SimNetwork<String> net = network(sim, 0);
        for (Host h : hosts(net, 100)) {
            assertEquals(h.number() % Simulation.LANES, h.lane());
        }
        assertEquals(2, net.lanes().lookaheadMillis());
    }
}
