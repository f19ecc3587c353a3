package dev.p2p.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lanes: the same run on one thread or several, and the rules that make that hold. */
class LanesTest {
    private static final long LOOKAHEAD = 3;
    private static final int HOSTS = 40;

    /**
     * Hosts bounce messages at each other across lanes (delays at least the lookahead, drawn from
     * the sender's lane), keep timers, and report to the world; the world changes a value the
     * hosts read. Everything each host saw, in order, is its log.
     */
    private static List<List<String>> chatter(int threads) {
        Simulation sim = new Simulation(9, threads);
        sim.parallelFromEventsPerWindow(0);
        sim.limitLookahead(LOOKAHEAD);
        List<List<String>> logs = new ArrayList<>();
        for (int h = 0; h < HOSTS; h++) {
            logs.add(new ArrayList<>());
        }
        long[] worldValue = {0};
        List<String> worldLog = new ArrayList<>();
        logs.add(worldLog);
        class Net {
            void send(int from, int to, int hopsLeft) {
                Lane lane = laneOf(sim, from);
                long at = lane.nowMillis() + LOOKAHEAD + lane.random().nextInt(20);
                sim.post(lane, laneOf(sim, to), at, () -> receive(to, from, hopsLeft));
            }

            void receive(int self, int from, int hopsLeft) {
                Lane lane = laneOf(sim, self);
                logs.get(self).add(lane.nowMillis() + " from " + from + " world " + worldValue[0]);
                if (hopsLeft == 0) {
                    sim.inWorld(() -> worldLog.add(sim.nowMillis() + " done at " + self));
                    return;
                }
                Random r = lane.random();
                send(self, r.nextInt(HOSTS), hopsLeft - 1);
                if (r.nextInt(4) == 0) {
                    lane.schedule(r.nextInt(5), () -> logs.get(self).add(lane.nowMillis() + " timer"));
                }
            }
        }
        Net net = new Net();
        for (int h = 0; h < HOSTS; h++) {
            int from = h;
            sim.scheduleAt(h % 7, () -> net.send(from, (from * 7 + 3) % HOSTS, 200));
        }
        for (long t = 5; t < 3_000; t += 11) {
            sim.scheduleAt(t, () -> worldValue[0]++);
        }
        sim.runUntil(10_000);
        assertEquals(10_000, sim.nowMillis());
        return logs;
    }

    @Test
    void oneThreadOrSeveralGiveTheSameRun() {
        List<List<String>> serial = chatter(1);
        assertEquals(serial, chatter(2));
        assertEquals(serial, chatter(4)); // as many threads as lanes where the machine has the cores
        assertEquals(HOSTS, serial.get(HOSTS).size(), "every chain of messages ended and told the world");
        for (List<String> log : serial) {
            long last = -1;
            for (String line : log) {
                long t = Long.parseLong(line.substring(0, line.indexOf(' ')));
                assertTrue(t >= last, "time never runs backwards in one host's log: " + log);
                last = t;
            }
        }
    }

    @Test
    void aTaskDueInsideTheWindowForAnotherLaneIsRefused() {
        Simulation sim = new Simulation(1, 2);
        sim.parallelFromEventsPerWindow(0);
        sim.limitLookahead(5);
        Lane a = laneOf(sim, 0);
        Lane b = laneOf(sim, 1);
        sim.post(a, a, 1, () -> sim.post(a, b, a.nowMillis() + 1, () -> {}));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sim.runUntil(100));
        assertTrue(e.getMessage().contains("lookahead"), e.getMessage());
    }

    @Test
    void aHostsEventHandsWorldWorkOverInsteadOfSchedulingIt() {
        Simulation sim = new Simulation(1);
        sim.limitLookahead(5);
        Lane a = laneOf(sim, 0);
        List<Long> seen = new ArrayList<>();
        a.schedule(2, () -> {
            assertThrows(IllegalStateException.class, () -> sim.schedule(1, () -> {}));
            sim.inWorld(() -> seen.add(sim.nowMillis()));
            seen.add(-1L); // runs first: the world's part waits for the window's end
        });
        sim.runUntil(100);
        assertEquals(List.of(-1L, 6L), seen, "handed over at the end of the window [2, 7)");
    }

    /** Hosts dealt into lanes by number, as the simulator's network does when access links are all alike. */
    private static Lane laneOf(Simulation sim, int host) {
        return sim.lane(Math.floorMod(host, Simulation.LANES));
    }
}
