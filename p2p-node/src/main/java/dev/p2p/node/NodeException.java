package dev.p2p.node;

/**
 * A failure of a {@link Node} operation that its caller can act on: one line for a person, and a
 * {@link Kind} for a program (the p2p command turns it into an exit code).
 */
public final class NodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, broadly. */
    public enum Kind {
        /** The caller asked for something impossible: a missing file, a malformed address. */
        USAGE,
        /** Nobody provides the content within the time given. */
        NOT_FOUND,
        /** A network problem: a port in use, no peer answered, peers unreachable behind NAT. */
        NETWORK,
        /** The download could not complete; verified chunks are kept for a resume. */
        TRANSFER
    }

    private final Kind kind;

    public NodeException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
