package dev.p2p.node;

import dev.p2p.dht.NodeId;
import dev.p2p.node.policy.CircuitBook;
import dev.p2p.transfer.PeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Both ends of a relay circuit (docs/REACHABILITY.md): the downloader asks a relay for a circuit
 * to a provider, the provider comes when its relay tells it to. Either end's socket is then
 * joined to the transfer layer as a punched one is ({@link Splicer}), so TLS runs end to end.
 * The relay listens on its transfer port, the same number as its DHT port.
 */
final class RelayClient implements AutoCloseable {
    private static final int DIAL_MILLIS = 3_000;
    /** How long the downloader waits for the relay's answer: the relay waits for the target meanwhile. */
    private static final int ANSWER_MILLIS = 15_000;

    private final int transferPort;
    private final Splicer threads = new Splicer("p2p-circuit");

    RelayClient(int transferPort) {
        this.transferPort = transferPort;
    }

    /** A loopback address leading through {@code relay} to {@code target}; a refusal says why not. */
    PeerAddress connect(InetSocketAddress relay, NodeId target) throws Refused {
        PeerAddress through = threads.proxy(circuit(relay, target), target);
        if (through == null) {
            throw new Refused("no loopback port for the circuit");
        }
        return through;
    }

    /** An open circuit through {@code relay} to {@code target}: the bytes written to it reach the target. */
    static Socket circuit(InetSocketAddress relay, NodeId target) throws Refused {
        Socket s = new Socket();
        try {
            s.connect(relay, DIAL_MILLIS);
            s.getOutputStream().write(CircuitWire.encode(new CircuitWire.Hello(CircuitWire.Kind.CONNECT, target.toBytes())));
            s.setSoTimeout(ANSWER_MILLIS);
            int status = s.getInputStream().read();
            if (status != CircuitWire.OPEN) {
                Splicer.close(s);
                CircuitBook.Refusal why = status < 0 ? null : CircuitWire.refusal(status);
                throw new Refused(why == null ? "the relay closed the connection" : why.reason);
            }
            s.setSoTimeout(0);
        } catch (IOException e) {
            Splicer.close(s);
            throw new Refused("cannot reach the relay: " + e.getMessage());
        }
        return s;
    }

    /** Our relay at {@code relay} has a circuit for us with {@code token}: go, and serve whoever waits there. */
    void onNotice(InetSocketAddress relay, byte[] token) {
        threads.execute(() -> {
            Socket s = new Socket();
            try {
                s.connect(relay, DIAL_MILLIS);
                s.getOutputStream().write(CircuitWire.encode(new CircuitWire.Hello(CircuitWire.Kind.ARRIVE, token)));
                s.setSoTimeout(ANSWER_MILLIS);
                if (s.getInputStream().read() != CircuitWire.OPEN) {
                    Splicer.close(s);
                    return;
                }
                s.setSoTimeout(0);
                threads.toTransferServer(s, transferPort);
            } catch (IOException e) {
                Splicer.close(s);
            }
        });
    }

    /** A relay did not open a circuit; the message says why, for the user. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why);
        }
    }

    @Override
    public void close() {
        threads.close();
    }
}
