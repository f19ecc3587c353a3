package dev.p2p.node;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Joins sockets that lead to a peer by other ways than a plain dial (a punched hole, a relay
 * circuit) to the transfer layer: the downloader's transfer client dials a loopback proxy, the
 * sharer's side is connected to its own transfer server. TLS and the transfer protocol run end
 * to end through them, unchanged. Blocking copies, on threads of its own.
 */
final class Splicer implements AutoCloseable {
    private final ExecutorService threads;

    Splicer(String name) {
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void execute(Runnable task) {
        threads.execute(task);
    }

    /** A loopback address that leads through {@code remote} to {@code peer} (TLS still checks it), or null. */
    PeerAddress proxy(Socket remote, NodeId peer) {
        ServerSocket proxy;
        try {
            proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            close(remote);
            return null;
        }
        threads.execute(() -> {
            try (proxy) {
                proxy.setSoTimeout(60_000);
                splice(proxy.accept(), remote);
            } catch (IOException e) {
                close(remote);
            }
        });
        return new PeerAddress(InetAddress.getLoopbackAddress().getHostAddress(), proxy.getLocalPort(), peer);
    }

    /** Connects {@code remote} to this node's own transfer server on {@code transferPort}. */
    void toTransferServer(Socket remote, int transferPort) {
        try {
            splice(remote, new Socket(InetAddress.getLoopbackAddress(), transferPort));
        } catch (IOException e) {
            close(remote);
        }
    }

    /** Copies bytes both ways until either side ends. */
    void splice(Socket a, Socket b) {
        splice(a, b, () -> { });
    }

    /** As {@link #splice(Socket, Socket)}, running {@code heardFromB} each time bytes come from {@code b}. */
    void splice(Socket a, Socket b, Runnable heardFromB) {
        threads.execute(() -> pump(a, b, () -> { }));
        threads.execute(() -> pump(b, a, heardFromB));
    }

    private static void pump(Socket from, Socket to, Runnable moved) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                moved.run();
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // either side gone: close both below
        } finally {
            close(from);
            close(to);
        }
    }

    static void close(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
