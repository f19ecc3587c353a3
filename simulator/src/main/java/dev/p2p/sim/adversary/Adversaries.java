package dev.p2p.sim.adversary;

import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.KeyIds;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.wire.Message;
import dev.p2p.sim.adversary.AdversaryConfig.Behaviour;
import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.net.Host;
import dev.p2p.sim.net.SimNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The attacker's nodes in a run: Sybils on a share of the peer slots, and eclipse nodes with ids
 * next to one key. They join while the honest network forms, through honest peers, never leave,
 * and are not peers of the population: lookups are started by honest peers only and judged
 * against honest peers only.
 */
public final class Adversaries {
    /**
     * Leading bits an eclipse node's id shares with its target: far closer than any honest id. Ids
     * are bound to keys, so each costs about 2^40 key generations (docs/ADVERSARIES.md states the
     * budget); the simulator assigns the ids and believes the keys stand for them ({@link #keyIds}).
     */
    static final int ECLIPSE_ID_PREFIX_BITS = 40;
    private static final int SEEDS = 3;
    private static final long RETRY_MILLIS = 10_000;
    private static final Behaviour[] MIXED = {
        Behaviour.DROP, Behaviour.WRONG_CONTACTS, Behaviour.FAR_CONTACTS, Behaviour.FALSE_PROVIDERS,
    };

    private final Simulation sim;
    private final SimNetwork<Message> network;
    private final AdversaryConfig config;
    private final Supplier<List<InetSocketAddress>> seeds;
    private final Random random;
    private final Coalition coalition;
    private final List<Sybil> nodes = new ArrayList<>();
    private final Set<NodeId> ids = new HashSet<>();
    /** The eclipse nodes' keys and the ids they were "ground" for. */
    private final Map<ByteBuffer, NodeId> ground = new HashMap<>();
    private int hosts;

    /**
     * Makes the attacker's nodes and schedules their joins, spread over {@code joinMillis}.
     *
     * @param eclipseKey the eclipse target (null when there is no eclipse)
     * @param seeds a few random honest online peers' addresses, to join through
     */
    public Adversaries(Simulation sim, SimNetwork<Message> network, AdversaryConfig config, int sybils,
            NodeId eclipseKey, long joinMillis, Supplier<List<InetSocketAddress>> seeds) {
        this.sim = sim;
        this.network = network;
        this.config = config;
        this.seeds = seeds;
        this.random = sim.newChildRandom();
        this.coalition = new Coalition(eclipseKey);
        int total = sybils + config.eclipseNodes();
        for (int i = 0; i < total; i++) {
            boolean eclipse = i >= sybils;
            Identity key = Identity.generate(random);
            NodeId id = eclipse ? nearby(eclipseKey) : key.nodeId();
            if (eclipse) {
                ground.put(ByteBuffer.wrap(key.publicKey()), id);
            }
            Behaviour b = config.behaviour() == Behaviour.MIXED ? MIXED[i % MIXED.length] : config.behaviour();
            add(id, b, eclipse, key, joinMillis * (i + 1) / (total + 1));
        }
    }

    /** An id sharing {@value #ECLIPSE_ID_PREFIX_BITS} leading bits with {@code key} (ids are not bound to keys on the wire). */
    private NodeId nearby(NodeId key) {
        byte[] b = key.toBytes();
        byte[] r = NodeId.random(random).toBytes();
        for (int i = ECLIPSE_ID_PREFIX_BITS / 8; i < NodeId.BYTES; i++) {
            b[i] = r[i];
        }
        return NodeId.of(b);
    }

    private void add(NodeId id, Behaviour behaviour, boolean eclipse, Identity key, long joinAt) {
        Host host = config.samePrefix() ? network.newHostAt(packedAddress(hosts)) : network.newHost();
        hosts++;
        Sybil node = new Sybil(id, key, behaviour, eclipse, nodes.size(), coalition, new Sybil.Outside() {
            public void send(InetSocketAddress to, Message message) {
                network.send(host, to, message);
            }

            public void schedule(long delayMillis, Runnable task) {
                sim.lane(host.lane()).schedule(delayMillis, task);
            }
        }, sim.newChildRandom());
        nodes.add(node);
        ids.add(id);
        sim.scheduleAt(joinAt, () -> {
            network.attach(host, node::onMessage);
            coalition.join(new Contact(id, host.address()), eclipse, eclipse ? null : key);
            join(node);
        });
    }

    private void join(Sybil node) {
        List<InetSocketAddress> through = seeds.get();
        if (through.isEmpty()) {
            sim.schedule(RETRY_MILLIS, () -> join(node));
        } else {
            node.join(through);
        }
    }

    /** The n-th address in 100.64.0.0/10, 254 to a /24: an attacker's rented block. */
    static InetSocketAddress packedAddress(int n) {
        byte[] ip = {100, (byte) (64 + n / (254 * 256)), (byte) (n / 254 % 256), (byte) (n % 254 + 1)};
        return address(ip, dev.p2p.sim.net.VirtualAddresses.PORT);
    }

    /** An address from raw IPv4 bytes (no name is resolved). */
    static InetSocketAddress address(byte[] ipv4, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ipv4), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /**
     * Which id a key stands for, as honest nodes are to believe it: the id assigned to an eclipse
     * node's key (the simulator's stand-in for grinding that key), else its SHA-256. Read-only once made.
     */
    public KeyIds keyIds() {
        return publicKey -> {
            NodeId assigned = ground.get(ByteBuffer.wrap(publicKey));
            return assigned != null ? assigned : NodeId.sha256(publicKey);
        };
    }

    /** True for every id the attacker made, joined yet or not. */
    public boolean isHostile(NodeId id) {
        return ids.contains(id);
    }

    /** Sybils by behaviour, then eclipse nodes, by name. */
    public SortedMap<String, Integer> census() {
        SortedMap<String, Integer> out = new TreeMap<>();
        for (Sybil s : nodes) {
            out.merge(s.isEclipse() ? "eclipse" : s.behaviour().scenarioName(), 1, Integer::sum);
        }
        return out;
    }

    /** Lies told over the whole run, by kind, in a fixed order. */
    public SortedMap<String, Long> lies() {
        SortedMap<String, Long> out = new TreeMap<>();
        Coalition.Lies l = coalition.lies;
        out.put("eclipseAnswers", l.eclipseAnswers);
        out.put("falseProviderRecords", l.falseProviderRecords);
        out.put("farContactAnswers", l.farContactAnswers);
        out.put("requestsDropped", l.requestsDropped);
        out.put("storesSwallowed", l.storesSwallowed);
        out.put("wrongContactAnswers", l.wrongContactAnswers);
        return out;
    }
}
