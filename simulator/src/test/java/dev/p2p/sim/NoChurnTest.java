package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.scenario.Scenario;
import org.junit.jupiter.api.Test;

/** 2,000 real DHT nodes, no churn, no loss: lookups find the true closest peer in about log2(n) hops. */
class NoChurnTest {
    @Test
    void everyLookupSucceedsWithinLog2Hops() {
        Scenario s = ScenarioRuns.shipped("no-churn-2k.scenario");
        assertEquals(2_000, s.peers());
        RunResult r = ScenarioRuns.run(s);
        long lookups = r.totals().lookups();
        long failed = lookups - Math.round(r.totals().successRate() * lookups);
        assertTrue(lookups >= 2_000, "lookups measured: " + lookups + ScenarioRuns.replay(s));
        assertEquals(0, failed, "failed lookups of " + lookups + ScenarioRuns.replay(s));
        double log2 = Math.log(s.peers()) / Math.log(2);
        assertTrue(r.totals().hops().mean() <= log2, "mean hops " + r.totals().hops().mean() + ScenarioRuns.replay(s));
    }
}
