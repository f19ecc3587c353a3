package dev.p2p.sim.scenario;

/**
 * Overrides of the DHT's own configuration for a run; 0 keeps the DHT's default.
 *
 * @param k bucket size and replication factor
 * @param alpha lookups' parallelism
 * @param minRequestTimeoutMillis floor of the DHT's adaptive request timeout
 * @param providerTtlMillis how long a stored provider record lives unless republished
 * @param republishIntervalMillis how often a provider announces its records again
 * @param defences false ({@code dht.defences = off}) turns off the defences a configuration can
 *     turn off: disjoint provider lookups and the per-/24 limits of the routing table
 */
public record DhtSettings(int k, int alpha, long minRequestTimeoutMillis, long providerTtlMillis,
        long republishIntervalMillis, boolean defences) {
    public static DhtSettings defaults() {
        return new DhtSettings(0, 0, 0, 0, 0, true);
    }
}
