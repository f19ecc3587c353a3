package dev.p2p.sim.node;

/**
 * How a protocol's messages look on the wire. The simulator always encodes a message once to
 * count its bytes; in wire mode ({@code network.encodeMessages}) it also delivers the decoded
 * bytes instead of the object, so every hop goes through the real codec.
 *
 * @param <M> the protocol's message type
 */
public interface WireFormat<M> {
    byte[] encode(M message);

    /** {@code encode(message).length}; a codec that can tell it without encoding saves the simulator time. */
    default int encodedSize(M message) {
        return encode(message).length;
    }

    /**
     * The message in {@code datagram}.
     *
     * @throws IllegalStateException when bytes the codec itself wrote do not decode: a codec bug
     */
    M decode(byte[] datagram);
}
