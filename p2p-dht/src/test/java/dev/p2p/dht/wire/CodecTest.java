package dev.p2p.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.IdentityProof;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import dev.p2p.dht.wire.Message.AddProvider;
import dev.p2p.dht.wire.Message.AddProviderAck;
import dev.p2p.dht.wire.Message.AddRelayedProvider;
import dev.p2p.dht.wire.Message.CircuitNotify;
import dev.p2p.dht.wire.Message.FindNode;
import dev.p2p.dht.wire.Message.GetProviders;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Identify;
import dev.p2p.dht.wire.Message.IdentityAnswer;
import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Pong;
import dev.p2p.dht.wire.Message.Providers;
import dev.p2p.dht.wire.Message.PunchNotify;
import dev.p2p.dht.wire.Message.PunchRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
        List<Provider> relayed = relayedProviders(key, Codec.MAX_RELAYED_FORMAT_PROVIDERS);
        Contact relay = new Contact(NodeId.random(random), v6());
        return List.of(
                new CircuitNotify(new Header(0, header.sender(), false), Arrays.copyOf(token, CircuitNotify.TOKEN_BYTES)),
                new GetProviders(header, key, true),
                new Providers(header, v6(), new byte[Codec.MAX_TOKEN], relayed, contacts(Codec.MAX_CONTACTS_WITH_PROVIDERS)),
                new AddRelayedProvider(header, key, token, id.publicKey(), 8080, relay, id.sign(new byte[] {2})),
                new Ping(header),
                new Pong(new Header(1, header.sender(), true), v6()),
                new FindNode(header, NodeId.random(random)),
                new Nodes(header, v4(), contacts(Codec.MAX_CONTACTS)),
                new Nodes(header, v4(), List.of()),
                new GetProviders(header, key),
                new Providers(header, v4(), token, providers, contacts(Codec.MAX_CONTACTS_WITH_PROVIDERS)),
                new Providers(header, v6(), token, List.of(), contacts(Codec.MAX_CONTACTS)),
                new AddProvider(header, key, token, id.publicKey(), 8080, id.sign(new byte[] {1})),
                new AddProviderAck(header, v4(), true),
                new PunchRequest(new Header(0, header.sender(), false), NodeId.random(random), 24100),
                new PunchNotify(new Header(0, header.sender(), false), NodeId.random(random), v4()),
                new PunchNotify(new Header(0, header.sender(), false), NodeId.random(random), v6()),
                new Identify(header, new byte[Identify.NONCE_BYTES]),
                new IdentityAnswer(header, v6(), id.publicKey(), id.sign(new byte[] {2})),
                new FindNode(header, NodeId.random(random), nonce()),
                new GetProviders(header, key, true, nonce()),
                new Nodes(header, v6(), contacts(Codec.MAX_CONTACTS), proof(id)),
                new Providers(header, v4(), token, providers, contacts(Codec.MAX_CONTACTS_WITH_PROVIDERS), proof(id)),
                new Providers(header, v6(), token, List.of(), contacts(Codec.MAX_CONTACTS), proof(id)));
    }

    byte[] nonce() {
        byte[] nonce = new byte[Identify.NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    Message.Proof proof(Identity id) {
        return IdentityProof.carried(dev.p2p.dht.ProofSignatures.ED25519, id, nonce(), header.sender());
    }

    /** IDENTIFY and its answer byte for byte, as docs/DHT-PROTOCOL.md lays them out. */
    @Test
    void identityMessagesHaveTheDocumentedBytes() throws Exception {
        Identity me = Identity.generate(random);
        NodeId asker = NodeId.random(random);
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        ByteBuffer identify = ByteBuffer.allocate(41 + 16);
        identify.put(new byte[] {'P', '2', 1, 13, 0, 0, 0, 0, 5}).put(asker.toBytes()).put(nonce);
        Identify request = new Identify(new Header(5, asker, false), nonce);
        assertArrayEquals(identify.array(), Codec.encode(request));

        InetSocketAddress seen = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 7}), 4000);
        IdentityAnswer answer = IdentityProof.answer(me, new Header(5, me.nodeId(), false), seen, request);
        ByteBuffer signed = ByteBuffer.allocate(15 + 16 + 32);
        signed.put("p2p-identify-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(nonce).put(asker.toBytes());
        assertTrue(Identity.verify(me.publicKey(), signed.array(), answer.signature()), "signs domain | nonce | asker id");
        ByteBuffer identity = ByteBuffer.allocate(41 + 7 + 32 + 64);
        identity.put(new byte[] {'P', '2', 1, 14, 0, 0, 0, 0, 5}).put(me.nodeId().toBytes())
                .put((byte) 4).put(seen.getAddress().getAddress()).putShort((short) 4000)
                .put(me.publicKey()).put(answer.signature());
        assertArrayEquals(identity.array(), Codec.encode(answer));
        assertEquals(identity.array().length, 144);
    }

    /** LEAVE byte for byte, as docs/DHT-PROTOCOL.md lays it out; one byte short or long is malformed. */
    @Test
    void leaveHasTheDocumentedBytes() throws Exception {
        Identity me = Identity.generate(random);
        NodeId receiver = NodeId.random(random);
        ByteBuffer signed = ByteBuffer.allocate(12 + 32 + 32);
        signed.put("p2p-leave-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(me.nodeId().toBytes()).put(receiver.toBytes());
        assertArrayEquals(signed.array(), dev.p2p.dht.DepartureNotice.signedBytes(me.nodeId(), receiver));
        byte[] signature = me.sign(signed.array());
        Message.Leave leave = new Message.Leave(new Header(0, me.nodeId(), false), new Message.Proof(me.publicKey(), signature));
        ByteBuffer wire = ByteBuffer.allocate(41 + 32 + 64);
        wire.put(new byte[] {'P', '2', 1, 15, 0, 0, 0, 0, 0}).put(me.nodeId().toBytes()).put(me.publicKey()).put(signature);
        byte[] bytes = Codec.encode(leave);
        assertArrayEquals(wire.array(), bytes);
        assertEquals(137, Codec.encodedSize(leave));
        Message.Leave back = (Message.Leave) Codec.decode(bytes);
        assertEquals(me.nodeId(), back.header().sender());
        assertArrayEquals(me.publicKey(), back.proof().publicKey());
        assertArrayEquals(signature, back.proof().signature());
        assertThrows(MalformedMessageException.class, () -> Codec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(MalformedMessageException.class, () -> Codec.decode(java.util.Arrays.copyOf(bytes, bytes.length + 1)));
    }

    /**
     * A FIND_NODE that asks for the proof in its answer (flag PROVE, bit 2), and the NODES answer
     * carrying it, byte for byte as docs/DHT-PROTOCOL.md lays them out: the same signed bytes as an
     * IDENTITY's, after the last field of each.
     */
    @Test
    void proofInAnswerMessagesHaveTheDocumentedBytes() throws Exception {
        Identity me = Identity.generate(random);
        NodeId asker = NodeId.random(random);
        NodeId target = NodeId.random(random);
        byte[] nonce = nonce();
        ByteBuffer findNode = ByteBuffer.allocate(41 + 32 + 16);
        findNode.put(new byte[] {'P', '2', 1, 3, 4, 0, 0, 0, 6}).put(asker.toBytes()).put(target.toBytes()).put(nonce);
        FindNode request = new FindNode(new Header(6, asker, false), target, nonce);
        assertArrayEquals(findNode.array(), Codec.encode(request));
        assertArrayEquals(nonce, ((FindNode) Codec.decode(findNode.array())).proveNonce());

        Message.Proof proof = IdentityProof.carried(dev.p2p.dht.ProofSignatures.ED25519, me, nonce, asker);
        ByteBuffer signed = ByteBuffer.allocate(15 + 16 + 32);
        signed.put("p2p-identify-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(nonce).put(asker.toBytes());
        assertTrue(Identity.verify(me.publicKey(), signed.array(), proof.signature()), "signs what IDENTITY signs");
        InetSocketAddress seen = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 7}), 4000);
        ByteBuffer nodes = ByteBuffer.allocate(41 + 7 + 1 + 32 + 64);
        nodes.put(new byte[] {'P', '2', 1, 4, 4, 0, 0, 0, 6}).put(me.nodeId().toBytes())
                .put((byte) 4).put(seen.getAddress().getAddress()).putShort((short) 4000)
                .put((byte) 0).put(me.publicKey()).put(proof.signature());
        assertArrayEquals(nodes.array(), Codec.encode(new Nodes(new Header(6, me.nodeId(), false), seen, List.of(), proof)));
        Nodes back = (Nodes) Codec.decode(nodes.array());
        assertArrayEquals(me.publicKey(), back.proof().publicKey());
        assertArrayEquals(proof.signature(), back.proof().signature());
    }

    /**
     * What an old node sees of a PROVE request (bytes after the last field: malformed), a PROVE
     * flag without its nonce or proof, or with bytes beyond it: all malformed. The flag on a type
     * that does not use it is ignored, as every unknown flag bit is.
     */
    @Test
    void proveLayoutsWithMissingOrExtraBytesAreMalformed() throws Exception {
        byte[] prove = Codec.encode(new FindNode(header, NodeId.random(random), nonce()));
        byte[] flagCleared = prove.clone();
        flagCleared[4] = 0; // an old node's reading: a FIND_NODE with 16 bytes after its target
        byte[] flagWithoutNonce = Codec.encode(new FindNode(header, NodeId.random(random)));
        flagWithoutNonce[4] = 4;
        byte[] extra = Arrays.copyOf(prove, prove.length + 1);
        byte[] nodes = Codec.encode(new Nodes(header, v4(), contacts(3), proof(Identity.generate(random))));
        byte[] proofMissing = Codec.encode(new Nodes(header, v4(), contacts(3)));
        proofMissing[4] = 4;
        byte[] proofCut = Arrays.copyOf(nodes, nodes.length - 1);
        byte[] proofLong = Arrays.copyOf(nodes, nodes.length + 1);
        for (byte[] bad : List.of(flagCleared, flagWithoutNonce, extra, proofMissing, proofCut, proofLong)) {
            assertThrows(MalformedMessageException.class, () -> Codec.decode(bad));
        }
        byte[] ping = Codec.encode(new Ping(header));
        ping[4] = 4;
        assertEquals(new Ping(header), Codec.decode(ping));
    }

    /** A proof after 8 IPv6 records and 8 IPv6 contacts would be 1519 bytes: the farthest contacts give way. */
    @Test
    void aProvidersAnswerWithItsProofIsCutToTheDatagramLimit() throws Exception {
        NodeId key = NodeId.random(random);
        List<Provider> records = new ArrayList<>();
        for (int i = 0; i < Codec.MAX_PROVIDERS; i++) {
            records.add(Provider.sign(Identity.generate(random), key, v6()));
        }
        List<Contact> v6Contacts = new ArrayList<>();
        for (int i = 0; i < Codec.MAX_CONTACTS_WITH_PROVIDERS; i++) {
            v6Contacts.add(new Contact(NodeId.random(random), v6()));
        }
        Providers full = new Providers(header, v6(), new byte[Codec.MAX_TOKEN], records, v6Contacts, proof(Identity.generate(random)));
        assertEquals(1519, Codec.encodedSize(full));
        assertThrows(IllegalArgumentException.class, () -> Codec.encode(full));
        Providers fit = Codec.withinDatagram(full);
        assertEquals(v6Contacts.subList(0, 6), fit.contacts(), "the two farthest contacts left out");
        assertEquals(records, fit.providers());
        assertEquals(1417, Codec.encode(fit).length);
    }

    /** IPv6 everywhere, the last one plain: the largest relayed-layout answer. */
    List<Provider> relayedProviders(NodeId key, int n) throws Exception {
        List<Provider> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Identity who = Identity.generate(random);
            out.add(i == n - 1 ? Provider.sign(who, key, v6()) : Provider.signRelayed(who, key, v6(), new Contact(NodeId.random(random), v6())));
        }
        return out;
    }

    @Test
    void relayedRecordsSurviveWithValidSignaturesAndPlainOnesBesideThem() throws Exception {
        NodeId key = NodeId.random(random);
        List<Provider> sent = relayedProviders(key, 3);
        Providers back = (Providers) Codec.decode(Codec.encode(new Providers(header, v4(), new byte[16], sent, List.of())));
        assertEquals(sent, back.providers());
        for (Provider p : back.providers()) {
            assertTrue(p.verify(key), p.toString());
        }
    }

    @Test
    void relayedLayoutsWithABadFlagARelayNobodyCanDialOrTooManyRecordsAreMalformed() throws Exception {
        NodeId key = NodeId.random(random);
        Provider one = relayedProviders(key, 2).get(0);
        byte[] bytes = Codec.encode(new Providers(header, v4(), new byte[0], List.of(one), List.of()));
        int flagAt = 41 + 7 + 1 + 1 + 32 + 19; // header, observed v4, empty token, count, public key, v6 address
        assertEquals(1, bytes[flagAt]);
        byte[] badFlag = bytes.clone();
        badFlag[flagAt] = 2;
        byte[] unspecifiedRelay = bytes.clone();
        Arrays.fill(unspecifiedRelay, flagAt + 1 + 32 + 1, flagAt + 1 + 32 + 17, (byte) 0);
        byte[] plainOnly = Codec.encode(new Providers(header, v4(), new byte[0], List.of(Provider.sign(Identity.generate(random), key,
                v4())), List.of()));
        plainOnly[4] = 2; // the relayed flag over records that carry no relay byte
        byte[] tooMany = bytes.clone();
        tooMany[41 + 7 + 1] = (byte) (Codec.MAX_RELAYED_FORMAT_PROVIDERS + 1);
        for (byte[] bad : List.of(badFlag, unspecifiedRelay, plainOnly, tooMany)) {
            assertThrows(MalformedMessageException.class, () -> Codec.decode(bad));
        }
    }

    /** The punch messages' bytes, as hole-punching peers have sent them since types 9 and 10 were added. */
    @Test
    void punchMessagesKeepTheirWireBytes() throws Exception {
        NodeId self = NodeId.random(random);
        NodeId other = NodeId.random(random);
        ByteBuffer request = ByteBuffer.allocate(41 + 34);
        request.put(new byte[] {'P', '2', 1, 9, 0, 0, 0, 0, 0}).put(self.toBytes()).put(other.toBytes()).putShort((short) 50000);
        assertArrayEquals(request.array(), Codec.encode(new PunchRequest(new Header(0, self, false), other, 50000)));
        assertEquals(new PunchRequest(new Header(0, self, false), other, 50000), Codec.decode(request.array()));

        InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 9}), 40000);
        ByteBuffer notify = ByteBuffer.allocate(41 + 32 + 1 + 4 + 2);
        notify.put(new byte[] {'P', '2', 1, 10, 0, 0, 0, 0, 0}).put(self.toBytes()).put(other.toBytes())
                .put((byte) 4).put(at.getAddress().getAddress()).putShort((short) 40000);
        assertArrayEquals(notify.array(), Codec.encode(new PunchNotify(new Header(0, self, false), other, at)));
        assertEquals(new PunchNotify(new Header(0, self, false), other, at), Codec.decode(notify.array()));
    }

    @Test
    void punchMessagesWithPortZeroOrAnAddressNobodyCanDialAreMalformed() throws Exception {
        Header h = new Header(0, header.sender(), false);
        byte[] request = Codec.encode(new PunchRequest(h, NodeId.random(random), 1));
        request[request.length - 1] = 0; // port 0
        byte[] notify = Codec.encode(new PunchNotify(h, NodeId.random(random), v4()));
        byte[] portZero = notify.clone();
        portZero[portZero.length - 1] = 0;
        portZero[portZero.length - 2] = 0;
        byte[] multicast = notify.clone();
        multicast[41 + 32 + 1] = (byte) 224;
        byte[] unspecified = notify.clone();
        Arrays.fill(unspecified, 41 + 32 + 1, 41 + 32 + 5, (byte) 0);
        byte[] badFamily = notify.clone();
        badFamily[41 + 32] = 5;
        for (byte[] bad : List.of(request, portZero, multicast, unspecified, badFamily)) {
            assertThrows(MalformedMessageException.class, () -> Codec.decode(bad));
        }
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
        // A record and 9 contacts: over the 8 an answer with records may carry.
        Provider record = Provider.sign(Identity.generate(random), NodeId.random(random), v4());
        List<Contact> eightV4 = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eightV4.add(new Contact(NodeId.random(random), v4()));
        }
        byte[] eight = Codec.encode(new Providers(header, v4(), new byte[0], List.of(record), eightV4));
        byte[] nine = Arrays.copyOf(eight, eight.length + 39);
        System.arraycopy(eight, eight.length - 39, nine, eight.length, 39);
        nine[eight.length - 8 * 39 - 1] = 9;
        for (byte[] bad : List.of(badVersion, badMagic, badType, trailing, nodes, nine, new byte[Codec.MAX_INBOUND_DATAGRAM + 1])) {
            assertThrows(MalformedMessageException.class, () -> Codec.decode(bad));
        }
    }
}
