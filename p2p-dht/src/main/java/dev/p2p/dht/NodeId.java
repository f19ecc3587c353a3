package dev.p2p.dht;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * A 256-bit identifier in the Kademlia key space: node ids (SHA-256 of a public key) and content
 * ids share it. Immutable; compares as an unsigned big-endian number.
 */
public final class NodeId implements Comparable<NodeId> {
    public static final int BYTES = 32;
    public static final int BITS = BYTES * 8;

    private final byte[] bytes;
    private final int hash;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a node id is 32 bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    /** Reads 32 bytes at {@code offset}. */
    public static NodeId read(byte[] buf, int offset) {
        return new NodeId(Arrays.copyOfRange(buf, offset, offset + BYTES));
    }

    /** Parses 64 hex digits. */
    public static NodeId fromHex(String hex) {
        if (hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("a node id is 64 hex digits, got " + hex.length());
        }
        return new NodeId(HexFormat.of().parseHex(hex));
    }

    /** The SHA-256 of {@code data}, e.g. of a public key. */
    public static NodeId sha256(byte[] data) {
        try {
            return new NodeId(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** A uniformly random id drawn from {@code random} (seeded by the environment). */
    public static NodeId random(Random random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /**
     * A random id whose XOR distance to {@code self} falls into bucket {@code bucketIndex}, i.e.
     * shares exactly {@code 255 - bucketIndex} leading bits with {@code self}.
     */
    public static NodeId randomInBucket(NodeId self, int bucketIndex, Random random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        int prefix = BITS - 1 - bucketIndex;
        for (int bit = 0; bit <= prefix; bit++) {
            int byteIdx = bit >>> 3;
            int mask = 0x80 >>> (bit & 7);
            boolean selfBit = (self.bytes[byteIdx] & mask) != 0;
            boolean want = bit == prefix ? !selfBit : selfBit;
            b[byteIdx] = (byte) (want ? (b[byteIdx] | mask) : (b[byteIdx] & ~mask));
        }
        return new NodeId(b);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public void writeTo(byte[] buf, int offset) {
        System.arraycopy(bytes, 0, buf, offset, BYTES);
    }

    public NodeId xor(NodeId other) {
        byte[] r = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            r[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new NodeId(r);
    }

    /**
     * Index of the k-bucket {@code other} falls into from this id's point of view: 255 for the
     * far half of the key space, 0 for the nearest neighbour; -1 when the ids are equal.
     */
    public int bucketIndex(NodeId other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return BITS - 1 - (i * 8 + Integer.numberOfLeadingZeros(x) - 24);
            }
        }
        return -1;
    }

    /** Compares the XOR distances of {@code a} and {@code b} to this id (negative when a is closer). */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < BYTES; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    public BigInteger toBigInteger() {
        return new BigInteger(1, bytes);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** The first 8 hex digits, for logs and tables. */
    public String shortHex() {
        return toHex().substring(0, 8);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && hash == n.hash && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
