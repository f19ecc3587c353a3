package dev.p2p.node.policy;

/**
 * What a node that relays for peers behind NAT gives them (docs/REACHABILITY.md, relay circuits):
 * circuits at once (half of them at most for one requester, {@link #maxCircuitsPerRequester}), and
 * per circuit bytes, duration and rate. The defaults keep a relay cheap: a
 * relay is the fallback where hole punching cannot work, not a way to move large files.
 *
 * @param maxCircuits circuits open or waiting for their target at once; 0 relays nothing
 * @param maxBytesPerCircuit bytes a circuit carries, both ways together, before it is closed
 * @param maxCircuitMillis how long a circuit may stay open
 * @param rateBytesPerSecond bytes per second a circuit carries, both ways together
 * @param pendingMillis how long a requester waits for the target to come
 */
public record RelayLimits(int maxCircuits, long maxBytesPerCircuit, long maxCircuitMillis, long rateBytesPerSecond,
        long pendingMillis) {
    public static final RelayLimits DEFAULTS = new RelayLimits(4, 64L << 20, 10 * 60_000L, 1L << 20, 10_000L);
    /** A node that refuses to relay ({@code --relay off}). */
    public static final RelayLimits OFF = new RelayLimits(0, 0, 0, 0, 0);

    public RelayLimits {
        if (maxCircuits < 0 || maxCircuits > 10_000) {
            throw new IllegalArgumentException("circuits must be from 0 to 10000");
        }
        if (maxCircuits > 0 && (maxBytesPerCircuit <= 0 || maxCircuitMillis <= 0 || rateBytesPerSecond <= 0 || pendingMillis <= 0)) {
            throw new IllegalArgumentException("a relay's byte, time and rate limits must be positive");
        }
    }

    public boolean relays() {
        return maxCircuits > 0;
    }

    /**
     * Circuits one requester (an IPv4 address, an IPv6 /64) may hold at once, waiting ones
     * included: half the relay's, at least one, so one requester never takes every circuit of a
     * relay that carries two or more.
     */
    public int maxCircuitsPerRequester() {
        return Math.max(1, maxCircuits / 2);
    }

    public RelayLimits withMaxCircuits(int n) {
        return n == 0 ? OFF : new RelayLimits(n, positive(maxBytesPerCircuit, DEFAULTS.maxBytesPerCircuit),
                positive(maxCircuitMillis, DEFAULTS.maxCircuitMillis), positive(rateBytesPerSecond, DEFAULTS.rateBytesPerSecond),
                positive(pendingMillis, DEFAULTS.pendingMillis));
    }

    private static long positive(long v, long otherwise) {
        return v > 0 ? v : otherwise;
    }
}
