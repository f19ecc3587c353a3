package dev.p2p.node;

import dev.p2p.dht.NodeId;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.transfer.PeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * Coordinated TCP hole punching between two peers behind NATs (docs/REACHABILITY.md). The DHT
 * carries the signal through a public peer both talk to ({@link DhtServer#requestPunch}); then
 * both sides connect to each other from and to the same port at the same time (TCP simultaneous
 * open), and the punched connection is spliced to the transfer layer through loopback, so TLS
 * and the transfer protocol run end to end, unchanged: the downloader's transfer client dials a
 * loopback proxy; the sharer's side is connected to its own transfer server.
 */
final class HolePuncher implements AutoCloseable {
    static final long PUNCH_MILLIS = 12_000;
    private static final int ATTEMPT_TIMEOUT_MILLIS = 3_000;
    private static final int DIRECT_PROBE_MILLIS = 2_000;

    private final DhtServer dht;
    private final int transferPort;
    private final Splicer threads = new Splicer("p2p-holepunch");

    HolePuncher(DhtServer dht, int transferPort) {
        this.dht = dht;
        this.transferPort = transferPort;
    }

    /** The sharer's side: {@code requester} connects from {@code at}; connect to it and serve it. */
    void onNotice(NodeId requester, InetSocketAddress at) {
        threads.execute(() -> {
            Socket punched = simultaneousOpen(at.getPort(), at, System.nanoTime() + PUNCH_MILLIS * 1_000_000L);
            if (punched != null) {
                threads.toTransferServer(punched, transferPort);
            }
        });
    }

    /** Whether a plain TCP connection to {@code peer} opens (it is reachable directly). */
    static boolean dialable(PeerAddress peer) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(peer.host(), peer.port()), DIRECT_PROBE_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The downloader's side: asks the peers we talk to to relay a punch request to {@code peer},
     * punches, and returns a loopback address that leads to {@code peer} (same node id, so TLS
     * still checks who answers), or null when it did not work.
     */
    PeerAddress punch(PeerAddress peer) throws InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        } catch (IOException e) {
            return null;
        }
        try {
            if (dht.requestPunch(peer.nodeId(), port).get(5, TimeUnit.SECONDS) == 0) {
                return null;
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
        Socket punched = simultaneousOpen(port, new InetSocketAddress(peer.host(), port), System.nanoTime() + PUNCH_MILLIS * 1_000_000L);
        return punched == null ? null : threads.proxy(punched, peer.nodeId());
    }

    /** Connects from local {@code localPort} to {@code remote} again and again until it opens or time is up. */
    static Socket simultaneousOpen(int localPort, InetSocketAddress remote, long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos) {
            Socket s = new Socket();
            try {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(localPort));
                s.connect(remote, ATTEMPT_TIMEOUT_MILLIS);
                return s;
            } catch (IOException e) {
                Splicer.close(s);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        threads.close();
    }
}
