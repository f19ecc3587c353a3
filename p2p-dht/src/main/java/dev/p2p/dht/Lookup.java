package dev.p2p.dht;

import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Providers;
import dev.p2p.dht.wire.Message.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One iterative lookup in flight: FIND_NODE for a node lookup, GET_PROVIDERS for a provider
 * lookup (which also collects store tokens for announcing). Keeps alpha requests in flight and
 * finishes through {@code onDone} exactly once.
 */
final class Lookup {
    /** How the lookup reaches the network; implemented by the node. */
    interface Network {
        void query(Contact to, boolean forProviders, NodeId target, RequestTracker.Callback callback);

        /** Checks an answer's contacts; returns the usable ones and demotes a sender of junk. */
        List<Contact> usableContacts(Contact from, List<Contact> contacts);

        /** Checks provider records' signatures; returns the valid ones and demotes a sender of forgeries. */
        List<Provider> validProviders(Contact from, NodeId key, List<Provider> providers);

        long now();
    }

    final ClosestPeersIterator peers;
    final boolean forProviders;
    final long startedAt;
    private final int wantedProviders;
    private final Network network;
    private final Consumer<Lookup> onDone;
    final Map<NodeId, Provider> providers = new LinkedHashMap<>();
    final Map<NodeId, byte[]> tokens = new HashMap<>();
    private boolean done;

    Lookup(ClosestPeersIterator peers, boolean forProviders, int wantedProviders, Network network,
            Consumer<Lookup> onDone) {
        this.peers = peers;
        this.forProviders = forProviders;
        this.wantedProviders = wantedProviders;
        this.network = network;
        this.onDone = onDone;
        this.startedAt = network.now();
    }

    void addProviders(List<Provider> found) {
        for (Provider p : found) {
            providers.putIfAbsent(p.nodeId(), p);
        }
    }

    /** Sends what can be sent, or finishes. */
    void advance() {
        if (done) {
            return;
        }
        if (enoughProviders() || peers.isFinished()) {
            finish();
            return;
        }
        ClosestPeersIterator.Peer next;
        while ((next = peers.next()) != null) {
            ClosestPeersIterator.Peer asked = next;
            network.query(asked.contact, forProviders, peers.target(), new RequestTracker.Callback() {
                @Override
                public void onResponse(Response response, long rttMillis) {
                    answered(asked, response);
                }

                @Override
                public void onTimeout() {
                    peers.onFailure(asked);
                    advance();
                }
            });
        }
        if (peers.inFlight() == 0) {
            finish();
        }
    }

    /** Closest peers that answered, with the hop count of the closest. */
    List<Contact> closestContacts(int k) {
        List<Contact> out = new ArrayList<>();
        for (ClosestPeersIterator.Peer p : peers.closestSucceeded(k)) {
            out.add(p.contact);
        }
        return out;
    }

    int hops() {
        List<ClosestPeersIterator.Peer> best = peers.closestSucceeded(1);
        return best.isEmpty() ? 0 : best.get(0).hop;
    }

    private void answered(ClosestPeersIterator.Peer asked, Response response) {
        if (done) {
            return;
        }
        List<Contact> contacts;
        if (response instanceof Providers p) {
            contacts = p.contacts();
            tokens.put(asked.contact.id(), p.token());
            addProviders(network.validProviders(asked.contact, peers.target(), p.providers()));
        } else {
            contacts = ((Nodes) response).contacts();
        }
        peers.onSuccess(asked, network.usableContacts(asked.contact, contacts));
        advance();
    }

    private boolean enoughProviders() {
        return forProviders && wantedProviders > 0 && providers.size() >= wantedProviders;
    }

    private void finish() {
        if (!done) {
            done = true;
            onDone.accept(this);
        }
    }
}
