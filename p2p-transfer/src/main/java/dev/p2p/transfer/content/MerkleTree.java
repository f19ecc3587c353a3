package dev.p2p.transfer.content;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * The Merkle root of a file's chunk hashes. Leaves are {@link Hashes#leaf} of each chunk in order;
 * each level pairs neighbours with {@link Hashes#node}, and an odd last node is carried up
 * unchanged. A file with no bytes has the root {@code leaf(empty)}; a one-chunk file's root is its
 * leaf.
 */
public final class MerkleTree {
    private MerkleTree() {}

    /** Root over {@code leaves}, a concatenation of 32-byte leaf hashes (length a multiple of 32). */
    public static byte[] root(byte[] leaves) {
        if (leaves.length % Hashes.BYTES != 0) {
            throw new IllegalArgumentException("leaf hashes must be 32 bytes each");
        }
        int n = leaves.length / Hashes.BYTES;
        if (n == 0) {
            return Hashes.leaf(ByteBuffer.allocate(0));
        }
        byte[][] level = new byte[n][];
        for (int i = 0; i < n; i++) {
            level[i] = java.util.Arrays.copyOfRange(leaves, i * Hashes.BYTES, (i + 1) * Hashes.BYTES);
        }
        MessageDigest md = Hashes.sha256();
        while (n > 1) {
            int next = 0;
            for (int i = 0; i + 1 < n; i += 2) {
                level[next++] = Hashes.node(md, level[i], level[i + 1]);
            }
            if (n % 2 == 1) {
                level[next++] = level[n - 1];
            }
            n = next;
        }
        return level[0];
    }
}
