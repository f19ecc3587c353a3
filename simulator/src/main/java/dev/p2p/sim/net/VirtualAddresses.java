package dev.p2p.sim.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Virtual host addresses in 10.0.0.0/8: host number {@code n} (1 to 2^24 - 2) is
 * {@code 10.(n & 255).((n >> 8) & 255).(n >> 16)}, port {@value #PORT}: the low bits go first, so
 * consecutive hosts sit in different /24 networks, as peers on the Internet do (the DHT caps
 * contacts per /24 against Sybils). Built from raw bytes, so no name is ever resolved; they never
 * leave the process.
 */
public final class VirtualAddresses {
    public static final int PORT = 4000;
    public static final int MAX_HOSTS = (1 << 24) - 2;

    private VirtualAddresses() {}

    public static InetSocketAddress of(int hostNumber) {
        if (hostNumber < 1 || hostNumber > MAX_HOSTS) {
            throw new IllegalArgumentException("host number out of 1.." + MAX_HOSTS + ": " + hostNumber);
        }
        byte[] raw = {10, (byte) hostNumber, (byte) (hostNumber >>> 8), (byte) (hostNumber >>> 16)};
        try {
            return new Numbered(InetAddress.getByAddress(raw), hostNumber);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always a valid IPv4 address", e);
        }
    }

    /**
     * The host number of a virtual address written as text ({@code 10.x.y.z}, port {@value #PORT}),
     * as a transfer link names it; -1 when it is not one. Reads the digits, never a resolver.
     */
    public static int hostNumber(String host, int port) {
        String[] parts = host.split("\\.", -1);
        if (port != PORT || parts.length != 4 || !parts[0].equals("10")) {
            return -1;
        }
        int n = 0;
        for (int i = 1; i < 4; i++) {
            int b;
            try {
                b = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                return -1;
            }
            if (b < 0 || b > 255) {
                return -1;
            }
            n |= b << (8 * (i - 1));
        }
        return n;
    }

    /** The host number of a virtual address, or -1 when {@code address} is not one. */
    public static int hostNumber(InetSocketAddress address) {
        if (address instanceof Numbered n) {
            return n.hostNumber;
        }
        InetAddress ip = address.getAddress();
        if (ip == null || address.getPort() != PORT) {
            return -1;
        }
        byte[] raw = ip.getAddress();
        if (raw.length != 4 || raw[0] != 10) {
            return -1;
        }
        return (raw[1] & 0xff) | ((raw[2] & 0xff) << 8) | ((raw[3] & 0xff) << 16);
    }

    /**
     * A virtual address that carries its host number: every datagram sent looks its destination
     * up by number, and decoding it from the address read four objects deep, all cold. Equal to,
     * and hashed as, the plain address (the DHT builds those too, e.g. from the wire).
     */
    private static final class Numbered extends InetSocketAddress {
        private static final long serialVersionUID = 1L;
        private final int hostNumber;

        Numbered(InetAddress ip, int hostNumber) {
            super(ip, PORT);
            this.hostNumber = hostNumber;
        }
    }
}
