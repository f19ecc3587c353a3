package dev.p2p.node.virtual;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.Manifest;
import dev.p2p.transfer.content.ManifestCodec;
import dev.p2p.transfer.content.MerkleTree;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.session.Servable;
import dev.p2p.transfer.wire.ByteBufPayload;
import dev.p2p.transfer.wire.ChunkPayload;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Complete content without its bytes: a real manifest, content id and leaf hashes, served as
 * {@link TokenPayload}s. Made from indexed content ({@link #of(SharedContent)}), or from a size
 * and a seed ({@link #synthetic}), whose leaf i is {@code Hashes.leaf} of the 16 bytes (seed, i):
 * a manifest and a Merkle tree as real as any, for a file nobody has to write. Content made by
 * {@link #withBytes} has bytes too, drawn from the seed chunk by chunk when asked for and never
 * stored, and serves them as real buffers.
 */
public final class VirtualContent implements Servable {
    private final byte[] manifestBytes;
    private final ContentId id;
    private final ChunkLayout layout;
    private final byte[] leaves; // 32 bytes per chunk, single-file content
    private final Long byteSeed; // null: no bytes, chunks are tokens

    private VirtualContent(Manifest manifest, byte[] leaves, Long byteSeed) {
        this.manifestBytes = ManifestCodec.encode(manifest);
        this.id = ContentId.ofManifest(manifestBytes);
        this.layout = new ChunkLayout(manifest);
        this.leaves = leaves;
        this.byteSeed = byteSeed;
    }

    /** A single file of {@code sizeBytes} in chunks of {@code chunkSize}, its leaves drawn from {@code seed}. */
    public static VirtualContent synthetic(String name, long sizeBytes, int chunkSize, long seed) {
        int chunks = (int) Math.max(1, (sizeBytes + chunkSize - 1) / chunkSize);
        byte[] leaves = new byte[chunks * Hashes.BYTES];
        MessageDigest md = Hashes.sha256();
        ByteBuffer input = ByteBuffer.allocate(16);
        for (int i = 0; i < chunks; i++) {
            input.clear();
            input.putLong(seed).putLong(i).flip();
            System.arraycopy(Hashes.leaf(md, input), 0, leaves, i * Hashes.BYTES, Hashes.BYTES);
        }
        return new VirtualContent(Manifest.file(name, chunkSize, sizeBytes, MerkleTree.root(leaves)), leaves, null);
    }

    /** As {@link #synthetic}, with bytes: chunk i is {@link #chunkBytes}(i), and its leaf that of those bytes. */
    public static VirtualContent withBytes(String name, long sizeBytes, int chunkSize, long seed) {
        int chunks = (int) Math.max(1, (sizeBytes + chunkSize - 1) / chunkSize);
        byte[] leaves = new byte[chunks * Hashes.BYTES];
        MessageDigest md = Hashes.sha256();
        for (int i = 0; i < chunks; i++) {
            int length = (int) Math.min(chunkSize, sizeBytes - (long) i * chunkSize);
            System.arraycopy(Hashes.leaf(md, ByteBuffer.wrap(bytes(seed, i, length))), 0, leaves, i * Hashes.BYTES, Hashes.BYTES);
        }
        return new VirtualContent(Manifest.file(name, chunkSize, sizeBytes, MerkleTree.root(leaves)), leaves, seed);
    }

    private static byte[] bytes(long seed, int chunk, int length) {
        byte[] b = new byte[length];
        new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + chunk).nextBytes(b);
        return b;
    }

    /** True when chunks carry their bytes ({@link #withBytes}). */
    public boolean hasBytes() {
        return byteSeed != null;
    }

    /** The bytes of {@code chunk}, for content made {@link #withBytes}. */
    public byte[] chunkBytes(int chunk) {
        if (byteSeed == null) {
            throw new IllegalStateException("content without bytes");
        }
        return bytes(byteSeed, chunk, layout.chunkLength(chunk));
    }

    /**
     * Chunk {@code chunk} as it is served: its bytes in a buffer when the content has them (a
     * corrupt one with its first byte flipped), else a {@link #token}.
     */
    public ChunkPayload payload(int chunk, boolean corrupt, Runnable onRelease) {
        if (byteSeed == null) {
            return token(chunk, corrupt, onRelease);
        }
        byte[] b = chunkBytes(chunk);
        if (corrupt) {
            b[0] ^= 1;
        }
        return new ByteBufPayload(Unpooled.wrappedBuffer(b));
    }

    /** Indexed single-file content, served without reading its file. */
    public static VirtualContent of(SharedContent content) {
        if (content.layout().entryCount() != 1) {
            throw new IllegalArgumentException("virtual content is a single file");
        }
        return new VirtualContent(content.manifest(), content.leafHashes(0, 0, content.layout().totalChunks()), null);
    }

    @Override
    public ContentId id() {
        return id;
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    @Override
    public ChunkLayout layout() {
        return layout;
    }

    public long totalBytes() {
        return layout.manifest().totalSize();
    }

    @Override
    public byte[] leafHashes(int entry, int first, int count) {
        return Arrays.copyOfRange(leaves, first * Hashes.BYTES, (first + count) * Hashes.BYTES);
    }

    /** The 32-byte leaf hash of {@code chunk}. */
    public byte[] leafHash(int chunk) {
        return leafHashes(0, chunk, 1);
    }

    /** Chunk {@code chunk} as a token; a corrupt one carries a wrong hash. */
    public TokenPayload token(int chunk, boolean corrupt, Runnable onRelease) {
        byte[] hash = leafHash(chunk);
        if (corrupt) {
            hash[0] ^= 1;
        }
        return new TokenPayload(layout.chunkLength(chunk), hash, onRelease);
    }

    @Override
    public BitSet available() {
        BitSet all = new BitSet();
        all.set(0, layout.totalChunks());
        return all;
    }

    @Override
    public boolean isServable() {
        return true;
    }
}
