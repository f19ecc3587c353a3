package dev.p2p.dht;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A 256-bit identifier in the Kademlia key space: node ids (SHA-256 of a public key) and content
 * ids share it. Immutable; compares as an unsigned big-endian number.
 *
 * <p>Held as four big-endian longs rather than 32 bytes: distance comparisons, equality and bucket
 * indices are the DHT's innermost loops (every answer sorts and merges contacts), and on longs
 * they are a few XORs with no array bounds checks. The simulator keeps millions of these alive.
 */
public final class NodeId implements Comparable<NodeId> {
    public static final int BYTES = 32;
    public static final int BITS = BYTES * 8;

    /** Bits 255..192 (most significant first), then 191..128, 127..64 and 63..0. */
    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    private NodeId(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /** Wraps exactly 32 bytes (copied). */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a node id is 32 bytes, got " + bytes.length);
        }
        return read(bytes, 0);
    }

    /** Reads 32 bytes at {@code offset}. */
    public static NodeId read(byte[] buf, int offset) {
        if (offset < 0 || offset > buf.length - BYTES) {
            throw new IndexOutOfBoundsException("32 bytes at " + offset + " of " + buf.length);
        }
        return new NodeId(longAt(buf, offset), longAt(buf, offset + 8), longAt(buf, offset + 16), longAt(buf, offset + 24));
    }

    /** Parses 64 hex digits. */
    public static NodeId fromHex(String hex) {
        if (hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("a node id is 64 hex digits, got " + hex.length());
        }
        return read(HexFormat.of().parseHex(hex), 0);
    }

    /** The SHA-256 of {@code data}, e.g. of a public key. */
    public static NodeId sha256(byte[] data) {
        try {
            return read(MessageDigest.getInstance("SHA-256").digest(data), 0);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** A uniformly random id drawn from {@code random} (seeded by the environment). */
    public static NodeId random(Random random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        return read(b, 0);
    }

    /**
     * A random id whose XOR distance to {@code self} falls into bucket {@code bucketIndex}, i.e.
     * shares exactly {@code 255 - bucketIndex} leading bits with {@code self}.
     */
    public static NodeId randomInBucket(NodeId self, int bucketIndex, Random random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        byte[] s = self.toBytes();
        int prefix = BITS - 1 - bucketIndex;
        for (int bit = 0; bit <= prefix; bit++) {
            int byteIdx = bit >>> 3;
            int mask = 0x80 >>> (bit & 7);
            boolean selfBit = (s[byteIdx] & mask) != 0;
            boolean want = bit == prefix ? !selfBit : selfBit;
            b[byteIdx] = (byte) (want ? (b[byteIdx] | mask) : (b[byteIdx] & ~mask));
        }
        return read(b, 0);
    }

    public byte[] toBytes() {
        byte[] b = new byte[BYTES];
        writeTo(b, 0);
        return b;
    }

    public void writeTo(byte[] buf, int offset) {
        putLong(buf, offset, w0);
        putLong(buf, offset + 8, w1);
        putLong(buf, offset + 16, w2);
        putLong(buf, offset + 24, w3);
    }

    /** The 64 most significant bits. */
    long firstWord() {
        return w0;
    }

    public NodeId xor(NodeId other) {
        return new NodeId(w0 ^ other.w0, w1 ^ other.w1, w2 ^ other.w2, w3 ^ other.w3);
    }

    /** Bit {@code i} (0 the lowest, 255 the highest) of the XOR distance to {@code other}. */
    public boolean distanceBit(NodeId other, int i) {
        long x = switch (i >>> 6) {
            case 3 -> w0 ^ other.w0;
            case 2 -> w1 ^ other.w1;
            case 1 -> w2 ^ other.w2;
            default -> w3 ^ other.w3;
        };
        return (x >>> (i & 63) & 1) != 0;
    }

    /**
     * Index of the k-bucket {@code other} falls into from this id's point of view: 255 for the
     * far half of the key space, 0 for the nearest neighbour; -1 when the ids are equal.
     */
    public int bucketIndex(NodeId other) {
        long x = w0 ^ other.w0;
        if (x != 0) {
            return 255 - Long.numberOfLeadingZeros(x);
        }
        x = w1 ^ other.w1;
        if (x != 0) {
            return 191 - Long.numberOfLeadingZeros(x);
        }
        x = w2 ^ other.w2;
        if (x != 0) {
            return 127 - Long.numberOfLeadingZeros(x);
        }
        x = w3 ^ other.w3;
        return x != 0 ? 63 - Long.numberOfLeadingZeros(x) : -1;
    }

    /** Compares the XOR distances of {@code a} and {@code b} to this id (negative when a is closer). */
    public int compareDistance(NodeId a, NodeId b) {
        if (a == b) {
            return 0; // the same object, as ids passed from node to node often are: no need to read it
        }
        if (a.w0 != b.w0) {
            return Long.compareUnsigned(a.w0 ^ w0, b.w0 ^ w0);
        }
        if (a.w1 != b.w1) {
            return Long.compareUnsigned(a.w1 ^ w1, b.w1 ^ w1);
        }
        if (a.w2 != b.w2) {
            return Long.compareUnsigned(a.w2 ^ w2, b.w2 ^ w2);
        }
        return Long.compareUnsigned(a.w3 ^ w3, b.w3 ^ w3);
    }

    public BigInteger toBigInteger() {
        return new BigInteger(1, toBytes());
    }

    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    /** The first 8 hex digits, for logs and tables. */
    public String shortHex() {
        return toHex().substring(0, 8);
    }

    @Override
    public int compareTo(NodeId o) {
        if (w0 != o.w0) {
            return Long.compareUnsigned(w0, o.w0);
        }
        if (w1 != o.w1) {
            return Long.compareUnsigned(w1, o.w1);
        }
        if (w2 != o.w2) {
            return Long.compareUnsigned(w2, o.w2);
        }
        return Long.compareUnsigned(w3, o.w3);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeId n && w3 == n.w3 && w0 == n.w0 && w1 == n.w1 && w2 == n.w2;
    }

    @Override
    public int hashCode() {
        long x = w0 ^ w1 ^ w2 ^ w3;
        return (int) (x ^ (x >>> 32));
    }

    @Override
    public String toString() {
        return toHex();
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
