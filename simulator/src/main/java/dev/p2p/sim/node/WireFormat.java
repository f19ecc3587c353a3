package dev.p2p.sim.node;

/**
 * How a protocol's messages look on the wire. The simulator counts every message's bytes with
 * {@link #size}; in wire mode ({@code network.encodeMessages}) it encodes each message and
 * delivers the decoded bytes instead of the object, so every hop goes through the real codec.
 *
 * @param <M> the protocol's message type
 */
public interface WireFormat<M> {
    byte[] encode(M message);

    /** The encoded length, ideally computed without encoding (the default encodes). */
    default int size(M message) {
        return encode(message).length;
    }

    /**
     * The message in {@code datagram}.
     *
     * @throws IllegalStateException when bytes the codec itself wrote do not decode: a codec bug
     */
    M decode(byte[] datagram);
}
