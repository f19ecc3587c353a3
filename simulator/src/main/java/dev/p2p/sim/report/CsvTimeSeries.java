package dev.p2p.sim.report;

import dev.p2p.sim.metrics.WindowRow;
import java.util.List;

/** The time series as CSV: one row per metrics interval; an undefined figure is an empty cell. */
public final class CsvTimeSeries {
    static final String HEADER = "time_s,warmup,partitioned,online_peers,joins,departures,lookups,"
            + "lookup_success_rate,hops_mean,latency_p50_ms,latency_p95_ms,latency_p99_ms,"
            + "cross_cut_lookups,cross_cut_success_rate,msgs_per_peer_s,bytes_per_peer_s,"
            + "stale_entry_share,content_probes,content_findable_share";

    private CsvTimeSeries() {}

    public static String render(List<WindowRow> rows) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (WindowRow w : rows) {
            b.append(w.endSeconds()).append(',')
                    .append(w.warmup() ? 1 : 0).append(',')
                    .append(w.partitioned() ? 1 : 0).append(',')
                    .append(w.onlinePeers()).append(',')
                    .append(w.joins()).append(',')
                    .append(w.departures()).append(',')
                    .append(w.lookups()).append(',')
                    .append(Numbers.fixed(w.lookupSuccessRate(), 4)).append(',')
                    .append(Numbers.fixed(w.hopsMean(), 3)).append(',')
                    .append(percentile(w.latencyP50Millis())).append(',')
                    .append(percentile(w.latencyP95Millis())).append(',')
                    .append(percentile(w.latencyP99Millis())).append(',')
                    .append(w.crossCutLookups()).append(',')
                    .append(Numbers.fixed(w.crossCutSuccessRate(), 4)).append(',')
                    .append(Numbers.fixed(w.messagesPerPeerSecond(), 3)).append(',')
                    .append(Numbers.fixed(w.bytesPerPeerSecond(), 1)).append(',')
                    .append(Numbers.fixed(w.staleEntryShare(), 4)).append(',')
                    .append(w.contentProbes()).append(',')
                    .append(Numbers.fixed(w.contentFindableShare(), 4)).append('\n');
        }
        return b.toString();
    }

    private static String percentile(int millis) {
        return millis < 0 ? "" : Integer.toString(millis);
    }
}
