package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Leave;
import dev.p2p.dht.wire.Message.Proof;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A node that leaves on purpose (LEAVE) is dropped by the tables that held it at once, with no
 * request to it timing out; a notice counts only signed by the leaver's key for the receiver,
 * from the address where the leaver proved its id.
 */
class DepartureNoticeTest {
    private final DhtConfig config = DhtConfig.defaults();

    private VirtualNetwork network(int nodes, long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        for (int i = 0; i < nodes; i++) {
            net.addNode(net.addressOf(i), config);
        }
        for (DhtNode n : net.nodes.subList(1, nodes)) {
            n.bootstrap(List.of(net.addressOf(0)), r -> { });
            net.runFor(200);
        }
        net.runFor(60_000);
        return net;
    }

    @Test
    void nodesThatLeaveOnPurposeLeaveTheTablesWithinASecond() {
        VirtualNetwork net = network(150, 11);
        List<NodeId> departed = DhtNodeTest.everyTenthLeaves(net, DhtNode::leave);
        for (int i = 10; i < net.nodes.size(); i += 10) {
            assertFalse(net.nodes.get(i).isRunning(), "a node that left is stopped");
        }
        long before = DhtNodeTest.entriesFor(net, departed);
        long timeoutsBefore = timeouts(net);
        net.runFor(1_000); // no ping sweep, no lookup: only the notices
        long after = DhtNodeTest.entriesFor(net, departed);
        assertTrue(before > 100, "the departed were known to many: " + before);
        assertEquals(0, after, "entries for nodes that said they leave, a second later (" + before + " before)");
        assertEquals(timeoutsBefore, timeouts(net), "no request was needed to find them gone");
    }

    @Test
    void aNoticeCountsOnlySignedByTheLeaverForTheReceiverFromItsAddress() {
        VirtualNetwork net = network(30, 12);
        DhtNode receiver = net.nodes.get(1);
        Contact leaver = receiver.routingTable().contacts().get(0);
        DhtNode leaverNode = net.nodes.get(net.indexOf(leaver.address()));
        Identity leaverKey = leaverNode.identity();
        Identity stranger = Identity.generate(new Random(99));
        InetSocketAddress elsewhere = VirtualNetwork.address(192, 0, 2, 1, 4000);
        InetSocketAddress to = net.addressOf(1);

        // Signed by another key under the leaver's id, at its address: an id without its key.
        send(net, leaver.address(), to, new Leave(new Header(0, leaver.id(), false),
                new Proof(stranger.publicKey(), stranger.sign(DepartureNotice.signedBytes(leaver.id(), receiver.id())))));
        // The leaver's own notice for another node, replayed to this one.
        send(net, leaver.address(), to, DepartureNotice.to(NodeId.random(new Random(7)), leaverKey, ProofSignatures.ED25519));
        // The leaver's notice for this node, from another address (a spoofer that saw it elsewhere, or a NAT rebinding).
        send(net, elsewhere, to, DepartureNotice.to(receiver.id(), leaverKey, ProofSignatures.ED25519));
        assertTrue(receiver.routingTable().contains(leaver.id()), "a forged, misaddressed or misplaced notice evicts nobody");
        assertEquals(0, receiver.stats().leaveNoticesHeeded);

        send(net, leaver.address(), to, DepartureNotice.to(receiver.id(), leaverKey, ProofSignatures.ED25519));
        assertFalse(receiver.routingTable().contains(leaver.id()), "the leaver's own notice, for us, from its address");
        assertEquals(1, receiver.stats().leaveNoticesHeeded);
    }

    private static void send(VirtualNetwork net, InetSocketAddress from, InetSocketAddress to, Leave notice) {
        net.deliver(from, to, Codec.encode(notice));
        net.runFor(100);
    }

    private static long timeouts(VirtualNetwork net) {
        return net.nodes.stream().filter(DhtNode::isRunning).mapToLong(n -> n.stats().requestTimeouts).sum();
    }
}
