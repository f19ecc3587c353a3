package dev.p2p.dht;

/**
 * Tunables of a DHT node, validated when made. All durations are in milliseconds.
 *
 * @param k                     bucket size and replication factor (Kademlia's k)
 * @param alpha                 requests a lookup keeps in flight
 * @param minRequestTimeout     floor of the adaptive request timeout
 * @param maxRequestTimeout     ceiling of the adaptive request timeout, and its value before any round trip is measured
 * @param requestAttempts       how often a single request (ping, store) is sent before it counts as failed
 * @param bucketRefreshInterval a bucket nobody touched for this long is refreshed by a lookup into its range
 * @param maintenanceInterval   how often the node checks refreshes, expiry, republish and re-bootstrap
 * @param providerTtl           how long a stored provider record lives unless republished
 * @param republishInterval     how often a node re-announces what it provides (must be below the TTL)
 * @param maxPerPrefixInBucket  contacts from one IPv4 /24 (IPv6 /48) a bucket takes; loopback is exempt
 * @param maxPerPrefixInTable   contacts from one such prefix the whole table takes
 * @param maxStoredProviders    provider records this node keeps for others, in all
 * @param maxProvidersPerKey    provider records kept per content key
 * @param clientOnly            the node cannot be reached from outside: others must not add it to their tables
 * @param maxDatagramsPerSecondPerSource inbound datagrams a second one source may send (bursts of twice that);
 *                              the rest are dropped unread
 * @param disjointPaths         disjoint paths of a provider lookup (S/Kademlia); 1 turns the defence off
 */
public record DhtConfig(
        int k,
        int alpha,
        long minRequestTimeout,
        long maxRequestTimeout,
        int requestAttempts,
        long bucketRefreshInterval,
        long maintenanceInterval,
        long providerTtl,
        long republishInterval,
        int maxPerPrefixInBucket,
        int maxPerPrefixInTable,
        int maxStoredProviders,
        int maxProvidersPerKey,
        boolean clientOnly,
        int maxDatagramsPerSecondPerSource,
        int disjointPaths) {

    public DhtConfig {
        require(k >= 1 && k <= 64, "k must be 1..64");
        require(alpha >= 1 && alpha <= k, "alpha must be 1..k");
        require(minRequestTimeout > 0 && minRequestTimeout <= maxRequestTimeout, "0 < minRequestTimeout <= maxRequestTimeout");
        require(requestAttempts >= 1 && requestAttempts <= 5, "requestAttempts must be 1..5");
        require(bucketRefreshInterval > 0 && maintenanceInterval > 0, "intervals must be positive");
        require(republishInterval > 0 && republishInterval < providerTtl, "republishInterval must be below providerTtl");
        require(maxPerPrefixInBucket >= 1 && maxPerPrefixInTable >= maxPerPrefixInBucket, "prefix limits");
        require(maxStoredProviders >= 1 && maxProvidersPerKey >= 1, "provider storage limits");
        require(maxDatagramsPerSecondPerSource >= 1, "maxDatagramsPerSecondPerSource must be positive");
        require(disjointPaths >= 1 && disjointPaths <= 8, "disjointPaths must be 1..8");
    }

    public static DhtConfig defaults() {
        return new DhtConfig(20, 3, 250, 5_000, 2, 15 * 60_000L, 60_000L, 60 * 60_000L, 30 * 60_000L,
                2, 10, 100_000, 64, false, 250, 3);
    }

    /** A copy to change a few settings of: {@code DhtConfig.defaults().toBuilder().k(8).build()}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public DhtConfig withClientOnly(boolean value) {
        return toBuilder().clientOnly(value).build();
    }

    public DhtConfig withPrefixLimits(int perBucket, int perTable) {
        return toBuilder().maxPerPrefixInBucket(perBucket).maxPerPrefixInTable(perTable).build();
    }

    public DhtConfig withProviderTimes(long ttl, long republish) {
        return toBuilder().providerTtl(ttl).republishInterval(republish).build();
    }

    public DhtConfig withDisjointPaths(int paths) {
        return toBuilder().disjointPaths(paths).build();
    }

    /** Mutable twin of the record, validated by {@link #build()}. */
    public static final class Builder {
        private int k, alpha, requestAttempts, maxPerPrefixInBucket, maxPerPrefixInTable, maxStoredProviders,
                maxProvidersPerKey, maxDatagramsPerSecondPerSource, disjointPaths;
        private long minRequestTimeout, maxRequestTimeout, bucketRefreshInterval, maintenanceInterval, providerTtl,
                republishInterval;
        private boolean clientOnly;

        private Builder(DhtConfig c) {
            k = c.k; alpha = c.alpha; minRequestTimeout = c.minRequestTimeout; maxRequestTimeout = c.maxRequestTimeout;
            requestAttempts = c.requestAttempts; bucketRefreshInterval = c.bucketRefreshInterval;
            maintenanceInterval = c.maintenanceInterval; providerTtl = c.providerTtl; republishInterval = c.republishInterval;
            maxPerPrefixInBucket = c.maxPerPrefixInBucket; maxPerPrefixInTable = c.maxPerPrefixInTable;
            maxStoredProviders = c.maxStoredProviders; maxProvidersPerKey = c.maxProvidersPerKey; clientOnly = c.clientOnly;
            maxDatagramsPerSecondPerSource = c.maxDatagramsPerSecondPerSource; disjointPaths = c.disjointPaths;
        }

        public Builder k(int v) { k = v; return this; }
        public Builder alpha(int v) { alpha = v; return this; }
        public Builder minRequestTimeout(long v) { minRequestTimeout = v; return this; }
        public Builder maxRequestTimeout(long v) { maxRequestTimeout = v; return this; }
        public Builder requestAttempts(int v) { requestAttempts = v; return this; }
        public Builder bucketRefreshInterval(long v) { bucketRefreshInterval = v; return this; }
        public Builder maintenanceInterval(long v) { maintenanceInterval = v; return this; }
        public Builder providerTtl(long v) { providerTtl = v; return this; }
        public Builder republishInterval(long v) { republishInterval = v; return this; }
        public Builder maxPerPrefixInBucket(int v) { maxPerPrefixInBucket = v; return this; }
        public Builder maxPerPrefixInTable(int v) { maxPerPrefixInTable = v; return this; }
        public Builder maxStoredProviders(int v) { maxStoredProviders = v; return this; }
        public Builder maxProvidersPerKey(int v) { maxProvidersPerKey = v; return this; }
        public Builder clientOnly(boolean v) { clientOnly = v; return this; }
        public Builder maxDatagramsPerSecondPerSource(int v) { maxDatagramsPerSecondPerSource = v; return this; }
        public Builder disjointPaths(int v) { disjointPaths = v; return this; }

        public DhtConfig build() {
            return new DhtConfig(k, alpha, minRequestTimeout, maxRequestTimeout, requestAttempts, bucketRefreshInterval,
                    maintenanceInterval, providerTtl, republishInterval, maxPerPrefixInBucket, maxPerPrefixInTable,
                    maxStoredProviders, maxProvidersPerKey, clientOnly, maxDatagramsPerSecondPerSource, disjointPaths);
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("invalid DHT config: " + what);
        }
    }
}
