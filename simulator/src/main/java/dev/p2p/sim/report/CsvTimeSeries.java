package dev.p2p.sim.report;

import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.swarm.DownloadRow;
import java.util.List;

/**
 * The time series as CSV: one row per metrics interval; an undefined figure is an empty cell.
 * A run with a swarm has the download columns ({@link #DOWNLOAD_HEADER}) after the others.
 */
public final class CsvTimeSeries {
    static final String HEADER = "time_s,warmup,partitioned,online_peers,joins,departures,lookups,"
            + "lookup_success_rate,hops_mean,latency_p50_ms,latency_p95_ms,latency_p99_ms,"
            + "cross_cut_lookups,cross_cut_success_rate,msgs_per_peer_s,bytes_per_peer_s,"
            + "stale_entry_share,content_probes,content_findable_share";

    static final String DOWNLOAD_HEADER = ",downloads_started,downloads_completed,downloads_abandoned,"
            + "completion_p50_s,first_byte_p50_s,content_available_share,content_fetchable_share,chunk_mib_delivered";

    private CsvTimeSeries() {}

    public static String render(List<WindowRow> rows, List<DownloadRow> downloads) {
        boolean swarm = !downloads.isEmpty();
        StringBuilder b = new StringBuilder(HEADER).append(swarm ? DOWNLOAD_HEADER : "").append('\n');
        long deliveredBefore = 0;
        for (int i = 0; i < rows.size(); i++) {
            WindowRow w = rows.get(i);
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
                    .append(Numbers.fixed(w.contentFindableShare(), 4));
            if (swarm) {
                DownloadRow d = downloads.get(i);
                b.append(',').append(d.started())
                        .append(',').append(d.completed())
                        .append(',').append(d.abandoned())
                        .append(',').append(Numbers.fixed(d.completionP50Millis() / 1000, 3))
                        .append(',').append(Numbers.fixed(d.firstByteP50Millis() / 1000, 3))
                        .append(',').append(Numbers.fixed(d.availableShare(), 4))
                        .append(',').append(Numbers.fixed(d.fetchableShare(), 4))
                        .append(',').append(Numbers.fixed((d.chunkBytesDelivered() - deliveredBefore) / (double) (1 << 20), 3));
                deliveredBefore = d.chunkBytesDelivered();
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String percentile(int millis) {
        return millis < 0 ? "" : Integer.toString(millis);
    }
}
