package dev.p2p.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.dht.NodeId;
import dev.p2p.sim.adversary.AdversaryConfig;
import dev.p2p.sim.churn.ChurnConfig;
import dev.p2p.sim.churn.Distribution;
import dev.p2p.sim.net.NetworkConfig;
import dev.p2p.sim.net.Partition;
import dev.p2p.sim.swarm.SwarmConfig;
import dev.p2p.sim.workload.WorkloadConfig;
import java.util.ArrayList;
import java.util.List;

/** Turns a scenario's tree of fields into a checked {@link Scenario}. docs/SIMULATOR.md lists the fields. */
public final class ScenarioReader {
    static final long MAX_PEERS = 1_000_000;
    private static final long WEEK = 7 * 86_400_000L;

    private ScenarioReader() {}

    public static Scenario read(JsonNode root, String defaultName) throws ScenarioException {
        Section top = new Section(root, "");
        String name = top.text("name", defaultName);
        long seed = top.integer("seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE);
        int peers = (int) top.integer("peers", null, 1, MAX_PEERS);
        long duration = top.duration("duration", null);
        long warmup = top.duration("warmup", Math.min(duration / 2, 600_000L));
        long join = top.duration("joinPeriod", warmup / 2);
        Section metrics = top.section("metrics");
        long interval = metrics.duration("interval", 60_000L);
        int staleSample = (int) metrics.integer("staleSamplePeers", 200L, 0, MAX_PEERS);
        metrics.finish();
        NetworkConfig network = network(top.section("network"));
        ChurnConfig churn = churn(top.section("churn"));
        WorkloadConfig workload = workload(top.section("workload"));
        Section dht = top.section("dht");
        DhtSettings dhtSettings = new DhtSettings((int) dht.integer("k", 0L, 1, 64),
                (int) dht.integer("alpha", 0L, 1, 64), dht.duration("minRequestTimeout", 0L),
                dht.duration("providerTtl", 0L), dht.duration("republishInterval", 0L), defences(dht));
        dht.finish();
        AdversaryConfig adversary = adversary(top.section("adversary"));
        SwarmConfig swarm = SwarmReader.read(top.section("swarm"));
        top.finish();
        Scenario s = new Scenario(name, seed, peers, duration, warmup, join, interval, staleSample,
                network, churn, workload, dhtSettings, adversary, swarm);
        checkTimes(s);
        return s;
    }

    /** Checks what relates several fields; run again after command-line overrides. */
    public static void checkTimes(Scenario s) throws ScenarioException {
        if (s.durationMillis() <= 0 || s.durationMillis() > WEEK) {
            throw new ScenarioException("duration", "must be more than 0 and at most 7d");
        }
        if (s.warmupMillis() >= s.durationMillis()) {
            throw new ScenarioException("warmup", "must be shorter than the duration ("
                    + dev.p2p.sim.engine.Durations.format(s.durationMillis()) + ")");
        }
        if (s.joinMillis() > s.warmupMillis()) {
            throw new ScenarioException("joinPeriod", "must not be longer than the warm-up");
        }
        if (s.metricsIntervalMillis() < 1_000 || s.metricsIntervalMillis() > s.durationMillis()) {
            throw new ScenarioException("metrics.interval", "must be at least 1s and at most the duration");
        }
    }

    private static NetworkConfig network(Section n) throws ScenarioException {
        double access = n.duration("accessDelay", 5L);
        double jitter = n.duration("jitter", 2L);
        double loss = n.number("loss", 0.0, 0, 0.99);
        long uplinkKbps = n.integer("uplinkKbps", 0L, 0, 100_000_000);
        List<Partition> partitions = new ArrayList<>();
        List<Section> items = n.list("partitions");
        for (int i = 0; i < items.size(); i++) {
            Section p = items.get(i);
            long start = p.duration("start", null);
            long end = p.duration("end", null);
            double fraction = p.number("fraction", 0.5, 0.001, 0.999);
            p.finish();
            if (end <= start) {
                throw p.error("end", "must be after start");
            }
            partitions.add(new Partition(start, end, fraction, 0x5eed_0000L + i * 0x1_0000_0000L));
        }
        boolean encode = n.bool("encodeMessages", false);
        n.finish();
        return new NetworkConfig(access, jitter, loss, uplinkKbps * 1000 / 8, partitions, encode);
    }

    private static ChurnConfig churn(Section c) throws ScenarioException {
        if (!c.has("session")) {
            c.finish();
            return ChurnConfig.none();
        }
        Distribution session = distribution(c.section("session"));
        Distribution downtime = c.has("downtime") ? distribution(c.section("downtime")) : session;
        double crash = c.number("crashFraction", 0.5, 0, 1);
        double same = c.number("rejoinSameIdentity", 0.8, 0, 1);
        c.finish();
        return new ChurnConfig(session, downtime, crash, same);
    }

    static Distribution distribution(Section d) throws ScenarioException {
        String kind = d.text("distribution", null);
        Distribution result = switch (kind) {
            case "exponential" -> d.has("mean")
                    ? new Distribution.Exponential(d.duration("mean", null))
                    : Distribution.Exponential.withMedian(d.duration("median", null));
            case "weibull" -> {
                double shape = d.number("shape", null, 0.05, 20);
                yield d.has("scale")
                        ? new Distribution.Weibull(shape, d.duration("scale", null))
                        : Distribution.Weibull.withMedian(shape, d.duration("median", null));
            }
            case "pareto" -> {
                double shape = d.number("shape", null, 0.05, 20);
                yield d.has("scale")
                        ? new Distribution.Pareto(shape, d.duration("scale", null))
                        : Distribution.Pareto.withMedian(shape, d.duration("median", null));
            }
            case "constant" -> new Distribution.Constant(d.duration("value", null));
            default -> throw d.error("distribution",
                    "expected exponential, weibull, pareto or constant, got '" + kind + "'");
        };
        d.finish();
        if (!(result.medianMillis() >= 1)) {
            throw d.error("median", "must be at least 1ms");
        }
        return result;
    }

    private static boolean defences(Section dht) throws ScenarioException {
        String v = dht.text("defences", "on");
        if (!v.equals("on") && !v.equals("off")) {
            throw dht.error("defences", "expected on or off, got '" + v + "'");
        }
        return v.equals("on");
    }

    private static AdversaryConfig adversary(Section a) throws ScenarioException {
        double share = a.number("share", 0.0, 0, 0.9);
        String name = a.text("behaviour", "mixed");
        AdversaryConfig.Behaviour behaviour = AdversaryConfig.Behaviour.byScenarioName(name);
        if (behaviour == null) {
            throw a.error("behaviour", "expected drop, wrong-contacts, far-contacts, false-providers or mixed, got '"
                    + name + "'");
        }
        boolean samePrefix = a.bool("samePrefix", false);
        Section e = a.section("eclipse");
        String target = e.text("target", e.has("nodes") ? "first-content" : "");
        int nodes = (int) e.integer("nodes", target.isEmpty() ? 0L : 20L, 0, 10_000);
        NodeId key = null;
        if (!target.isEmpty() && !target.equals("first-content")) {
            try {
                key = NodeId.fromHex(target);
            } catch (IllegalArgumentException ex) {
                throw e.error("target", "expected 'first-content' or a content key of 64 hex digits, got '" + target + "'");
            }
        }
        double probes = e.number("probesPerMinute", 20.0, 0, 1e5);
        e.finish();
        a.finish();
        return new AdversaryConfig(share, behaviour, samePrefix, nodes, key, probes);
    }

    private static WorkloadConfig workload(Section w) throws ScenarioException {
        WorkloadConfig config = new WorkloadConfig(
                w.number("lookupsPerPeerPerMinute", 1.0, 0, 1000),
                w.number("onlineTargetShare", 0.0, 0, 1),
                (int) w.integer("initialContent", 0L, 0, 10_000_000),
                w.number("publishesPerMinute", 0.0, 0, 1e7),
                w.number("findsPerMinute", 0.0, 0, 1e7),
                (int) w.integer("providersWanted", 1L, 1, 1_000));
        w.finish();
        return config;
    }
}
