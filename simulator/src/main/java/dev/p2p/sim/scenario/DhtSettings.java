package dev.p2p.sim.scenario;

/**
 * Overrides of the DHT's own configuration for a run; 0 keeps the DHT's default.
 *
 * @param k bucket size and replication factor
 * @param alpha lookups' parallelism
 */
public record DhtSettings(int k, int alpha) {
    public static DhtSettings defaults() {
        return new DhtSettings(0, 0);
    }
}
