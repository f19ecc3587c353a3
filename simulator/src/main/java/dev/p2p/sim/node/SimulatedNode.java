package dev.p2p.sim.node;

import dev.p2p.dht.NodeId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the simulator asks of one protocol node. The shipped implementation adapts the real
 * {@code DhtNode}; tests of the engine may use a stand-in. Every call happens on the simulator's
 * one thread, in virtual time.
 *
 * @param <M> the protocol's message type
 */
public interface SimulatedNode<M> {
    NodeId id();

    /** Arms the node's periodic timers; also called when a peer comes back with its old state. */
    void start();

    /** Cancels timers; pending callbacks are dropped. */
    void stop();

    /** Leaves on purpose: says goodbye where the protocol does, then stops as {@link #stop} does. */
    default void leave() {
        stop();
    }

    /** The process dies without a word (a crash): what it held open drops; its timers are dropped by the simulator. */
    default void crash() {}

    void onMessage(InetSocketAddress from, M message);

    /**
     * Where the network delivers this node's datagrams: {@link #onMessage} itself, unless an
     * adapter hands over its inner node's, which spares every datagram a step through the adapter.
     */
    default BiConsumer<InetSocketAddress, M> receiver() {
        return this::onMessage;
    }

    /** Joins through {@code seeds} (may be empty for the first peer); {@code done} runs once. */
    void bootstrap(List<InetSocketAddress> seeds, Runnable done);

    void lookup(NodeId target, Consumer<LookupOutcome> done);

    /** Announces this node as a provider of {@code key} and keeps republishing it. */
    void provide(NodeId key);

    void stopProviding(NodeId key);

    void findProviders(NodeId key, Consumer<FindOutcome> done);

    /** The node's own counters (requests timed out, messages dropped...), by name. */
    Map<String, Long> counters();

    /** The routing table's entries, in the table's own order. */
    List<RoutingEntry> routingEntries();

    /** The result of a node lookup: the closest ids found, closest first, and the hops it took. */
    record LookupOutcome(List<NodeId> closest, int hops) {}

    /**
     * The result of a provider search: the provider ids found, the hops it took, and the time
     * from the ask until the first provider was handed out ({@code -1} when none was).
     */
    record FindOutcome(List<NodeId> providers, int hops, long firstProviderMillis) {
        /** A search that does not say when its first provider came. */
        public FindOutcome(List<NodeId> providers, int hops) {
            this(providers, hops, -1);
        }
    }

    /** One routing-table entry. */
    record RoutingEntry(NodeId id, InetSocketAddress address) {}
}
