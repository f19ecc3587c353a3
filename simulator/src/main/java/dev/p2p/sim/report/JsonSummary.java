package dev.p2p.sim.report;

import dev.p2p.sim.adversary.AdversaryConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2p.dht.DhtConfig;
import dev.p2p.sim.DhtNodeFactory;
import dev.p2p.sim.RunResult;
import dev.p2p.sim.adversary.AdversaryReport;
import dev.p2p.sim.adversary.EclipseProbes;
import dev.p2p.sim.churn.ChurnConfig;
import dev.p2p.sim.engine.Durations;
import dev.p2p.sim.metrics.CountHistogram;
import dev.p2p.sim.metrics.LookupTally;
import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.metrics.WorldSample;
import dev.p2p.sim.net.NetworkConfig;
import dev.p2p.sim.net.Partition;
import dev.p2p.sim.scenario.Scenario;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The run's summary as JSON: the scenario as understood, then figures over the measured period
 * (after warm-up). Fields are written in a fixed order and numbers rounded by fixed rules, so
 * the same run always gives the same bytes.
 */
public final class JsonSummary {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonSummary() {}

    public static String render(RunResult r) {
        ObjectNode root = F.objectNode();
        root.set("scenario", scenario(r.scenario()));
        root.set("measured", F.objectNode()
                .put("from", Durations.format(r.scenario().warmupMillis()))
                .put("to", Durations.format(r.scenario().durationMillis())));
        root.set("lookups", lookups(r.totals(), r.scenario().peers()));
        root.put("medianRoundTripMillis", rounded(r.medianRoundTripMillis()));
        root.set("traffic", traffic(r));
        root.set("routingTables", F.objectNode()
                .put("staleEntryShareMean", meanOf(r.rows(), WindowRow::staleEntryShare)));
        root.set("content", F.objectNode()
                .put("published", r.contentPublished())
                .put("probes", r.totals().findProbes())
                .put("findableShare", rounded(r.totals().findableShare()))
                .set("firstProviderMillis", percentiles(r.totals().firstProviderMillis())));
        root.set("peers", peers(r));
        if (r.adversaries() != null) {
            root.set("adversaries", adversaries(r.adversaries()));
        }
        if (r.swarm() != null) {
            root.set("downloads", DownloadsJson.downloads(r.swarm(), r.downloadRows()));
        }
        ObjectNode counters = root.putObject("nodeCountersWholeRun");
        r.nodeCounters().forEach(counters::put);
        root.set("engine", F.objectNode().put("events", r.events()));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    private static ObjectNode scenario(Scenario s) {
        ObjectNode n = F.objectNode()
                .put("name", s.name())
                .put("seed", s.seed())
                .put("peers", s.peers())
                .put("duration", Durations.format(s.durationMillis()))
                .put("warmup", Durations.format(s.warmupMillis()))
                .put("joinPeriod", Durations.format(s.joinMillis()))
                .put("metricsInterval", Durations.format(s.metricsIntervalMillis()))
                .put("staleSamplePeers", s.staleSamplePeers());
        NetworkConfig net = s.network();
        ObjectNode network = n.putObject("network")
                .put("meanAccessDelayMillis", net.meanAccessDelayMillis())
                .put("meanJitterMillis", net.meanJitterMillis())
                .put("loss", net.loss())
                .put("uplinkBytesPerSecond", net.uplinkBytesPerSecond())
                .put("encodeMessages", net.encodeMessages());
        for (Partition p : net.partitions()) {
            network.withArray("partitions").addObject()
                    .put("start", Durations.format(p.startMillis()))
                    .put("end", Durations.format(p.endMillis()))
                    .put("fraction", p.fraction());
        }
        ChurnConfig c = s.churn();
        ObjectNode churn = n.putObject("churn").put("enabled", c.enabled());
        if (c.enabled()) {
            churn.put("session", c.session().describe())
                    .put("downtime", c.downtime().describe())
                    .put("crashFraction", c.crashFraction())
                    .put("rejoinSameIdentity", c.rejoinSameIdentity());
        }
        n.putObject("workload")
                .put("lookupsPerPeerPerMinute", s.workload().lookupsPerPeerPerMinute())
                .put("onlineTargetShare", s.workload().onlineTargetShare())
                .put("initialContent", s.workload().initialContent())
                .put("publishesPerMinute", s.workload().publishesPerMinute())
                .put("findsPerMinute", s.workload().findsPerMinute())
                .put("providersWanted", s.workload().providersWanted());
        DhtConfig dht = DhtNodeFactory.configFor(s.dht()); // the values the nodes run with, defaults included
        n.putObject("dht").put("k", dht.k()).put("alpha", dht.alpha())
                .put("minRequestTimeoutMillis", dht.minRequestTimeout())
                .put("providerTtlMillis", dht.providerTtl())
                .put("republishIntervalMillis", dht.republishInterval())
                .put("defences", s.dht().defences() ? "on" : "off");
        AdversaryConfig a = s.adversary();
        n.putObject("adversary")
                .put("share", a.share())
                .put("behaviour", a.behaviour().scenarioName())
                .put("samePrefix", a.samePrefix())
                .put("eclipseTarget", a.eclipseKey() == null ? "none" : a.eclipseKey().toHex())
                .put("eclipseNodes", a.eclipseNodes())
                .put("eclipseProbesPerMinute", a.eclipseProbesPerMinute());
        if (s.swarm() != null) {
            n.set("swarm", DownloadsJson.scenario(s.swarm()));
        }
        return n;
    }

    private static ObjectNode adversaries(AdversaryReport a) {
        ObjectNode n = F.objectNode()
                .put("share", a.config().share())
                .put("behaviour", a.config().behaviour().scenarioName())
                .put("samePrefix", a.config().samePrefix());
        ObjectNode census = n.putObject("nodes");
        a.census().forEach(census::put);
        n.put("routingEntriesHostileShare", rounded(a.hostileEntryShare()));
        ObjectNode lies = n.putObject("liesWholeRun");
        a.lies().forEach(lies::put);
        EclipseProbes<?> e = a.eclipse();
        if (e != null) {
            n.putObject("eclipse")
                    .put("target", e.key().toHex())
                    .put("nodes", a.config().eclipseNodes())
                    .put("nodeLookups", e.nodeLookups())
                    .put("nodeLookupsOnlyAdversaries", e.nodeLookupsEclipsed())
                    .put("providerLookups", e.providerLookups())
                    .put("providerLookupsWithoutRealProvider", e.providerLookupsEclipsed())
                    .put("successRate", rounded(share(e.providerLookupsEclipsed(), e.providerLookups())));
        }
        return n;
    }

    private static double share(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    private static ObjectNode lookups(LookupTally t, int peers) {
        CountHistogram hops = t.hops();
        CountHistogram latency = t.latencyMillis();
        ObjectNode n = F.objectNode()
                .put("finished", t.lookups())
                .put("successRate", rounded(t.successRate()))
                .put("hopsMean", rounded(hops.mean()))
                .put("hopsMax", hops.max())
                .put("log2Peers", rounded(Math.log(peers) / Math.log(2)));
        ObjectNode histogram = n.putObject("hopsHistogram");
        for (int h = 0; h <= hops.max(); h++) {
            if (hops.count(h) > 0) {
                histogram.put(Integer.toString(h), hops.count(h));
            }
        }
        n.set("latencyMillis", percentiles(latency));
        n.putObject("acrossCut")
                .put("finished", t.crossCut())
                .put("successRate", rounded(t.crossCutSuccessRate()));
        return n;
    }

    private static ObjectNode percentiles(CountHistogram h) {
        return F.objectNode()
                .put("p50", h.percentile(0.50))
                .put("p95", h.percentile(0.95))
                .put("p99", h.percentile(0.99))
                .put("mean", rounded(h.mean()));
    }

    private static ObjectNode traffic(RunResult r) {
        WorldSample a = r.measuredStart();
        WorldSample b = r.end();
        double peerSeconds = (b.onlinePeerMillis() - a.onlinePeerMillis()) / 1000.0;
        ObjectNode byKind = F.objectNode();
        r.sentByKind().forEach((kind, counts) -> byKind.putObject(kind).put("datagrams", counts[0]).put("bytes", counts[1]));
        return F.objectNode()
                .put("datagramsSent", b.datagramsSent() - a.datagramsSent())
                .put("bytesSent", b.bytesSent() - a.bytesSent())
                .put("datagramsLostWholeRun", r.datagramsLost())
                .put("messagesPerPeerPerSecond", rounded((b.datagramsSent() - a.datagramsSent()) / peerSeconds))
                .put("bytesPerPeerPerSecond", rounded((b.bytesSent() - a.bytesSent()) / peerSeconds))
                .set("byMessageTypeWholeRun", byKind);
    }

    private static ObjectNode peers(RunResult r) {
        List<WindowRow> measured = r.rows().stream().filter(w -> !w.warmup()).toList();
        return F.objectNode()
                .put("onlineAtEnd", r.end().onlinePeers())
                .put("onlineMin", measured.stream().mapToInt(WindowRow::onlinePeers).min().orElse(0))
                .put("onlineMean", meanOf(r.rows(), WindowRow::onlinePeers))
                .put("onlineMax", measured.stream().mapToInt(WindowRow::onlinePeers).max().orElse(0))
                .put("joinsWholeRun", r.end().joins())
                .put("crashesWholeRun", r.crashes())
                .put("gracefulLeavesWholeRun", r.gracefulLeaves());
    }

    /** Mean of a column over the measured rows where it is defined; null when it never is. */
    private static Double meanOf(List<WindowRow> rows, ToDoubleFunction<WindowRow> column) {
        double[] values = rows.stream().filter(w -> !w.warmup()).mapToDouble(column)
                .filter(Double::isFinite).toArray();
        return values.length == 0 ? null : rounded(java.util.Arrays.stream(values).average().orElse(0));
    }

    /** Rounded to 4 places; null (JSON null) when undefined. */
    static Double rounded(double v) {
        return Double.isFinite(v) ? Numbers.round(v, 4) : null;
    }
}
