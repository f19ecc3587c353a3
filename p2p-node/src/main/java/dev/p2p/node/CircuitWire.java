package dev.p2p.node;

import dev.p2p.node.policy.CircuitBook;
import java.util.Arrays;

/**
 * The first bytes of a TCP connection to a relay (docs/REACHABILITY.md, relay circuits), before
 * it carries the two peers' TLS: {@code "P2RL" | version (1) | kind (1) | 32 bytes}, where kind 1
 * (CONNECT) names the target's node id and kind 2 (ARRIVE) is the token the target was told. The
 * relay answers with one status byte: 0 the circuit is open, else 1 + {@link CircuitBook.Refusal}'s
 * ordinal. Fixed length: nothing to bound but the one read.
 */
public final class CircuitWire {
    public static final byte[] MAGIC = {'P', '2', 'R', 'L'};
    public static final int VERSION = 1;
    public static final int LENGTH = MAGIC.length + 2 + 32;
    public static final int OPEN = 0;

    /** What a connection asks. */
    public enum Kind {
        CONNECT, ARRIVE;

        int code() {
            return ordinal() + 1;
        }
    }

    /** A decoded handshake: the kind and its 32 bytes. */
    public record Hello(Kind kind, byte[] body) {
        public Hello {
            if (body.length != 32) {
                throw new IllegalArgumentException("a handshake carries 32 bytes");
            }
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    private CircuitWire() {}

    public static byte[] encode(Hello hello) {
        byte[] out = Arrays.copyOf(MAGIC, LENGTH);
        out[4] = VERSION;
        out[5] = (byte) hello.kind().code();
        System.arraycopy(hello.body(), 0, out, 6, 32);
        return out;
    }

    /** Reads a handshake; {@link IllegalArgumentException} for anything else. */
    public static Hello decode(byte[] bytes) {
        if (bytes.length != LENGTH || !Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
            throw new IllegalArgumentException("not a relay handshake");
        }
        if (bytes[4] != VERSION) {
            throw new IllegalArgumentException("relay handshake version " + (bytes[4] & 0xff));
        }
        int kind = bytes[5] & 0xff;
        if (kind < 1 || kind > Kind.values().length) {
            throw new IllegalArgumentException("relay handshake kind " + kind);
        }
        return new Hello(Kind.values()[kind - 1], Arrays.copyOfRange(bytes, 6, LENGTH));
    }

    /** The status byte for a refusal. */
    public static int status(CircuitBook.Refusal why) {
        return 1 + why.ordinal();
    }

    /** The refusal a status byte stands for, or null for one this version does not know. */
    public static CircuitBook.Refusal refusal(int status) {
        CircuitBook.Refusal[] all = CircuitBook.Refusal.values();
        return status >= 1 && status <= all.length ? all[status - 1] : null;
    }
}
