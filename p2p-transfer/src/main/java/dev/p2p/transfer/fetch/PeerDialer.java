package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Dials peers for a session and redials those that drop, with a growing delay, until a peer has
 * failed {@link DownloadConfig#maxConnectFailures} times in a row without delivering anything.
 * Guarded by the session's lock; asynchronous callbacks take it.
 */
final class PeerDialer {
    private final DownloadSession session;
    private final Downloader downloader;
    private final ScheduledExecutorService timer;
    private final int maxFailures;
    private final int maxPeers;
    private final ArrayDeque<PeerAddress> backlog = new ArrayDeque<>();
    private final Set<NodeId> known = new HashSet<>();
    private final Map<NodeId, Integer> failures = new HashMap<>();
    private final Map<NodeId, String> lastError = new LinkedHashMap<>();
    private int pending; // connects under way or scheduled
    private int slots; // peers dialled and not given up

    PeerDialer(DownloadSession session, Downloader downloader, ScheduledExecutorService timer, DownloadConfig config) {
        this.session = session;
        this.downloader = downloader;
        this.timer = timer;
        this.maxFailures = config.maxConnectFailures();
        this.maxPeers = config.maxPeers();
    }

    /** Connects or retries that are not settled yet. */
    int pending() {
        return pending;
    }

    /**
     * Dials each node once, whatever number of addresses it is listed with, at most
     * {@link DownloadConfig#maxPeers} at a time; the rest wait until a peer is given up.
     */
    void dialAll(List<PeerAddress> peers) {
        for (PeerAddress p : peers) {
            if (known.add(p.nodeId())) {
                backlog.add(p);
            }
        }
        dialMore();
    }

    private void dialMore() {
        while (slots < maxPeers && !backlog.isEmpty()) {
            PeerAddress next = backlog.poll();
            if (session.wantsPeer(next.nodeId())) {
                slots++;
                dial(next);
            }
        }
    }

    private void dial(PeerAddress address) {
        pending++;
        downloader.connect(address, new PeerConnection(address, session, downloader.nodeId(),
                downloader.config().answerTimeoutMillis())).addListener(f -> {
            if (!f.isSuccess()) {
                synchronized (session) {
                    pending--;
                    noteError(address.nodeId(), "cannot connect to " + address.host() + ":" + address.port()
                            + " (" + f.cause().getMessage() + ")");
                    dropped(address, false);
                }
            }
        });
    }

    /** The connection reached HELLO (it counts as live now, not pending). */
    void connected() {
        pending--;
    }

    /** A connection attempt that never reached HELLO ended. */
    void failedBeforeHello() {
        pending--;
    }

    /** Remembers why the last connection to {@code peer} ended, for the error a user sees. */
    void noteError(NodeId peer, String reason) {
        lastError.remove(peer);
        lastError.put(peer, reason);
    }

    /** The reasons the last three peers dropped, as {@code ": peer abcd1234: reason; ..."}, or "". */
    String lastErrors() {
        StringBuilder b = new StringBuilder();
        int skip = Math.max(0, lastError.size() - 3);
        for (Map.Entry<NodeId, String> e : lastError.entrySet()) {
            if (skip-- > 0) {
                continue;
            }
            b.append(b.length() == 0 ? ": " : "; ").append("peer ").append(e.getKey().shortHex()).append(' ').append(e.getValue());
        }
        return b.toString();
    }

    /** The peer may deliver again: its failures are forgotten. */
    void delivered(NodeId peer) {
        failures.remove(peer);
    }

    /** The peer is not worth redialling (it lacks the content, or is banned). */
    void giveUp(NodeId peer) {
        failures.put(peer, maxFailures);
    }

    /** The peer's connection ended; redials it later unless it keeps failing or the session ended. */
    void dropped(PeerAddress address, boolean deliveredSinceLastFailure) {
        NodeId peer = address.nodeId();
        int failed = deliveredSinceLastFailure && !failures.containsKey(peer) ? 0 : failures.merge(peer, 1, Integer::sum);
        if (!session.wantsPeer(peer) || failed >= maxFailures) {
            slots--; // given up: its place goes to the next peer waiting
            dialMore();
        } else {
            pending++;
            timer.schedule(() -> {
                synchronized (session) {
                    pending--;
                    if (session.wantsPeer(peer)) {
                        dial(address);
                    } else {
                        slots--;
                        dialMore();
                        session.checkAlive();
                    }
                }
            }, 200L * (failed + 1), TimeUnit.MILLISECONDS);
        }
        session.checkAlive();
    }
}
