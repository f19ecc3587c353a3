package dev.p2p.sim;

import dev.p2p.sim.metrics.LookupTally;
import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.metrics.WorldSample;
import dev.p2p.sim.scenario.Scenario;
import java.util.List;

/**
 * What a finished run measured. Contains nothing from the wall clock, so it is a function of the
 * scenario and seed alone.
 *
 * @param measuredStart world counters when the warm-up ended
 * @param end world counters at the end of the run
 * @param totals lookups and content probes finished after the warm-up
 */
public record RunResult(
        Scenario scenario,
        List<WindowRow> rows,
        LookupTally totals,
        WorldSample measuredStart,
        WorldSample end,
        long crashes,
        long gracefulLeaves,
        long datagramsLost,
        int contentPublished,
        long events) {}
