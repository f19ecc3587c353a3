package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Cancellable;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Reachability;
import dev.p2p.node.core.DhtPort;
import dev.p2p.node.core.GetObserver;
import dev.p2p.node.core.PeerCore;
import dev.p2p.node.core.PeerWorld;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.session.Servable;
import dev.p2p.transfer.session.TransferCore;
import dev.p2p.transfer.session.TransferWorld;
import dev.p2p.transfer.session.TransferLimits;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A peer's decisions in virtual time: when it asks the DHT, whom it dials, what it announces, and why it gives up. */
class PeerCoreTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ContentId CONTENT = ContentId.of(new byte[32]);
    private static final PeerAddress PROVIDER = new PeerAddress("10.0.0.9", 24100, Identity.generate(new Random(9)).nodeId());
    private static final PeerAddress HINT = new PeerAddress("10.0.0.7", 24100, Identity.generate(new Random(7)).nodeId());
    private static final PeerAddress LATER = new PeerAddress("10.0.0.5", 24100, Identity.generate(new Random(5)).nodeId());

    /** Virtual time, a DHT that finds the provider from its {@code findOnAsk}-th lookup on, and a record of dials. */
    static final class World implements PeerWorld, TransferWorld, DhtPort {
        record Timer(long at, long seq, Runnable task) {}

        final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
                : Long.compare(a.seq, b.seq));
        final List<String> log = new ArrayList<>();
        long now;
        long seq;
        int asks;
        int findOnAsk = Integer.MAX_VALUE;
        int laterOnAsk = Integer.MAX_VALUE; // from this lookup on, LATER provides it too
        boolean silent; // the DHT never answers
        long answerAfter; // how long a lookup takes (0: it answers at once)
        Reach reach;

        void runUntil(long end) {
            while (!timers.isEmpty() && timers.peek().at <= end) {
                Timer t = timers.poll();
                now = t.at;
                t.task.run();
            }
            now = end;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            Timer t = new Timer(now + delayNanos, seq++, task);
            timers.add(t);
            return () -> timers.remove(t);
        }

        @Override
        public void reach(ContentId id, List<PeerAddress> found, Consumer<Reach> done) {
            log.add("reach " + found.size() + " at " + now / SECOND);
            done.accept(reach != null ? reach : new Reach.Peers(found));
        }

        @Override
        public void findProviders(NodeId key, int wanted, Consumer<List<PeerAddress>> done) {
            asks++;
            log.add("ask " + asks + " at " + now / SECOND);
            if (silent) {
                return;
            }
            List<PeerAddress> answer = new ArrayList<>(asks >= findOnAsk ? List.of(PROVIDER) : List.of());
            if (asks >= laterOnAsk) {
                answer.add(LATER);
            }
            if (answerAfter > 0) {
                schedule(answerAfter, () -> done.accept(answer));
            } else {
                done.accept(answer);
            }
        }

        @Override
        public void provide(NodeId key) {
            log.add("provide " + key.shortHex());
        }

        @Override
        public void stopProviding(NodeId key) {
            log.add("withdraw " + key.shortHex());
        }

        @Override
        public Random newRandom() {
            return new Random(1);
        }

        @Override
        public long dial(PeerAddress peer) {
            log.add("dial " + peer.host() + " at " + now / SECOND);
            return seq++;
        }

        @Override
        public void send(long connection, Message message) {}

        @Override
        public void close(long connection) {}

        @Override
        public void introduced(long connection) {}

        @Override
        public Servable servable(ContentId id) {
            return null;
        }

        @Override
        public void read(long connection, Servable content, Message.Request request) {}

        @Override
        public void openStore(ContentId id, ChunkLayout layout, byte[] manifestBytes, byte[] leaves, Selection selection) {}

        @Override
        public void write(ContentId id, int chunk, ChunkPayload data) {}

        @Override
        public void commit(ContentId id) {}

        @Override
        public void publish(ContentId id) {}

        @Override
        public void abandon(ContentId id) {}
    }

    static final class Outcome implements GetObserver {
        NodeException.Kind kind;
        String reason;

        @Override
        public void completed(DownloadResult result) {}

        @Override
        public void failed(NodeException.Kind kind, String reason) {
            this.kind = kind;
            this.reason = reason;
        }
    }

    private static PeerCore core(World w, Reachability.Status status) {
        NodeId self = Identity.generate(new Random(1)).nodeId();
        TransferCore transfer = new TransferCore(self, w, DownloadConfig.DEFAULTS, new TransferLimits(8, 0), 64, 10 * SECOND);
        return new PeerCore(self, transfer, w, w, status);
    }

    @Test
    void aSearchAsksTheDhtAgainEverySecondUntilSomeoneProvidesThenDialsThem() {
        World w = new World();
        w.findOnAsk = 4;
        PeerCore core = core(w, Reachability.Status.PUBLIC);
        Outcome out = new Outcome();
        core.get(new ShareLink(CONTENT, List.of()), 60 * SECOND, out);
        w.runUntil(10 * SECOND);

        assertEquals(List.of("ask 1 at 0", "ask 2 at 1", "ask 3 at 2", "ask 4 at 3", "reach 1 at 3", "dial 10.0.0.9 at 3",
                "ask 5 at 8"), w.log, "once found, the download asks again after 5 s, not every second");
    }

    @Test
    void aLinksPeersAreDialledAtOnceWhileTheDhtIsStillLooking() {
        World w = new World();
        w.silent = true;
        core(w, null).get(new ShareLink(CONTENT, List.of(HINT)), 60 * SECOND, new Outcome());
        assertEquals(List.of("ask 1 at 0", "reach 1 at 0", "dial 10.0.0.7 at 0"), w.log);
    }

    @Test
    void providersTheDhtFindsLaterJoinTheDownloadFromTheLinksPeers() {
        World w = new World();
        w.findOnAsk = 1;
        w.answerAfter = 2 * SECOND;
        Outcome out = new Outcome();
        core(w, null).get(new ShareLink(CONTENT, List.of(HINT)), 60 * SECOND, out);
        w.runUntil(4 * SECOND);
        assertTrue(w.log.containsAll(List.of("dial 10.0.0.7 at 0", "dial 10.0.0.9 at 2")), w.log.toString());
        assertEquals(1, w.asks, "the download has peers: the next lookup waits");
        assertEquals(null, out.kind);
    }

    @Test
    void anUnreachableLinkPeerWaitsForTheDhtWhichMayNameAnother() {
        World w = new World();
        w.findOnAsk = 1;
        w.answerAfter = SECOND;
        PeerCore core = core(w, null);
        w.reach = new PeerWorld.Reach.Unreachable("connection refused");
        Outcome out = new Outcome();
        core.get(new ShareLink(CONTENT, List.of(HINT)), 60 * SECOND, out);
        assertEquals(null, out.kind, "the lookup under way may still find someone");
        w.reach = null;
        w.runUntil(10 * SECOND);
        assertEquals(null, out.kind);
        assertTrue(w.log.contains("dial 10.0.0.9 at 1"), w.log.toString());
    }

    @Test
    void nobodyProvidingItIsNotFoundAtTheDeadlineAndSaysSoWhenBehindNat() {
        World w = new World();
        PeerCore core = core(w, Reachability.Status.UNKNOWN);
        core.onReachability(Reachability.Status.PRIVATE, "behind NAT: peers see 203.0.113.5");
        Outcome out = new Outcome();
        core.get(new ShareLink(CONTENT, List.of()), 5 * SECOND, out);
        w.runUntil(4 * SECOND);
        assertEquals(null, out.kind, "still looking before the deadline");
        w.runUntil(10 * SECOND);

        assertEquals(NodeException.Kind.NOT_FOUND, out.kind);
        assertTrue(out.reason.contains("searched for 5 s") && out.reason.contains("behind NAT: peers see 203.0.113.5"), out.reason);
        assertEquals(5, w.asks, "asked at 0..4 s; the time was up at 5 s");
    }

    @Test
    void aLookupThatNeverAnswersStillEndsTheSearchAtItsDeadline() {
        World w = new World();
        w.silent = true;
        Outcome out = new Outcome();
        core(w, null).get(new ShareLink(CONTENT, List.of()), 3 * SECOND, out);
        w.runUntil(2 * SECOND);
        assertEquals(null, out.kind);
        w.runUntil(10 * SECOND);
        assertEquals(NodeException.Kind.NOT_FOUND, out.kind);
        assertEquals(1, w.asks);
    }

    @Test
    void providersNobodyCanReachEndTheGetWithTheWorldsReason() {
        World w = new World();
        w.findOnAsk = 1;
        w.reach = new PeerWorld.Reach.Unreachable("they are behind a symmetric NAT");
        Outcome out = new Outcome();
        core(w, null).get(new ShareLink(CONTENT, List.of()), 60 * SECOND, out);
        assertEquals(NodeException.Kind.NETWORK, out.kind);
        assertEquals("they are behind a symmetric NAT", out.reason);
    }

    @Test
    void aCancelledSearchStopsAskingAndReportsWhy() {
        World w = new World();
        PeerCore core = core(w, null);
        Outcome out = new Outcome();
        core.get(new ShareLink(CONTENT, List.of()), 60 * SECOND, out);
        w.runUntil(2 * SECOND);
        core.cancel(CONTENT, "download interrupted");
        w.runUntil(10 * SECOND);
        assertEquals("download interrupted", out.reason);
        assertEquals(3, w.asks, "no lookup after the cancel");
    }

    @Test
    void sharesAreAnnouncedOnlyWhileOthersCanReachThePeer() {
        World w = new World();
        PeerCore core = core(w, Reachability.Status.UNKNOWN);
        core.shared(CONTENT);
        assertEquals(List.of(), w.log);
        assertEquals(1, core.unannouncedCount());
        core.onReachability(Reachability.Status.PUBLIC, "reachable");
        assertEquals(List.of("provide " + CONTENT.toKey().shortHex()), w.log);
        core.onReachability(Reachability.Status.PRIVATE, "behind NAT");
        assertEquals("withdraw " + CONTENT.toKey().shortHex(), w.log.get(1));
    }

    @Test
    void aDownloadKeepsAskingTheDhtSoonerWhileFewPeersAreConnectedAndNewProvidersJoinIt() {
        World w = new World();
        w.findOnAsk = 1;
        w.laterOnAsk = 3;
        Outcome out = new Outcome();
        core(w, null).get(new ShareLink(CONTENT, List.of()), 60 * SECOND, out);
        w.runUntil(40 * SECOND);

        // nobody answers the dials: no peer is connected, so the wait doubles from 5 s but stays at most 10 s
        assertEquals(List.of("ask 1 at 0", "reach 1 at 0", "dial 10.0.0.9 at 0", "ask 2 at 5", "ask 3 at 15",
                "dial 10.0.0.5 at 15", "ask 4 at 20", "ask 5 at 30", "ask 6 at 40"), w.log);
        assertEquals(null, out.kind, "still downloading");
    }

    @Test
    void aDownloadThatEndsStopsAskingTheDht() {
        World w = new World();
        w.findOnAsk = 1;
        Outcome out = new Outcome();
        PeerCore core = core(w, null);
        core.get(new ShareLink(CONTENT, List.of()), 60 * SECOND, out);
        w.runUntil(12 * SECOND);
        core.cancel(CONTENT, "download interrupted");
        int asks = w.asks;
        w.runUntil(300 * SECOND);
        assertTrue(out.reason.contains("download interrupted"), out.reason);
        assertEquals(asks, w.asks, "no lookup after the download ended");
        assertTrue(w.log.stream().noneMatch(l -> l.startsWith("provide") || l.startsWith("withdraw")),
                "it never held a verified chunk, so it announced nothing: " + w.log);
    }
}
