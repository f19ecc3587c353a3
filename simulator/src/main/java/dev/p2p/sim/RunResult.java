package dev.p2p.sim;

import dev.p2p.sim.adversary.AdversaryReport;
import dev.p2p.sim.metrics.LookupTally;
import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.metrics.WorldSample;
import dev.p2p.sim.scenario.Scenario;
import dev.p2p.sim.swarm.DownloadRow;
import dev.p2p.sim.swarm.SwarmReport;
import java.util.List;
import java.util.SortedMap;

/**
 * What a finished run measured. Contains nothing from the wall clock, so it is a function of the
 * scenario and seed alone.
 *
 * @param measuredStart world counters when the warm-up ended
 * @param end world counters at the end of the run
 * @param totals lookups and content probes finished after the warm-up
 * @param nodeCounters the protocol nodes' own counters, summed over every peer of the run
 * @param sentByKind datagrams and bytes per message type over the whole run, by type name
 * @param adversaries what the attacker's nodes did, or null when the scenario has none
 * @param downloadRows the swarm per metrics interval (empty without a swarm)
 * @param swarm what the swarm's downloads did, or null when the scenario has none
 * @param medianRoundTripMillis the median round trip between the run's hosts (the limit lookups are measured against)
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
        long events,
        SortedMap<String, long[]> sentByKind,
        SortedMap<String, Long> nodeCounters,
        AdversaryReport adversaries,
        List<DownloadRow> downloadRows,
        SwarmReport swarm,
        double medianRoundTripMillis) {}
