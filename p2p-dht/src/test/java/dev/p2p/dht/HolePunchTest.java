package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.PunchNotify;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hole-punch signalling between real nodes in virtual time: a public node relays a punch request
 * to a client it knows, and only then; a client acts on a notice only from a peer it sent to.
 */
class HolePunchTest {
    static final int PORT = 40123;

    final VirtualNetwork net = new VirtualNetwork(11);
    final InetSocketAddress relayAt = net.addressOf(0);
    final DhtNode relay = net.addNode(relayAt, DhtConfig.defaults());
    final DhtNode client = net.addNode(net.addressOf(1), DhtConfig.defaults().withClientOnly(true));
    final InetSocketAddress requesterAt = net.addressOf(2);
    final DhtNode requester = net.addNode(requesterAt, DhtConfig.defaults().withClientOnly(true));
    final List<NodeEvent> clientEvents = new ArrayList<>();
    final List<Message> notices = new ArrayList<>();

    HolePunchTest() {
        client.setEventListener(clientEvents::add);
        net.onSend = (from, to, m) -> {
            if (m instanceof PunchNotify) {
                notices.add(m);
            }
        };
        client.bootstrap(List.of(relayAt), r -> { });
        requester.bootstrap(List.of(relayAt), r -> { });
        net.runFor(5_000);
    }

    @Test
    void aPublicNodeRelaysAPunchRequestToAClientItKnowsAndTheClientIsTold() {
        assertEquals(1, requester.requestPunch(client.id(), PORT), "asks its seed");
        net.runFor(1_000);
        assertEquals(1, notices.size());
        assertEquals(List.of(new NodeEvent.PunchNotice(requester.id(), new InetSocketAddress(requesterAt.getAddress(), PORT))),
                clientEvents, "the requester's address as the relay saw it, and the port it asked for");
    }

    @Test
    void noRelayForAnUnknownClientNorByAClient() {
        requester.requestPunch(NodeId.random(net.random), PORT);
        net.runFor(1_000);
        assertTrue(notices.isEmpty(), "nobody to tell");

        relay.setClientOnly(true);
        requester.requestPunch(client.id(), PORT);
        net.runFor(1_000);
        assertTrue(notices.isEmpty(), "a client relays nothing: " + notices);
        assertTrue(clientEvents.isEmpty());
    }

    @Test
    void aNoticeIsActedOnOnlyFromAPeerWeSentTo() {
        InetSocketAddress stranger = VirtualNetwork.address(10, 99, 0, 1, 4000);
        InetSocketAddress victim = VirtualNetwork.address(10, 99, 0, 2, 22);
        byte[] notice = Codec.encode(new PunchNotify(new Header(0, NodeId.random(net.random), false), NodeId.random(net.random), victim));
        net.deliver(stranger, net.addressOf(1), notice);
        net.runFor(1_000);
        assertTrue(clientEvents.isEmpty(), "a stranger cannot make the client dial out: " + clientEvents);

        net.deliver(relayAt, net.addressOf(1), notice);
        net.runFor(1_000);
        assertEquals(1, clientEvents.size(), "its seed, which it pinged, can");
    }
}
