package dev.p2p.transfer.serve;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.TransferEnvironment;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.host.TransferHost;
import dev.p2p.transfer.runtime.SystemEnvironment;
import java.net.InetSocketAddress;

/**
 * Serves shared content to peers over TCP + TLS 1.3. Start with {@link #start}, stop with
 * {@link #close}. What is served is whatever the {@link ShareRegistry} holds, within the limits of
 * {@link ServerConfig}. A node that also downloads uses a {@link TransferHost} for both.
 */
public final class TransferServer implements AutoCloseable {
    private final TransferHost host;

    public TransferServer(Identity identity, ShareRegistry registry, ServerConfig config) {
        this(identity, registry, config, SystemEnvironment.INSTANCE);
    }

    /** As above, with the clock of the rate limit and the deadlines from {@code env}. */
    public TransferServer(Identity identity, ShareRegistry registry, ServerConfig config, TransferEnvironment env) {
        this.host = new TransferHost(identity, registry, config, DownloadConfig.DEFAULTS, env);
    }

    /** Binds and starts serving; returns the bound address (port 0 picks a free port). */
    public InetSocketAddress start(InetSocketAddress bindAddress) throws InterruptedException {
        return host.listen(bindAddress);
    }

    /** Where peers reach this server on its bound address, with its node id. */
    public PeerAddress address() {
        return host.address();
    }

    public NodeId nodeId() {
        return host.nodeId();
    }

    public ShareRegistry registry() {
        return host.registry();
    }

    public ServerConfig config() {
        return host.serverConfig();
    }

    /** Chunk payload bytes sent so far. */
    public long bytesUploaded() {
        return host.bytesUploaded();
    }

    /** Open peer connections, handshaking or not. */
    public int connections() {
        return host.connections();
    }

    /** Connections that have not said HELLO yet. */
    public int handshaking() {
        return host.handshaking();
    }

    /** Connections closed on arrival, before TLS (too many in all, or from one address). */
    public long connectionsShed() {
        return host.connectionsShed();
    }

    /** Connections accepted since the start, not counting those shed on arrival. */
    public long connectionsAccepted() {
        return host.connectionsAccepted();
    }

    @Override
    public void close() {
        host.close();
    }
}
