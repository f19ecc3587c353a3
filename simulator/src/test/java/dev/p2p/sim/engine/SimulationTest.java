package dev.p2p.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
    @Test
    void runsByTimeThenByOrderOfScheduling() {
        Simulation sim = new Simulation(1);
        List<String> ran = new ArrayList<>();
        sim.schedule(20, () -> ran.add("b@20"));
        sim.schedule(10, () -> ran.add("a@10"));
        sim.schedule(20, () -> ran.add("c@20"));
        sim.schedule(10, () -> {
            ran.add("d@10");
            sim.schedule(0, () -> ran.add("e@10, scheduled while running"));
        });
        sim.runUntil(100);
        assertEquals(List.of("a@10", "d@10", "e@10, scheduled while running", "b@20", "c@20"), ran);
        assertEquals(100, sim.nowMillis());
        assertEquals(5, sim.eventsRun());
    }

    @Test
    void cancelledTasksDoNotRunAndTheClockStopsAtTheEnd() {
        Simulation sim = new Simulation(1);
        List<Long> ran = new ArrayList<>();
        ScheduledTask t = sim.schedule(5, () -> ran.add(sim.nowMillis()));
        sim.schedule(7, () -> ran.add(sim.nowMillis()));
        sim.schedule(50, () -> ran.add(sim.nowMillis()));
        t.cancel();
        sim.runUntil(10);
        assertEquals(List.of(7L), ran);
        assertEquals(10, sim.nowMillis());
        sim.runUntil(50);
        assertEquals(List.of(7L, 50L), ran);
    }

    @Test
    void manyEventsComeOutInOrder() {
        Simulation sim = new Simulation(3);
        long[] last = {-1};
        int[] count = {0};
        for (int i = 0; i < 100_000; i++) {
            sim.schedule(sim.random().nextInt(1_000_000), () -> {
                if (sim.nowMillis() < last[0]) {
                    throw new AssertionError("time went backwards");
                }
                last[0] = sim.nowMillis();
                count[0]++;
            });
        }
        sim.runUntil(Long.MAX_VALUE - 1);
        assertEquals(100_000, count[0]);
    }

    @Test
    void cancellingHalfTheTasksLeavesTheRestInOrder() {
        Simulation sim = new Simulation(4);
        List<ScheduledTask> tasks = new ArrayList<>();
        long[] last = {-1};
        int[] count = {0};
        for (int i = 0; i < 20_000; i++) {
            tasks.add(sim.schedule(sim.random().nextInt(100_000), () -> {
                if (sim.nowMillis() < last[0]) {
                    throw new AssertionError("time went backwards");
                }
                last[0] = sim.nowMillis();
                count[0]++;
            }));
        }
        for (int i = 0; i < tasks.size(); i += 2) {
            tasks.get(i).cancel();
            tasks.get(i).cancel(); // twice is harmless
        }
        sim.runUntil(200_000);
        assertEquals(10_000, count[0]);
        assertEquals(10_000, sim.eventsRun());
        assertEquals(0, sim.pending());
    }

    @Test
    void theSameSeedGivesTheSameDraws() {
        Simulation a = new Simulation(42);
        Simulation b = new Simulation(42);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.random().nextLong(), b.random().nextLong());
        }
        assertEquals(a.newChildRandom().nextInt(), b.newChildRandom().nextInt());
    }

    @Test
    void refusesThePast() {
        Simulation sim = new Simulation(1);
        sim.runUntil(10);
        assertThrows(IllegalArgumentException.class, () -> sim.scheduleAt(5, () -> {}));
        assertThrows(IllegalArgumentException.class, () -> sim.schedule(-1, () -> {}));
    }
}
