package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The network splits in two halves for 10 virtual minutes. While the cut is open, lookups for
 * ids across it fail; within a few virtual minutes of healing they succeed again.
 */
class PartitionTest {
    private static final String SCENARIO = """
            name = partition-test
            seed = 3
            peers = 400
            duration = 30m
            warmup = 8m
            joinPeriod = 3m
            network.partitions.0.start = 10m
            network.partitions.0.end = 20m
            workload.lookupsPerPeerPerMinute = 1
            workload.onlineTargetShare = 0.5
            """;

    private static final long HEALED_AT = 20 * 60;
    private static final long RECOVERY_ALLOWED = 3 * 60;

    @Test
    void lookupsAcrossTheFormerCutSucceedAgainSoonAfterHealing() {
        Scenario s = ScenarioRuns.scenario(SCENARIO);
        RunResult r = ScenarioRuns.run(s);
        List<WindowRow> during = ScenarioRuns.rows(r, 11 * 60, HEALED_AT);
        List<WindowRow> after = ScenarioRuns.rows(r, HEALED_AT + RECOVERY_ALLOWED, 30 * 60);
        assertTrue(ScenarioRuns.all(during, w -> w.crossCutLookups() > 50 && w.crossCutSuccessRate() < 0.05),
                "the cut holds: " + during + ScenarioRuns.replay(s));
        assertTrue(ScenarioRuns.all(after, w -> w.crossCutLookups() > 50),
                "lookups cross the former cut: " + after + ScenarioRuns.replay(s));
        double worst = ScenarioRuns.min(after, WindowRow::crossCutSuccessRate);
        assertTrue(worst >= 0.97, "worst cross-cut success after healing: " + worst + ScenarioRuns.replay(s));
    }
}
