package dev.p2p.sim;

import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.KeyIds;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.MalformedMessageException;
import dev.p2p.dht.wire.Message;
import dev.p2p.sim.node.NodeEnvironment;
import dev.p2p.sim.node.NodeFactory;
import dev.p2p.sim.node.SimulatedNode;
import dev.p2p.sim.scenario.DhtSettings;
import dev.p2p.sim.scenario.Scenario;
import java.util.Random;

/**
 * Makes real {@link dev.p2p.dht.DhtNode}s for a scenario: Ed25519 identities drawn from the run's
 * seeded generators, the DHT's default configuration with the scenario's k and alpha, and
 * message sizes measured by the wire codec.
 */
public final class DhtNodeFactory implements NodeFactory<Message> {
    /** The per-/24 table limit with the defences off: more than any routing table holds. */
    static final int NO_PREFIX_LIMIT = 1 << 20;

    private final DhtConfig config;
    private final int providersWanted;
    private KeyIds keyIds = KeyIds.SHA256;

    public DhtNodeFactory(Scenario scenario) {
        this.config = configFor(scenario.dht());
        this.providersWanted = scenario.workload().providersWanted();
    }

    /** The DHT's defaults with the scenario's overrides; the DHT's own checks reject bad mixes. */
    public static DhtConfig configFor(DhtSettings s) {
        DhtConfig d = DhtConfig.defaults();
        if (!s.defences()) {
            d = withoutDefences(d.toBuilder().k(or(s.k(), d.k())).build());
        }
        int k = or(s.k(), d.k());
        long minTimeout = or(s.minRequestTimeoutMillis(), d.minRequestTimeout());
        return d.toBuilder().k(k).alpha(or(s.alpha(), Math.min(d.alpha(), k))).minRequestTimeout(minTimeout)
                .maxRequestTimeout(Math.max(minTimeout, d.maxRequestTimeout()))
                .providerTtl(or(s.providerTtlMillis(), d.providerTtl()))
                .republishInterval(or(s.republishIntervalMillis(), d.republishInterval())).build();
    }

    /**
     * The configuration with the switchable defences off ({@code dht.defences = off}): provider
     * lookups on one path instead of disjoint ones, and no per-/24 limit short of a full bucket.
     * What no configuration turns off stays on: admission only after an answer, signed provider
     * records, store tokens, demotion of junk senders.
     */
    static DhtConfig withoutDefences(DhtConfig c) {
        return c.toBuilder().disjointPaths(1).maxPerPrefixInBucket(c.k()).maxPerPrefixInTable(NO_PREFIX_LIMIT).build();
    }

    private static int or(int override, int dflt) {
        return override > 0 ? override : dflt;
    }

    private static long or(long override, long dflt) {
        return override > 0 ? override : dflt;
    }

    /** From now on nodes believe the attacker's ground keys stand for the ids it assigned them. */
    public void keyIds(KeyIds ids) {
        keyIds = ids;
    }

    @Override
    public SimulatedNode<Message> create(Random identityRandom, NodeEnvironment<Message> env) {
        return new DhtNodeAdapter(Identity.generate(identityRandom), config, providersWanted, env, Reachability.Mode.PUBLIC, keyIds);
    }

    @Override
    public byte[] encode(Message message) {
        return Codec.encode(message);
    }

    @Override
    public int encodedSize(Message message) {
        return Codec.encodedSize(message);
    }

    @Override
    public Message decode(byte[] datagram) {
        try {
            return Codec.decode(datagram);
        } catch (MalformedMessageException e) {
            throw new IllegalStateException("the codec cannot read what it wrote: " + e.getMessage(), e);
        }
    }
}
