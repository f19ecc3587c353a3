package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.AddProvider;
import dev.p2p.dht.wire.Message.AddProviderAck;
import dev.p2p.dht.wire.Message.FindNode;
import dev.p2p.dht.wire.Message.GetProviders;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Providers;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** DhtNode's rules, checked in virtual time on the real codec. */
class DhtNodeTest {
    final DhtConfig config = DhtConfig.defaults();

    VirtualNetwork network(int nodes, long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        for (int i = 0; i < nodes; i++) {
            net.addNode(net.addressOf(i), config);
        }
        InetSocketAddress seed0 = VirtualNetwork.address(10, 0, 1, 1, 4000);
        for (DhtNode n : net.nodes.subList(1, nodes)) {
            n.bootstrap(List.of(seed0), r -> { });
            net.runFor(200);
        }
        net.runFor(30_000);
        return net;
    }

    interface Op<T> {
        void start(java.util.function.Consumer<T> done);
    }

    static <T> T await(VirtualNetwork net, Op<T> op) {
        AtomicReference<T> out = new AtomicReference<>();
        op.start(out::set);
        for (int i = 0; i < 600 && out.get() == null; i++) {
            net.runFor(100);
        }
        assertNotNull(out.get(), "operation did not finish in 60 virtual seconds");
        return out.get();
    }

    @Test
    void aQuietNodeRefreshesItsNeighbourhoodWithOneLookupOfItsOwnId() {
        VirtualNetwork net = network(60, 3);
        net.runFor(17 * 60_000); // one refresh interval and a couple of maintenance ticks, nothing else going on
        long total = 0;
        for (DhtNode n : net.nodes) {
            int[] sizes = n.routingTable().bucketSizes();
            int neighbourhood = n.routingTable().neighbourhoodBucket(config.k());
            int farther = 0;
            int nonEmpty = 0;
            for (int i = 0; i < sizes.length; i++) {
                nonEmpty += sizes[i] > 0 ? 1 : 0;
                farther += sizes[i] > 0 && i > neighbourhood ? 1 : 0;
            }
            long refreshes = n.stats().bucketRefreshes;
            total += refreshes;
            assertTrue(refreshes <= 1 + farther, "one lookup for the " + (nonEmpty - farther)
                    + " buckets of its neighbourhood, one per farther bucket (" + farther + "), got " + refreshes);
        }
        assertTrue(total > 0, "quiet tables were refreshed (one node's refresh also freshens the buckets it reaches)");
    }

    @Test
    void aQuietNodeLooksUpNoIdInItsFarFullBuckets() {
        VirtualNetwork net = network(150, 4);
        List<boolean[]> farFull = new ArrayList<>();
        for (DhtNode n : net.nodes) {
            RoutingTable t = n.routingTable();
            boolean[] full = new boolean[NodeId.BITS];
            for (int i = t.neighbourhoodBucket(config.k()) + 1; i < NodeId.BITS; i++) {
                full[i] = t.isFull(i);
            }
            farFull.add(full);
        }
        int[] intoFarFull = {0};
        int[] refreshLookups = {0};
        net.onSend = (from, to, m) -> {
            if (m instanceof FindNode f) {
                int sender = net.indexOf(from);
                refreshLookups[0]++;
                int bucket = net.nodes.get(sender).id().bucketIndex(f.target());
                intoFarFull[0] += bucket >= 0 && farFull.get(sender)[bucket] ? 1 : 0;
            }
        };
        net.runFor(17 * 60_000); // past one refresh interval, with nothing else going on
        long pings = net.nodes.stream().mapToLong(n -> n.stats().refreshPings).sum();
        assertTrue(refreshLookups[0] > 0, "buckets were refreshed by lookups");
        assertEquals(0, intoFarFull[0], "FIND_NODEs for ids in a far full bucket, which could not take what they find");
        assertTrue(pings > 0, "contacts unheard from for a sweep interval were pinged");
    }

    /** Stops every tenth node and unplugs it, as a peer that left without a word; returns their ids. */
    private static List<NodeId> everyTenthLeaves(VirtualNetwork net) {
        return everyTenthLeaves(net, DhtNode::stop);
    }

    /** Every tenth node goes, as {@code goes} makes it (stops silently, or leaves with a word), and its address goes dark. */
    static List<NodeId> everyTenthLeaves(VirtualNetwork net, java.util.function.Consumer<DhtNode> goes) {
        List<NodeId> departed = new ArrayList<>();
        for (int i = 10; i < net.nodes.size(); i += 10) {
            DhtNode n = net.nodes.get(i);
            goes.accept(n);
            net.detach(net.addressOf(i));
            departed.add(n.id());
        }
        return departed;
    }

