package dev.p2p.node.core;

import dev.p2p.dht.NodeId;
import dev.p2p.dht.Reachability;
import dev.p2p.node.NodeException;
import dev.p2p.node.policy.AnnouncePolicy;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.ForwardingListener;
import dev.p2p.transfer.session.DownloadObserver;
import dev.p2p.transfer.session.TransferCore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One peer's decisions without I/O, on top of its {@link TransferCore} and its {@link DhtPort}:
 * which shares to announce (only while others can reach us, {@link AnnouncePolicy}), and how a
 * link becomes a download: the link's hints and the DHT's providers, asked again every
 * {@link #SEARCH_RETRY_NANOS} until someone provides it or the time is up, then reached
 * ({@link PeerWorld#reach}) and fetched. Production hosts it on the transfer side's event loop; a
 * simulation in virtual time. Not thread-safe: one thread at a time.
 */
public final class PeerCore {
    /** How often a provider search asks the DHT again while nobody provides the content. */
    public static final long SEARCH_RETRY_NANOS = 1_000_000_000L;
    /** Providers a search asks the DHT for. */
    public static final int PROVIDERS_WANTED = 16;

    private final NodeId self;
    private final TransferCore transfer;
    private final DhtPort dht;
    private final PeerWorld world;
    private final AnnouncePolicy announcing;
    private final Map<ContentId, Search> searches = new HashMap<>(); // links still looking for providers
    private Reachability.Status status;
    private String reachabilityReason = "reachability unknown";

    /** @param status whether others can reach this peer at start (null: a static configuration says it can) */
    public PeerCore(NodeId self, TransferCore transfer, DhtPort dht, PeerWorld world, Reachability.Status status) {
        this.self = self;
        this.transfer = transfer;
        this.dht = dht;
        this.world = world;
        this.status = status;
        this.announcing = new AnnouncePolicy(isReachable(status));
    }

    public TransferCore transfer() {
        return transfer;
    }

    // ---- sharing

    /** {@code id} is served from now on: announce it while others can reach us. */
    public void shared(ContentId id) {
        apply(announcing.shared(id.toKey()));
    }

    /** {@code id} is no longer served. */
    public void unshared(ContentId id) {
        apply(announcing.unshared(id.toKey()));
    }

    /** Shared keys not announced, because others cannot reach us. */
    public int unannouncedCount() {
        return announcing.unannouncedCount();
    }

    /** The decision whether others can reach us (null: static configuration), with its one-line reason. */
    public void onReachability(Reachability.Status now, String reason) {
        status = now;
        reachabilityReason = reason;
        apply(announcing.reachability(isReachable(now)));
    }

    private static boolean isReachable(Reachability.Status s) {
        return s == null || s == Reachability.Status.PUBLIC;
    }

    private void apply(AnnouncePolicy.Changes changes) {
        changes.provide().forEach(dht::provide);
        changes.withdraw().forEach(dht::stopProviding);
    }

    // ---- fetching

    /**
     * Fetches what {@code link} names: finds providers for up to {@code findTimeoutNanos}, reaches
     * them and downloads from them; {@code observer} hears how it goes.
     */
    public void get(ShareLink link, long findTimeoutNanos, GetObserver observer) {
        Search search = new Search(link, world.nanoTime() + findTimeoutNanos, findTimeoutNanos, observer);
        searches.put(link.contentId(), search);
        world.schedule(findTimeoutNanos, search::expire); // a lookup slower than the time left ends it too
        search.ask();
    }

    /** Stops fetching {@code id}, whether still looking for providers or downloading; verified chunks stay. */
    public void cancel(ContentId id, String reason) {
        Search search = searches.remove(id);
        if (search != null) {
            search.observer.failed(NodeException.Kind.TRANSFER, reason);
        } else {
            transfer.abort(id, reason);
        }
    }

    /** One link being looked for, until it is found or its time is up. */
    private final class Search {
        final ShareLink link;
        final long deadline;
        final long timeout;
        final GetObserver observer;

        Search(ShareLink link, long deadline, long timeout, GetObserver observer) {
            this.link = link;
            this.deadline = deadline;
            this.timeout = timeout;
            this.observer = observer;
        }

        void ask() {
            if (searches.get(link.contentId()) != this) {
                return; // cancelled
            }
            dht.findProviders(link.contentId().toKey(), PROVIDERS_WANTED, this::found);
        }

        void found(List<PeerAddress> providers) {
            if (searches.get(link.contentId()) != this) {
                return; // cancelled
            }
            Set<PeerAddress> peers = new LinkedHashSet<>(link.peers());
            for (PeerAddress p : providers) {
                if (!p.nodeId().equals(self)) {
                    peers.add(p);
                }
            }
            if (!peers.isEmpty()) {
                world.reach(link.contentId(), new ArrayList<>(peers), this::reached);
                return;
            }
            long left = deadline - world.nanoTime();
            if (left > 0) {
                world.schedule(Math.min(SEARCH_RETRY_NANOS, left), this::ask);
            } else {
                expire();
            }
        }

        /** The time is up: if nobody was found by now, nobody provides it. */
        void expire() {
            if (searches.remove(link.contentId(), this)) {
                observer.failed(NodeException.Kind.NOT_FOUND, notFound());
            }
        }

        private String notFound() {
            String id = link.contentId().toText();
            long seconds = timeout / 1_000_000_000L;
            if (status == Reachability.Status.PRIVATE) {
                return "no reachable peer provides " + id + " (searched for " + seconds + " s), and this node is "
                        + reachabilityReason + ": a sharer behind NAT is reachable by nobody, and this node cannot accept "
                        + "its connection either (no hole punching yet); one of you must open a port or share from a public "
                        + "node (docs/REACHABILITY.md)";
            }
            return "nobody provides " + id + " (searched for " + seconds + " s): check the link, that a sharing node is "
                    + "running, and --bootstrap";
        }

        void reached(PeerWorld.Reach reach) {
            if (!searches.remove(link.contentId(), this)) {
                return; // cancelled
            }
            if (reach instanceof PeerWorld.Reach.Unreachable u) {
                observer.failed(NodeException.Kind.NETWORK, u.reason());
            } else if (reach instanceof PeerWorld.Reach.Peers p) {
                transfer.download(link.contentId(), p.peers(), new Forward(observer));
            }
        }
    }

    /** A download's reports, passed on as a get's. */
    private static final class Forward extends ForwardingListener implements DownloadObserver {
        private final GetObserver observer;

        Forward(GetObserver observer) {
            super(observer);
            this.observer = observer;
        }

        @Override
        public void completed(DownloadResult result) {
            observer.completed(result);
        }

        @Override
        public void failed(String reason) {
            observer.failed(NodeException.Kind.TRANSFER,
                    "download failed: " + reason + " (verified chunks are kept; run the same command again to resume)");
        }

        @Override
        public void notProvided(String reason) {
            observer.failed(NodeException.Kind.NOT_FOUND, "nobody provides it: the peers that announced it no longer share it ("
                    + reason + ")");
        }
    }
}
