package dev.p2p.dht.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Contact;
import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.IdentityProof;
import dev.p2p.dht.LookupResult;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.ProofSignatures;
import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.MalformedMessageException;
import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.FindNode;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Identify;
import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Pong;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real UDP on 127.0.0.1: a peer that answers under an id it holds no key for (its IDENTIFY
 * answers are signed by another key) is never admitted into a routing table, never a lookup
 * result, and never named to others, whether it is asked to prove its id by IDENTIFY or inside its
 * NODES answer (flag PROVE); the same peer answering with the key of its id is admitted.
 */
class ImpostorTest {
    private final List<DhtServer> network = new ArrayList<>();
    private final List<RawPeer> peers = new ArrayList<>();
    private final InetSocketAddress anyPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @AfterEach
    void stop() {
        network.forEach(DhtServer::close);
        peers.forEach(RawPeer::close);
    }

    @Test
    void aNodeAnsweringUnderAnIdWithoutItsKeyIsNeverAdmittedNorHandedOut() throws Exception {
        SecureRandom keys = new SecureRandom();
        for (int i = 0; i < 8; i++) {
            network.add(DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), anyPort, null, null));
        }
        InetSocketAddress seed = network.get(0).localAddress();
        for (DhtServer s : network.subList(1, network.size())) {
            s.bootstrap(List.of(seed)).get(10, TimeUnit.SECONDS);
        }
        // The impostor claims an id right next to node 3's: what an eclipse attacker wants for free.
        byte[] near = network.get(3).id().toBytes();
        near[31] ^= 1;
        NodeId claimed = NodeId.of(near);
        RawPeer impostor = new RawPeer(claimed, Identity.generate(keys));
        RawPeer honest = new RawPeer(null, Identity.generate(keys)); // the control: it holds its id's key
        for (RawPeer p : List.of(impostor, honest)) {
            peers.add(p);
            p.start();
            for (DhtServer s : network) {
                p.ask(s.localAddress(), new FindNode(new Header(7, p.id, false), p.id)); // as a newcomer joins
            }
        }
        // A newcomer that joins through the impostor first hears of it from itself.
        DhtServer newcomer = DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), anyPort, null, null);
        network.add(newcomer);
        newcomer.bootstrap(List.of(impostor.address(), seed)).get(10, TimeUnit.SECONDS);
        LookupResult found = newcomer.lookupNode(claimed).get(10, TimeUnit.SECONDS);
        Thread.sleep(1_000); // late proofs, and pings of requesters, settle

        assertTrue(impostor.identifies.get() > 0, "honest nodes asked the impostor to prove its id");
        for (Contact c : found.closest()) {
            assertFalse(c.id().equals(claimed), "the impostor is a lookup result");
        }

        for (DhtServer s : network) {
            assertFalse(s.onLoop(n -> n.routingTable().contains(claimed)).get(5, TimeUnit.SECONDS),
                    "the impostor is in " + s.id().shortHex() + "'s table");
            assertTrue(s.onLoop(n -> n.routingTable().contains(honest.id)).get(5, TimeUnit.SECONDS) || s == newcomer,
                    "a peer holding its key is admitted by " + s.id().shortHex());
            List<Contact> named = honest.findNode(s.localAddress(), claimed);
            assertTrue(named != null, "node answered FIND_NODE");
            for (Contact c : named) {
                assertFalse(c.id().equals(claimed), s.id().shortHex() + " names the impostor to others");
            }
        }
    }

    /**
     * A node learned from an answer is asked to prove its id inside its own NODES answer, with no
     * IDENTIFY beside the FIND_NODE: a proof signed by a key that is not its id's is refused there,
     * and the node is neither a result nor admitted nor named; a valid one admits the honest peer.
     */
    @Test
    void aForgedProofInANodesAnswerIsRefused() throws Exception {
        SecureRandom keys = new SecureRandom();
        RawPeer honest = new RawPeer(null, Identity.generate(keys));
        byte[] near = honest.id.toBytes();
        near[31] ^= 1;
        NodeId claimed = NodeId.of(near);
        RawPeer impostor = new RawPeer(claimed, Identity.generate(keys));
        honest.alsoNamed = new Contact(claimed, impostor.address()); // the newcomer hears of it from the honest peer only
        for (RawPeer p : List.of(honest, impostor)) {
            peers.add(p);
            p.start();
        }
        DhtServer newcomer = DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), anyPort, null, null);
        network.add(newcomer);
        newcomer.bootstrap(List.of(honest.address())).get(10, TimeUnit.SECONDS);
        LookupResult found = newcomer.lookupNode(claimed).get(10, TimeUnit.SECONDS);
        Thread.sleep(500); // pings of requesters settle

        assertTrue(impostor.provesInAnswers.get() > 0, "the impostor was asked for the proof in its NODES answer");
        assertEquals(0, impostor.identifies.get(), "no IDENTIFY beside the FIND_NODE");
        assertFalse(found.closest().stream().anyMatch(c -> c.id().equals(claimed)), "the impostor is a lookup result");
        assertTrue(found.closest().stream().anyMatch(c -> c.id().equals(honest.id)), "the honest peer is a lookup result");
        assertFalse(newcomer.onLoop(n -> n.routingTable().contains(claimed)).get(5, TimeUnit.SECONDS), "the impostor is in the table");
        assertTrue(newcomer.onLoop(n -> n.routingTable().contains(honest.id)).get(5, TimeUnit.SECONDS), "the honest peer is not in the table");
        for (Contact c : honest.findNode(newcomer.localAddress(), claimed)) {
            assertFalse(c.id().equals(claimed), "the newcomer names the impostor to others");
        }
    }

    /**
     * A DHT peer written against the codec alone: answers PING, FIND_NODE (with its proof when
     * asked for one) and IDENTIFY, on a plain socket.
     */
    private static final class RawPeer implements AutoCloseable {
        final NodeId id;
        final Identity key;
        final DatagramSocket socket;
        final AtomicInteger identifies = new AtomicInteger();
        /** FIND_NODE requests that asked for the proof inside the answer. */
        final AtomicInteger provesInAnswers = new AtomicInteger();
        private final Thread thread;
        private volatile List<Contact> lastNodes;
        private volatile int awaitedTx = -1;
        /** Named in its NODES answers beside itself, or null. */
        volatile Contact alsoNamed;

        /** @param claimed the id it answers under, or null for its key's own id */
        RawPeer(NodeId claimed, Identity key) throws Exception {
            this.key = key;
            this.id = claimed != null ? claimed : key.nodeId();
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(100);
            this.thread = new Thread(this::serve, "raw-peer");
            thread.setDaemon(true);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void start() {
            thread.start();
        }

        void ask(InetSocketAddress to, Message m) throws Exception {
            byte[] b = Codec.encode(m);
            socket.send(new DatagramPacket(b, b.length, to));
        }

        /** The contacts {@code to} names for {@code target}, or null without an answer in 3 s. */
        List<Contact> findNode(InetSocketAddress to, NodeId target) throws Exception {
            lastNodes = null;
            awaitedTx = 4242;
            ask(to, new FindNode(new Header(4242, id, true), target)); // client-only: a pure question
            for (int i = 0; i < 30 && lastNodes == null; i++) {
                Thread.sleep(100);
            }
            return lastNodes;
        }

        private void serve() {
            byte[] buf = new byte[Codec.MAX_INBOUND_DATAGRAM];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] bytes = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    handle((InetSocketAddress) p.getSocketAddress(), Codec.decode(bytes));
                } catch (SocketTimeoutException | MalformedMessageException e) {
                    // nothing arrived, or junk: keep serving
                } catch (Exception e) {
                    return; // closed
                }
            }
        }

        private void handle(InetSocketAddress from, Message m) throws Exception {
            Header reply = new Header(m.header().txId(), id, false);
            if (m instanceof Ping) {
                ask(from, new Pong(reply, from));
            } else if (m instanceof Identify i) {
                identifies.incrementAndGet();
                ask(from, IdentityProof.answer(key, reply, from, i)); // a valid signature, by the wrong key for an impostor
            } else if (m instanceof FindNode f) {
                Message.Proof proof = null;
                if (f.proveNonce() != null) {
                    provesInAnswers.incrementAndGet();
                    proof = IdentityProof.carried(ProofSignatures.ED25519, key, f.proveNonce(), f.header().sender()); // the wrong key for an impostor
                }
                Contact self = new Contact(id, address());
                Contact other = alsoNamed;
                ask(from, new Nodes(reply, from, other == null ? List.of(self) : List.of(self, other), proof)); // names itself
            } else if (m instanceof Nodes n && n.header().txId() == awaitedTx) {
                lastNodes = n.contacts();
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
