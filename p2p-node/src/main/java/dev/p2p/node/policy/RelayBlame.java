package dev.p2p.node.policy;

import dev.p2p.dht.NodeId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is to blame when a connection to a provider through a relay goes wrong, and which relays a
 * downloader no longer uses (docs/REACHABILITY.md, "A relay that corrupts or drops bytes").
 *
 * <p>TLS runs end to end between downloader and provider, so a relay that changes bytes breaks
 * TLS record authentication: it shows as a TLS failure on the relayed connection, never as a bad
 * chunk. A relay that swallows bytes shows as a TLS failure too (records no longer line up), or,
 * when it passes nothing more, as a stall. Either could also be the provider's doing, so the
 * first failure through a relay blames the relay (banned for {@link #BAN_MILLIS}; the download
 * reaches the provider by another path), and a second failure of the same provider through
 * another path blames the provider, the one thing both paths had in common: the relay banned
 * because of it is let off, and the provider gets no further path. Time comes in as arguments.
 * Not thread-safe: the caller serializes.
 */
public final class RelayBlame {
    /** How long a relay blamed for a broken circuit is not used. */
    public static final long BAN_MILLIS = 60 * 60_000L;
    /**
     * A relayed connection whose far end sent nothing for this long has stalled: a provider sends
     * while it is asked for chunks (the download keeps asking while it lacks any the provider has),
     * and this is shorter than the download's own stall handling (two stalls of 15 s) takes to give
     * the provider up for good. A provider silent for other reasons (it has nothing more we lack)
     * costs the relay a ban only until the provider falls silent through a second path too.
     */
    public static final long STALL_MILLIS = 20_000L;
    /** Relays and providers remembered at most (the oldest go first). */
    static final int MAX_REMEMBERED = 1024;

    /** How a relayed connection went wrong. */
    public enum Failure {
        TLS("a circuit through it failed TLS (bytes changed or cut on the way)"),
        STALL("a circuit through it stopped passing bytes for " + STALL_MILLIS / 1000 + " s");

        public final String reason;

        Failure(String reason) {
            this.reason = reason;
        }
    }

    /** Whom a failure is blamed on. */
    public sealed interface Verdict {
        /** The relay: the provider is reached by another path from now on. */
        record RelayBanned(NodeId relay, String why) implements Verdict {}

        /** The provider itself: it failed through two paths. */
        record ProviderBlamed(NodeId provider, String why) implements Verdict {}
    }

    private record Ban(long untilMillis, String why, NodeId provider) {}

    private final Map<NodeId, Ban> banned = bounded();
    private final Map<NodeId, NodeId> failedThrough = bounded(); // provider -> the first path it failed through
    private final Map<NodeId, String> blamed = bounded(); // providers that failed through two paths

    /**
     * A connection to {@code provider} failed as {@code failure} through {@code relay} (null: a
     * direct connection, where nobody else is in between).
     */
    public Verdict failed(NodeId provider, NodeId relay, Failure failure, long nowMillis) {
        NodeId first = failedThrough.get(provider);
        if (relay != null && (first == null || first.equals(relay)) && !blamed.containsKey(provider)) {
            failedThrough.put(provider, relay);
            banned.put(relay, new Ban(nowMillis + BAN_MILLIS, failure.reason, provider));
            return new Verdict.RelayBanned(relay, failure.reason);
        }
        banned.values().removeIf(b -> b.provider.equals(provider));
        String why = (relay == null ? "a direct connection to it" : "a second path to it") + " failed too: "
                + failure.name().toLowerCase(java.util.Locale.ROOT);
        blamed.put(provider, why);
        return new Verdict.ProviderBlamed(provider, why);
    }

    /** Whether circuits through {@code relay} are out of the question now. */
    public boolean banned(NodeId relay, long nowMillis) {
        Ban b = banned.get(relay);
        if (b != null && nowMillis >= b.untilMillis) {
            banned.remove(relay);
            return false;
        }
        return b != null;
    }

    /** Whether {@code provider} failed through two paths: no further path is tried. */
    public boolean blamed(NodeId provider) {
        return blamed.containsKey(provider);
    }

    /** The relays banned now, with why. */
    public Map<NodeId, String> bannedRelays(long nowMillis) {
        Map<NodeId, String> out = new LinkedHashMap<>();
        for (NodeId r : banned.keySet().toArray(new NodeId[0])) {
            if (banned(r, nowMillis)) {
                out.put(r, banned.get(r).why);
            }
        }
        return out;
    }

    /** Whether a relayed connection that last heard from its far end at {@code lastHeardMillis} has stalled. */
    public static boolean stalled(long lastHeardMillis, long nowMillis) {
        return nowMillis - lastHeardMillis >= STALL_MILLIS;
    }

    private static <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > MAX_REMEMBERED;
            }
        };
    }
}
