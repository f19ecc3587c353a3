package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.TransferEnvironment;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.session.DownloadAction;
import dev.p2p.transfer.session.DownloadMachine;
import dev.p2p.transfer.store.PartialDownload;
import dev.p2p.transfer.wire.ByteBufPayload;
import dev.p2p.transfer.wire.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link DownloadMachine} in production: its connections and its timer on one Netty
 * event loop (so the machine is only ever called from that thread), its disk work on a thread of
 * its own, in order. Holds no protocol decisions: it carries out the machine's actions and feeds
 * back what happened.
 */
final class DownloadHost {
    private final Downloader downloader;
    private final TransferEnvironment env;
    private final DownloadMachine machine;
    private final EventLoop loop;
    private final ScheduledExecutorService disk;
    private final Path outputDir;
    private final ContentId id;
    private final DownloadListener listener;
    private final Seeding seeding;
    private final CompletableFuture<DownloadResult> result = new CompletableFuture<>();
    private final Map<NodeId, Channel> channels = new HashMap<>(); // loop only
    private final Set<Channel> unflushed = new LinkedHashSet<>(); // loop only
    private boolean draining; // loop only
    private ScheduledFuture<?> timer;
    private long timerDeadline = Long.MAX_VALUE;
    private PartialDownload store; // disk thread only
    private ChunkLayout layout; // disk thread only
    private byte[] leaves; // disk thread only

    DownloadHost(Downloader downloader, ContentId id, Path outputDir, DownloadListener listener, DownloadConfig config) {
        this.downloader = downloader;
        this.env = downloader.env();
        this.loop = downloader.nextLoop();
        this.disk = env.newTimer("download-" + id.toText().substring(0, 8));
        this.machine = new DownloadMachine(id, downloader.nodeId(), config, env.newRandom(), env.nanoTime());
        this.seeding = new Seeding(downloader.registry());
        this.outputDir = outputDir;
        this.id = id;
        this.listener = listener;
    }

    CompletableFuture<DownloadResult> result() {
        return result;
    }

    void start(List<PeerAddress> peers) {
        onLoop(() -> machine.start(peers, env.nanoTime()));
    }

    void abort(String reason) {
        onLoop(() -> machine.abort(reason));
    }

    // ---- from the connections (on the loop)

    void connected(NodeId peer, NodeId proven) {
        machine.onConnected(peer, proven, env.nanoTime());
        drain();
    }

    void message(NodeId peer, Message msg) {
        machine.onMessage(peer, msg, env.nanoTime());
        drain();
    }

    void closed(NodeId peer, Channel channel, String reason) {
        if (channels.remove(peer, channel)) {
            machine.onClosed(peer, reason, env.nanoTime());
            drain();
        }
    }

    // ---- carrying out the machine's actions

    private void onLoop(Runnable input) {
        loop.execute(() -> {
            input.run();
            drain();
        });
    }

