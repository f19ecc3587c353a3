package dev.p2p.sim;

import dev.p2p.dht.Contact;
import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.DhtNode;
import dev.p2p.dht.Environment;
import dev.p2p.dht.Identity;
import dev.p2p.dht.KeyIds;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.ProofSignatures;
import dev.p2p.dht.Provider;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.wire.Message;
import dev.p2p.sim.net.VirtualAddresses;
import dev.p2p.sim.node.NodeEnvironment;
import dev.p2p.sim.node.SimulatedNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The real {@link DhtNode} as the simulator drives it: the simulator's environment becomes the
 * node's {@link Environment}, and its results become the simulator's outcomes. Messages go
 * through as objects (no encode/decode per hop); their sizes are still counted by the codec.
 * The node's policies run as they do for users: rejoining lost contacts and seeds, relaying
 * punch requests, and a reachability decision; the simulated network has no NAT, so every peer
 * is reachable and runs as an operator would declare it ({@link Reachability.Mode#PUBLIC}).
 */
public final class DhtNodeAdapter implements SimulatedNode<Message> {
    private final DhtNode node;
    private final NodeEnvironment<Message> env;
    /** A provider search stops once it has this many (1: a downloader would start at the first). */
    private final int providersWanted;

    public DhtNodeAdapter(Identity identity, DhtConfig config, int providersWanted, NodeEnvironment<Message> env) {
        this(identity, config, providersWanted, env, Reachability.Mode.PUBLIC);
    }

    /** @param mode {@code PRIVATE} for a peer behind NAT: its node runs as a client, as one would there */
    public DhtNodeAdapter(Identity identity, DhtConfig config, int providersWanted, NodeEnvironment<Message> env,
            Reachability.Mode mode) {
        this(identity, config, providersWanted, env, mode, KeyIds.SHA256);
    }

    /**
     * @param keyIds which id a public key stands for: SHA-256, except for keys an attacker is
     *     modelled to have ground for ids near a target (docs/SIMULATOR.md)
     */
    public DhtNodeAdapter(Identity identity, DhtConfig config, int providersWanted, NodeEnvironment<Message> env,
            Reachability.Mode mode, KeyIds keyIds) {
        this.providersWanted = providersWanted;
        this.env = env;
        this.node = new DhtNode(identity, config, new Environment() {
            public long nowMillis() {
                return env.nowMillis();
            }

            public Random random() {
                return env.random();
            }

            public dev.p2p.dht.Cancellable schedule(long delayMillis, Runnable task) {
                return env.schedule(delayMillis, task);
            }

            public void send(InetSocketAddress to, Message message) {
                env.send(to, message);
            }

            public KeyIds keyIds() {
                return keyIds;
            }

            public ProofSignatures proofSignatures() {
                return SimProofSignatures.INSTANCE;
            }
        }, new Reachability(mode, List.of()));
    }

    public NodeId id() {
        return node.id();
    }

    /** The DHT node itself, for a whole peer's core to use as its DHT. */
    public DhtNode dhtNode() {
        return node;
    }

    public void start() {
        node.start();
    }

    public void stop() {
        node.stop();
    }

    @Override
    public void leave() {
        node.leave();
    }

    public void onMessage(InetSocketAddress from, Message message) {
        node.onMessage(from, message);
    }

    @Override
    public BiConsumer<InetSocketAddress, Message> receiver() {
        return node::onMessage;
    }

    public void bootstrap(List<InetSocketAddress> seeds, Runnable done) {
        node.bootstrap(seeds, result -> done.run());
    }

    public void lookup(NodeId target, Consumer<LookupOutcome> done) {
        node.lookupNode(target, r -> done.accept(new LookupOutcome(ids(r.closest()), r.hops())));
    }

    public void provide(NodeId key) {
        node.provide(key, VirtualAddresses.PORT, result -> { });
    }

    public void stopProviding(NodeId key) {
        node.stopProviding(key);
    }

    public void findProviders(NodeId key, Consumer<FindOutcome> done) {
        long asked = env.nowMillis();
        long[] firstAt = {-1};
        node.findProviders(key, providersWanted, p -> {
            if (firstAt[0] < 0) {
                firstAt[0] = env.nowMillis() - asked;
            }
        }, r -> {
            List<NodeId> providers = new ArrayList<>(r.providers().size());
            for (Provider p : r.providers()) {
                providers.add(p.nodeId());
            }
            done.accept(new FindOutcome(providers, r.hops(), firstAt[0]));
        });
    }

    public Map<String, Long> counters() {
        return node.stats().asMap();
    }

    public List<RoutingEntry> routingEntries() {
        List<Contact> contacts = node.routingTable().contacts();
        List<RoutingEntry> entries = new ArrayList<>(contacts.size());
        for (Contact c : contacts) {
            entries.add(new RoutingEntry(c.id(), c.address()));
        }
        return entries;
    }

    private static List<NodeId> ids(List<Contact> contacts) {
        List<NodeId> ids = new ArrayList<>(contacts.size());
        for (Contact c : contacts) {
            ids.add(c.id());
        }
        return ids;
    }
}
