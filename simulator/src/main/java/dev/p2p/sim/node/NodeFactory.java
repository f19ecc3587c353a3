package dev.p2p.sim.node;

import java.util.Random;

/**
 * Makes protocol nodes for the simulator, and encodes their messages.
 *
 * @param <M> the protocol's message type
 */
public interface NodeFactory<M> extends WireFormat<M> {
    /**
     * A new node with a new identity drawn from {@code identityRandom}.
     *
     * @param env the node's world; its generator is the node's only source of randomness
     */
    SimulatedNode<M> create(Random identityRandom, NodeEnvironment<M> env);
}
