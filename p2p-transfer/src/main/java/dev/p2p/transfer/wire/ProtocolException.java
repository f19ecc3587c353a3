package dev.p2p.transfer.wire;

/** A peer broke the wire protocol; the connection to it is closed, the node carries on. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }
}
