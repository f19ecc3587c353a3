package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final Map<NodeId, Integer> failures = new HashMap<>();
    private final Map<NodeId, String> lastError = new LinkedHashMap<>();
    private int pending; // connects under way or scheduled

    PeerDialer(DownloadSession session, Downloader downloader, ScheduledExecutorService timer, int maxFailures) {
        this.session = session;
        this.downloader = downloader;
        this.timer = timer;
        this.maxFailures = maxFailures;
    }

    /** Connects or retries that are not settled yet. */
    int pending() {
        return pending;
    }

    void dial(PeerAddress address) {
        pending++;
        downloader.connect(address, new PeerConnection(address, session, downloader.nodeId())).addListener(f -> {
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
        if (session.wantsPeer(peer) && failed < maxFailures) {
            pending++;
            timer.schedule(() -> {
                synchronized (session) {
                    pending--;
                    if (session.wantsPeer(peer)) {
                        dial(address);
                    } else {
                        session.checkAlive();
                    }
                }
            }, 200L * (failed + 1), TimeUnit.MILLISECONDS);
        }
        session.checkAlive();
    }
}
