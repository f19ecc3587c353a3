package dev.p2p.sim.adversary;

import java.util.SortedMap;

/**
 * What the attacker did and achieved in a run.
 *
 * @param census the attacker's nodes by behaviour (and {@code eclipse}), by name
 * @param lies lies told over the whole run, by kind
 * @param hostileEntryShare share of sampled honest routing-table entries naming an attacker's
 *     node, over the measured period (NaN when nothing was sampled)
 * @param eclipse the eclipse probes, or null without an eclipse
 */
public record AdversaryReport(
        AdversaryConfig config,
        SortedMap<String, Integer> census,
        SortedMap<String, Long> lies,
        double hostileEntryShare,
        EclipseProbes<?> eclipse) {}
