package dev.p2p.sim;

import dev.p2p.dht.NodeId;
import dev.p2p.sim.node.NodeEnvironment;
import dev.p2p.sim.node.NodeFactory;
import dev.p2p.sim.node.SimulatedNode;
import dev.p2p.sim.world.ClosestIndex;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A stand-in protocol for testing the simulator's machinery without the DHT: every request is
 * one round trip to a known peer, and the answer comes from an oracle that sees every started
 * node. Not Kademlia, and never shipped.
 */
final class StandInNodes implements NodeFactory<StandInNodes.Ping> {
    /** A request (reply false) or its answer. */
    record Ping(long requestId, boolean reply) {}

    private final ClosestIndex started = new ClosestIndex();
    private final Map<NodeId, List<NodeId>> providers = new HashMap<>();

    @Override
    public SimulatedNode<Ping> create(Random identityRandom, NodeEnvironment<Ping> env) {
        return new Node(NodeId.random(identityRandom), env);
    }

    @Override
    public byte[] encode(Ping message) {
        return ByteBuffer.allocate(40).putLong(message.requestId()).put((byte) (message.reply() ? 1 : 0)).array();
    }

    @Override
    public Ping decode(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram);
        return new Ping(b.getLong(), b.get() == 1);
    }

    private final class Node implements SimulatedNode<Ping> {
        private final NodeId id;
        private final NodeEnvironment<Ping> env;
        private final List<RoutingEntry> contacts = new ArrayList<>();
        private final TreeMap<Long, Runnable> waiting = new TreeMap<>();
        private long nextRequest;

        Node(NodeId id, NodeEnvironment<Ping> env) {
            this.id = id;
            this.env = env;
        }

        public NodeId id() {
            return id;
        }

        public void start() {
            started.add(id);
        }

        public void stop() {
            started.remove(id);
            waiting.clear();
        }

        public void onMessage(InetSocketAddress from, Ping message) {
            if (!message.reply()) {
                env.send(from, new Ping(message.requestId(), true));
            } else {
                Runnable r = waiting.remove(message.requestId());
                if (r != null) {
                    r.run();
                }
            }
        }

        public void bootstrap(List<InetSocketAddress> seeds, Runnable done) {
            seeds.forEach(s -> contacts.add(new RoutingEntry(NodeId.random(env.random()), s)));
            env.schedule(10, done);
        }

        private void roundTrip(Runnable answered, Runnable timedOut) {
            if (contacts.isEmpty()) {
                env.schedule(1, timedOut);
                return;
            }
            long request = nextRequest++;
            waiting.put(request, answered);
            env.send(contacts.get(env.random().nextInt(contacts.size())).address(), new Ping(request, false));
            env.schedule(2_000, () -> {
                if (waiting.remove(request) != null) {
                    timedOut.run();
                }
            });
        }

        public void lookup(NodeId target, Consumer<LookupOutcome> done) {
            roundTrip(() -> done.accept(new LookupOutcome(List.of(started.closest(target)), 1)),
                    () -> done.accept(new LookupOutcome(List.of(), 1)));
        }

        public void provide(NodeId key) {
            providers.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
        }

        public void stopProviding(NodeId key) {
            providers.getOrDefault(key, new ArrayList<>()).remove(id);
        }

        public void findProviders(NodeId key, Consumer<FindOutcome> done) {
            roundTrip(() -> done.accept(new FindOutcome(List.copyOf(providers.getOrDefault(key, List.of())), 1)),
                    () -> done.accept(new FindOutcome(List.of(), 1)));
        }

        public Map<String, Long> counters() {
            return Map.of("requests", nextRequest);
        }

        public List<RoutingEntry> routingEntries() {
            return contacts;
        }
    }
}
