package dev.p2p.sim.swarm;

import dev.p2p.dht.NodeId;
import dev.p2p.node.NodeException;
import dev.p2p.node.core.GetObserver;
import dev.p2p.node.core.PeerWorld;
import dev.p2p.node.virtual.VirtualContent;
import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.world.Peer;
import dev.p2p.sim.world.Population;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.fetch.DownloadResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The swarm's users, a world driver: publishes the files when the swarm starts (each by a random
 * online honest peer), makes peers ask for files (Zipf popularity; a flash crowd or Poisson
 * arrivals), has finished peers seed for the scenario's seed time, and tallies what the downloads
 * did. Runs in the world's context; what a peer reports from its lane is handed over with
 * {@link Simulation#inWorld}.
 */
public final class Swarm {
    private static final long MIB = 1L << 20;

    private final Simulation sim;
    private final SwarmConfig config;
    /** How long a hole punch may take: the request's and the notice's flights, with room to spare. */
    static final long PUNCH_WAIT_MILLIS = 2_000;
    private final Random random;
    private final Map<ContentId, WholePeer> publishers = new HashMap<>();
    private long punchesAsked;
    private long punchesOpened;
    private long punchesImpossible;
    private Population<dev.p2p.dht.wire.Message> population;
    private TransferNet net;
    private final List<VirtualContent> files = new ArrayList<>();
    private final Map<ContentId, VirtualContent> byId = new HashMap<>();
    private final double[] popularity; // cumulative Zipf weights
    private final Map<ContentId, WholePeer> firstSeeders = new HashMap<>();
    private final Set<NodeId> liarsBanned = new LinkedHashSet<>();
    private final DownloadTally total = new DownloadTally();
    private DownloadTally window = new DownloadTally();
    private long startMillis = -1;
    private long noPeerFree;
    private int firstSeedersLeft;

    public Swarm(Simulation sim, SwarmConfig config) {
        this.sim = sim;
        this.config = config;
        this.random = sim.newChildRandom();
        this.popularity = new double[config.files()];
        double sum = 0;
        for (int r = 0; r < config.files(); r++) {
            sum += 1 / Math.pow(r + 1, config.zipfExponent());
            popularity[r] = sum;
        }
        for (int i = 0; i < config.files(); i++) {
            long size = config.fileSize().sample(random);
            long seed = random.nextLong();
            VirtualContent c = config.realBytes() ? VirtualContent.withBytes("file-" + i, size, config.chunkSize(), seed)
                    : VirtualContent.synthetic("file-" + i, size, config.chunkSize(), seed);
            files.add(c);
            byId.put(c.id(), c);
        }
    }

    public void bind(Population<dev.p2p.dht.wire.Message> population, TransferNet net) {
        this.population = population;
        this.net = net;
    }

    public SwarmConfig config() {
        return config;
    }

    public TransferNet net() {
        return net;
    }

    VirtualContent content(ContentId id) {
        return byId.get(id);
    }

    public List<VirtualContent> files() {
        return files;
    }

    /**
     * Which of {@code found} {@code from} can connect to, as docs/REACHABILITY.md says: a peer
     * not behind NAT directly; one behind a port-keeping NAT after a hole punch through the DHT's
     * own signalling ({@code DhtNode.requestPunch}, relayed as PUNCH_NOTIFY by a public peer that
     * knows the target), if its notice arrived within {@link #PUNCH_WAIT_MILLIS}; none when
     * either side's NAT is symmetric.
     */
    void reach(WholePeer from, List<PeerAddress> found, java.util.function.Consumer<PeerWorld.Reach> done) {
        List<PeerAddress> direct = new ArrayList<>();
        List<PeerAddress> punching = new ArrayList<>();
        String impossible = null;
        for (PeerAddress a : found) {
            WholePeer target = net.peerAt(a);
            if (target == null || target.nat() == Nat.NONE) {
                direct.add(a);
            } else if (!Nat.punchable(from.nat(), target.nat())) {
                punchesImpossible++;
                impossible = from.nat() == Nat.SYMMETRIC
                        ? "hole punching cannot work from here because this node's NAT changes ports (a symmetric NAT);"
                                + " open a port, or fetch from a public node"
                        : "hole punching failed: the sharer's NAT changes ports (a symmetric NAT)";
            } else {
                punchesAsked++;
                from.requestPunch(a.nodeId());
                punching.add(a);
            }
        }
        String why = impossible;
        from.later(punching.isEmpty() ? 0 : PUNCH_WAIT_MILLIS, () -> {
            List<PeerAddress> reached = new ArrayList<>(direct);
            for (PeerAddress a : punching) {
                WholePeer target = net.peerAt(a);
                if (target != null && target.admits(from)) {
                    punchesOpened++;
                    reached.add(a);
                }
            }
            done.accept(!reached.isEmpty() || found.isEmpty() ? new PeerWorld.Reach.Peers(reached)
                    : new PeerWorld.Reach.Unreachable(why != null && punching.isEmpty() ? why
                            : "hole punching failed: no public peer we know relayed to the sharer in time"));
        });
    }
    /** Publishes the files and starts the arrivals at {@code atMillis}. */
    public void start(long atMillis) {
        sim.scheduleAt(atMillis, () -> {
            startMillis = sim.nowMillis();
            for (VirtualContent c : files) {
                publish(c);
            }
            SwarmConfig.Arrivals a = config.arrivals();
            if (a.flashCrowd()) {
                for (int i = 0; i < a.count(); i++) {
                    sim.schedule((long) (random.nextDouble() * a.windowMillis()), this::arrive);
                }
            } else {
                nextArrival();
            }
        });
    }

    /** A file's first seeder: a random online honest peer among those with the widest uplink (a publisher's server). */
    private void publish(VirtualContent c) {
        double widest = 0;
        for (Peer<dev.p2p.dht.wire.Message> p : population.online()) {
            WholePeer w = (WholePeer) p.node();
            if (config.publisherNat() == null || w.nat() == config.publisherNat()) {
                widest = Math.max(widest, w.links().upBytesPerSecond());
            }
        }
        double up = widest;
        WholePeer seeder = randomOnline(p -> p.role() == Role.HONEST && !p.busyWith(c.id())
                && p.links().upBytesPerSecond() == up && (config.publisherNat() == null || p.nat() == config.publisherNat()));
        if (seeder == null) {
            sim.schedule(1_000, () -> publish(c)); // nobody up yet: try again shortly
            return;
        }
        seeder.seed(c);
        firstSeeders.put(c.id(), seeder);
        publishers.put(c.id(), seeder);
    }

    private void nextArrival() {
        long gap = Math.max(1, Math.round(-60_000 / config.arrivals().perMinute() * Math.log(1 - random.nextDouble())));
        sim.schedule(gap, () -> {
            arrive();
            nextArrival();
        });
    }

    private VirtualContent pickFile() {
        double u = random.nextDouble() * popularity[popularity.length - 1];
        int lo = 0;
        int hi = popularity.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (popularity[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return files.get(lo);
    }

    /** A random online peer that {@code fits}, chosen among all that do, or null. */
    private WholePeer randomOnline(java.util.function.Predicate<WholePeer> fits) {
        List<WholePeer> candidates = new ArrayList<>();
        for (Peer<dev.p2p.dht.wire.Message> p : population.online()) {
            WholePeer w = (WholePeer) p.node();
            if (fits.test(w)) {
                candidates.add(w);
            }
        }
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    /** A user asks for a file: a random online peer that neither has it nor fetches it. */
    private void arrive() {
        VirtualContent c = pickFile();
        WholePeer peer = randomOnline(p -> !p.busyWith(c.id()));
        if (peer == null) {
            noPeerFree++;
            return;
        }
        boolean honest = peer.role() == Role.HONEST;
        count(t -> {
            t.started++;
            t.startedHonest += honest ? 1 : 0;
        });
        peer.wanted().add(c.id());
        attempt(new Want(peer, c, sim.nowMillis()), 1);
    }

    /**
     * One try of a user's get. A failed try is tried again after {@link SwarmConfig#retryAfterMillis},
     * as the failure's own message tells the user to ("run the same command again to resume"),
     * up to {@link SwarmConfig#attempts} tries; then, or when the peer went offline, the
     * download is abandoned. Times count from the first ask.
     */
    private void attempt(Want want, int attempt) {
        WholePeer peer = want.peer;
        VirtualContent c = want.content;
        long askedMillis = want.askedMillis;
        WholePeer publisher = publishers.get(c.id());
        // a link names its sharer; behind NAT that is the only way to it (it announces nothing)
        List<PeerAddress> hints = publisher != null && publisher.nat() != Nat.NONE && publisher != peer
                ? List.of(publisher.address()) : List.of();
        peer.get(c, hints, config.findTimeoutMillis(), new GetObserver() {
            @Override
            public void onProgress(long verifiedBytes, long totalBytes, int peers) {
                if (!want.firstByte && verifiedBytes > 0) {
                    want.firstByte = true;
                    long at = peer.nanoTime() / 1_000_000 - askedMillis;
                    sim.inWorld(() -> count(t -> t.firstByteMillis.add(at)));
                }
            }

            @Override
            public void onPeerBanned(NodeId who, String reason) {
                sim.inWorld(() -> {
                    WholePeer banned = peerById(who);
                    if (banned != null && banned.role() == Role.CORRUPT) {
                        liarsBanned.add(who);
                    }
                });
            }

            @Override
            public void completed(DownloadResult r) {
                long took = peer.nanoTime() / 1_000_000 - askedMillis;
                sim.inWorld(() -> finished(peer, c, r, took));
            }

            @Override
            public void failed(NodeException.Kind kind, String reason) {
                String why = kind + ": " + gist(reason, c);
                boolean retry = peer.isRunning() && attempt < config.attempts();
                sim.inWorld(() -> {
                    count(t -> t.failedTries.merge(why, 1L, Long::sum));
                    if (retry) {
                        sim.schedule(config.retryAfterMillis(), () -> {
                            if (peer.isRunning()) {
                                attempt(want, attempt + 1);
                            } else {
                                abandoned(peer, c);
                            }
                        });
                    } else {
                        abandoned(peer, c);
                    }
                });
            }
        });
    }

    /** One user's wish for one file, across the tries of its get. */
    private static final class Want {
        final WholePeer peer;
        final VirtualContent content;
        final long askedMillis;
        boolean firstByte;

        Want(WholePeer peer, VirtualContent content, long askedMillis) {
            this.peer = peer;
            this.content = content;
            this.askedMillis = askedMillis;
        }
    }

    /** A failure's reason up to the content id it names: the same words for every download that failed so. */
    private static String gist(String reason, VirtualContent c) {
        int at = reason.indexOf(c.id().toText());
        return (at < 0 ? reason : reason.substring(0, at)).trim();
    }

    private void abandoned(WholePeer peer, VirtualContent c) {
        peer.wanted().remove(c.id());
        boolean honest = peer.role() == Role.HONEST;
        count(t -> {
            t.abandoned++;
            t.abandonedHonest += honest ? 1 : 0;
        });
    }

    private WholePeer peerById(NodeId id) {
        Peer<dev.p2p.dht.wire.Message> p = population.peerById(id);
        return p == null ? null : (WholePeer) p.node();
    }

    private void finished(WholePeer peer, VirtualContent c, DownloadResult r, long tookMillis) {
        peer.wanted().remove(c.id());
        long needed = r.totalBytes() - r.resumedBytes();
        count(t -> {
            t.completed++;
            t.completedHonest += peer.role() == Role.HONEST ? 1 : 0;
            t.completionMillis.add(tookMillis);
            t.secondsPerMiB.add(tookMillis / 1000.0 / Math.max(1e-9, (double) c.totalBytes() / MIB));
            double boundMillis = needed * 1000.0 / peer.links().downBytesPerSecond();
            if (boundMillis > 0) {
                t.overCapacityBound.add(tookMillis / boundMillis);
            }
            t.duplicateBytes += Math.max(0, r.receivedBytes() - needed);
            t.rejectedChunks += r.rejectedChunks();
            t.receivedBytes += r.receivedBytes();
        });
        if (config.seedTime() == SwarmConfig.LEAVE_AT_ONCE) {
            peer.leaveSwarm(c.id());
        } else {
            peer.seed(c);
            if (config.seedTime() != null) {
                sim.schedule(config.seedTime().sampleMillis(random), () -> peer.leaveSwarm(c.id()));
            }
        }
        WholePeer first = firstSeeders.get(c.id());
        if (config.firstSeederLeaves() && first != null && first != peer && peer.role() == Role.HONEST) {
            firstSeeders.remove(c.id());
            first.unseed(c.id()); // one full copy is out: the first seeder has done its part
            firstSeedersLeft++;
        }
    }

    private void count(java.util.function.Consumer<DownloadTally> change) {
        change.accept(total);
        change.accept(window);
    }

    /** Ends the current metrics interval: its tally, and the content availability now. */
    public DownloadRow closeWindow() {
        DownloadTally w = window;
        window = new DownloadTally();
        Availability a = startMillis < 0 ? null : availability();
        return new DownloadRow(w.started, w.completed, w.abandoned, DownloadTally.percentile(w.completionMillis, 0.5),
                DownloadTally.percentile(w.firstByteMillis, 0.5), a == null ? Double.NaN : a.completeCopyShare(),
                a == null ? Double.NaN : a.fetchableShare(), net.chunkBytesDelivered());
    }

    /**
     * Shares of the files with a complete copy served by an online honest peer, and that a fresh
     * peer (honest, not behind NAT) could fetch now: the chunks served by online honest peers it
     * can find and reach (they announce the file, or are the publisher its link names, not behind
     * a symmetric NAT) make up the whole file between them. One pass over the online peers.
     */
    private Availability availability() {
        java.util.Set<ContentId> complete = new java.util.HashSet<>();
        Map<ContentId, java.util.BitSet> reachable = new HashMap<>();
        for (Peer<dev.p2p.dht.wire.Message> p : population.online()) {
            WholePeer w = (WholePeer) p.node();
            if (w.role() != Role.HONEST) {
                continue;
            }
            for (Map.Entry<ContentId, dev.p2p.transfer.session.Servable> e : w.served().entrySet()) {
                ContentId id = e.getKey();
                boolean whole = e.getValue() instanceof VirtualContent;
                if (whole) {
                    complete.add(id);
                }
                boolean found = w.announces(id) || publishers.get(id) == w;
                if (found && Nat.punchable(Nat.NONE, w.nat())) {
                    java.util.BitSet chunks = reachable.computeIfAbsent(id, k -> new java.util.BitSet());
                    if (whole) {
                        chunks.set(0, byId.get(id).layout().totalChunks());
                    } else {
                        chunks.or(e.getValue().available());
                    }
                }
            }
        }
        int fetchable = 0;
        for (VirtualContent c : files) {
            java.util.BitSet chunks = reachable.get(c.id());
            fetchable += chunks != null && chunks.cardinality() == c.layout().totalChunks() ? 1 : 0;
        }
        return new Availability((double) complete.size() / files.size(), (double) fetchable / files.size());
    }

    private record Availability(double completeCopyShare, double fetchableShare) {}

    /** What the downloads did over the run, with the peers' upload/download ratios and the conservation figures. */
    public SwarmReport report() {
        List<Double> ratios = new ArrayList<>();
        int wrongWrites = 0;
        for (Peer<dev.p2p.dht.wire.Message> p : population.allPeers()) {
            WholePeer w = (WholePeer) p.node();
            wrongWrites += w.wrongWrites();
            long down = w.downloadedBytes();
            if (down > 0) {
                ratios.add((double) w.uploadedBytes() / down);
            }
        }
        return new SwarmReport(config, total, ratios, liarsBanned.size(), countRole(Role.CORRUPT), wrongWrites,
                noPeerFree, net.chunkBytesSent(), net.chunkBytesDelivered(), net.chunkBytesLost(), net.connections(),
                net.failedDials(), net.flows().reallocations(), firstSeedersLeft, punchesAsked, punchesOpened,
                punchesImpossible);
    }

    private int countRole(Role role) {
        int n = 0;
        for (Peer<dev.p2p.dht.wire.Message> p : population.allPeers()) {
            n += ((WholePeer) p.node()).role() == role ? 1 : 0;
        }
        return n;
    }
}
