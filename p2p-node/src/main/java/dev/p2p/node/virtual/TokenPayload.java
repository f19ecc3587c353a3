package dev.p2p.node.virtual;

import dev.p2p.transfer.wire.ChunkPayload;

/**
 * A chunk without its bytes: its length and the leaf hash its bytes would have (a corrupt chunk
 * is a wrong hash). The download's verification checks it exactly as it checks real bytes.
 * {@code onRelease} runs at its one release, so a world can count the tokens it has not got back.
 */
public final class TokenPayload implements ChunkPayload {
    private final int length;
    private final byte[] leafHash;
    private final Runnable onRelease;
    private boolean released;

    public TokenPayload(int length, byte[] leafHash, Runnable onRelease) {
        this.length = length;
        this.leafHash = leafHash.clone();
        this.onRelease = onRelease;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public byte[] leafHash() {
        return leafHash.clone();
    }

    /** True when the hash is {@code expected}: what the download's own check will find. */
    public boolean hashIs(byte[] expected) {
        return java.util.Arrays.equals(leafHash, expected);
    }

    @Override
    public void release() {
        if (released) {
            throw new IllegalStateException("released twice");
        }
        released = true;
        onRelease.run();
    }
}
