package dev.p2p.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;

/**
 * Whether others can reach this node, decided at run time from evidence (docs/REACHABILITY.md).
 * A node that is not known to be reachable runs as a client: its messages carry the CLIENT_ONLY
 * flag, so nobody puts it in a routing table, and it announces no address.
 *
 * <p>The rule, in {@link Mode#AUTO}:
 * <ul>
 *   <li>PUBLIC while the router in front of this host forwards our port to us from an address
 *       others can dial (a port mapping it granted through UPnP IGD, NAT-PMP or PCP, reported by
 *       the host with {@link #onPortMapped}; a private mapped address means a second NAT);</li>
 *   <li>PUBLIC when a request arrived, in the last {@link #EVIDENCE_TTL_MILLIS}, from an address
 *       this node never sent to (nobody's NAT or firewall let it in because of us: the node is
 *       dialable), or when the address peers observe is one of this host's own addresses (there is
 *       no NAT on the path);</li>
 *   <li>PRIVATE when peers observe an address this host does not have (a NAT rewrote it) and no
 *       unsolicited request came;</li>
 *   <li>UNKNOWN before either: treated as not reachable.</li>
 * </ul>
 * The operator can override the guess ({@link Mode#PUBLIC} for a forwarded port, {@link
 * Mode#PRIVATE} to never serve the DHT). I/O free: the caller gives the time and the evidence
 * ({@link ReachabilityEvidence} reads it from the node's decoded messages: a request is a
 * {@link dev.p2p.dht.wire.Message.Request}, a response is not evidence of being dialable).
 */
public final class Reachability {
    /** How long one unsolicited request counts as proof of being reachable. */
    public static final long EVIDENCE_TTL_MILLIS = 30 * 60_000L;

    public enum Mode { AUTO, PUBLIC, PRIVATE }

    public enum Status { UNKNOWN, PUBLIC, PRIVATE }

    private final Mode mode;
    private final Set<InetAddress> local;
    private InetSocketAddress observed;
    private InetSocketAddress mapped;
    private long unsolicitedAt;
    private boolean anyUnsolicited;

    /** @param localAddresses the addresses of this host's interfaces (where the node listens) */
    public Reachability(Mode mode, Collection<InetAddress> localAddresses) {
        this.mode = mode;
        this.local = Set.copyOf(localAddresses);
    }

    public Mode mode() {
        return mode;
    }

    /** Peers' current best guess of our address (null: nobody said yet). */
    public void onObserved(InetSocketAddress seen) {
        observed = seen;
    }

    /**
     * The router forwards {@code external} (its address and port) to our port, as it granted in a
     * port mapping; null when no mapping is in force (none granted, or its lease lapsed).
     */
    public void onPortMapped(InetSocketAddress external) {
        mapped = external;
    }

    /** The router's address and port that forward to us, or null without a port mapping. */
    public InetSocketAddress mapped() {
        return mapped;
    }

    /** A well-formed request arrived at {@code nowMillis} from an address we never sent to. */
    public void onUnsolicitedRequest(long nowMillis) {
        unsolicitedAt = nowMillis;
        anyUnsolicited = true;
    }

    public InetSocketAddress observed() {
        return observed;
    }

    public Status status(long nowMillis) {
        if (mode != Mode.AUTO) {
            return mode == Mode.PUBLIC ? Status.PUBLIC : Status.PRIVATE;
        }
        if (mapped != null && routable(mapped.getAddress())) {
            return Status.PUBLIC;
        }
        if (anyUnsolicited && nowMillis - unsolicitedAt <= EVIDENCE_TTL_MILLIS) {
            return Status.PUBLIC;
        }
        if (observed == null) {
            return Status.UNKNOWN;
        }
        return seesOwnAddress() ? Status.PUBLIC : Status.PRIVATE;
    }

    /** One line for a person: what the node decided and why. */
    public String reason(long nowMillis) {
        String seen = observed == null ? "nobody told us yet" : "peers see " + observed.getAddress().getHostAddress();
        switch (status(nowMillis)) {
            case PUBLIC:
                if (mode == Mode.PUBLIC) {
                    return "reachable (set by the operator)";
                }
                if (mapped != null) {
                    return "reachable: the router forwards " + mapped.getAddress().getHostAddress() + ":" + mapped.getPort()
                            + " to us (port mapping)";
                }
                return anyUnsolicited && nowMillis - unsolicitedAt <= EVIDENCE_TTL_MILLIS
                        ? "reachable: peers we never contacted reach us"
                        : "reachable: " + seen + ", an address of this host (no NAT)";
            case PRIVATE:
                if (mode == Mode.PRIVATE) {
                    return "not reachable (set by the operator)";
                }
                if (mapped != null) {
                    return "behind two NATs: the router forwards " + mapped.getAddress().getHostAddress() + ":" + mapped.getPort()
                            + " to us, but that is a private address: the NAT above the router (the provider's) still stands "
                            + "between us and peers";
                }
                return "behind NAT: " + seen + ", not an address of this host, and nobody we did not contact reached us";
            default:
                return "reachability unknown: no peer answered yet";
        }
    }

    /** When the last unsolicited request stops counting as evidence; {@code Long.MIN_VALUE} before any. */
    public long evidenceUntil() {
        return anyUnsolicited ? unsolicitedAt + EVIDENCE_TTL_MILLIS : Long.MIN_VALUE;
    }

    /**
     * Whether others can dial {@code a}: not a private (RFC 1918, IPv6 unique local), shared
     * (RFC 6598, carrier-grade NAT), loopback or link-local address. A router that maps our port on
     * such an address sits behind another NAT, so its mapping makes us reachable to nobody outside.
     */
    public static boolean routable(InetAddress a) {
        byte[] ip = a.getAddress();
        boolean shared = ip.length == 4 && (ip[0] & 0xff) == 100 && (ip[1] & 0xc0) == 64;
        boolean uniqueLocal = ip.length == 16 && (ip[0] & 0xfe) == 0xfc;
        return !(a.isSiteLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress() || shared || uniqueLocal);
    }

    /** Whether peers see us at one of this host's own addresses (no NAT between us and them). */
    public boolean seesOwnAddress() {
        return observed != null && local.contains(observed.getAddress());
    }
}
