package dev.p2p.transfer.serve;

import io.netty.buffer.ByteBuf;

/**
 * Upload limits of a {@link TransferServer}.
 *
 * @param maxPeers connected peers served at once; more are refused as busy
 * @param uploadBytesPerSecond total upload rate over all peers, 0 for unlimited
 * @param maxQueuedRequests requests one peer may have waiting; more are refused
 * @param ioThreads Netty worker threads
 * @param tamper changes outgoing chunk data; {@link ChunkTamper#NONE} except in tests and
 *     adversary simulations
 */
public record ServerConfig(int maxPeers, long uploadBytesPerSecond, int maxQueuedRequests, int ioThreads,
        ChunkTamper tamper) {
    public static final ServerConfig DEFAULTS = new ServerConfig(64, 0, 64, 2, ChunkTamper.NONE);

    public ServerConfig {
        if (maxPeers < 1 || uploadBytesPerSecond < 0 || maxQueuedRequests < 1 || ioThreads < 1 || tamper == null) {
            throw new IllegalArgumentException("server limits must be positive (rate >= 0)");
        }
    }

    public ServerConfig withUploadRate(long bytesPerSecond) {
        return new ServerConfig(maxPeers, bytesPerSecond, maxQueuedRequests, ioThreads, tamper);
    }

    public ServerConfig withMaxPeers(int peers) {
        return new ServerConfig(peers, uploadBytesPerSecond, maxQueuedRequests, ioThreads, tamper);
    }

    public ServerConfig withTamper(ChunkTamper t) {
        return new ServerConfig(maxPeers, uploadBytesPerSecond, maxQueuedRequests, ioThreads, t);
    }

    /** Rewrites outgoing chunk bytes in place: a hook for tests and simulated malicious peers. */
    @FunctionalInterface
    public interface ChunkTamper {
        ChunkTamper NONE = (chunk, data) -> {};

        void tamper(int chunk, ByteBuf data);
    }
}
