package dev.p2p.node;

import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Reachability;
import dev.p2p.node.policy.RelayLimits;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.session.TransferLimits;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a {@link Node}, validated when made. Start from {@link #defaults} and change what you need.
 *
 * @param dataDir where the identity, remembered contacts and partial state live
 * @param bindHost the address to listen on (the wildcard for all)
 * @param port UDP and TCP port, the same number for both; 0 for any free one
 * @param reachability how the node decides whether others can reach it
 * @param relay what the node gives peers it relays for ({@link RelayLimits#OFF}: it relays for nobody)
 */
public record NodeConfig(Path dataDir, InetAddress bindHost, int port, Reachability.Mode reachability, DhtConfig dht,
        ServerConfig server, DownloadConfig download, RelayLimits relay) {
    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(reachability, "reachability");
        Objects.requireNonNull(dht, "dht");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(download, "download");
        Objects.requireNonNull(relay, "relay");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
    }

    /** Data in {@code dataDir}, listening on every address at any free port, reachability decided at run time. */
    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, wildcard(), 0, Reachability.Mode.AUTO, DhtConfig.defaults(), ServerConfig.DEFAULTS,
                DownloadConfig.DEFAULTS, RelayLimits.DEFAULTS);
    }

    public NodeConfig withPort(int p) {
        return new NodeConfig(dataDir, bindHost, p, reachability, dht, server, download, relay);
    }

    public NodeConfig withBindHost(InetAddress host) {
        return new NodeConfig(dataDir, host, port, reachability, dht, server, download, relay);
    }

    public NodeConfig withReachability(Reachability.Mode mode) {
        return new NodeConfig(dataDir, bindHost, port, mode, dht, server, download, relay);
    }

    /** Total upload rate in bytes per second, 0 for unlimited. */
    public NodeConfig withUploadRate(long bytesPerSecond) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht, server.withUploadRate(bytesPerSecond), download, relay);
    }

    /** Total download rate in bytes per second, 0 for unlimited. */
    public NodeConfig withDownloadRate(long bytesPerSecond) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht, server, download.withRate(bytesPerSecond), relay);
    }

    /** The three limits a user sets: peers served at once, and the upload and download rates. */
    public NodeConfig withLimits(TransferLimits.Settings limits) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht,
                server.withMaxPeers(limits.maxPeers()).withUploadRate(limits.uploadBytesPerSecond()),
                download.withRate(limits.downloadBytesPerSecond()), relay);
    }

    public NodeConfig withRelay(RelayLimits limits) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht, server, download, limits);
    }

    private static InetAddress wildcard() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
