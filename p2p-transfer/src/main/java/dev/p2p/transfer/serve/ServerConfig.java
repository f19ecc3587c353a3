package dev.p2p.transfer.serve;

import io.netty.buffer.ByteBuf;

/**
 * Upload limits of a {@link TransferServer}, and the deadlines that keep slow or silent
 * connections from holding its places (see docs/ABUSE.md).
 *
 * @param maxPeers connected peers served at once; more are refused as busy
 * @param uploadBytesPerSecond total upload rate over all peers, 0 for unlimited
 * @param maxQueuedRequests asks (REQUEST, GET_HASHES, GET_MANIFEST) one peer may have waiting;
 *     more are refused, and a peer refused this way more than this many times is disconnected
 * @param tamper changes outgoing chunk data; {@link ChunkTamper#NONE} except in tests and
 *     adversary simulations
 * @param helloTimeoutMillis a connection must finish TLS and send HELLO this long after it was
 *     accepted, or it is closed
 * @param idleTimeoutMillis a peer that sends no complete message for this long is disconnected
 * @param frameTimeoutMillis a frame must be complete this long after its first byte arrived
 * @param maxHandshakingPerAddress connections from one IP address that have not sent HELLO yet;
 *     more are closed at once, before any TLS work
 */
public record ServerConfig(int maxPeers, long uploadBytesPerSecond, int maxQueuedRequests,
        ChunkTamper tamper, long helloTimeoutMillis, long idleTimeoutMillis, long frameTimeoutMillis,
        int maxHandshakingPerAddress) {
    public static final ServerConfig DEFAULTS =
            new ServerConfig(64, 0, 64, ChunkTamper.NONE, 10_000, 300_000, 30_000, 8);

    public ServerConfig {
        if (maxPeers < 1 || uploadBytesPerSecond < 0 || maxQueuedRequests < 1 || tamper == null
                || helloTimeoutMillis < 1 || idleTimeoutMillis < 1 || frameTimeoutMillis < 1
                || maxHandshakingPerAddress < 1) {
            throw new IllegalArgumentException("server limits must be positive (rate >= 0)");
        }
    }

    public ServerConfig withUploadRate(long bytesPerSecond) {
        return new ServerConfig(maxPeers, bytesPerSecond, maxQueuedRequests, tamper, helloTimeoutMillis,
                idleTimeoutMillis, frameTimeoutMillis, maxHandshakingPerAddress);
    }

    public ServerConfig withMaxPeers(int peers) {
        return new ServerConfig(peers, uploadBytesPerSecond, maxQueuedRequests, tamper, helloTimeoutMillis,
                idleTimeoutMillis, frameTimeoutMillis, maxHandshakingPerAddress);
    }

    public ServerConfig withTamper(ChunkTamper t) {
        return new ServerConfig(maxPeers, uploadBytesPerSecond, maxQueuedRequests, t, helloTimeoutMillis,
                idleTimeoutMillis, frameTimeoutMillis, maxHandshakingPerAddress);
    }

    /** Same limits with other deadlines, in milliseconds. */
    public ServerConfig withTimeouts(long helloMillis, long idleMillis, long frameMillis) {
        return new ServerConfig(maxPeers, uploadBytesPerSecond, maxQueuedRequests, tamper, helloMillis,
                idleMillis, frameMillis, maxHandshakingPerAddress);
    }

    public ServerConfig withMaxHandshakingPerAddress(int n) {
        return new ServerConfig(maxPeers, uploadBytesPerSecond, maxQueuedRequests, tamper, helloTimeoutMillis,
                idleTimeoutMillis, frameTimeoutMillis, n);
    }

    /** Rewrites outgoing chunk bytes in place: a hook for tests and simulated malicious peers. */
    @FunctionalInterface
    public interface ChunkTamper {
        ChunkTamper NONE = (chunk, data) -> {};

        void tamper(int chunk, ByteBuf data);
    }
}
