package dev.p2p.node;

import dev.p2p.dht.DhtNode;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.SourceGroup;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.node.policy.CircuitBook;
import dev.p2p.node.policy.RelayLimits;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A public node's relay (docs/REACHABILITY.md, relay circuits): peers that cannot punch a hole to
 * each other meet here, and their bytes (TLS between them, which the relay cannot read or alter
 * unseen) are copied across within the owner's {@link RelayLimits}. Connections come in on the
 * transfer port, spliced here by the transfer host's door when they start with
 * {@link CircuitWire#MAGIC}. Decisions are {@link CircuitBook}'s; this class only reads, waits
 * and copies, on threads of its own.
 */
final class RelayService implements AutoCloseable {
    private static final int HELLO_TIMEOUT_MILLIS = 5_000;
    private static final int BUFFER = 16 * 1024;

    private final DhtServer dht;
    private final RelayLimits limits;
    private final CircuitBook book; // guarded by itself
    private final Map<String, CompletableFuture<Socket>> arrivals = new HashMap<>(); // guarded by book
    private final ServerSocket server;
    private final Splicer threads = new Splicer("p2p-relay");

    RelayService(DhtServer dht, RelayLimits limits) throws IOException {
        this.dht = dht;
        this.limits = limits;
        this.book = new CircuitBook(limits, new SecureRandom());
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** Where the door sends relay connections. */
    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** Circuits open now, opened, refused, bytes relayed (both ways). */
    long[] counts() {
        synchronized (book) {
            return book.counts();
        }
    }

    RelayLimits limits() {
        return limits;
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.execute(() -> handle(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket s) {
        CircuitWire.Hello hello;
        InetAddress from;
        try {
            s.setSoTimeout(HELLO_TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(s.getInputStream());
            from = whoDialled(in);
            byte[] bytes = new byte[CircuitWire.LENGTH];
            in.readFully(bytes);
            hello = CircuitWire.decode(bytes);
            s.setSoTimeout(0);
        } catch (IOException | IllegalArgumentException e) {
            Splicer.close(s);
            return;
        }
        if (hello.kind() == CircuitWire.Kind.CONNECT) {
            connect(s, SourceGroup.of(from), NodeId.of(hello.body()));
        } else {
            arrive(s, hello.body());
        }
    }

    /** The peer's address the transfer port's door puts before its bytes (it comes to us from loopback). */
    private static InetAddress whoDialled(DataInputStream in) throws IOException {
        int n = in.readUnsignedByte();
        if (n != 4 && n != 16) {
            throw new IOException("no address from the door");
        }
        byte[] ip = new byte[n];
        in.readFully(ip);
        return InetAddress.getByAddress(ip);
    }

    /** A requester, counted under {@code group}, wants {@code target}: grant, tell the target, and wait for it to come. */
    private void connect(Socket requester, InetAddress group, NodeId target) {
        boolean known = Boolean.TRUE.equals(ask(n -> n.knowsClient(target)));
        CircuitBook.Decision d;
        CompletableFuture<Socket> arrival = new CompletableFuture<>();
        synchronized (book) {
            d = book.request(group, target, known, now());
            if (d instanceof CircuitBook.Decision.Granted g) {
                arrivals.put(Arrays.toString(g.token()), arrival);
            }
        }
        if (d instanceof CircuitBook.Decision.Refused r) {
            answer(requester, CircuitWire.status(r.why()));
            Splicer.close(requester);
            return;
        }
        byte[] token = ((CircuitBook.Decision.Granted) d).token();
        ask(n -> n.notifyCircuit(target, token));
        Socket arrived;
        try {
            arrived = arrival.get(limits.pendingMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            synchronized (book) {
                book.cancel(token);
                arrivals.remove(Arrays.toString(token));
            }
            answer(requester, CircuitWire.status(CircuitBook.Refusal.TIMED_OUT));
            Splicer.close(requester);
            return;
        }
        if (answer(requester, CircuitWire.OPEN) && answer(arrived, CircuitWire.OPEN)) {
            threads.execute(() -> carry(requester, arrived, token));
            threads.execute(() -> carry(arrived, requester, token));
        } else {
            end(requester, arrived, token);
        }
    }

    /** The target came with {@code token}: hand it to the requester waiting for it. */
    private void arrive(Socket target, byte[] token) {
        CompletableFuture<Socket> waiting;
        CircuitBook.Refusal why;
        synchronized (book) {
            why = book.arrive(token, now());
            waiting = arrivals.remove(Arrays.toString(token));
        }
        if (why != null || waiting == null || !waiting.complete(target)) {
            answer(target, CircuitWire.status(why != null ? why : CircuitBook.Refusal.NO_SUCH_CIRCUIT));
            Splicer.close(target);
        }
    }

    /** Copies one direction of a circuit as the book allows: paced to its rate, ended at its bytes or time. */
    private void carry(Socket from, Socket to, byte[] token) {
        byte[] buf = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                CircuitBook.Carry c;
                synchronized (book) {
                    c = book.carried(token, n, now());
                }
                if (c instanceof CircuitBook.Carry.End) {
                    break;
                }
                long delay = ((CircuitBook.Carry.After) c).delayMillis();
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // either side gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        end(from, to, token);
    }

    private void end(Socket a, Socket b, byte[] token) {
        Splicer.close(a);
        Splicer.close(b);
        synchronized (book) {
            book.closed(token);
        }
    }

    private static boolean answer(Socket s, int status) {
        try {
            s.getOutputStream().write(status);
            s.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code f} on the DHT node's thread; null when it does not answer. */
    private <T> T ask(Function<DhtNode, T> f) {
        try {
            return dht.onLoop(f).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() {
        Splicer.close(server);
        threads.close();
    }
}