    /** Carries out the machine's actions; an input that arrives meanwhile (a failed connect) queues more for this loop. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (DownloadAction a = machine.poll(); a != null; a = machine.poll()) {
                act(a);
            }
        } finally {
            draining = false;
        }
        for (Channel c : unflushed) {
            c.flush();
        }
        unflushed.clear();
        rearm();
    }

    private void act(DownloadAction a) {
        if (a instanceof DownloadAction.Send s) {
            Channel ch = channels.get(s.peer());
            if (ch != null) {
                ch.write(s.message(), ch.voidPromise());
                unflushed.add(ch);
            }
        } else if (a instanceof DownloadAction.Dial d) {
            dial(d.peer());
        } else if (a instanceof DownloadAction.Close c) {
            Channel ch = channels.get(c.peer());
            if (ch != null) {
                ch.close();
            }
        } else if (a instanceof DownloadAction.Write w) {
            disk.execute(() -> write(w));
        } else if (a instanceof DownloadAction.OpenStore o) {
            disk.execute(() -> openStore(o));
        } else if (a instanceof DownloadAction.Commit) {
            disk.execute(this::commit);
        } else if (a instanceof DownloadAction.Publish) {
            disk.execute(this::publish);
        } else if (a instanceof DownloadAction.Abandon) {
            disk.execute(this::abandon);
        } else if (a instanceof DownloadAction.ManifestKnown m) {
            listener.onManifest(m.manifest());
        } else if (a instanceof DownloadAction.Progress p) {
            listener.onProgress(p.verifiedBytes(), p.totalBytes(), p.peers());
        } else if (a instanceof DownloadAction.BadChunk b) {
            listener.onBadChunk(b.peer(), b.chunk());
        } else if (a instanceof DownloadAction.Banned b) {
            listener.onPeerBanned(b.peer(), b.reason());
        } else if (a instanceof DownloadAction.Completed c) {
            end(() -> result.complete(c.result()));
        } else if (a instanceof DownloadAction.Failed f) {
            end(() -> result.completeExceptionally(new DownloadException(f.reason())));
        }
    }

    /** Reports the end once the disk work asked before it is done (the store is closed by then). */
    private void end(Runnable report) {
        if (timer != null) {
            timer.cancel(false);
        }
        timerDeadline = Long.MIN_VALUE; // never rearmed
        disk.execute(report);
        disk.shutdown();
    }

    private void rearm() {
        long next = machine.nextDeadline();
        if (next >= timerDeadline || timerDeadline == Long.MIN_VALUE) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDeadline = next;
        timer = loop.schedule(() -> {
            timerDeadline = Long.MAX_VALUE;
            machine.onTimeout(env.nanoTime());
            drain();
        }, Math.max(0, next - env.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void dial(PeerAddress peer) {
        ChannelFuture connecting = downloader.connect(peer, loop, new PeerConnection(this, peer.nodeId()));
        channels.put(peer.nodeId(), connecting.channel()); // before the listener, which may run at once
        connecting.addListener(f -> {
            if (!f.isSuccess() && channels.remove(peer.nodeId(), connecting.channel())) {
                machine.onConnectFailed(peer.nodeId(), "cannot connect to " + peer.host() + ":" + peer.port()
                        + " (" + f.cause().getMessage() + ")", env.nanoTime());
                drain();
            }
        });
    }

    // ---- disk work (on the disk thread, in the order asked)

    private void openStore(DownloadAction.OpenStore o) {
        try {
            store = PartialDownload.open(outputDir, id, o.layout(), o.leaves());
            layout = o.layout();
            leaves = o.leaves();
            seeding.started(id, o.manifestBytes(), layout, leaves, store);
            BitSet verified = store.verified();
            onLoop(() -> machine.onStoreOpened(verified, env.nanoTime()));
        } catch (IOException | RuntimeException e) {
            diskFailed("cannot prepare the download in " + outputDir + ": " + e.getMessage());
        }
    }

    private void write(DownloadAction.Write w) {
        try {
            store.write(w.chunk(), ByteBufPayload.buf(w.data()).nioBuffer());
            onLoop(() -> machine.onWritten(w.chunk(), env.nanoTime()));
        } catch (IOException e) {
            diskFailed("cannot write to " + outputDir + ": " + e.getMessage());
        } finally {
            w.data().release();
        }
    }

    private void commit() {
        try {
            seeding.committed(store.commit());
            onLoop(machine::onCommitted);
        } catch (IOException e) {
            diskFailed("cannot record progress in " + outputDir + ": " + e.getMessage());
        }
    }

    private void publish() {
        try {
            Path path = store.finish();
            seeding.finished(layout, path, leaves);
            onLoop(() -> machine.onPublished(path, env.nanoTime()));
        } catch (IOException | RuntimeException e) {
            diskFailed("cannot publish the download: " + e.getMessage());
        }
    }

    private void abandon() {
        seeding.stopped();
        if (store != null) {
            try {
                store.commit();
                store.close();
            } catch (IOException e) {
                // the error that ended the download is the one reported
            }
        }
    }

    private void diskFailed(String reason) {
        onLoop(() -> machine.onDiskFailed(reason));
    }
}
