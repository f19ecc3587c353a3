package dev.p2p.transfer.content;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 as used by the content model (JDK {@link MessageDigest}, nothing hand-rolled).
 * Leaf and interior hashes carry a one-byte domain prefix (0x00 leaf, 0x01 node) so a chunk can
 * never be passed off as a pair of child hashes.
 */
public final class Hashes {
    public static final int BYTES = 32;
    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private Hashes() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    public static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    /** Hash of one chunk: SHA-256(0x00 || data). Consumes {@code data} (position moves to limit). */
    public static byte[] leaf(MessageDigest md, ByteBuffer data) {
        md.reset();
        md.update(LEAF);
        md.update(data);
        return md.digest();
    }

    public static byte[] leaf(ByteBuffer data) {
        return leaf(sha256(), data);
    }

    /** The leaf hash of the bytes of {@code parts}, in order, as one chunk. */
    public static byte[] leaf(ByteBuffer[] parts) {
        MessageDigest md = sha256();
        md.update(LEAF);
        for (ByteBuffer part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    /** Interior node: SHA-256(0x01 || left || right). */
    public static byte[] node(MessageDigest md, byte[] left, byte[] right) {
        md.reset();
        md.update(NODE);
        md.update(left);
        md.update(right);
        return md.digest();
    }
}
