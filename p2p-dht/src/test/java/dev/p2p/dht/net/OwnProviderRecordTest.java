package dev.p2p.dht.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message.GetProviders;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Providers;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real UDP on 127.0.0.1: the sharing node hands out its own provider record with the address
 * peers reach it at, as the nodes storing the record do, never 0.0.0.0 (a peer on another host
 * would dial itself).
 */
class OwnProviderRecordTest {
    private final List<DhtServer> network = new ArrayList<>();

    @AfterEach
    void stop() {
        network.forEach(DhtServer::close);
    }

    @Test
    void theSharingNodeNamesItselfAtItsRealAddress() throws Exception {
        SecureRandom keys = new SecureRandom();
        InetSocketAddress anyPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        for (int i = 0; i < 6; i++) {
            network.add(DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), anyPort, null, null));
        }
        for (DhtServer s : network.subList(1, network.size())) {
            s.bootstrap(List.of(network.get(0).localAddress())).get(10, TimeUnit.SECONDS);
        }
        DhtServer sharer = network.get(2);
        NodeId key = NodeId.random(keys);
        assertTrue(sharer.provide(key, sharer.localAddress().getPort()).get(10, TimeUnit.SECONDS).stored() > 0);

        for (DhtServer asked : List.of(sharer, network.get(4))) {
            Provider record = onlyRecord(ask(asked.localAddress(), key));
            assertEquals(sharer.localAddress(), record.address(), "the record as " + (asked == sharer ? "the sharer" : "a storer") + " hands it out");
            assertTrue(record.verify(key));
        }
        assertEquals(sharer.localAddress(), sharer.findProviders(key, 1).get(10, TimeUnit.SECONDS).providers().get(0).address(),
                "the sharer's own search");
    }

    private static Provider onlyRecord(Providers answer) {
        assertEquals(1, answer.providers().size(), answer.providers().toString());
        return answer.providers().get(0);
    }

    /** GET_PROVIDERS from a plain socket, as a second implementation would send it. */
    private static Providers ask(InetSocketAddress to, NodeId key) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5_000);
            byte[] request = Codec.encode(new GetProviders(new Header(99, NodeId.random(new SecureRandom()), true), key));
            socket.send(new DatagramPacket(request, request.length, to));
            byte[] buf = new byte[Codec.MAX_INBOUND_DATAGRAM];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return (Providers) Codec.decode(Arrays.copyOf(p.getData(), p.getLength()));
        }
    }
}
