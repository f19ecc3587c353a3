package dev.p2p.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import dev.p2p.dht.wire.Message.AddProvider;
import dev.p2p.dht.wire.Message.AddProviderAck;
import dev.p2p.dht.wire.Message.FindNode;
import dev.p2p.dht.wire.Message.GetProviders;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Pong;
import dev.p2p.dht.wire.Message.Providers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecTest {
    final Random random = new Random(3);
    final Header header = new Header(0x12345678, NodeId.random(random), false);

    InetSocketAddress v4() throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) random.nextInt(256)}), 1 + random.nextInt(65535));
    }

    InetSocketAddress v6() throws Exception {
        byte[] ip = new byte[16];
        random.nextBytes(ip);
        ip[0] = 0x20;
        return new InetSocketAddress(InetAddress.getByAddress(ip), 1 + random.nextInt(65535));
    }

    List<Contact> contacts(int n) throws Exception {
        List<Contact> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Contact(NodeId.random(random), i % 2 == 0 ? v4() : v6()));
        }
        return out;
    }

    List<Message> everyKind() throws Exception {
        Identity id = Identity.generate(random);
        NodeId key = NodeId.random(random);
        List<Provider> providers = new ArrayList<>();
        for (int i = 0; i < Codec.MAX_PROVIDERS; i++) {
            providers.add(Provider.sign(Identity.generate(random), key, i % 2 == 0 ? v4() : v6()));
        }
        byte[] token = new byte[16];
        random.nextBytes(token);
        return List.of(
                new Ping(header),
                new Pong(new Header(1, header.sender(), true), v6()),
                new FindNode(header, NodeId.random(random)),
                new Nodes(header, v4(), contacts(Codec.MAX_CONTACTS)),
                new Nodes(header, v4(), List.of()),
                new GetProviders(header, key),
                new Providers(header, v4(), token, providers, contacts(Codec.MAX_CONTACTS_WITH_PROVIDERS)),
                new Providers(header, v6(), token, List.of(), contacts(Codec.MAX_CONTACTS)),
                new AddProvider(header, key, token, id.publicKey(), 8080, id.sign(new byte[] {1})),
                new AddProviderAck(header, v4(), true));
    }

    @Test
    void everyMessageRoundTripsAndFitsTheDatagramLimit() throws Exception {
        for (Message m : everyKind()) {
            byte[] bytes = Codec.encode(m);
            assertTrue(bytes.length <= Codec.MAX_DATAGRAM, m.getClass().getSimpleName() + " is " + bytes.length + " bytes");
            assertEquals(bytes.length, Codec.encodedSize(m), "encodedSize of " + m.getClass().getSimpleName());
            Message back = Codec.decode(bytes);
            assertArrayEquals(bytes, Codec.encode(back), "re-encoding " + m.getClass().getSimpleName());
            assertEquals(m.header(), back.header());
            assertEquals(m.getClass(), back.getClass());
        }
    }

    @Test
    void providersSurviveWithValidSignatures() throws Exception {
        NodeId key = NodeId.random(random);
        Provider p = Provider.sign(Identity.generate(random), key, v4());
        Providers back = (Providers) Codec.decode(Codec.encode(new Providers(header, v4(), new byte[16], List.of(p), List.of())));
        assertTrue(back.providers().get(0).verify(key));
        assertEquals(p, back.providers().get(0));
    }

    @Test
    void everyTruncationIsRejectedAsMalformed() throws Exception {
        for (Message m : everyKind()) {
            byte[] bytes = Codec.encode(m);
            for (int len = 0; len < bytes.length; len++) {
                byte[] cut = Arrays.copyOf(bytes, len);
                assertThrows(MalformedMessageException.class, () -> Codec.decode(cut), m.getClass().getSimpleName() + " cut at " + len);
            }
        }
    }

    @Test
    void badVersionMagicTypeCountsAndTrailingBytesAreRejected() throws Exception {
        byte[] ping = Codec.encode(new Ping(header));
        byte[] badVersion = ping.clone();
        badVersion[2] = 2;
        byte[] badMagic = ping.clone();
        badMagic[0] = 'X';
        byte[] badType = ping.clone();
        badType[3] = 99;
        byte[] trailing = Arrays.copyOf(ping, ping.length + 1);
        byte[] nodes = Codec.encode(new Nodes(header, v4(), List.of()));
        nodes[nodes.length - 1] = (byte) 200; // contact count far over the limit, no bodies behind it
        for (byte[] bad : List.of(badVersion, badMagic, badType, trailing, nodes, new byte[Codec.MAX_INBOUND_DATAGRAM + 1])) {
            assertThrows(MalformedMessageException.class, () -> Codec.decode(bad));
        }
    }
}
