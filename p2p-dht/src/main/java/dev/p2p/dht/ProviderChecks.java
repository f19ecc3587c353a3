package dev.p2p.dht;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A provider search's checks of the records it found: each provider must prove its id at the
 * record's address ({@link Lookup.Network#checkProvider}). Signed records prove only that a key
 * made them, and an attacker signs its own by the thousand, pointing anywhere; so a search stops
 * early on proven providers only, and hands out the proven ones first. A record whose check
 * failed is dropped; one still being checked when the search ends is handed out last.
 *
 * <p>A relayed record is not checked: its provider sits behind a NAT that lets no IDENTIFY in
 * unasked, so a check would fail for every honest one. It is handed out with the unchecked
 * records and never ends a search; its provider proves its id in the transfer's TLS handshake,
 * once a hole is punched or a circuit made through the record's relay.
 */
final class ProviderChecks {
    /** Checks one search starts at most; records beyond are handed out unchecked, after the rest. */
    static final int MAX_CHECKS = 32;

    private final Lookup.Network network;
    private final Consumer<Provider> onProven;
    private final Set<NodeId> proven = new HashSet<>();
    private final Set<NodeId> failed = new HashSet<>();
    private int started;

    /** @param onProven told of each provider once it proved itself (the search may have enough) */
    ProviderChecks(Lookup.Network network, Consumer<Provider> onProven) {
        this.network = network;
        this.onProven = onProven;
    }

    void check(Provider p) {
        if (p.relayed() || started >= MAX_CHECKS) {
            return;
        }
        started++;
        NodeId id = p.nodeId();
        network.checkProvider(p, ok -> {
            (ok ? proven : failed).add(id);
            if (ok) {
                onProven.accept(p);
            }
        });
    }

    int proven() {
        return proven.size();
    }

    List<Provider> checkedFirst(Collection<Provider> found) {
        List<Provider> out = new ArrayList<>(found.size());
        for (Provider p : found) {
            if (proven.contains(p.nodeId())) {
                out.add(p);
            }
        }
        for (Provider p : found) {
            NodeId id = p.nodeId();
            if (!proven.contains(id) && !failed.contains(id)) {
                out.add(p);
            }
        }
        return out;
    }
}
