package dev.p2p.sim.node;

import java.util.Random;

/**
 * Makes protocol nodes for the simulator and measures their messages.
 *
 * @param <M> the protocol's message type
 */
public interface NodeFactory<M> {
    /**
     * A new node with a new identity drawn from {@code identityRandom}.
     *
     * @param env the node's world; its generator is the node's only source of randomness
     */
    SimulatedNode<M> create(Random identityRandom, NodeEnvironment<M> env);

    /** The encoded size of {@code message} in bytes, as it would go on the wire. */
    int encodedSize(M message);
}
