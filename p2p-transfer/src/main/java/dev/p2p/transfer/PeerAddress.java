package dev.p2p.transfer;

import dev.p2p.dht.NodeId;
import java.net.InetSocketAddress;

/**
 * Where a peer listens and which node id it must prove (its TLS certificate key hashes to
 * {@code nodeId}). Text form: {@code <64 hex node id>@<host>:<port>}, IPv6 hosts in brackets.
 */
public record PeerAddress(String host, int port, NodeId nodeId) {
    public PeerAddress {
        if (host == null || host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("peer host is empty or too long");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer port " + port + " is not in 1..65535");
        }
        if (nodeId == null) {
            throw new IllegalArgumentException("peer node id is required");
        }
    }

    public static PeerAddress of(InetSocketAddress address, NodeId nodeId) {
        return new PeerAddress(address.getHostString(), address.getPort(), nodeId);
    }

    public InetSocketAddress socketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Parses {@code <hex id>@host:port} strictly. */
    public static PeerAddress parse(String text) {
        int at = text.indexOf('@');
        if (at != NodeId.BYTES * 2) {
            throw new IllegalArgumentException("peer must look like <64 hex digits>@host:port");
        }
        String hex = text.substring(0, at);
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0 || Character.isUpperCase(hex.charAt(i))) {
                throw new IllegalArgumentException("peer node id must be 64 lower-case hex digits");
            }
        }
        String hostPort = text.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1 || hostPort.length() - colon - 1 > 5) {
            throw new IllegalArgumentException("peer must end with :port");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("IPv6 peer host must be in brackets");
            }
            host = host.substring(1, host.length() - 1);
            checkChars(host, "0123456789abcdefABCDEF:.");
        } else {
            checkChars(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
        }
        String portText = hostPort.substring(colon + 1);
        for (int i = 0; i < portText.length(); i++) {
            if (portText.charAt(i) < '0' || portText.charAt(i) > '9') {
                throw new IllegalArgumentException("peer port is not a number");
            }
        }
        return new PeerAddress(host, Integer.parseInt(portText), NodeId.fromHex(hex));
    }

    private static void checkChars(String s, String allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                throw new IllegalArgumentException("peer host has a forbidden character");
            }
        }
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return nodeId.toHex() + "@" + h + ":" + port;
    }
}
