package dev.p2p.sim.swarm;

import dev.p2p.sim.churn.Distribution;
import java.util.List;

/**
 * File sharing by whole peers ({@code swarm.*} fields): what is published, who asks for it and
 * when, how long finished peers keep seeding, who misbehaves, and each host's bandwidth.
 *
 * @param files files published, each by one random online peer when the swarm starts
 * @param fileSize size of each file in bytes
 * @param chunkSize the manifest's chunk size
 * @param zipfExponent popularity: the file of rank r is asked for in proportion to 1/r^s (0: all alike)
 * @param arrivals when peers ask for a file
 * @param seedTime how long a peer seeds a file after finishing it; null: to the end of the run;
 *     {@link #LEAVE_AT_ONCE}: not at all
 * @param firstSeederLeaves the first seeder of each file stops seeding once another peer has a complete copy
 * @param freeRiderShare share of peers that never upload
 * @param corruptShare share of peers that serve every chunk corrupt
 * @param findTimeoutMillis how long a get looks for providers before it gives up
 * @param attempts how many times a user runs a get that fails before abandoning the download
 * @param retryAfterMillis how long a user waits before running a failed get again
 * @param portKeepingNatShare share of peers behind a NAT that keeps the local port
 * @param symmetricNatShare share of peers behind a symmetric NAT
 * @param publisherNat the NAT the files' first seeders sit behind, or null for any
 * @param bandwidth classes of hosts by capacity; shares add up to 1
 * @param realBytes chunks carry real bytes and every message goes through the real codec (small runs)
 */
public record SwarmConfig(
        int files,
        SizeDistribution fileSize,
        int chunkSize,
        double zipfExponent,
        Arrivals arrivals,
        Distribution seedTime,
        boolean firstSeederLeaves,
        double freeRiderShare,
        double corruptShare,
        long findTimeoutMillis,
        int attempts,
        long retryAfterMillis,
        double portKeepingNatShare,
        double symmetricNatShare,
        Nat publisherNat,
        List<BandwidthClass> bandwidth,
        boolean realBytes) {

    /** The seed time of users who stop serving a file as soon as they have it. */
    public static final Distribution LEAVE_AT_ONCE = new Distribution.Constant(0);

    public SwarmConfig {
        bandwidth = List.copyOf(bandwidth);
    }

    /** When peers ask: all {@code count} within {@code windowMillis} of the start (a flash crowd), or a Poisson process. */
    public record Arrivals(boolean flashCrowd, int count, long windowMillis, double perMinute) {}

    /** A share of hosts with these capacities, in bytes per second (0: unlimited). */
    public record BandwidthClass(double share, long downBytesPerSecond, long upBytesPerSecond) {}

    /** File sizes: constant, or uniform or log-uniform between two sizes. */
    public record SizeDistribution(String kind, long minBytes, long maxBytes) {
        public long sample(java.util.Random random) {
            return switch (kind) {
                case "uniform" -> minBytes + (long) (random.nextDouble() * (maxBytes - minBytes));
                case "loguniform" -> Math.round(Math.exp(Math.log(minBytes)
                        + random.nextDouble() * (Math.log(maxBytes) - Math.log(minBytes))));
                default -> minBytes;
            };
        }
    }
}
