package dev.p2p.transfer.wire;

/**
 * The bytes of one chunk as the protocol core sees them: a length and a leaf hash to check
 * against the manifest's. In production they are a Netty buffer ({@link ByteBufPayload}); in the
 * simulator a chunk may be a token that carries only its length and the hash its bytes would have,
 * so the same verification code runs without moving real bytes.
 *
 * <p>Ownership: whoever holds a payload releases it once, or hands it on to someone who will.
 */
public interface ChunkPayload {
    /** Bytes in the chunk. */
    int length();

    /** SHA-256 leaf hash of the chunk's bytes ({@link dev.p2p.transfer.content.Hashes#leaf}), computed at most once. */
    byte[] leafHash();

    /** Frees the bytes; nothing else may be called afterwards. */
    void release();
}
