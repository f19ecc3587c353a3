package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.NodeId;
import dev.p2p.dht.Reachability;
import dev.p2p.node.policy.CircuitBook;
import dev.p2p.node.policy.RelayBlame;
import dev.p2p.node.policy.RelayLimits;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay circuits between real nodes on 127.0.0.1 (docs/REACHABILITY.md): a client node behind
 * its relay is reached through a circuit on the relay's transfer port, TLS end to end, within the
 * relay's limits; strangers, floods and unknown tokens are refused.
 */
class RelayCircuitTest {
    @TempDir Path tmp;

    private NodeConfig config(String name) {
        return NodeConfig.defaults(tmp.resolve(name)).withBindHost(InetAddress.getLoopbackAddress());
    }

    /** A client node that keeps talking to {@code relay}, as one behind NAT does. */
    private Node clientOf(Node relay, String name) throws Exception {
        Node n = Node.start(config(name).withReachability(Reachability.Mode.PRIVATE));
        n.join(List.of(relay.localAddress()));
        return n;
    }

    @Test
    void aDownloadRunsThroughACircuitWithTlsEndToEndAndTheRelayRefusesACircuitBeyondItsMaximum() throws Exception {
        long size = 3_000_000;
        Path file = TestFiles.random(tmp.resolve("share/doc.bin"), size, 5);
        try (Node relay = Node.start(config("relay").withRelay(RelayLimits.DEFAULTS.withMaxCircuits(1)));
                Node sharer = clientOf(relay, "sharer");
                Node downloader = Node.start(config("downloader"));
                RelayClient circuits = new RelayClient(downloader.port())) {
            SharedContent shared = sharer.share(file);
            PeerAddress through = circuits.connect(relay.localAddress(), sharer.id());
            RelayClient.Refused second = assertThrows(RelayClient.Refused.class, () -> circuits.connect(relay.localAddress(), sharer.id()));
            assertEquals(CircuitBook.Refusal.FULL.reason, second.getMessage());

            // The transfer client itself, straight to the circuit's loopback end (a get would probe it first, as any peer).
            DownloadResult r = downloader.transfer().download(shared.id(), List.of(through), tmp.resolve("out"), DownloadListener.NONE)
                    .get(60, TimeUnit.SECONDS);
            assertEquals(-1, Files.mismatch(file, r.path()), "byte-identical through the relay");
            assertEquals(List.of(sharer.id()), List.copyOf(r.verifiedBytesByPeer().keySet()), "TLS proved the sharer at the far end");
            long[] counts = relay.relayCounts();
            assertEquals(1, counts[1], "one circuit opened");
            assertEquals(1, counts[2], "one refused");
            assertTrue(counts[3] >= size, "the relay counts what it carried: " + counts[3]);
        }
    }

    @Test
    void strangersUnknownTokensAndFloodsAreRefusedAndARelayThatIsOffRelaysNothing() throws Exception {
        try (Node relay = Node.start(config("relay").withRelay(RelayLimits.DEFAULTS.withMaxCircuits(4)));
                Node sharer = clientOf(relay, "sharer");
                Node off = Node.start(config("off").withRelay(RelayLimits.OFF));
                Node behindOff = clientOf(off, "behind-off");
                RelayClient circuits = new RelayClient(1)) {
            NodeId stranger = NodeId.random(new Random(1));
            assertEquals(CircuitBook.Refusal.UNKNOWN_TARGET.reason,
                    assertThrows(RelayClient.Refused.class, () -> circuits.connect(relay.localAddress(), stranger)).getMessage(),
                    "the relay knows only its own clients");
            byte[] someToken = new byte[32];
            new Random(2).nextBytes(someToken);
            assertEquals(CircuitWire.status(CircuitBook.Refusal.NO_SUCH_CIRCUIT),
                    exchange(relay, CircuitWire.encode(new CircuitWire.Hello(CircuitWire.Kind.ARRIVE, someToken))));
            assertEquals(-1, exchange(relay, "P2RL-not-a-handshake-at-all-but-38-by".getBytes()), "junk after the magic: closed");

            // 40 requests at once from 127.0.0.1, each holding its connection (and circuit, if any) until all are answered.
            byte[] connect = CircuitWire.encode(new CircuitWire.Hello(CircuitWire.Kind.CONNECT, sharer.id().toBytes()));
            List<Socket> held = new ArrayList<>();
            List<CompletableFuture<Integer>> flood = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                flood.add(ask(relay, InetAddress.getByName("127.0.0.1"), connect, held));
            }
            Map<Integer, Long> answers = flood.stream().map(CompletableFuture::join)
                    .collect(java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()));
            assertEquals(2L, answers.getOrDefault(CircuitWire.OPEN, 0L), "one requester gets half the relay's 4 circuits: " + answers);
            assertEquals(38L, answers.getOrDefault(CircuitWire.status(CircuitBook.Refusal.REQUESTER_FULL), 0L),
                    "the rest are refused as that requester's: " + answers);
            // Meanwhile a peer at another address still gets a circuit.
            assertEquals(CircuitWire.OPEN, ask(relay, InetAddress.getByName("127.0.0.2"), connect, held).join(),
                    "the flood did not take every circuit");
            for (Socket s : held) {
                s.close();
            }

