package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Pong;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run-time reachability decision inside the node, in virtual time: a node whose peers see an
 * address that is not its own (behind NAT) is a client until a well-formed request arrives from an
 * address it never sent to; then for 30 minutes it is public, and its answers already say so.
 */
class ReachabilityEvidenceTest {
    final VirtualNetwork net = new VirtualNetwork(5);
    final InetSocketAddress seedAt = net.addressOf(0);
    final InetSocketAddress nodeAt = net.addressOf(1);
    final DhtNode seed = net.addNode(seedAt, DhtConfig.defaults());
    /** Its interfaces have a LAN address; peers see it at its "NAT's" address (where the network has it). */
    final DhtNode node = net.addNode(nodeAt, DhtConfig.defaults(),
            new Reachability(Reachability.Mode.AUTO, List.of(VirtualNetwork.address(192, 168, 1, 2, 0).getAddress())));
    final List<NodeEvent> events = new ArrayList<>();
    final List<Message> answers = new ArrayList<>();
    final InetSocketAddress stranger = VirtualNetwork.address(10, 99, 0, 1, 4000);

    ReachabilityEvidenceTest() {
        node.setEventListener(events::add);
        net.attach(stranger, (from, bytes) -> {
            try {
                answers.add(Codec.decode(bytes));
            } catch (dev.p2p.dht.wire.MalformedMessageException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(Reachability.Status.UNKNOWN, node.reachabilityStatus());
        assertTrue(node.isClientOnly());
        node.bootstrap(List.of(seedAt), r -> { });
        net.runFor(5_000);
    }

    byte[] ping() {
        return Codec.encode(new Ping(new Header(7, NodeId.random(net.random), false)));
    }

    @Test
    void peersSeeingAnotherAddressMakeItPrivate() {
        assertEquals(Reachability.Status.PRIVATE, node.reachabilityStatus());
        assertTrue(node.isClientOnly());
        assertEquals(List.of(new NodeEvent.ReachabilityChanged(Reachability.Status.PRIVATE)), events);
        assertFalse(seed.routingTable().contains(node.id()), "a client enters nobody's table");
    }

    @Test
    void anUnsolicitedWellFormedRequestMakesItPublicForThirtyMinutesAndTheAnswerSaysSo() {
        events.clear();
        net.deliver(stranger, nodeAt, ping());
        net.runFor(1_000);
        assertEquals(Reachability.Status.PUBLIC, node.reachabilityStatus());
        assertFalse(node.isClientOnly());
        assertEquals(List.of(new NodeEvent.ReachabilityChanged(Reachability.Status.PUBLIC)), events);
        Message answer = answers.get(0); // then a ping: now public, it checks the stranger for its table
        assertTrue(answer instanceof Pong, answers.toString());
        assertFalse(answer.header().clientOnly(), "the answer to the evidence already says public");
        assertTrue(node.reachabilityReason().contains("peers we never contacted reach us"), node.reachabilityReason());

        net.runFor(Reachability.EVIDENCE_TTL_MILLIS);
        assertEquals(Reachability.Status.PRIVATE, node.reachabilityStatus(), "the evidence expired");
        assertTrue(node.isClientOnly());
        assertEquals(Reachability.Status.PRIVATE, ((NodeEvent.ReachabilityChanged) events.get(events.size() - 1)).status(),
                "told by the node's own timer, with no traffic");
    }

    @Test
    void aMalformedRequestOrOneFromAPeerWeSentToIsNoEvidence() {
        events.clear();
        byte[] truncated = Arrays.copyOf(ping(), Codec.HEADER_BYTES - 1);
        net.deliver(stranger, nodeAt, truncated);
        byte[] trailing = Arrays.copyOf(ping(), Codec.HEADER_BYTES + 1);
        net.deliver(VirtualNetwork.address(10, 99, 0, 2, 4000), nodeAt, trailing);
        net.deliver(seedAt, nodeAt, ping()); // we sent to the seed: its NAT mapping lets it in
        net.runFor(1_000);
        assertEquals(Reachability.Status.PRIVATE, node.reachabilityStatus());
        assertTrue(events.isEmpty(), events.toString());
        assertEquals(2, node.stats().malformedDropped);
    }
}
