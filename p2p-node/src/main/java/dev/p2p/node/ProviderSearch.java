package dev.p2p.node;

import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ShareLink;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Finds peers holding a link's content: the link's own hints, and whoever the DHT says provides it,
 * asking the DHT again every {@link #RETRY_MILLIS} (a sharer may announce after we start looking)
 * until someone is found or the time is up. Nothing waits in a sleeping thread: each retry is
 * scheduled.
 */
final class ProviderSearch {
    static final long RETRY_MILLIS = 1_000;
    static final int PROVIDERS_WANTED = 16;

    private final DhtServer dht;
    private final NodeId self;
    private final ShareLink link;
    private final long deadlineNanos;
    private final CompletableFuture<List<PeerAddress>> result = new CompletableFuture<>();

    private ProviderSearch(DhtServer dht, NodeId self, ShareLink link, long timeoutMillis) {
        this.dht = dht;
        this.self = self;
        this.link = link;
        this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    /** The peers found, in the order found (hints first); empty when nobody provides it in time. */
    static CompletableFuture<List<PeerAddress>> find(DhtServer dht, NodeId self, ShareLink link, long timeoutMillis) {
        ProviderSearch s = new ProviderSearch(dht, self, link, timeoutMillis);
        s.attempt();
        return s.result;
    }

    private void attempt() {
        long leftMillis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
        dht.findProviders(link.contentId().toKey(), PROVIDERS_WANTED)
                .orTimeout(leftMillis, TimeUnit.MILLISECONDS)
                .whenComplete((found, error) -> {
                    Set<PeerAddress> peers = new LinkedHashSet<>(link.peers());
                    if (found != null) {
                        for (Provider p : found.providers()) {
                            if (!p.nodeId().equals(self)) {
                                peers.add(PeerAddress.of(p.address(), p.nodeId()));
                            }
                        }
                    }
                    long left = deadlineNanos - System.nanoTime();
                    if (!peers.isEmpty() || left <= 0) {
                        result.complete(new ArrayList<>(peers));
                    } else {
                        Executor later = CompletableFuture.delayedExecutor(Math.min(RETRY_MILLIS, left / 1_000_000L + 1),
                                TimeUnit.MILLISECONDS);
                        later.execute(this::attempt);
                    }
                });
    }
}
