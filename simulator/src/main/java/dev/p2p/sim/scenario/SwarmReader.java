package dev.p2p.sim.scenario;

import dev.p2p.sim.churn.Distribution;
import dev.p2p.sim.swarm.Nat;
import dev.p2p.sim.swarm.SwarmConfig;
import dev.p2p.transfer.content.Manifest;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code swarm} group of a scenario; docs/SIMULATOR.md lists its fields. */
final class SwarmReader {
    private static final long MIB = 1L << 20;
    private static final long MAX_FILE = 1L << 40;
    /** Real bytes are drawn, hashed, encoded and decoded for every chunk sent: a bound keeps runs short. */
    private static final long MAX_REAL_BYTES = 1L << 30;

    private SwarmReader() {}

    /** The swarm, or null when the scenario has none. */
    static SwarmConfig read(Section s) throws ScenarioException {
        if (!s.has("files")) {
            s.finish();
            return null;
        }
        int files = (int) s.integer("files", null, 1, 1_000_000);
        SwarmConfig.SizeDistribution size = size(s.section("fileSize"));
        int chunk = (int) s.integer("chunkKiB", (long) Manifest.DEFAULT_CHUNK_SIZE / 1024,
                Manifest.MIN_CHUNK_SIZE / 1024, Manifest.MAX_CHUNK_SIZE / 1024) * 1024;
        double zipf = s.number("zipfExponent", 1.0, 0, 5);
        SwarmConfig.Arrivals arrivals = arrivals(s.section("arrivals"));
        Distribution seedTime = seedTime(s.section("seedTime"));
        boolean firstLeaves = s.bool("firstSeederLeaves", false);
        double free = s.number("freeRiderShare", 0.0, 0, 1);
        double corrupt = s.number("corruptShare", 0.0, 0, 1);
        if (free + corrupt > 1) {
            throw s.error("corruptShare", "freeRiderShare + corruptShare must be at most 1");
        }
        long find = s.duration("findTimeout", 60_000L);
        if (find < 1_000) {
            throw s.error("findTimeout", "must be at least 1s");
        }
        int attempts = (int) s.integer("attempts", 5L, 1, 1_000);
        long retryAfter = s.duration("retryAfter", 10_000L);
        Section nat = s.section("nat");
        double portKeeping = nat.number("portKeepingShare", 0.0, 0, 1);
        double symmetric = nat.number("symmetricShare", 0.0, 0, 1);
        if (portKeeping + symmetric > 1) {
            throw nat.error("symmetricShare", "portKeepingShare + symmetricShare must be at most 1");
        }
        String publisher = nat.text("publisher", "any");
        Nat publisherNat = switch (publisher) {
            case "any" -> null;
            case "none" -> Nat.NONE;
            case "port-keeping" -> Nat.PORT_KEEPING;
            case "symmetric" -> Nat.SYMMETRIC;
            default -> throw nat.error("publisher", "expected any, none, port-keeping or symmetric, got '" + publisher + "'");
        };
        nat.finish();
        List<SwarmConfig.BandwidthClass> classes = bandwidth(s, s.list("bandwidth"));
        boolean realBytes = s.bool("realBytes", false);
        if (realBytes && files * size.maxBytes() > MAX_REAL_BYTES) {
            throw s.error("realBytes", "is for small runs: files x fileSize must be at most 1024 MiB, got "
                    + files * size.maxBytes() / MIB + " MiB");
        }
        s.finish();
        return new SwarmConfig(files, size, chunk, zipf, arrivals, seedTime, firstLeaves, free, corrupt, find, attempts,
                retryAfter, portKeeping, symmetric, publisherNat, classes, realBytes);
    }

    private static SwarmConfig.SizeDistribution size(Section d) throws ScenarioException {
        String kind = d.text("distribution", "constant");
        SwarmConfig.SizeDistribution result = switch (kind) {
            case "constant" -> {
                long v = Math.round(d.number("mib", null, 0.0001, MAX_FILE / MIB) * MIB);
                yield new SwarmConfig.SizeDistribution(kind, v, v);
            }
            case "uniform", "loguniform" -> {
                long min = Math.round(d.number("minMib", null, 0.0001, MAX_FILE / MIB) * MIB);
                long max = Math.round(d.number("maxMib", null, 0.0001, MAX_FILE / MIB) * MIB);
                if (max < min) {
                    throw d.error("maxMib", "must be at least minMib");
                }
                yield new SwarmConfig.SizeDistribution(kind, min, max);
            }
            default -> throw d.error("distribution", "expected constant, uniform or loguniform, got '" + kind + "'");
        };
        d.finish();
        return result;
    }

    private static SwarmConfig.Arrivals arrivals(Section a) throws ScenarioException {
        String kind = a.text("kind", null);
        SwarmConfig.Arrivals result = switch (kind) {
            case "flash" -> new SwarmConfig.Arrivals(true, (int) a.integer("count", null, 1, 10_000_000),
                    a.duration("window", 60_000L), 0);
            case "poisson" -> new SwarmConfig.Arrivals(false, 0, 0, a.number("perMinute", null, 0.0001, 1e7));
            default -> throw a.error("kind", "expected flash or poisson, got '" + kind + "'");
        };
        a.finish();
        return result;
    }

    /** Null (seed to the end of the run) when not given; {@code leave-at-once} is a constant 0. */
    private static Distribution seedTime(Section d) throws ScenarioException {
        if (!d.has("distribution")) {
            d.finish();
            return null;
        }
        if ("leave-at-once".equals(d.text("distribution", null))) {
            d.finish();
            return SwarmConfig.LEAVE_AT_ONCE;
        }
        return ScenarioReader.distribution(d);
    }

    private static List<SwarmConfig.BandwidthClass> bandwidth(Section s, List<Section> items) throws ScenarioException {
        List<SwarmConfig.BandwidthClass> classes = new ArrayList<>();
        double total = 0;
        for (Section c : items) {
            double share = c.number("share", null, 0, 1);
            long down = Math.round(c.number("downMbps", null, 0, 1e6) * 1e6 / 8);
            long up = Math.round(c.number("upMbps", null, 0, 1e6) * 1e6 / 8);
            c.finish();
            classes.add(new SwarmConfig.BandwidthClass(share, down, up));
            total += share;
        }
        if (classes.isEmpty()) {
            classes.add(new SwarmConfig.BandwidthClass(1, 0, 0));
        } else if (Math.abs(total - 1) > 1e-6) {
            throw s.error("bandwidth", "the classes' shares must add up to 1, got " + total);
        }
        return classes;
    }
}
