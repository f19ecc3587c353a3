package dev.p2p.node.core;

import dev.p2p.dht.NodeId;
import dev.p2p.dht.Reachability;
import dev.p2p.node.NodeException;
import dev.p2p.node.policy.AnnouncePolicy;
import dev.p2p.node.policy.ProviderRefresh;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.ForwardingListener;
import dev.p2p.transfer.session.DownloadObserver;
import dev.p2p.transfer.session.TransferCore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One peer's decisions without I/O, on top of its {@link TransferCore} and its {@link DhtPort}:
 * which shares to announce (while others can reach us, directly or through a relay, {@link AnnouncePolicy}), and how a
 * link becomes a download: the link's peers are reached ({@link PeerWorld#reach}) at once while the
 * DHT is asked for providers (again every {@link #SEARCH_RETRY_NANOS} until someone provides it or
 * the time is up); the download starts from the first peers reached, and providers found later
 * join it. While the download runs the DHT is asked again ({@link ProviderRefresh}), and once it
 * holds verified chunks, which the transfer side serves, the content is announced as a share until
 * the download ends (then it stays announced only if it is shared). Production hosts it on the transfer side's event loop; a
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
    private final boolean announceRelayed;
    private final Map<ContentId, Search> searches = new HashMap<>(); // links still looking for providers
    private Reachability.Status status;
    private String reachabilityReason = "reachability unknown";

    /** A peer that announces nothing while others cannot reach it directly. */
    public PeerCore(NodeId self, TransferCore transfer, DhtPort dht, PeerWorld world, Reachability.Status status) {
        this(self, transfer, dht, world, status, false);
    }

    /**
     * @param status whether others can reach this peer at start (null: a static configuration says it can)
     * @param announceRelayed whether the peer announces behind NAT too (status PRIVATE): its DHT then
     *     signs relayed records naming a public peer that passes hole-punch requests on to it
     */
    public PeerCore(NodeId self, TransferCore transfer, DhtPort dht, PeerWorld world, Reachability.Status status,
            boolean announceRelayed) {
        this.self = self;
        this.transfer = transfer;
        this.dht = dht;
        this.world = world;
        this.status = status;
        this.announceRelayed = announceRelayed;
        this.announcing = new AnnouncePolicy(announceable(status));
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
        apply(announcing.reachability(announceable(now)));
    }

    /** Public (or configured so), or behind NAT where a relayed record leads to us. */
    private boolean announceable(Reachability.Status s) {
        return s == null || s == Reachability.Status.PUBLIC || (announceRelayed && s == Reachability.Status.PRIVATE);
    }

    private void apply(AnnouncePolicy.Changes changes) {
        changes.provide().forEach(dht::provide);
        changes.withdraw().forEach(dht::stopProviding);
    }

    // ---- fetching

    /**
     * Fetches what {@code link} names: reaches the link's peers at once, asks the DHT for more
     * (again every {@link #SEARCH_RETRY_NANOS} while nobody is found, for up to
     * {@code findTimeoutNanos}), and downloads from those reached; providers the DHT names later
     * join the download. {@code observer} hears how it goes.
     */
    public void get(ShareLink link, long findTimeoutNanos, GetObserver observer) {
        get(link, Selection.ALL, findTimeoutNanos, observer);
    }

    /** As {@link #get(ShareLink, long, GetObserver)}, fetching only the files {@code selection} names. */
    public void get(ShareLink link, Selection selection, long findTimeoutNanos, GetObserver observer) {
        Search search = new Search(link, selection, world.nanoTime() + findTimeoutNanos, findTimeoutNanos, observer);
        searches.put(link.contentId(), search);
        world.schedule(findTimeoutNanos, search::expire); // a lookup slower than the time left ends it too
        search.ask();
        search.offer(link.peers()); // a link's peers are reached now, not after the lookup
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

    /**
     * One link being looked for, until a download of it starts (then the DHT's late answers only
     * add peers to it) or its time is up.
     */
    private final class Search {
        final ShareLink link;
        final Selection selection;
        final long deadline;
        final long timeout;
        final GetObserver observer;
        final Set<PeerAddress> tried = new LinkedHashSet<>(); // handed to reach, or to the download
        final List<PeerAddress> waiting = new ArrayList<>(); // found while a reach was under way
        final ProviderRefresh refresh;
        boolean asking; // a DHT lookup is under way
        boolean reaching;
        boolean downloading;
        boolean holding; // the download holds verified chunks: announced as a share
        boolean over; // the download ended
        String unreachable; // why the last peers could not be reached, or null

        Search(ShareLink link, Selection selection, long deadline, long timeout, GetObserver observer) {
            this.link = link;
            this.selection = selection;
            this.deadline = deadline;
            this.timeout = timeout;
            this.observer = observer;
            this.refresh = new ProviderRefresh(world.nanoTime());
        }

        boolean current() {
            return searches.get(link.contentId()) == this;
        }

        void ask() {
            if ((current() || downloading) && !over) {
                asking = true;
                refresh.asked(world.nanoTime());
                dht.findProviders(link.contentId().toKey(), PROVIDERS_WANTED, this::found);
            }
        }

        void found(List<PeerAddress> providers) {
            asking = false;
            if (!downloading && !current() || over) {
                return; // cancelled, expired or ended
            }
            boolean fresh = offer(providers);
            if (downloading) {
                refresh.answered(fresh);
            } else if (!fresh && !reaching) {
                if (unreachable != null) {
                    fail(NodeException.Kind.NETWORK, unreachable);
                } else {
                    retryOrExpire();
                }
            }
        }

        /**
         * Peers found (the link's, or the DHT's): added to the download if one runs, kept for
         * later while a reach is under way, else reached now. False if none was new.
         */
        boolean offer(List<PeerAddress> found) {
            if (!downloading && !current()) {
                return false;
            }
            List<PeerAddress> fresh = new ArrayList<>();
            for (PeerAddress p : found) {
                if (!p.nodeId().equals(self) && !tried.contains(p) && !waiting.contains(p)) {
                    fresh.add(p);
                }
            }
            if (fresh.isEmpty()) {
                return false;
            }
            if (downloading) {
                tried.addAll(fresh);
                transfer.addPeers(link.contentId(), fresh); // it dials them and gives up on those it cannot reach
            } else if (reaching) {
                waiting.addAll(fresh);
            } else {
                reach(fresh);
            }
            return true;
        }

        void reach(List<PeerAddress> peers) {
            reaching = true;
            tried.addAll(peers);
            world.reach(link.contentId(), new ArrayList<>(peers), this::reached);
        }

        void reached(PeerWorld.Reach reach) {
            reaching = false;
            if (!current()) {
                return; // cancelled or expired
            }
            if (reach instanceof PeerWorld.Reach.Peers p) {
                searches.remove(link.contentId());
                downloading = true;
                List<PeerAddress> peers = new ArrayList<>(p.peers());
                peers.addAll(waiting);
                transfer.download(link.contentId(), peers, selection, new Forward(this));
            } else if (reach instanceof PeerWorld.Reach.Unreachable u) {
                unreachable = u.reason();
                if (!waiting.isEmpty()) {
                    List<PeerAddress> next = new ArrayList<>(waiting);
                    waiting.clear();
                    reach(next);
                } else if (!asking) {
                    fail(NodeException.Kind.NETWORK, unreachable); // everyone found so far is out of reach
                } // else the lookup under way decides: someone new, or this reason
            }
        }

        private void retryOrExpire() {
            long left = deadline - world.nanoTime();
            if (left > 0) {
                world.schedule(Math.min(SEARCH_RETRY_NANOS, left), this::ask);
            } else {
                expire();
            }
        }

        private void fail(NodeException.Kind kind, String reason) {
            if (searches.remove(link.contentId(), this)) {
                observer.failed(kind, reason);
            }
        }

        /**
         * The download reports (every tick while it runs): announce it once it holds verified
         * chunks, and ask the DHT again when {@link ProviderRefresh} says so.
         */
        void progress(long verifiedBytes, int connected) {
            if (over) {
                return;
            }
            if (verifiedBytes > 0 && !holding) {
                holding = true;
                apply(announcing.holding(link.contentId().toKey()));
            }
            if (!asking && refresh.due(world.nanoTime(), connected)) {
                ask();
            }
        }

        /** The download ended, complete or not: it stays announced only if the user shares it. */
        void ended() {
            over = true;
            apply(announcing.downloadEnded(link.contentId().toKey()));
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
    }

    /** A download's reports, passed on as a get's, and to its search. */
    private static final class Forward extends ForwardingListener implements DownloadObserver {
        private final Search search;
        private final GetObserver observer;

        Forward(Search search) {
            super(search.observer);
            this.search = search;
            this.observer = search.observer;
        }

        @Override
        public void onProgress(long verifiedBytes, long totalBytes, int peers) {
            search.progress(verifiedBytes, peers);
            super.onProgress(verifiedBytes, totalBytes, peers);
        }

        @Override
        public void completed(DownloadResult result) {
            search.ended();
            observer.completed(result);
        }

        @Override
        public void failed(String reason) {
            search.ended();
            observer.failed(NodeException.Kind.TRANSFER,
                    "download failed: " + reason + " (verified chunks are kept; run the same command again to resume)");
        }

        @Override
        public void nothingSelected(String reason) {
            search.ended();
            observer.failed(NodeException.Kind.USAGE, reason);
        }

        @Override
        public void notProvided(String reason) {
            search.ended();
            observer.failed(NodeException.Kind.NOT_FOUND, "nobody provides it: the peers that announced it no longer share it ("
                    + reason + ")");
        }
    }
}
