package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.scenario.Scenario;
import org.junit.jupiter.api.Test;

/** The churn model's long-run statistics, on the stand-in protocol (cheap, so many sessions fit). */
class ChurnModelTest {
    private static RunResult run(String churn) {
        Scenario s = ScenarioRuns.scenario("""
                name = churn-model
                seed = 12
                peers = 500
                duration = 12h
                warmup = 2h
                metrics.interval = 10m
                metrics.staleSamplePeers = 0
                workload.lookupsPerPeerPerMinute = 0
                """ + churn);
        return new SimulationRun<>(s, new StandInNodes()).run((now, end, online, events) -> { });
    }

    private static double meanOnlineShare(RunResult r) {
        return r.rows().stream().filter(w -> !w.warmup()).mapToInt(WindowRow::onlinePeers).average().orElseThrow() / 500;
    }

    @Test
    void onlineShareIsMeanSessionOverMeanCycle() {
        RunResult r = run("""
                churn.session.distribution = exponential
                churn.session.median = 30m
                churn.downtime.distribution = exponential
                churn.downtime.median = 10m
                churn.crashFraction = 0.3
                """);
        assertEquals(0.75, meanOnlineShare(r), 0.03);
        double crashShare = (double) r.crashes() / (r.crashes() + r.gracefulLeaves());
        assertEquals(0.3, crashShare, 0.03, "share of departures that crash");
    }

    @Test
    void heavyTailedSessionsUseTheirMeanNotTheirMedian() {
        // Weibull with shape 0.5: median 20m but mean 20m / ln(2)^2 * Gamma(3) = 83m.
        RunResult r = run("""
                churn.session.distribution = weibull
                churn.session.shape = 0.5
                churn.session.median = 20m
                churn.downtime.distribution = constant
                churn.downtime.value = 20m
                """);
        double meanSession = 20 / Math.pow(Math.log(2), 2) * 2;
        assertEquals(meanSession / (meanSession + 20), meanOnlineShare(r), 0.04);
    }
}
