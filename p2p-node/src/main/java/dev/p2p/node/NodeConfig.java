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
 * @param bindHost the address to listen on ({@link #wildcard} for all, IPv4 and IPv6)
 * @param port UDP and TCP port, the same number for both; 0 for any free one
 * @param reachability how the node decides whether others can reach it
 * @param portMapping whether to ask the router in front of this host to forward the port (UPnP IGD,
 *     NAT-PMP, PCP); never tried when listening on loopback only
 * @param relay what the node gives peers it relays for ({@link RelayLimits#OFF}: it relays for nobody)
 */
public record NodeConfig(Path dataDir, InetAddress bindHost, int port, Reachability.Mode reachability, DhtConfig dht,
        ServerConfig server, DownloadConfig download, boolean portMapping,
        RelayLimits relay) {
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

    /**
     * Data in {@code dataDir}, listening on every address at any free port, reachability decided at
     * run time, no port mapping (a program embedding a node on a home machine turns it on).
     */
    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, wildcard(), 0, Reachability.Mode.AUTO, DhtConfig.defaults(), ServerConfig.DEFAULTS,
                DownloadConfig.DEFAULTS, false, RelayLimits.DEFAULTS);
    }

    public NodeConfig withPort(int p) {
        return new NodeConfig(dataDir, bindHost, p, reachability, dht, server, download, portMapping, relay);
    }

    public NodeConfig withBindHost(InetAddress host) {
        return new NodeConfig(dataDir, host, port, reachability, dht, server, download, portMapping, relay);
    }

    public NodeConfig withReachability(Reachability.Mode mode) {
        return new NodeConfig(dataDir, bindHost, port, mode, dht, server, download, portMapping, relay);
    }

    /** Whether to ask the router to forward the port (it never sends anything when off). */
    public NodeConfig withPortMapping(boolean on) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht, server, download, on, relay);
    }

    /** Total upload rate in bytes per second, 0 for unlimited. */
    public NodeConfig withUploadRate(long bytesPerSecond) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht, server.withUploadRate(bytesPerSecond), download, portMapping, relay);
    }

    /** Total download rate in bytes per second, 0 for unlimited. */
    public NodeConfig withDownloadRate(long bytesPerSecond) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht, server, download.withRate(bytesPerSecond), portMapping, relay);
    }

    /** The three limits a user sets: peers served at once, and the upload and download rates. */
    public NodeConfig withLimits(TransferLimits.Settings limits) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht,
                server.withMaxPeers(limits.maxPeers()).withUploadRate(limits.uploadBytesPerSecond()),
                download.withRate(limits.downloadBytesPerSecond()), portMapping, relay);
    }

    public NodeConfig withRelay(RelayLimits limits) {
        return new NodeConfig(dataDir, bindHost, port, reachability, dht, server, download, portMapping, limits);
    }

    /** Every address of this host, IPv4 and IPv6 ({@code ::}; IPv4 only where the host has no IPv6). */
    public static InetAddress wildcard() {
        return DualStack.ANY_IPV6;
    }
}
