package dev.p2p.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This host's IPv4 default gateway, read from Linux's routing table ({@code /proc/net/route}):
 * where NAT-PMP and PCP requests go. Reading the kernel's table needs no helper program (the
 * port-mapping library's own search runs netstat or route, which a minimal system lacks).
 */
final class DefaultGateway {
    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final long MAX_BYTES = 1 << 20;

    private DefaultGateway() {}

    /** The default route's gateway, or null when there is none or the table cannot be read (not Linux). */
    static InetAddress ipv4() {
        try {
            if (!Files.isReadable(ROUTES) || Files.size(ROUTES) > MAX_BYTES) {
                return null;
            }
            return parse(Files.readAllLines(ROUTES, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The gateway of the first default route (destination and mask 0, a gateway set) in the lines of
     * {@code /proc/net/route}: columns Iface, Destination, Gateway, Flags, ..., Mask, addresses in
     * hexadecimal, in the host's byte order (little-endian on the machines Linux runs p2p on).
     */
    static InetAddress parse(List<String> lines) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000") || !f[2].matches("[0-9A-Fa-f]{8}")
                    || f[2].equals("00000000")) {
                continue;
            }
            int le = (int) Long.parseLong(f[2], 16);
            byte[] ip = {(byte) le, (byte) (le >>> 8), (byte) (le >>> 16), (byte) (le >>> 24)};
            try {
                return InetAddress.getByAddress(ip);
            } catch (UnknownHostException e) {
                return null; // 4 bytes are always an address
            }
        }
        return null;
    }
}
