package dev.p2p.sim.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2p.sim.engine.Durations;
import dev.p2p.sim.swarm.DownloadRow;
import dev.p2p.sim.swarm.DownloadTally;
import dev.p2p.sim.swarm.SwarmConfig;
import dev.p2p.sim.swarm.SwarmReport;
import java.util.List;

/** summary.json's {@code downloads} section and the echo of the {@code swarm} fields, in a fixed order. */
final class DownloadsJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final double MIB = 1 << 20;

    private DownloadsJson() {}

    static ObjectNode scenario(SwarmConfig c) {
        ObjectNode n = F.objectNode()
                .put("files", c.files())
                .put("fileSize", c.fileSize().kind() + " " + c.fileSize().minBytes() + ".." + c.fileSize().maxBytes() + " bytes")
                .put("chunkBytes", c.chunkSize())
                .put("zipfExponent", c.zipfExponent())
                .put("arrivals", c.arrivals().flashCrowd()
                        ? "flash crowd of " + c.arrivals().count() + " within " + Durations.format(c.arrivals().windowMillis())
                        : "poisson, " + c.arrivals().perMinute() + " per minute")
                .put("seedTime", c.seedTime() == null ? "to the end of the run"
                        : c.seedTime() == SwarmConfig.LEAVE_AT_ONCE ? "leave at once" : c.seedTime().describe())
                .put("firstSeederLeaves", c.firstSeederLeaves())
                .put("freeRiderShare", c.freeRiderShare())
                .put("corruptShare", c.corruptShare())
                .put("findTimeout", Durations.format(c.findTimeoutMillis()))
                .put("attempts", c.attempts())
                .put("retryAfter", Durations.format(c.retryAfterMillis()))
                .put("portKeepingNatShare", c.portKeepingNatShare())
                .put("symmetricNatShare", c.symmetricNatShare())
                .put("publisherNat", c.publisherNat() == null ? "any" : c.publisherNat().name().toLowerCase(java.util.Locale.ROOT))
                .put("realBytes", c.realBytes());
        for (SwarmConfig.BandwidthClass b : c.bandwidth()) {
            n.withArray("bandwidth").addObject()
                    .put("share", b.share())
                    .put("downBytesPerSecond", b.downBytesPerSecond())
                    .put("upBytesPerSecond", b.upBytesPerSecond());
        }
        return n;
    }

    static ObjectNode downloads(SwarmReport r, List<DownloadRow> rows) {
        DownloadTally t = r.total();
        ObjectNode n = F.objectNode()
                .put("started", t.started())
                .put("completed", t.completed())
                .put("abandoned", t.abandoned())
                .put("unfinishedAtEnd", t.started() - t.completed() - t.abandoned())
                .put("startedHonest", t.startedHonest())
                .put("completedHonest", t.completedHonest())
                .put("noPeerFreeToAsk", r.noPeerFree());
        ObjectNode failed = n.putObject("failedTries");
        t.failedTries().forEach(failed::put);
        percentiles(n.putObject("completionSeconds"), t.completionMillis(), 0.001);
        percentiles(n.putObject("secondsPerMiB"), t.secondsPerMiB(), 1);
        percentiles(n.putObject("timeToFirstByteSeconds"), t.firstByteMillis(), 0.001);
        n.putObject("overCapacityBound") // time / (bytes needed / own downlink); never below 1
                .put("min", JsonSummary.rounded(DownloadTally.percentile(t.overCapacityBound(), 0)))
                .put("p50", JsonSummary.rounded(DownloadTally.percentile(t.overCapacityBound(), 0.5)))
                .put("count", t.overCapacityBound().size());
        double availableMean = mean(rows, DownloadRow::availableShare);
        double availableMin = min(rows, DownloadRow::availableShare);
        n.putObject("availability")
                .put("completeCopyOnlineShareMean", JsonSummary.rounded(availableMean))
                .put("completeCopyOnlineShareMin", JsonSummary.rounded(availableMin))
                .put("freshPeerCanFetchShareMean", JsonSummary.rounded(mean(rows, DownloadRow::fetchableShare)))
                .put("freshPeerCanFetchShareMin", JsonSummary.rounded(min(rows, DownloadRow::fetchableShare)));
        ObjectNode ratios = n.putObject("uploadDownloadRatio").put("peers", r.ratios().size());
        for (double q : new double[] {0.1, 0.5, 0.9}) {
            ratios.put("p" + Math.round(q * 100), JsonSummary.rounded(DownloadTally.percentile(r.ratios(), q)));
        }
        ratios.put("zeroShare", JsonSummary.rounded(r.ratios().isEmpty() ? Double.NaN
                : r.ratios().stream().filter(x -> x == 0).count() / (double) r.ratios().size()));
        n.putObject("wasted")
                .put("duplicateOrRejectedBytes", t.duplicateBytes())
                .put("rejectedChunks", t.rejectedChunks())
                .put("wrongChunksWritten", r.wrongWrites());
        n.putObject("liars").put("peers", r.liars()).put("banned", r.liarsBanned());
        n.putObject("conservation")
                .put("chunkBytesSent", r.chunkBytesSent())
                .put("chunkBytesDelivered", r.chunkBytesDelivered())
                .put("chunkBytesLost", r.chunkBytesLost())
                .put("chunkBytesInFlightAtEnd", r.chunkBytesInFlight())
                .put("chunkBytesReceivedByDownloads", t.receivedBytes());
        n.putObject("transfer")
                .put("connections", r.connections())
                .put("failedDials", r.failedDials())
                .put("flowReallocations", r.reallocations())
                .put("firstSeedersLeft", r.firstSeedersLeft());
        n.putObject("holePunching")
                .put("asked", r.punchesAsked())
                .put("opened", r.punchesOpened())
                .put("impossibleSymmetricNat", r.punchesImpossible());
        return n;
    }

    /** Mean and least of an interval figure over the rows where it is defined (NaN when nowhere). */
    private static double mean(List<DownloadRow> rows, java.util.function.ToDoubleFunction<DownloadRow> f) {
        return rows.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static double min(List<DownloadRow> rows, java.util.function.ToDoubleFunction<DownloadRow> f) {
        return rows.stream().mapToDouble(f).filter(Double::isFinite).min().orElse(Double.NaN);
    }

    private static void percentiles(ObjectNode n, List<? extends Number> values, double scale) {
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            n.put("p" + Math.round(q * 100), JsonSummary.rounded(DownloadTally.percentile(values, q) * scale));
        }
        n.put("mean", JsonSummary.rounded(values.stream().mapToDouble(Number::doubleValue).average().orElse(Double.NaN) * scale));
        n.put("count", values.size());
    }
}