            RelayClient.Refused refused = assertThrows(RelayClient.Refused.class, () -> circuits.connect(off.localAddress(), behindOff.id()));
            assertEquals("the relay closed the connection", refused.getMessage(), "--relay off: the door is shut");
            assertEquals(null, off.relayCounts());
        }
    }

    /** Sends {@code hello} from local address {@code from} and reads the status byte meanwhile; the socket stays open in {@code held}. */
    private static CompletableFuture<Integer> ask(Node relay, InetAddress from, byte[] hello, List<Socket> held) throws IOException {
        Socket s = new Socket(relay.localAddress().getAddress(), relay.port(), from, 0);
        held.add(s);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(hello);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return s.getInputStream().read();
            } catch (IOException e) {
                return -1;
            }
        });
    }

    @Test
    void aRelayThatCorruptsBytesMidStreamIsBannedAndTheGetCompletesThroughTheOtherRelayTheLinkNames() throws Exception {
        Path file = TestFiles.random(tmp.resolve("share/film.bin"), 3_000_000, 9);
        try (Node hostile = Node.start(config("hostile"));
                Node honest = Node.start(config("honest"));
                Node sharer = Node.start(config("sharer").withReachability(Reachability.Mode.PRIVATE));
                Node downloader = Node.start(config("downloader"));
                HostileHop corrupting = HostileHop.flipping(hostile, 200_000)) {
            sharer.join(List.of(hostile.localAddress(), honest.localAddress())); // a client of both, as behind NAT
            SharedContent shared = sharer.share(file);
            assertEquals(List.of(hostile.id(), honest.id()), sharer.link(shared).relays().stream().map(PeerAddress::nodeId).toList(),
                    "the sharer's link names both relays, its relay first");
            // The downloader reaches the hostile relay through a hop that flips one byte towards it after 200 kB.
            // The sharer's own address is one nobody answers at (behind its NAT): only circuits reach it.
            ShareLink link = new ShareLink(shared.id(), List.of(new PeerAddress("127.0.0.2", closedPort(), sharer.id())),
                    List.of(corrupting.as(hostile), PeerAddress.of(honest.localAddress(), honest.id())));

            DownloadResult r = downloader.get(link, tmp.resolve("out"), java.time.Duration.ofSeconds(30), DownloadListener.NONE);
            assertEquals(-1, Files.mismatch(file, r.path()), "byte-identical: the changed byte was never kept");
            assertEquals(List.of(sharer.id()), List.copyOf(r.verifiedBytesByPeer().keySet()), "all from the sharer, as TLS proved");
            assertEquals(List.of(hostile.id()), List.copyOf(downloader.bannedRelays().keySet()), "the relay is banned, not the sharer");
            assertTrue(downloader.bannedRelays().get(hostile.id()).contains("failed TLS"), downloader.bannedRelays().toString());
            // A chunk may come through the hostile relay, verified, before the flipped byte breaks its circuit:
            // the other relay carries the rest, and every byte of the file came through one of the two.
            long viaHonest = honest.relayCounts()[3];
            long viaHostile = hostile.relayCounts()[3];
            assertTrue(viaHonest + viaHostile >= 3_000_000 && viaHonest > viaHostile,
                    "the rest went through the other relay: " + viaHonest + " bytes, " + viaHostile + " through the hostile one");
        }
    }

    @Test
    void aRelayThatStopsPassingBytesIsBannedAfterTheStallAndTheDownloadGoesOnDirectly() throws Exception {
        Path file = TestFiles.random(tmp.resolve("share/doc.bin"), 2_000_000, 10);
        try (Node hostile = Node.start(config("hostile"));
                Node sharer = clientOf(hostile, "sharer");
                Node downloader = Node.start(config("downloader"));
                HostileHop dropping = HostileHop.dropping(hostile, 300_000);
                Splicer threads = new Splicer("test-path")) {
            SharedContent shared = sharer.share(file);
            RelayBlame blame = new RelayBlame();
            PeerAddress at = sharer.peerAddress();
            // The sharer's relay, reached through a hop that passes nothing towards the downloader after 300 kB; the
            // sharer's own address is the way left once that relay is banned.
            RelayPath path = RelayPath.open(sharer.id(), List.of(new dev.p2p.dht.Contact(hostile.id(), dropping.address())),
                    new java.net.InetSocketAddress(at.host(), at.port()), blame, threads, gone -> { });
            long start = System.nanoTime();
            DownloadResult r = downloader.transfer().download(shared.id(), List.of(path.address()), tmp.resolve("out"),
                    DownloadListener.NONE).get(90, TimeUnit.SECONDS);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals(-1, Files.mismatch(file, r.path()), "byte-identical");
            synchronized (blame) {
                assertTrue(blame.banned(hostile.id(), System.nanoTime() / 1_000_000L), "the stalling relay is banned");
                assertTrue(blame.bannedRelays(System.nanoTime() / 1_000_000L).get(hostile.id()).contains("stopped passing bytes"));
            }
            assertTrue(seconds >= RelayBlame.STALL_MILLIS / 1000 && seconds < 60, "done after the stall, long before the download's "
                    + "own give-up: " + seconds + " s");
            path.close();
        }
    }

    @Test
    void aCircuitNoticeMakesANodeDialOnlyAPeerItSentTo() throws Exception {
        try (Node client = Node.start(config("client").withReachability(Reachability.Mode.PRIVATE));
                java.net.DatagramSocket udp = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
                ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 4, InetAddress.getLoopbackAddress())) {
            byte[] token = new byte[32];
            new Random(3).nextBytes(token);
            byte[] notice = dev.p2p.dht.wire.Codec.encode(new dev.p2p.dht.wire.Message.CircuitNotify(
                    new dev.p2p.dht.wire.Message.Header(0, NodeId.random(new Random(4)), false), token));
            java.net.DatagramPacket toClient = new java.net.DatagramPacket(notice, notice.length, client.localAddress());
            tcp.setSoTimeout(3_000);

            udp.send(toClient);
            assertThrows(java.net.SocketTimeoutException.class, tcp::accept, "a stranger cannot make the node dial out");

            client.dht().bootstrap(List.of((java.net.InetSocketAddress) udp.getLocalSocketAddress())); // now it sent to us
            udp.receive(new java.net.DatagramPacket(new byte[2048], 2048));
            udp.send(toClient);
            try (Socket arrived = tcp.accept()) {
                byte[] hello = new java.io.DataInputStream(arrived.getInputStream()).readNBytes(CircuitWire.LENGTH);
                CircuitWire.Hello h = CircuitWire.decode(hello);
                assertEquals(CircuitWire.Kind.ARRIVE, h.kind(), "the node comes to the relay it talks to, with the token");
                assertTrue(java.util.Arrays.equals(token, h.body()));
            }
        }
    }

    /** A port on 127.0.0.2 where nothing listens. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            return s.getLocalPort();
        }
    }

    /**
     * What a hostile relay can do to a circuit, in front of an honest relay's transfer port: pass
     * the bytes on towards the relay, and towards the dialler flip one byte, or stop passing
     * anything (the connection stays open), once {@code after} bytes went by.
     */
    static final class HostileHop implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new ArrayList<>();

        private HostileHop(Node relay, long after, boolean drop) throws IOException {
            server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket(relay.localAddress().getAddress(), relay.port());
                        synchronized (sockets) {
                            sockets.add(in);
                            sockets.add(out);
                        }
                        new Thread(() -> copy(in, out, Long.MAX_VALUE, false)).start();
                        new Thread(() -> copy(out, in, after, drop)).start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        static HostileHop flipping(Node relay, long after) throws IOException {
            return new HostileHop(relay, after, false);
        }

        static HostileHop dropping(Node relay, long after) throws IOException {
            return new HostileHop(relay, after, true);
        }

        java.net.InetSocketAddress address() {
            return new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        /** The relay as a link names it: its node id, at this hop. */
        PeerAddress as(Node relay) {
            return new PeerAddress("127.0.0.1", server.getLocalPort(), relay.id());
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /** Copies {@code from} to {@code to}; at byte {@code at} (counted from the start) flips it, or with {@code drop} passes nothing more. */
    private static void copy(Socket from, Socket to, long at, boolean drop) {
        byte[] buf = new byte[8192];
        long seen = 0;
        try {
            for (int n; (n = from.getInputStream().read(buf)) >= 0; seen += n) {
                if (at >= seen && at < seen + n) {
                    if (drop) {
                        to.getOutputStream().write(buf, 0, (int) (at - seen));
                        while (from.getInputStream().read(buf) >= 0) {
                            // swallowed
                        }
                        return;
                    }
                    buf[(int) (at - seen)] ^= 0x40;
                }
                if (seen + n <= at || !drop) {
                    to.getOutputStream().write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // one side gone
        } finally {
            Splicer.close(from);
            Splicer.close(to);
        }
    }

    /** Sends {@code hello} to the relay's transfer port and returns its status byte (-1: closed without one). */
    private static int exchange(Node relay, byte[] hello) {
        try (Socket s = new Socket(relay.localAddress().getAddress(), relay.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(hello);
            return s.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }
}