    @Test
    void departedContactsLeaveTheTablesWithinARefreshInterval() {
        VirtualNetwork net = network(150, 5);
        List<NodeId> departed = everyTenthLeaves(net);
        long before = entriesFor(net, departed);
        net.runFor(17 * 60_000);
        long after = entriesFor(net, departed);
        assertTrue(before > 100, "the departed were known to many: " + before);
        // Without the ping sweep, about 94% of these entries were still there after 17 minutes.
        assertTrue(after * 10 <= before, "entries for departed nodes: " + before + " when they left, " + after + " 17 minutes later");
    }

    @Test
    void departedContactsLeaveTheTablesWithinTwoSweepIntervals() {
        VirtualNetwork net = network(150, 6);
        net.runFor(60_000);
        List<NodeId> departed = everyTenthLeaves(net);
        long before = entriesFor(net, departed);
        net.runFor(8 * 60_000); // each bucket is swept every 3 minutes, on maintenance ticks of about 1 minute
        long after = entriesFor(net, departed);
        assertTrue(before > 100, "the departed were known to many: " + before);
        assertTrue(after * 10 <= before, "entries for departed nodes: " + before + " when they left, " + after + " 8 minutes later");
    }

    static long entriesFor(VirtualNetwork net, List<NodeId> ids) {
        return net.nodes.stream().filter(DhtNode::isRunning)
                .mapToLong(n -> n.routingTable().contacts().stream().filter(c -> ids.contains(c.id())).count()).sum();
    }

    @Test
    void storeWithATokenIssuedToAnotherAddressIsRefused() throws Exception {
        VirtualNetwork net = network(2, 1);
        DhtNode victim = net.nodes.get(0);
        Identity attacker = Identity.generate(net.random);
        InetSocketAddress honest = VirtualNetwork.address(10, 9, 9, 1, 5000);
        InetSocketAddress spoofed = VirtualNetwork.address(10, 9, 9, 2, 5000);
        List<Message> answers = new ArrayList<>();
        net.attach(honest, (from, bytes) -> answers.add(decode(bytes)));
        net.attach(spoofed, (from, bytes) -> answers.add(decode(bytes)));
        NodeId key = NodeId.random(net.random);
        Header h = new Header(1, attacker.nodeId(), true);
        net.deliver(honest, VirtualNetwork.address(10, 0, 1, 1, 4000), Codec.encode(new GetProviders(h, key)));
        net.runFor(100);
        byte[] token = ((Providers) answers.get(0)).token();
        byte[] sig = attacker.sign(Provider.signedBytes(key, attacker.publicKey(), 7000));
        net.deliver(spoofed, VirtualNetwork.address(10, 0, 1, 1, 4000),
                Codec.encode(new AddProvider(new Header(2, attacker.nodeId(), true), key, token, attacker.publicKey(), 7000, sig)));
        net.runFor(100);
        assertFalse(((AddProviderAck) answers.get(1)).stored(), "token from another IP must not store");
        net.deliver(honest, VirtualNetwork.address(10, 0, 1, 1, 4000),
                Codec.encode(new AddProvider(new Header(3, attacker.nodeId(), true), key, token, attacker.publicKey(), 7000, sig)));
        net.runFor(100);
        assertTrue(((AddProviderAck) answers.get(2)).stored(), "the token's own IP may store");
        assertEquals(honest.getAddress(), victim.providerStore().get(key, 8, net.now).get(0).address().getAddress());
    }

    @Test
    void forgedProviderSignatureIsRefused() throws Exception {
        VirtualNetwork net = network(2, 2);
        Identity attacker = Identity.generate(net.random);
        InetSocketAddress at = VirtualNetwork.address(10, 9, 9, 1, 5000);
        List<Message> answers = new ArrayList<>();
        net.attach(at, (from, bytes) -> answers.add(decode(bytes)));
        NodeId key = NodeId.random(net.random);
        InetSocketAddress victim = VirtualNetwork.address(10, 0, 1, 1, 4000);
        net.deliver(at, victim, Codec.encode(new GetProviders(new Header(1, attacker.nodeId(), true), key)));
        net.runFor(100);
        byte[] token = ((Providers) answers.get(0)).token();
        byte[] sigForOtherPort = attacker.sign(Provider.signedBytes(key, attacker.publicKey(), 7001));
        net.deliver(at, victim, Codec.encode(new AddProvider(new Header(2, attacker.nodeId(), true), key, token,
                attacker.publicKey(), 7000, sigForOtherPort)));
        net.runFor(100);
        assertFalse(((AddProviderAck) answers.get(1)).stored());
        assertEquals(1, net.nodes.get(0).stats().badProviderSignatures);
    }

