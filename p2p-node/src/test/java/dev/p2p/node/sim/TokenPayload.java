package dev.p2p.node.sim;

import dev.p2p.transfer.wire.ChunkPayload;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chunk without its bytes: its length and the leaf hash its bytes would have (a corrupt chunk
 * is a wrong hash). The download's verification checks it exactly as it checks real bytes.
 * Counts the tokens not yet released, so a test can see that nothing leaks.
 */
final class TokenPayload implements ChunkPayload {
    static final AtomicInteger LIVE = new AtomicInteger();

    private final int length;
    private final byte[] leafHash;
    private boolean released;

    TokenPayload(int length, byte[] leafHash) {
        this.length = length;
        this.leafHash = leafHash.clone();
        LIVE.incrementAndGet();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public byte[] leafHash() {
        return leafHash.clone();
    }

    @Override
    public void release() {
        if (released) {
            throw new IllegalStateException("released twice");
        }
        released = true;
        LIVE.decrementAndGet();
    }
}
