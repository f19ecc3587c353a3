package dev.p2p.dht.wire;

/** A datagram that is not a valid message of a version this node speaks. */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message, null, false, false); // thrown per bad datagram: no stack trace to fill
    }
}