    @Test
    void requesterEntersTheTableOnlyAfterAnsweringAPing() throws Exception {
        VirtualNetwork net = network(1, 3);
        DhtNode node = net.nodes.get(0);
        InetSocketAddress silent = VirtualNetwork.address(10, 7, 7, 7, 6000);
        net.attach(silent, (from, bytes) -> { }); // receives, never answers
        NodeId claimed = NodeId.random(net.random);
        net.deliver(silent, VirtualNetwork.address(10, 0, 1, 1, 4000), Codec.encode(new Ping(new Header(9, claimed, false))));
        net.runFor(20_000);
        assertFalse(node.routingTable().contains(claimed));

        DhtNode real = net.addNode(VirtualNetwork.address(10, 7, 7, 8, 6000), config);
        real.bootstrap(List.of(VirtualNetwork.address(10, 0, 1, 1, 4000)), r -> { });
        net.runFor(20_000);
        assertTrue(node.routingTable().contains(real.id()));
    }

    @Test
    void aJoiningNodePingsOnlyTheNodesItsSeedNamedThatItsLookupDidNotAsk() {
        VirtualNetwork net = network(40, 12);
        InetSocketAddress at = VirtualNetwork.address(10, 9, 9, 9, 4000);
        Set<InetSocketAddress> asked = new HashSet<>();
        Set<InetSocketAddress> pinged = new HashSet<>();
        net.onSend = (from, to, m) -> {
            if (from.equals(at) && m instanceof FindNode) {
                asked.add(to);
            } else if (from.equals(at) && m instanceof Ping) {
                pinged.add(to);
            }
        };
        DhtNode joiner = net.addNode(at, config);
        BootstrapResult joined = await(net, done -> joiner.bootstrap(List.of(VirtualNetwork.address(10, 0, 1, 1, 4000)), done));
        assertTrue(joined.succeeded());
        assertTrue(asked.size() >= config.k(), "the join's lookup asked the k nearest: " + asked.size());
        Set<InetSocketAddress> both = new HashSet<>(asked);
        both.retainAll(pinged);
        assertEquals(Set.of(), both, "asked by the lookup and pinged as well");
        List<NodeId> others = new ArrayList<>();
        for (DhtNode n : net.nodes) {
            if (n != joiner) {
                others.add(n.id());
            }
        }
        others.sort((a, b) -> joiner.id().compareDistance(a, b));
        for (NodeId near : others.subList(0, config.k())) {
            assertTrue(joiner.routingTable().contains(near), "the k nearest answered the join's lookup and are in the table");
        }
    }

    @Test
    void clientOnlyNodeCanLookUpButIsNeverAdded() {
        VirtualNetwork net = network(20, 4);
        DhtNode client = net.addNode(VirtualNetwork.address(10, 8, 8, 8, 4000), config.withClientOnly(true));
        BootstrapResult joined = await(net, done -> client.bootstrap(List.of(VirtualNetwork.address(10, 0, 1, 1, 4000)), done));
        assertTrue(joined.succeeded());
        NodeId target = net.nodes.get(7).id();
        LookupResult r = await(net, done -> client.lookupNode(target, done));
        assertTrue(r.foundTarget());
        for (DhtNode n : net.nodes) {
            assertFalse(n != client && n.routingTable().contains(client.id()), "client-only node in a table");
        }
    }

    @Test
    void bootstrapThatNobodyAnswersSaysWhatWasTried() {
        VirtualNetwork net = new VirtualNetwork(5);
        DhtNode lone = net.addNode(VirtualNetwork.address(10, 0, 0, 1, 4000), config);
        InetSocketAddress a = VirtualNetwork.address(10, 0, 0, 2, 4000);
        InetSocketAddress b = VirtualNetwork.address(10, 0, 0, 3, 4001);
        BootstrapResult r = await(net, done -> lone.bootstrap(List.of(a, b), done));
        assertFalse(r.succeeded());
        assertEquals("no bootstrap peer answered: tried 10.0.0.2:4000, 10.0.0.3:4001", r.describe());
    }

