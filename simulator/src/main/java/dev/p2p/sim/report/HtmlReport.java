package dev.p2p.sim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.p2p.sim.RunResult;
import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.swarm.DownloadRow;
import dev.p2p.sim.net.Partition;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One self-contained HTML page: the headline figures, the scenario, and a chart per metric over
 * time. Inline CSS and SVG only, so it opens from disk with no network.
 */
public final class HtmlReport {
    private static final String BLUE = "#1f77b4";
    private static final String ORANGE = "#ff7f0e";
    private static final String RED = "#d62728";
    private static final String GREEN = "#2ca02c";
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1180px}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
            .sub{color:#666;margin-bottom:16px} table{border-collapse:collapse;font-size:13px}
            td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left} td.n{text-align:right}
            .charts{display:flex;flex-wrap:wrap;gap:12px} svg{border:1px solid #e3e3e3;background:#fff}
            svg text{font-size:11px;fill:#333} svg .title{font-size:13px;font-weight:600}
            .axis line{stroke:#999} .grid{stroke:#eee} .ref{text-anchor:end;fill:#555}
            pre{background:#f6f6f6;padding:8px;font-size:12px;overflow:auto}
            """;

    private HtmlReport() {}

    /** @param summaryJson the run's summary.json, shown as headline figures and in full */
    public static String render(RunResult r, String summaryJson) {
        JsonNode summary = parse(summaryJson);
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Simulation: ")
                .append(Html.escape(r.scenario().name())).append("</title>\n<style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>Simulation: ").append(Html.escape(r.scenario().name())).append("</h1>\n<div class=\"sub\">")
                .append(r.scenario().peers()).append(" peers, ")
                .append(Html.escape(summary.path("scenario").path("duration").asText())).append(" virtual, seed ")
                .append(r.scenario().seed()).append(". Figures after the warm-up (")
                .append(Html.escape(summary.path("measured").path("from").asText()))
                .append("); shaded: warm-up (grey), partitions (red).</div>\n");
        headline(b, summary);
        b.append("<h2>Over time</h2>\n<div class=\"charts\">\n");
        for (SvgChart chart : charts(r)) {
            b.append(chart.render());
        }
        b.append("</div>\n<h2>Summary (summary.json)</h2>\n<pre>").append(Html.escape(summaryJson)).append("</pre>\n");
        return b.append("</body></html>\n").toString();
    }

    private static void headline(StringBuilder b, JsonNode s) {
        JsonNode lookups = s.path("lookups");
        b.append("<table>\n");
        row(b, "Lookups finished", count(lookups.path("finished")));
        row(b, "Lookup success rate", percent(lookups.path("successRate")));
        row(b, "Mean hops (log2 of peers)", lookups.path("hopsMean").asText() + " (" + lookups.path("log2Peers").asText() + ")");
        JsonNode lat = lookups.path("latencyMillis");
        row(b, "Lookup latency p50 / p95 / p99", lat.path("p50").asText() + " / " + lat.path("p95").asText()
                + " / " + lat.path("p99").asText() + " ms");
        if (lookups.path("acrossCut").path("finished").asLong() > 0) {
            row(b, "Success of lookups across the partition", percent(lookups.path("acrossCut").path("successRate")));
        }
        JsonNode t = s.path("traffic");
        row(b, "Messages / bytes per peer per second", t.path("messagesPerPeerPerSecond").asText() + " / "
                + t.path("bytesPerPeerPerSecond").asText());
        row(b, "Stale routing entries (mean share)", percent(s.path("routingTables").path("staleEntryShareMean")));
        row(b, "Published content findable", percent(s.path("content").path("findableShare"))
                + " of " + count(s.path("content").path("probes")) + " probes");
        JsonNode p = s.path("peers");
        row(b, "Online peers min / mean / max", p.path("onlineMin").asText() + " / " + p.path("onlineMean").asText()
                + " / " + p.path("onlineMax").asText());
        JsonNode d = s.path("downloads");
        if (!d.isMissingNode()) {
            row(b, "Downloads started / completed / abandoned", count(d.path("started")) + " / "
                    + count(d.path("completed")) + " / " + count(d.path("abandoned")));
            JsonNode c = d.path("completionSeconds");
            row(b, "Download time p50 / p95 / p99", c.path("p50").asText() + " / " + c.path("p95").asText() + " / "
                    + c.path("p99").asText() + " s");
            row(b, "Seconds per MiB p50", d.path("secondsPerMiB").path("p50").asText());
            row(b, "Time to first byte p50", d.path("timeToFirstByteSeconds").path("p50").asText() + " s");
            row(b, "Files with a complete copy online (mean share)",
                    percent(d.path("availability").path("completeCopyOnlineShareMean")));
            row(b, "Files a fresh peer can fetch (mean share)",
                    percent(d.path("availability").path("freshPeerCanFetchShareMean")));
        }
        row(b, "Simulated events", count(s.path("engine").path("events")));
        b.append("</table>\n");
    }

    private static List<SvgChart> charts(RunResult r) {
        List<WindowRow> rows = r.rows();
        double[] x = rows.stream().mapToDouble(WindowRow::endSeconds).toArray();
        double log2 = Math.log(r.scenario().peers()) / Math.log(2);
        SvgChart success = chart(r, "Lookup success rate", x).maxY(1)
                .add(series("all lookups", BLUE, rows, WindowRow::lookupSuccessRate));
        if (!r.scenario().network().partitions().isEmpty()) {
            success.add(series("across the cut", RED, rows, WindowRow::crossCutSuccessRate));
        }
        List<SvgChart> charts = new java.util.ArrayList<>(List.of(
                success,
                chart(r, "Hops per lookup (mean)", x).reference(log2, "log2(peers)")
                        .add(series("hops", BLUE, rows, WindowRow::hopsMean)),
                chart(r, "Lookup latency (ms)", x)
                        .add(series("p50", BLUE, rows, w -> defined(w.latencyP50Millis())))
                        .add(series("p95", ORANGE, rows, w -> defined(w.latencyP95Millis())))
                        .add(series("p99", RED, rows, w -> defined(w.latencyP99Millis()))),
                chart(r, "Messages sent per peer per second", x)
                        .add(series("messages", BLUE, rows, WindowRow::messagesPerPeerSecond)),
                chart(r, "Bytes sent per peer per second", x)
                        .add(series("bytes", BLUE, rows, WindowRow::bytesPerPeerSecond)),
                chart(r, "Stale routing-table entries (share)", x).maxY(1)
                        .add(series("stale", ORANGE, rows, WindowRow::staleEntryShare)),
                chart(r, "Published content findable (share of probes)", x).maxY(1)
                        .add(series("findable", GREEN, rows, WindowRow::contentFindableShare)),
                chart(r, "Online peers", x)
                        .add(series("online", BLUE, rows, WindowRow::onlinePeers))));
        if (r.swarm() != null) {
            charts.addAll(downloadCharts(r, x));
        }
        return charts;
    }

    private static List<SvgChart> downloadCharts(RunResult r, double[] x) {
        List<DownloadRow> d = r.downloadRows();
        double[] delivered = new double[d.size()];
        for (int i = 0; i < d.size(); i++) {
            long before = i == 0 ? 0 : d.get(i - 1).chunkBytesDelivered();
            delivered[i] = (d.get(i).chunkBytesDelivered() - before) / (double) (1 << 20);
        }
        return List.of(
                chart(r, "Downloads per interval", x)
                        .add(downloads("started", BLUE, d, DownloadRow::started))
                        .add(downloads("completed", GREEN, d, DownloadRow::completed))
                        .add(downloads("abandoned", RED, d, DownloadRow::abandoned)),
                chart(r, "Download time (s, median of those ending)", x)
                        .add(downloads("to complete", BLUE, d, w -> w.completionP50Millis() / 1000))
                        .add(downloads("to first byte", ORANGE, d, w -> w.firstByteP50Millis() / 1000)),
                chart(r, "Files available (share)", x).maxY(1)
                        .add(downloads("complete copy online", GREEN, d, DownloadRow::availableShare))
                        .add(downloads("a fresh peer can fetch", BLUE, d, DownloadRow::fetchableShare)),
                chart(r, "Chunk data delivered (MiB per interval)", x)
                        .add(new SvgChart.Series("delivered", BLUE, delivered)));
    }

    private static SvgChart.Series downloads(String name, String color, List<DownloadRow> rows,
            ToDoubleFunction<DownloadRow> f) {
        return new SvgChart.Series(name, color, rows.stream().mapToDouble(f).toArray());
    }

    private static SvgChart chart(RunResult r, String title, double[] x) {
        SvgChart c = new SvgChart(title, x)
                .band(new SvgChart.Band(0, r.scenario().warmupMillis() / 1000.0, "#888", "warm-up"));
        for (Partition p : r.scenario().network().partitions()) {
            c.band(new SvgChart.Band(p.startMillis() / 1000.0, p.endMillis() / 1000.0, RED, "partition"));
        }
        return c;
    }

    private static SvgChart.Series series(String name, String color, List<WindowRow> rows, ToDoubleFunction<WindowRow> f) {
        return new SvgChart.Series(name, color, rows.stream().mapToDouble(f).toArray());
    }

    private static double defined(int percentile) {
        return percentile < 0 ? Double.NaN : percentile;
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("<tr><th>").append(Html.escape(name)).append("</th><td class=\"n\">").append(Html.escape(value)).append("</td></tr>\n");
    }

    private static String count(JsonNode n) {
        return String.format(java.util.Locale.ROOT, "%,d", n.asLong());
    }

    private static String percent(JsonNode share) {
        return share.isNumber() ? Numbers.fixed(share.asDouble() * 100, 2) + " %" : "n/a";
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("summary is not JSON", e);
        }
    }
}
