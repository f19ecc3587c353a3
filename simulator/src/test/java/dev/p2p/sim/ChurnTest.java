package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exponential churn with a median session of 30 minutes: lookups keep succeeding after the
 * warm-up, and content published when the warm-up ends stays findable while its publishers
 * republish it.
 */
class ChurnTest {
    /** The figure, 2,000 peers for 2 virtual hours: under a minute of wall time. */
    @Test
    void twoThousandPeersForTwoVirtualHours() {
        Scenario s = ScenarioRuns.shipped("churn-2k-2h.scenario");
        assertHolds(s, ScenarioRuns.run(s), 60 * 60);
    }

    /**
     * The same churn on 1,000 peers for 40 minutes, with provider records living 10 minutes and
     * republished every 5 (the DHT's defaults are 60 and 30), so content has to survive three
     * record lifetimes, not one.
     */
    @Test
    void shortenedWithFasterRepublish() {
        Scenario s = ScenarioRuns.scenario("""
                name = churn-shortened
                seed = 5
                peers = 1000
                duration = 40m
                warmup = 10m
                joinPeriod = 4m
                churn.session.distribution = exponential
                churn.session.median = 30m
                churn.downtime.distribution = exponential
                churn.downtime.median = 10m
                workload.lookupsPerPeerPerMinute = 0.5
                workload.onlineTargetShare = 0.2
                workload.initialContent = 100
                workload.findsPerMinute = 40
                dht.providerTtl = 10m
                dht.republishInterval = 5m
                """);
        assertHolds(s, ScenarioRuns.run(s), 20 * 60);
    }

    /** @param recordLifetimesLaterSeconds a time by which records not republished would have expired */
    private static void assertHolds(Scenario s, RunResult r, long recordLifetimesLaterSeconds) {
        long end = s.durationMillis() / 1000;
        List<WindowRow> measured = ScenarioRuns.rows(r, s.warmupMillis() / 1000 + 1, end);
        assertTrue(ScenarioRuns.all(measured, w -> w.departures() > 0), "churn happens" + ScenarioRuns.replay(s));
        double worstSuccess = ScenarioRuns.min(measured, WindowRow::lookupSuccessRate);
        assertTrue(worstSuccess >= 0.95, "worst lookup success after warm-up: " + worstSuccess + ScenarioRuns.replay(s));
        assertTrue(r.totals().successRate() >= 0.95, "lookup success " + r.totals().successRate() + ScenarioRuns.replay(s));
        // Findable from the second minute on: the items are all published as the warm-up ends and
        // probed at once, and a probe asked within the second before an item's announce stored its
        // record (a lookup, then ADD_PROVIDER) finds nothing, the more often the faster searches are.
        // That race says nothing about records surviving churn and republishing, which this checks.
        List<WindowRow> afterAnnounces = ScenarioRuns.rows(r, s.warmupMillis() / 1000 + 61, end);
        double worstFindable = ScenarioRuns.min(afterAnnounces, WindowRow::contentFindableShare);
        assertTrue(worstFindable >= 0.95, "worst findable share: " + worstFindable + ScenarioRuns.replay(s));
        List<WindowRow> late = ScenarioRuns.rows(r, s.warmupMillis() / 1000 + recordLifetimesLaterSeconds, end);
        long lateProbes = late.stream().mapToLong(WindowRow::contentProbes).sum();
        assertTrue(lateProbes >= 100, "content still probed late in the run: " + lateProbes + ScenarioRuns.replay(s));
    }
}