    @Test
    void nodeRebootstrapsWhenItsTableEmpties() {
        VirtualNetwork net = network(10, 6);
        DhtNode n = net.nodes.get(5);
        for (Contact c : n.routingTable().contacts()) {
            n.routingTable().remove(c.id());
        }
        assertEquals(0, n.routingTable().size());
        net.runFor(2 * config.maintenanceInterval());
        assertTrue(n.routingTable().size() > 0);
    }

    @Test
    void providerRecordsExpireUnlessRepublished() {
        VirtualNetwork net = network(30, 7);
        NodeId kept = NodeId.random(net.random);
        NodeId dropped = NodeId.random(net.random);
        DhtNode keeper = net.nodes.get(3);
        DhtNode quitter = net.nodes.get(4);
        ProvideResult r = await(net, done -> keeper.provide(kept, VirtualNetwork.PORT, done));
        assertTrue(r.stored() >= config.k() / 2, "stored on " + r.stored());
        ProvideResult q = await(net, done -> quitter.provide(dropped, VirtualNetwork.PORT, done));
        assertTrue(q.stored() > 0);
        quitter.stopProviding(dropped);
        net.runFor(3 * config.providerTtl());
        DhtNode searcher = net.nodes.get(20);
        ProvidersResult found = await(net, done -> searcher.findProviders(kept, 1, done));
        assertEquals(List.of(keeper.id()), found.providers().stream().map(Provider::nodeId).toList());
        ProvidersResult gone = await(net, done -> searcher.findProviders(dropped, 1, done));
        assertEquals(List.of(), gone.providers());
    }

    @Test
    void aProviderIsHandedOutWhenItsRecordArrivesNotWhenTheSearchEnds() {
        VirtualNetwork net = network(300, 9);
        NodeId key = NodeId.random(net.random);
        DhtNode provider = net.nodes.get(10);
        ProvideResult announced = await(net, done -> provider.provide(key, VirtualNetwork.PORT, done));
        assertTrue(announced.stored() > 0);
        DhtNode searcher = net.nodes.get(50);
        List<NodeId> handedOut = new ArrayList<>();
        long[] firstAt = {-1};
        long asked = net.now;
        ProvidersResult r = await(net, (java.util.function.Consumer<ProvidersResult> done) -> searcher.findProviders(key, 0,
                p -> {
                    handedOut.add(p.nodeId());
                    firstAt[0] = net.now;
                }, done));
        assertEquals(List.of(provider.id()), handedOut, "once, with the provider the search returns");
        assertEquals(List.of(provider.id()), r.providers().stream().map(Provider::nodeId).toList());
        assertTrue(firstAt[0] >= asked && firstAt[0] < asked + r.elapsedMillis(),
                "handed out at " + (firstAt[0] - asked) + " ms, the full search took " + r.elapsedMillis() + " ms");
    }

    @Test
    void disjointPathsNeverAskOneNodeTwiceAndStillFindTheProvider() {
        VirtualNetwork net = network(80, 8);
        NodeId key = NodeId.random(net.random);
        DhtNode provider = net.nodes.get(10);
        ProvideResult announced = await(net, done -> provider.provide(key, VirtualNetwork.PORT, done));
        assertTrue(announced.stored() > 0);
        net.providerQueriesTo.clear();
        DhtNode searcher = net.nodes.get(50);
        ProvidersResult r = await(net, done -> searcher.findProviders(key, 0, done));
        assertEquals(List.of(provider.id()), r.providers().stream().map(Provider::nodeId).toList());
        assertTrue(r.queried() > 2 * config.k(), "three paths ask more nodes than one: " + r.queried());
        assertEquals(r.queried(), net.providerQueriesTo.size(), "every query went to a different node");
        assertTrue(net.providerQueriesTo.values().stream().allMatch(n -> n == 1), net.providerQueriesTo.toString());
    }

    @Test
    void sameSeedReplaysTheSameRun() {
        assertEquals(fingerprint(network(40, 11)), fingerprint(network(40, 11)));
    }

    static String fingerprint(VirtualNetwork net) {
        StringBuilder s = new StringBuilder().append(net.datagrams);
        for (DhtNode n : net.nodes) {
            s.append('|').append(n.id().shortHex()).append(':').append(n.routingTable().contacts());
        }
        return s.toString();
    }

    static Message decode(byte[] bytes) {
        try {
            return Codec.decode(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
