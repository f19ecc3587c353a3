package dev.p2p.node;

import dev.p2p.dht.Contact;
import dev.p2p.dht.NodeId;
import dev.p2p.node.policy.RelayBlame;
import dev.p2p.transfer.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The way to one provider behind NAT that a downloader reaches through relays
 * (docs/REACHABILITY.md): the transfer client dials one loopback address for it for as long as
 * the download runs, and each connection made there is carried over the path chosen at that
 * moment: a circuit through the first of the provider's relays not banned, else a direct
 * connection. A path whose TLS fails ({@link #tlsFailed}) or that stalls is blamed on its relay or
 * on the provider ({@link RelayBlame}), so the download's redial goes another way. Blocking
 * sockets, on the threads of the {@link Splicer} it is given.
 */
final class RelayPath implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RelayPath.class.getName());
    /** No connection for this long, none open: the download is over, and the loopback port goes. */
    private static final int IDLE_MILLIS = 60_000;
    private static final int DIRECT_DIAL_MILLIS = 3_000;
    private static final long WATCH_MILLIS = 500;

    private final NodeId provider;
    private final List<Contact> relays;
    private final InetSocketAddress direct; // null: none known
    private final RelayBlame blame; // the node's, shared by its paths; guarded by itself
    private final Splicer threads;
    private final ServerSocket proxy;
    private final Consumer<RelayPath> onClose;
    private final Map<Integer, Leg> legs = new ConcurrentHashMap<>(); // by the transfer client's local port
    private Leg first; // opened before the transfer client came; guarded by this

    /**
     * One connection's path: through {@code relay} (null: direct), when bytes last came from the
     * far end, and whether it was judged already (once is enough).
     */
    private record Leg(NodeId relay, Socket remote, AtomicLong lastHeard, AtomicBoolean judged) {
        Leg(NodeId relay, Socket remote) {
            this(relay, remote, new AtomicLong(), new AtomicBoolean());
        }
    }

    private RelayPath(NodeId provider, List<Contact> relays, InetSocketAddress direct, RelayBlame blame, Splicer threads,
            Leg first, Consumer<RelayPath> onClose) throws IOException {
        this.provider = provider;
        this.relays = List.copyOf(relays);
        this.direct = direct;
        this.blame = blame;
        this.threads = threads;
        this.first = first;
        this.onClose = onClose;
        this.proxy = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        proxy.setSoTimeout(IDLE_MILLIS);
        threads.execute(this::acceptLoop);
    }

    /**
     * A path to {@code provider} whose first circuit is open, through the first of {@code relays}
     * that is not banned and grants one; {@code direct} is the provider's own address, the last
     * way left once its relays are banned. {@code onClose} hears when it is no longer used.
     *
     * @throws RelayClient.Refused when no relay opens a circuit; its message says why, for the user
     */
    static RelayPath open(NodeId provider, List<Contact> relays, InetSocketAddress direct, RelayBlame blame, Splicer threads,
            Consumer<RelayPath> onClose) throws RelayClient.Refused {
        List<String> refusals = new ArrayList<>();
        for (Contact relay : relays) {
            synchronized (blame) {
                if (blame.banned(relay.id(), now())) {
                    refusals.add("relay " + relay.id().shortHex() + " is banned: " + blame.bannedRelays(now()).get(relay.id()));
                    continue;
                }
            }
            try {
                Leg first = new Leg(relay.id(), RelayClient.circuit(relay.address(), provider));
                try {
                    return new RelayPath(provider, relays, direct, blame, threads, first, onClose);
                } catch (IOException e) {
                    Splicer.close(first.remote);
                    throw new RelayClient.Refused("no loopback port for the circuit");
                }
            } catch (RelayClient.Refused e) {
                refusals.add(e.getMessage());
            }
        }
        throw new RelayClient.Refused(refusals.isEmpty() ? "no relay known" : String.join("; ", refusals));
    }

    /** Where the transfer client dials the provider, with its node id (TLS checks it at the far end). */
    PeerAddress address() {
        return new PeerAddress(InetAddress.getLoopbackAddress().getHostAddress(), proxy.getLocalPort(), provider);
    }

    int port() {
        return proxy.getLocalPort();
    }

    /** The transfer client's connection from loopback port {@code clientPort} failed TLS: its path is to blame, or the provider. */
    void tlsFailed(int clientPort) {
        Leg leg = legs.get(clientPort);
        if (leg != null) {
            judge(leg, RelayBlame.Failure.TLS);
        }
    }

    private void acceptLoop() {
        while (!proxy.isClosed()) {
            Socket local;
            try {
                local = proxy.accept();
            } catch (SocketTimeoutException e) {
                if (legs.isEmpty()) {
                    break;
                }
                continue;
            } catch (IOException e) {
                break;
            }
            Leg leg = takeFirst();
            if (leg == null) {
                leg = next();
            }
            if (leg == null) {
                Splicer.close(local); // no way left: the download counts a failed connection
            } else {
                carry(local, leg);
            }
        }
        close();
    }

    private synchronized Leg takeFirst() {
        Leg f = first;
        first = null;
        return f;
    }

    /** A new path: a circuit through a relay not banned, else a direct connection; null when none opens or the provider is to blame. */
    private Leg next() {
        synchronized (blame) {
            if (blame.blamed(provider)) {
                return null;
            }
        }
        for (Contact relay : relays) {
            synchronized (blame) {
                if (blame.banned(relay.id(), now())) {
                    continue;
                }
            }
            try {
                return new Leg(relay.id(), RelayClient.circuit(relay.address(), provider));
            } catch (RelayClient.Refused e) {
                // the next relay
            }
        }
        if (direct != null) {
            Socket s = new Socket();
            try {
                s.connect(direct, DIRECT_DIAL_MILLIS);
                return new Leg(null, s);
            } catch (IOException e) {
                Splicer.close(s);
            }
        }
        return null;
    }

    /** Joins the transfer client's connection to {@code leg}, watching for a stall while it lasts. */
    private void carry(Socket local, Leg leg) {
        int clientPort = local.getPort();
        legs.put(clientPort, leg);
        leg.lastHeard.set(now());
        threads.splice(local, leg.remote, () -> leg.lastHeard.set(now()));
        threads.execute(() -> {
            try {
                while (!leg.remote.isClosed()) {
                    Thread.sleep(WATCH_MILLIS);
                    if (RelayBlame.stalled(leg.lastHeard.get(), now())) {
                        judge(leg, RelayBlame.Failure.STALL);
                        Splicer.close(local); // the download redials, and the next connection goes another way
                        Splicer.close(leg.remote);
                    }
                }
                Thread.sleep(WATCH_MILLIS); // a TLS failure is told as the connection closes: still find its leg
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                legs.remove(clientPort, leg);
            }
        });
    }

    private void judge(Leg leg, RelayBlame.Failure failure) {
        if (leg.judged.getAndSet(true)) {
            return;
        }
        RelayBlame.Verdict v;
        synchronized (blame) {
            v = blame.failed(provider, leg.relay, failure, now());
        }
        if (v instanceof RelayBlame.Verdict.RelayBanned b) {
            LOG.warning("relay " + b.relay().shortHex() + " banned: " + b.why() + "; peer " + provider.shortHex()
                    + " is reached another way");
        } else if (v instanceof RelayBlame.Verdict.ProviderBlamed p) {
            LOG.warning("peer " + p.provider().shortHex() + " given up: " + p.why());
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    @Override
    public void close() {
        Splicer.close(proxy);
        Leg f = takeFirst();
        if (f != null) {
            Splicer.close(f.remote);
        }
        onClose.accept(this);
    }
}
