package dev.p2p.transfer.content;

import dev.p2p.transfer.PeerAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A share link: {@code p2p://<content id>} optionally followed by {@code ?peer=<peer>&peer=...}
 * hints in {@link PeerAddress} text form. Parsing is strict: exact scheme, canonical id, only
 * {@code peer} parameters, at most {@value #MAX_PEERS} of them, at most {@value #MAX_LENGTH}
 * characters, no fragments, percent-escapes or whitespace.
 */
public record ShareLink(ContentId contentId, List<PeerAddress> peers) {
    public static final String SCHEME = "p2p://";
    public static final int MAX_PEERS = 16;
    public static final int MAX_LENGTH = 2048;

    public ShareLink {
        if (peers.size() > MAX_PEERS) {
            throw new IllegalArgumentException("at most " + MAX_PEERS + " peer hints");
        }
        peers = List.copyOf(peers);
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
        if (q >= 0) {
            String query = rest.substring(q + 1);
            if (query.isEmpty()) {
                throw new IllegalArgumentException("empty query after '?'");
            }
            for (String param : query.split("&", -1)) {
                if (!param.startsWith("peer=")) {
                    throw new IllegalArgumentException("unknown link parameter; only peer=<id>@host:port is allowed");
                }
                if (peers.size() == MAX_PEERS) {
                    throw new IllegalArgumentException("at most " + MAX_PEERS + " peer hints");
                }
                peers.add(PeerAddress.parse(param.substring("peer=".length())));
            }
        }
        return new ShareLink(id, peers);
    }

    public String format() {
        StringBuilder b = new StringBuilder(SCHEME).append(contentId.toText());
        for (int i = 0; i < peers.size(); i++) {
            b.append(i == 0 ? '?' : '&').append("peer=").append(peers.get(i));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
