package dev.p2p.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses the {@code host:port} a user gives (IPv6 in brackets), with errors that say what is wrong. */
public final class HostPort {
    private HostPort() {}

    public static InetSocketAddress parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new UserError(ExitCode.USAGE, "'" + text + "' is not host:port (for example 192.0.2.7:24100)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new UserError(ExitCode.USAGE, "'" + text + "' has no valid port (1-65535)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UserError(ExitCode.NETWORK, "cannot resolve host '" + host + "' of " + text);
        }
    }
}
