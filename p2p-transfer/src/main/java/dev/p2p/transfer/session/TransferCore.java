package dev.p2p.transfer.session;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's transfer side without I/O: its downloads ({@link DownloadMachine}s, one per content) and
 * the peers it serves ({@link UploadMachine}s, one per accepted connection), routed by connection
 * id, with their deadlines armed in the {@link TransferWorld}. It also tells the peers that asked
 * for a download in progress about each chunk as it is committed (HAVE). A completed download's
 * connections are kept a while for the next download from the same peers ({@link KeptConnections});
 * a peer that has been quiet for {@link #QUIET_YIELD_NANOS} gives its place to a newcomer when every
 * place is taken, so kept connections never lock a peer out. Production hosts it on
 * one Netty event loop; a simulation in virtual time. Not thread-safe: one thread at a time, and no
 * input from inside a world call.
 */
public final class TransferCore {
    /** A served peer quiet this long gives up its place when a newcomer finds them all taken. */
    static final long QUIET_YIELD_NANOS = 5_000_000_000L;

    private final NodeId self;
    private final TransferWorld world;
    private final DownloadConfig downloadConfig;
    private final TransferLimits limits;
    private final int maxQueuedRequests;
    private final long helloTimeoutNanos;
    private final Map<ContentId, Run> downloads = new LinkedHashMap<>();
    private final Map<Long, Run> outbound = new HashMap<>();
    private final Map<Long, Upload> inbound = new LinkedHashMap<>();
    private final Map<ContentId, Set<Long>> subscribers = new HashMap<>();
    private final KeptConnections kept;

    /** One download and its connections. */
    private final class Run {
        final DownloadMachine machine;
        final DownloadObserver observer;
        final Map<NodeId, Long> connections = new HashMap<>();
        final Map<Long, NodeId> peers = new HashMap<>();
        final MachineTimer timer = new MachineTimer();

        Run(DownloadMachine machine, DownloadObserver observer) {
            this.machine = machine;
            this.observer = observer;
        }
    }

    /** One peer served. */
    private static final class Upload {
        final UploadMachine machine;
        final MachineTimer timer = new MachineTimer();

        Upload(UploadMachine machine) {
            this.machine = machine;
        }
    }

    /**
     * @param limits the node's upload limits (places and byte budget), shared by its uploads
     * @param maxQueuedRequests asks one peer may have waiting
     * @param helloTimeoutNanos an accepted peer must finish TLS and say HELLO within this
     */
    public TransferCore(NodeId self, TransferWorld world, DownloadConfig downloadConfig, TransferLimits limits,
            int maxQueuedRequests, long helloTimeoutNanos) {
        this.self = self;
        this.world = world;
        this.downloadConfig = downloadConfig;
        this.limits = limits;
        this.maxQueuedRequests = maxQueuedRequests;
        this.helloTimeoutNanos = helloTimeoutNanos;
        this.kept = new KeptConnections(world);
    }

    public NodeId self() {
        return self;
    }

    public TransferLimits limits() {
        return limits;
    }

    /** Peers being served now (accepted connections not closed yet). */
    public int uploadConnections() {
        return inbound.size();
    }

    /** Connections kept from completed downloads for the next download from their peers. */
    public int keptConnections() {
        return kept.size();
    }

    public boolean isDownloading(ContentId id) {
        return downloads.containsKey(id);
    }

    // ---- commands

    /**
     * Starts downloading {@code id} from {@code peers} (more may come with {@link #addPeers}); the
     * observer hears how it goes. A second download of the same content fails at once.
     */
    public void download(ContentId id, List<PeerAddress> peers, DownloadObserver observer) {
        download(id, peers, Selection.ALL, observer);
    }

    /** As {@link #download(ContentId, List, DownloadObserver)}, fetching only the entries {@code selection} names. */
    public void download(ContentId id, List<PeerAddress> peers, Selection selection, DownloadObserver observer) {
        if (downloads.containsKey(id)) {
            observer.failed("this content is already being downloaded by this node");
            return;
        }
        Run run = new Run(new DownloadMachine(id, self, selection, downloadConfig, limits, world.newRandom(),
                world.nanoTime()), observer);
        downloads.put(id, run);
        if (!peers.isEmpty()) {
            run.machine.start(peers, world.nanoTime());
        }
        drain(run);
    }

    /** More peers for a download under way (a provider search found them). */
    public void addPeers(ContentId id, List<PeerAddress> peers) {
        toDownload(id, m -> m.addPeers(peers, world.nanoTime()));
    }

    /** Ends a download now; verified chunks stay for a resume. */
    public void abort(ContentId id, String reason) {
        toDownload(id, m -> m.abort(reason));
    }

    // ---- inputs: connections

    /** A peer connected to us (TLS not done yet). */
    public void onAccepted(long connection) {
        Upload u = new Upload(new UploadMachine(self, world::servable, limits, maxQueuedRequests, helloTimeoutNanos,
                world.nanoTime()));
        inbound.put(connection, u);
        drain(connection, u);
    }

    /** TLS is done on a connection; the peer's certificate proves it is {@code proven}. */
    public void onTlsDone(long connection, NodeId proven) {
        Upload u = inbound.get(connection);
        if (u != null) {
            if (limits.full()) {
                yieldQuietestPlace();
            }
            u.machine.onTlsDone(proven, world.nanoTime());
            drain(connection, u);
            return;
        }
        Run run = outbound.get(connection);
        if (run != null) {
            run.machine.onConnected(run.peers.get(connection), proven, world.nanoTime());
            drain(run);
        }
    }

    /** A dial did not connect; {@code reason} is for the user. */
    public void onConnectFailed(long connection, String reason) {
        Run run = outbound.get(connection);
        if (run != null) {
            NodeId peer = detach(run, connection);
            run.machine.onConnectFailed(peer, reason, world.nanoTime());
            drain(run);
        }
    }

    /** A message arrived; a {@link Message.ChunkData}'s payload is the core's from now on. */
    public void onMessage(long connection, Message msg) {
        Upload u = inbound.get(connection);
        if (u != null) {
            u.machine.onMessage(msg, world.nanoTime());
            drain(connection, u);
            return;
        }
        Run run = outbound.get(connection);
        if (run != null) {
            run.machine.onMessage(run.peers.get(connection), msg, world.nanoTime());
            drain(run);
        } else if (msg instanceof Message.ChunkData c) {
            c.data().release();
        }
    }

    /** The connection's write buffer went over (false) or back under (true) its high-water mark. */
    public void onWritable(long connection, boolean writable) {
        Upload u = inbound.get(connection);
        if (u != null) {
            u.machine.onWritable(writable, world.nanoTime());
            drain(connection, u);
        }
    }

    /** The connection closed, whoever closed it; {@code reason} is the world's view (null: the peer closed it). */
    public void onClosed(long connection, String reason) {
        Upload u = inbound.remove(connection);
        if (u != null) {
            forget(connection, u);
            return;
        }
        if (kept.closed(connection)) {
            return;
        }
        Run run = outbound.get(connection);
        if (run != null) {
            NodeId peer = detach(run, connection);
            run.machine.onClosed(peer, reason, world.nanoTime());
            drain(run);
        }
    }

    /** Unlinks a connection from its download; returns the peer it reaches. */
    private NodeId detach(Run run, long connection) {
        outbound.remove(connection);
        NodeId peer = run.peers.remove(connection);
        run.connections.remove(peer, connection);
        return peer;
    }

    private void forget(long connection, Upload u) {
        u.machine.onClosed();
        u.timer.cancel();
        subscribers.values().forEach(s -> s.remove(connection));
    }

    /**
     * Every place is taken and a peer wants one: the peer quiet longest, if quiet for
     * {@link #QUIET_YIELD_NANOS}, is let go now (its place is free before the close is done).
     */
    private void yieldQuietestPlace() {
        long now = world.nanoTime();
        long quietest = Long.MAX_VALUE;
        Long pick = null;
        for (Map.Entry<Long, Upload> e : inbound.entrySet()) {
            long since = e.getValue().machine.quietSince();
            if (since < quietest && now - since >= QUIET_YIELD_NANOS) {
                quietest = since;
                pick = e.getKey();
            }
        }
        if (pick != null) {
            forget(pick, inbound.remove(pick));
            world.close(pick);
        }
    }

    /** A {@code read} is done: {@code data} holds the checked chunk, or is null ({@code stale}: the content changed on disk). */
    public void onChunkRead(long connection, Message.Request request, ChunkPayload data, boolean stale) {
        Upload u = inbound.get(connection);
        if (u == null) {
            if (data != null) {
                data.release();
            }
            return;
        }
        u.machine.onChunkRead(request, data, stale, world.nanoTime());
        drain(connection, u);
    }

    // ---- inputs: a download's disk

    public void onStoreOpened(ContentId id, BitSet verified) {
        toDownload(id, m -> m.onStoreOpened(verified, world.nanoTime()));
    }

    public void onWritten(ContentId id, int chunk) {
        toDownload(id, m -> m.onWritten(chunk, world.nanoTime()));
    }

    /** A commit is done; {@code chunks} were journaled by it, and peers that asked for them hear of them. */
    public void onCommitted(ContentId id, List<Integer> chunks) {
        for (long connection : subscribers.getOrDefault(id, Set.of())) {
            Upload u = inbound.get(connection);
            if (u != null) {
                chunks.forEach(c -> u.machine.onAvailable(id, c));
                drain(connection, u);
            }
        }
        toDownload(id, DownloadMachine::onCommitted);
    }

    public void onPublished(ContentId id, Path path) {
        toDownload(id, m -> m.onPublished(path, world.nanoTime()));
    }

    public void onDiskFailed(ContentId id, String reason) {
        toDownload(id, m -> m.onDiskFailed(reason));
    }

    /** Gives an input to the download of {@code id}, if it still runs, and carries out what follows. */
    private void toDownload(ContentId id, java.util.function.Consumer<DownloadMachine> input) {
        Run run = downloads.get(id);
        if (run != null) {
            input.accept(run.machine);
            drain(run);
        }
    }

    // ---- carrying out the machines' actions

    private void drain(Run run) {
        ContentId id = run.machine.contentId();
        for (DownloadAction a = run.machine.poll(); a != null; a = run.machine.poll()) {
            if (a instanceof DownloadAction.Send s) {
                Long c = run.connections.get(s.peer());
                if (c != null) {
                    world.send(c, s.message());
                }
            } else if (a instanceof DownloadAction.Dial d) {
                NodeId peer = d.peer().nodeId();
                Long reused = kept.take(peer);
                long c = reused != null ? reused : world.dial(d.peer());
                run.connections.put(peer, c);
                run.peers.put(c, peer);
                outbound.put(c, run);
                if (reused != null) {
                    run.machine.onReused(peer, world.nanoTime());
                }
            } else if (a instanceof DownloadAction.Close c) {
                Long conn = run.connections.get(c.peer());
                if (conn != null && c.reusable()) {
                    kept.keep(detach(run, conn), conn);
                } else if (conn != null) {
                    world.close(conn);
                }
            } else if (a instanceof DownloadAction.Write w) {
                world.write(id, w.chunk(), w.data());
            } else if (a instanceof DownloadAction.OpenStore o) {
                world.openStore(id, o.layout(), o.manifestBytes(), o.leaves(), o.selection());
            } else if (a instanceof DownloadAction.Commit) {
                world.commit(id);
            } else if (a instanceof DownloadAction.Publish) {
                world.publish(id);
            } else if (a instanceof DownloadAction.Abandon) {
                world.abandon(id);
            } else if (a instanceof DownloadAction.ManifestKnown m) {
                run.observer.onManifest(m.manifest());
            } else if (a instanceof DownloadAction.Progress p) {
                run.observer.onProgress(p.verifiedBytes(), p.totalBytes(), p.peers());
            } else if (a instanceof DownloadAction.BadChunk b) {
                run.observer.onBadChunk(b.peer(), b.chunk());
            } else if (a instanceof DownloadAction.Banned b) {
                run.observer.onPeerBanned(b.peer(), b.reason());
            } else if (a instanceof DownloadAction.Completed c) {
                end(run);
                run.observer.completed(c.result());
            } else if (a instanceof DownloadAction.Failed f) {
                end(run);
                switch (f.why()) {
                    case NOT_PROVIDED -> run.observer.notProvided(f.reason());
                    case NOTHING_SELECTED -> run.observer.nothingSelected(f.reason());
                    case TRANSFER -> run.observer.failed(f.reason());
                }
            }
        }
        if (!run.machine.isEnded()) {
            run.timer.rearm(world, run.machine.nextDeadline(), () -> {
                run.machine.onTimeout(world.nanoTime());
                drain(run);
            });
        }
    }

    /** The download is over; its connections are closing and answer no more. */
    private void end(Run run) {
        run.timer.cancel();
        downloads.remove(run.machine.contentId(), run);
    }

    private void drain(long connection, Upload u) {
        for (UploadAction a = u.machine.poll(); a != null; a = u.machine.poll()) {
            if (a instanceof UploadAction.Send s) {
                world.send(connection, s.message());
            } else if (a instanceof UploadAction.Read r) {
                Servable content = world.servable(r.request().content());
                if (content == null) {
                    u.machine.onChunkRead(r.request(), null, true, world.nanoTime()); // unshared meanwhile
                } else {
                    world.read(connection, content, r.request());
                }
            } else if (a instanceof UploadAction.Close) {
                world.close(connection);
            } else if (a instanceof UploadAction.Subscribe s) {
                subscribers.computeIfAbsent(s.content(), k -> new LinkedHashSet<>()).add(connection);
            } else if (a instanceof UploadAction.Introduced) {
                world.introduced(connection);
            }
        }
        u.timer.rearm(world, u.machine.nextDeadline(), () -> {
            u.machine.onTimeout(world.nanoTime());
            drain(connection, u);
        });
    }
}
