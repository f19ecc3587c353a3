package dev.p2p.transfer.content;

import dev.p2p.transfer.PeerAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A share link: {@code p2p://<content id>} optionally followed by {@code ?peer=<peer>&peer=...}
 * hints in {@link PeerAddress} text form, where the sharer listens, and {@code relay=<peer>}
 * hints: public peers the sharer keeps a NAT mapping open to, which pass hole-punch requests on
 * to it (docs/REACHABILITY.md). Parsing is strict: exact scheme, canonical id, only {@code peer}
 * and {@code relay} parameters, peers first, at most {@value #MAX_PEERS} hints in all, at most
 * {@value #MAX_LENGTH} characters, no fragments, percent-escapes or whitespace.
 */
public record ShareLink(ContentId contentId, List<PeerAddress> peers, List<PeerAddress> relays) {
    public static final String SCHEME = "p2p://";
    public static final int MAX_PEERS = 16;
    public static final int MAX_LENGTH = 2048;

    public ShareLink {
        if (peers.size() + relays.size() > MAX_PEERS) {
            throw new IllegalArgumentException("at most " + MAX_PEERS + " peer hints");
        }
        peers = List.copyOf(peers);
        relays = List.copyOf(relays);
    }

    /** A link with no relay hints. */
    public ShareLink(ContentId contentId, List<PeerAddress> peers) {
        this(contentId, peers, List.of());
    }

    public static ShareLink parse(String link) {
        if (link.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("link longer than " + MAX_LENGTH + " characters");
        }
        if (!link.startsWith(SCHEME)) {
            throw new IllegalArgumentException("a link starts with " + SCHEME);
        }
        String rest = link.substring(SCHEME.length());
        int q = rest.indexOf('?');
        String idText = q < 0 ? rest : rest.substring(0, q);
        ContentId id = ContentId.parse(idText);
        List<PeerAddress> peers = new ArrayList<>();
        List<PeerAddress> relays = new ArrayList<>();
        if (q >= 0) {
            String query = rest.substring(q + 1);
            if (query.isEmpty()) {
                throw new IllegalArgumentException("empty query after '?'");
            }
            for (String param : query.split("&", -1)) {
                boolean relay = param.startsWith("relay=");
                if (!relay && !param.startsWith("peer=")) {
                    throw new IllegalArgumentException("unknown link parameter; only peer=<id>@host:port and relay=<id>@host:port are allowed");
                }
                if (!relay && !relays.isEmpty()) {
                    throw new IllegalArgumentException("peer= hints come before relay= hints");
                }
                if (peers.size() + relays.size() == MAX_PEERS) {
                    throw new IllegalArgumentException("at most " + MAX_PEERS + " peer hints");
                }
                (relay ? relays : peers).add(PeerAddress.parse(param.substring(param.indexOf('=') + 1)));
            }
        }
        return new ShareLink(id, peers, relays);
    }

    public String format() {
        StringBuilder b = new StringBuilder(SCHEME).append(contentId.toText());
        char sep = '?';
        for (PeerAddress p : peers) {
            b.append(sep).append("peer=").append(p);
            sep = '&';
        }
        for (PeerAddress r : relays) {
            b.append(sep).append("relay=").append(r);
            sep = '&';
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
