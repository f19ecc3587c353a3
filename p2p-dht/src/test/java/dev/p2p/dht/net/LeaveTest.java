package dev.p2p.dht.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real UDP on 127.0.0.1: a node closed as `p2p node` closes it on exit tells the nodes that hold
 * it (LEAVE), and they drop it from their tables at once, long before a ping sweep would.
 */
class LeaveTest {
    private final List<DhtServer> network = new ArrayList<>();

    @AfterEach
    void stop() {
        network.forEach(DhtServer::close);
    }

    @Test
    void aNodeThatClosesIsDroppedByEveryTableThatHeldIt() throws Exception {
        SecureRandom keys = new SecureRandom();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        for (int i = 0; i < 12; i++) {
            network.add(DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), any, null, null));
        }
        InetSocketAddress seed = network.get(0).localAddress();
        for (DhtServer s : network.subList(1, network.size())) {
            s.bootstrap(List.of(seed)).get(10, TimeUnit.SECONDS);
        }
        DhtServer leaver = network.remove(5);
        NodeId gone = leaver.id();
        int holders = holdersOf(gone);
        assertTrue(holders >= 3, "the node is known to several others before it leaves: " + holders);

        leaver.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (holdersOf(gone) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, holdersOf(gone), "tables still holding the node 2 s after it closed (a ping sweep takes minutes)");
        long heeded = 0;
        for (DhtServer s : network) {
            heeded += s.onLoop(n -> n.stats().leaveNoticesHeeded).get(5, TimeUnit.SECONDS);
        }
        assertEquals(holders, heeded, "each holder heeded one notice");
    }

    private int holdersOf(NodeId id) throws Exception {
        int holders = 0;
        for (DhtServer s : network) {
            holders += s.onLoop(n -> n.routingTable().contains(id)).get(5, TimeUnit.SECONDS) ? 1 : 0;
        }
        return holders;
    }
}
