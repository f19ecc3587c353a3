package dev.p2p.transfer.session;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.serve.CompleteContent;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A tiny discrete-event world for the transfer state machines, in the manner of quinn-proto's test
 * pair: seeders run {@link UploadMachine}s, a downloader runs a {@link DownloadMachine}, and
 * between them are links with latency and each seeder's uplink bandwidth; the disk is a journal
 * in memory. Chunks are {@link TokenPayload}s. Time is virtual, events run in (time, sequence)
 * order, and every random draw comes from the seed, so a seed replays a run exactly; {@link #trace}
 * records what the downloader did and was told.
 */
final class VirtualSwarm {
    static final long MS = 1_000_000L;
    private static final long ONE_WAY_NANOS = 20 * MS;
    private static final long CONNECT_FAIL_NANOS = 500 * MS;
    private static final long DISK_NANOS = MS;

    final StringBuilder trace = new StringBuilder();
    final SharedContent content;
    final Map<NodeId, Seeder> seeders = new LinkedHashMap<>();
    final MemoryStore store;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Random world;
    private final long seed;
    private final DownloadConfig config;
    private long now;
    private long sequence;
    private Downloader downloader;
    private int nextHost = 1;

    private record Event(long at, long seq, Runnable run) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    VirtualSwarm(SharedContent content, long seed, DownloadConfig config) {
        this.content = content;
        this.seed = seed;
        this.config = config;
        this.world = new Random(seed);
        this.store = new MemoryStore(content);
    }

    long now() {
        return now;
    }

    void at(long delay, Runnable run) {
        events.add(new Event(now + delay, sequence++, run));
    }

    /** Runs events until the download ended or {@code limit} of virtual time passed. */
    void run(long limit) {
        long end = now + limit;
        while (!events.isEmpty() && events.peek().at <= end && (downloader == null || !downloader.ended())) {
            Event e = events.poll();
            now = e.at;
            e.run.run();
        }
    }

    /** Runs every event due up to {@code limit} from now. */
    void runFor(long limit) {
        long end = now + limit;
        while (!events.isEmpty() && events.peek().at <= end) {
            Event e = events.poll();
            now = e.at;
            e.run.run();
        }
        now = end;
    }

    Seeder addSeeder(long uplinkBytesPerSecond, boolean corrupt) {
        NodeId id = Identity.generate(new Random(seed * 31 + nextHost)).nodeId();
        Seeder s = new Seeder(new PeerAddress("10.0.0." + nextHost++, 24100, id), uplinkBytesPerSecond, corrupt);
        seeders.put(id, s);
        return s;
    }

    /** Starts a download from every seeder (a new incarnation: the previous one, if any, is gone). */
    Downloader startDownload() {
        NodeId self = Identity.generate(new Random(seed * 31)).nodeId();
        downloader = new Downloader(new DownloadMachine(content.id(), self, config, new Random(seed), now), self);
        List<PeerAddress> peers = new ArrayList<>();
        seeders.values().forEach(s -> peers.add(s.address));
        downloader.machine.start(peers, now);
        downloader.drain();
        return downloader;
    }

    /** The downloader's process dies: its connections drop and what was not committed is lost. */
    void crashDownloader() {
        downloader.alive = false;
        for (Seeder s : seeders.values()) {
            Connection c = s.connections.remove(downloader.self);
            if (c != null && c.open) {
                c.open = false;
                at(ONE_WAY_NANOS, c.upload::onClosed);
            }
        }
        store.crash();
        trace.append(now / MS).append(" crash\n");
    }

    private void log(String line) {
        trace.append(now / MS).append(' ').append(line).append('\n');
    }

    /** One connection between the downloader and a seeder. */
    final class Connection {
        final Downloader down;
        final Seeder seeder;
        final UploadMachine upload;
        boolean open = true;
        long lastArrivalDown; // per direction FIFO
        long lastArrivalUp;
        private long armed = Long.MAX_VALUE;

        Connection(Downloader down, Seeder seeder) {
            this.down = down;
            this.seeder = seeder;
            this.upload = new UploadMachine(seeder.address.nodeId(), id -> id.equals(content.id()) ? seeder.served : null,
                    seeder.limits, 64, 10_000 * MS, now);
        }

        /** The seeder's side: carry out the upload machine's actions. */
        void drainUpload() {
            for (UploadAction a = upload.poll(); a != null; a = upload.poll()) {
                if (a instanceof UploadAction.Send s) {
                    toDownloader(s.message());
                } else if (a instanceof UploadAction.Read r) {
                    int chunk = r.request().chunk();
                    byte[] hash = content.leafHash(chunk);
                    if (seeder.corrupt) {
                        hash[0] ^= 1;
                    }
                    upload.onChunkRead(r.request(), new TokenPayload(content.layout().chunkLength(chunk), hash), false, now);
                } else if (a instanceof UploadAction.Close) {
                    open = false;
                    upload.onClosed();
                    seeder.connections.remove(down.self);
                    at(ONE_WAY_NANOS, () -> down.closed(seeder.address.nodeId(), this, "closed by peer"));
                }
            }
            long next = upload.nextDeadline();
            if (next < armed) {
                armed = next;
                at(next - now, () -> {
                    if (armed == next && open) {
                        armed = Long.MAX_VALUE;
                        upload.onTimeout(now);
                        drainUpload();
                    }
                });
            }
        }

        private void toDownloader(Message m) {
            int size = m instanceof Message.ChunkData c ? c.data().length() + 45 : 64;
            long sent = Math.max(now, seeder.uplinkFree) + size * 1_000_000_000L / seeder.uplinkBytesPerSecond;
            seeder.uplinkFree = sent;
            long arrival = Math.max(lastArrivalDown, sent + ONE_WAY_NANOS + world.nextInt(5_000_000));
            lastArrivalDown = arrival;
            at(arrival - now, () -> {
                if (open && down.alive) {
                    down.machine.onMessage(seeder.address.nodeId(), m, now);
                    down.drain();
                } else if (m instanceof Message.ChunkData c) {
                    c.data().release();
                }
            });
        }

        void toSeeder(Message m) {
            long arrival = Math.max(lastArrivalUp, now + ONE_WAY_NANOS + world.nextInt(5_000_000));
            lastArrivalUp = arrival;
            at(arrival - now, () -> {
                if (open && seeder.up) {
                    upload.onMessage(m, now);
                    drainUpload();
                }
            });
        }
    }

    final class Seeder {
        final PeerAddress address;
        final long uplinkBytesPerSecond;
        final boolean corrupt;
        final CompleteContent served = new CompleteContent(content);
        final UploadLimits limits = new UploadLimits(64, 0);
        final Map<NodeId, Connection> connections = new LinkedHashMap<>();
        boolean up = true;
        long uplinkFree;

        Seeder(PeerAddress address, long uplinkBytesPerSecond, boolean corrupt) {
            this.address = address;
            this.uplinkBytesPerSecond = uplinkBytesPerSecond;
            this.corrupt = corrupt;
        }

        /** The seeder's host vanishes: its connections reset and nobody reaches it any more. */
        void vanish() {
            up = false;
            for (Connection c : List.copyOf(connections.values())) {
                c.open = false;
                c.upload.onClosed();
                c.down.closed(address.nodeId(), c, "connection reset");
            }
            connections.clear();
            log("vanish " + address.nodeId().shortHex());
        }
    }

    final class Downloader {
        final DownloadMachine machine;
        final NodeId self;
        final Map<NodeId, Connection> connections = new LinkedHashMap<>();
        boolean alive = true;
        DownloadResult result;
        String failure;
        final List<NodeId> banned = new ArrayList<>();
        int badChunks;
        private long armed = Long.MAX_VALUE;

        Downloader(DownloadMachine machine, NodeId self) {
            this.machine = machine;
            this.self = self;
        }

        boolean ended() {
            return result != null || failure != null;
        }

        void closed(NodeId peer, Connection c, String reason) {
            if (alive && connections.get(peer) == c) {
                connections.remove(peer);
                machine.onClosed(peer, reason, now);
                drain();
            }
        }

        void drain() {
            for (DownloadAction a = machine.poll(); a != null && alive; a = machine.poll()) {
                act(a);
            }
            long next = machine.nextDeadline();
            if (alive && next < armed) {
                armed = next;
                at(next - now, () -> {
                    if (armed == next && alive) {
                        armed = Long.MAX_VALUE;
                        machine.onTimeout(now);
                        drain();
                    }
                });
            }
        }

        private void act(DownloadAction a) {
            if (a instanceof DownloadAction.Send s) {
                Connection c = connections.get(s.peer());
                if (c != null && c.open) {
                    c.toSeeder(s.message());
                }
                log("send " + describe(s.message()) + " to " + s.peer().shortHex());
            } else if (a instanceof DownloadAction.Dial d) {
                log("dial " + d.peer().nodeId().shortHex());
                dial(d.peer());
            } else if (a instanceof DownloadAction.Close c) {
                log("close " + c.peer().shortHex() + ": " + c.reason());
                Connection conn = connections.get(c.peer());
                if (conn != null) {
                    conn.open = false;
                    conn.seeder.connections.remove(self);
                    at(ONE_WAY_NANOS, conn.upload::onClosed);
                    at(0, () -> closed(c.peer(), conn, null));
                }
            } else if (a instanceof DownloadAction.OpenStore) {
                at(DISK_NANOS, () -> input(() -> machine.onStoreOpened(store.journaled(), now)));
            } else if (a instanceof DownloadAction.Write w) {
                at(DISK_NANOS, () -> {
                    store.write(w.chunk(), w.data());
                    input(() -> machine.onWritten(w.chunk(), now));
                });
            } else if (a instanceof DownloadAction.Commit) {
                at(2 * DISK_NANOS, () -> {
                    store.commit();
                    input(machine::onCommitted);
                });
            } else if (a instanceof DownloadAction.Publish) {
                at(2 * DISK_NANOS, () -> {
                    store.commit();
                    input(() -> machine.onPublished(Path.of("virtual", content.manifest().name()), now));
                });
            } else if (a instanceof DownloadAction.Abandon) {
                store.commit();
            } else if (a instanceof DownloadAction.BadChunk b) {
                badChunks++;
                log("bad chunk " + b.chunk() + " from " + b.peer().shortHex());
            } else if (a instanceof DownloadAction.Banned b) {
                banned.add(b.peer());
                log("banned " + b.peer().shortHex() + ": " + b.reason());
            } else if (a instanceof DownloadAction.Completed c) {
                result = c.result();
                log("completed, " + c.result().receivedBytes() + " bytes received");
            } else if (a instanceof DownloadAction.Failed f) {
                failure = f.reason();
                log("failed: " + f.reason());
            } else if (a instanceof DownloadAction.Progress p) {
                log("progress " + p.verifiedBytes() + "/" + p.totalBytes() + " from " + p.peers());
            }
        }

        private void input(Runnable r) {
            if (alive) {
                r.run();
                drain();
            }
        }

        private void dial(PeerAddress peer) {
            Seeder s = seeders.get(peer.nodeId());
            if (s == null || !s.up) {
                at(CONNECT_FAIL_NANOS, () -> input(() -> machine.onConnectFailed(peer.nodeId(), "connection timed out", now)));
                return;
            }
            Connection c = new Connection(this, s);
            connections.put(peer.nodeId(), c);
            s.connections.put(self, c);
            at(4 * ONE_WAY_NANOS, () -> { // TCP and TLS 1.3: two round trips
                if (!c.open || !s.up || !alive) {
                    return;
                }
                c.upload.onTlsDone(self, now);
                c.drainUpload();
                input(() -> machine.onConnected(peer.nodeId(), peer.nodeId(), now));
            });
        }
    }

    static String describe(Message m) {
        String type = switch (MessageCodec.type(m)) {
            case MessageCodec.HELLO -> "HELLO";
            case MessageCodec.GET_MANIFEST -> "GET_MANIFEST";
            case MessageCodec.GET_HASHES -> "GET_HASHES";
            case MessageCodec.CANCEL -> "CANCEL " + ((Message.Cancel) m).chunk();
            case MessageCodec.REQUEST -> "REQUEST " + ((Message.Request) m).chunk();
            default -> "type " + MessageCodec.type(m);
        };
        return type;
    }

    /** The download's disk: chunks written since the last commit, and the journal of committed ones. */
    static final class MemoryStore {
        private final SharedContent content;
        private final BitSet written = new BitSet();
        private final BitSet journal = new BitSet();
        int writes;
        int wrongWrites;

        MemoryStore(SharedContent content) {
            this.content = content;
        }

        void write(int chunk, dev.p2p.transfer.wire.ChunkPayload data) {
            writes++;
            if (!Arrays.equals(data.leafHash(), content.leafHash(chunk)) || data.length() != content.layout().chunkLength(chunk)) {
                wrongWrites++;
            }
            written.set(chunk);
            data.release();
        }

        void commit() {
            journal.or(written);
            written.clear();
        }

        /** A crash: what was written but not journaled is not known to be there. */
        void crash() {
            written.clear();
        }

        BitSet journaled() {
            return (BitSet) journal.clone();
        }
    }
}
