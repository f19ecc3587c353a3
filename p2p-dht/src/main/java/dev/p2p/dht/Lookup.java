package dev.p2p.dht;

import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Providers;
import dev.p2p.dht.wire.Message.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One iterative lookup in flight: FIND_NODE for a node lookup, GET_PROVIDERS for a provider
 * lookup (which also collects store tokens for announcing). It runs one or more disjoint paths
 * (S/Kademlia): each path has its own candidates and alpha requests in flight, and no node is
 * asked by two paths, so a few hostile nodes can mislead one path but not all. Finishes through
 * {@code onDone} exactly once.
 */
final class Lookup {
    /** How the lookup reaches the network; implemented by the node. */
    interface Network {
        void query(Contact to, boolean forProviders, NodeId target, RequestTracker.Callback callback);

        /** Checks an answer's contacts; returns the usable ones and demotes a sender of junk. */
        List<Contact> usableContacts(Contact from, List<Contact> contacts);

        /** Checks provider records' signatures; returns the valid ones and demotes a sender of forgeries. */
        List<Provider> validProviders(Contact from, NodeId key, List<Provider> providers);

        /** Tells {@code done} whether {@code p}'s provider proved itself at the record's address. */
        void checkProvider(Provider p, java.util.function.Consumer<Boolean> done);

        long now();
    }

    final NodeId target;
    final boolean forProviders;
    final long startedAt;
    private final List<ClosestPeersIterator> paths;
    /** Nodes (by id, and by address so one host cannot answer on several paths) asked by some path. */
    private final ClaimedNodes claimed = new ClaimedNodes();
    private final int wantedProviders;
    private final Network network;
    private final Consumer<Lookup> onDone;
    /** Told of each provider the moment it proved itself, so a caller need not wait for the end. */
    private Consumer<Provider> onProvider = p -> { };
    final Map<NodeId, Provider> providers = new LinkedHashMap<>();
    private final ProviderChecks checks;
    final Map<NodeId, byte[]> tokens = new HashMap<>();
    private boolean done;

    /**
     * @param start    contacts to begin from, closest first; dealt out to the paths in turn
     * @param newPath  makes one path's iterator
     */
    Lookup(NodeId target, List<Contact> start, int pathCount, java.util.function.Supplier<ClosestPeersIterator> newPath,
            boolean forProviders, int wantedProviders, Network network, Consumer<Lookup> onDone) {
        this.target = target;
        this.paths = new ArrayList<>(pathCount);
        for (int i = 0; i < pathCount; i++) {
            paths.add(newPath.get());
        }
        for (int i = 0; i < start.size(); i++) {
            paths.get(i % pathCount).addCandidates(List.of(start.get(i)), 1);
        }
        this.forProviders = forProviders;
        this.wantedProviders = wantedProviders;
        this.network = network;
        this.onDone = onDone;
        this.startedAt = network.now();
        this.checks = new ProviderChecks(network, p -> {
            if (!done) {
                onProvider.accept(p);
            }
            advance();
        });
    }

    /** {@code listener} is told of every provider as soon as it proved itself ({@link ProviderChecks}), once each. */
    Lookup onEachProvider(Consumer<Provider> listener) {
        onProvider = listener;
        return this;
    }

    /**
     * Candidates closer to the target than {@code distanceWord} are asked but not counted among the
     * k closest each path must reach (see {@link ClosestPeersIterator#countOnlyFrom}).
     */
    Lookup countOnlyFrom(long distanceWord) {
        for (ClosestPeersIterator p : paths) {
            p.countOnlyFrom(distanceWord);
        }
        return this;
    }

    /** Records found; while the lookup runs, each one's provider is checked ({@link ProviderChecks}). */
    void addProviders(List<Provider> found) {
        for (Provider p : found) {
            if (providers.putIfAbsent(p.nodeId(), p) == null && !done) {
                checks.check(p);
            }
        }
    }

    /** The records found: those whose provider proved itself first, then those not checked yet; none that failed. */
    List<Provider> providersFound() {
        return checks.checkedFirst(providers.values());
    }

    /** Sends what can be sent, or finishes. */
    void advance() {
        if (done) {
            return;
        }
        if (enoughProviders() || allPathsFinished()) {
            finish();
            return;
        }
        int inFlight = 0;
        for (ClosestPeersIterator path : paths) {
            ClosestPeersIterator.Peer next;
            while (!path.isFinished() && (next = path.next(claimed)) != null) {
                claimed.add(next.contact);
                send(path, next);
            }
            inFlight += path.awaitingAnswers();
        }
        if (inFlight == 0) {
            finish();
        }
    }

    private void send(ClosestPeersIterator path, ClosestPeersIterator.Peer asked) {
        network.query(asked.contact, forProviders, target, new RequestTracker.SlowAware() {
            @Override
            public void onResponse(Response response, long rttMillis) {
                answered(path, asked, response);
            }

            @Override
            public void onSlow() {
                if (!done) {
                    path.onSlow(asked);
                    advance();
                }
            }

            @Override
            public void onTimeout() {
                path.onFailure(asked);
                advance();
            }

            @Override
            public void onLateResponse(Response response) {
                // The slot was given to someone else at the timeout; the answer still counts.
                answered(path, asked, response);
            }
        });
    }

    /** Up to {@code k} peers that answered, closest first, over all paths. */
    List<Contact> closestContacts(int k) {
        List<Contact> out = new ArrayList<>();
        for (ClosestPeersIterator.Peer p : closestPeers(k)) {
            out.add(p.contact);
        }
        return out;
    }

    /** Lookup depth at which the closest answering peer was learned. */
    int hops() {
        List<ClosestPeersIterator.Peer> best = closestPeers(1);
        return best.isEmpty() ? 0 : best.get(0).hop;
    }

    /** True when this lookup asked {@code c} (or any node at its address). */
    boolean asked(Contact c) {
        return claimed.contains(c);
    }

    int queried() {
        int n = 0;
        for (ClosestPeersIterator p : paths) {
            n += p.queried();
        }
        return n;
    }

    private List<ClosestPeersIterator.Peer> closestPeers(int k) {
        List<ClosestPeersIterator.Peer> all = new ArrayList<>();
        for (ClosestPeersIterator p : paths) {
            all.addAll(p.closestSucceeded(k));
        }
        all.sort(Comparator.comparing(p -> p.contact.id().xor(target)));
        int end = 0;
        for (int counted = 0; end < all.size() && counted < k; end++) {
            if (paths.get(0).counts(all.get(end).distanceWord)) {
                counted++;
            }
        }
        return all.subList(0, end);
    }

    private void answered(ClosestPeersIterator path, ClosestPeersIterator.Peer asked, Response response) {
        if (done) {
            return;
        }
        List<Contact> contacts;
        if (response instanceof Providers p) {
            contacts = p.contacts();
            tokens.put(asked.contact.id(), p.token());
            addProviders(network.validProviders(asked.contact, target, p.providers()));
        } else {
            contacts = ((Nodes) response).contacts();
        }
        path.onSuccess(asked, network.usableContacts(asked.contact, contacts));
        advance();
    }

    private boolean allPathsFinished() {
        for (ClosestPeersIterator p : paths) {
            if (!p.isFinished()) {
                return false;
            }
        }
        return true;
    }

    private boolean enoughProviders() {
        return forProviders && wantedProviders > 0 && checks.proven() >= wantedProviders;
    }

    private void finish() {
        if (!done) {
            done = true;
            onDone.accept(this);
        }
    }
}
