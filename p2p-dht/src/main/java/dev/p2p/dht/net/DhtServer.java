package dev.p2p.dht.net;

import dev.p2p.dht.BootstrapResult;
import dev.p2p.dht.Contact;
import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.DhtNode;
import dev.p2p.dht.DhtStats;
import dev.p2p.dht.Identity;
import dev.p2p.dht.LookupResult;
import dev.p2p.dht.NodeEvent;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.ProvideResult;
import dev.p2p.dht.ProvidersResult;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.store.ContactStore;
import dev.p2p.dht.wire.Codec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.function.Consumer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A DHT node on a real UDP socket: Netty's event loop is the node's thread, clock and timers.
 * This is only the host: it hands received datagrams to the node, sends what the node sends,
 * runs its timers and passes its events to the listeners; every protocol decision (rejoining,
 * reachability, hole-punch relaying) is the node's. The methods here may be called from any
 * thread; they hop onto the event loop and answer with a future. With a data directory, the
 * routing table is saved every few minutes and on close, and loaded on start, so a restarted node
 * rejoins without its bootstrap peers.
 */
public final class DhtServer implements AutoCloseable {
    private static final long SAVE_INTERVAL_MINUTES = 5;
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final Channel channel;
    private final DhtNode node;
    private final NettyEnvironment env;
    private final EventLoopGroup ownGroup;
    private final Path dataDir;
    private final List<Contact> restored;
    private final ScheduledFuture<?> saver;
    private final Receiver receiver;
    private volatile BiConsumer<NodeId, InetSocketAddress> punchListener = (id, at) -> { };
    private volatile BiConsumer<InetSocketAddress, byte[]> circuitListener = (relay, token) -> { };
    private volatile Consumer<Reachability.Status> reachabilityListener = s -> { };
    private volatile LookupObserver lookupObserver = (kind, millis) -> { };

    /**
     * The node's counters at one moment, for metrics: routing table (contacts, buckets holding any,
     * buckets not refreshed within the refresh interval), traffic and lookups since start.
     */
    public record Snapshot(int contacts, int nonEmptyBuckets, int staleBuckets, long messagesIn, long messagesOut,
            long requestsIn, long malformedDropped, long rateLimited, long requestTimeouts, long lookupsStarted,
            long lookupsFinished, long datagramsOut, long bytesIn, long bytesOut, int providedKeys, int storedProviders, boolean clientOnly) {}

    private int saveFailures;

    /** Told of every finished lookup started through this server: its kind and wall-clock duration. */
    public interface LookupObserver {
        void onLookup(String kind, long millis);
    }

    /** Reads datagrams off the socket and hands them to the node, once it runs (on the event loop). */
    private static final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private DhtNode node;
        private long bytesIn;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (node == null) {
                return; // not started yet: a stopped node would drop it too
            }
            int n = packet.content().readableBytes();
            if (n > Codec.MAX_INBOUND_DATAGRAM) {
                node.stats().malformedDropped++;
                return;
            }
            byte[] bytes = new byte[n];
            packet.content().readBytes(bytes);
            bytesIn += n;
            node.onDatagram(packet.sender(), bytes);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A socket error (e.g. ICMP unreachable) must not close the node's only socket.
        }
    }

    private DhtServer(Channel channel, DhtNode node, NettyEnvironment env, EventLoopGroup ownGroup, Path dataDir,
            List<Contact> restored, Receiver receiver) {
        this.receiver = receiver;
        this.channel = channel;
        this.node = node;
        this.env = env;
        this.ownGroup = ownGroup;
        this.dataDir = dataDir;
        this.restored = restored;
        this.saver = dataDir == null ? null
                : channel.eventLoop().scheduleAtFixedRate(this::saveContacts, SAVE_INTERVAL_MINUTES, SAVE_INTERVAL_MINUTES,
                        TimeUnit.MINUTES);
    }

    /**
     * Binds a UDP socket at {@code bind} (port 0 = any free port) and starts a node on it.
     *
     * @param group   event loops to run on, or null for a one-thread group of its own
     * @param dataDir where the routing table is kept across restarts, or null for none
     * @throws BindException when the port is taken
     */
    public static DhtServer start(Identity identity, DhtConfig config, InetSocketAddress bind, EventLoopGroup group,
            Path dataDir) throws IOException {
        return start(identity, config, bind, group, dataDir, null);
    }

    /**
     * Like {@link #start(Identity, DhtConfig, InetSocketAddress, EventLoopGroup, Path)}, but the node
     * decides at run time whether it is reachable ({@link Reachability}) and runs as a client
     * (CLIENT_ONLY) while it is not. A config with {@code clientOnly} set forces {@link Reachability.Mode#PRIVATE}.
     *
     * @param mode how reachability is decided, or null to keep the config's static {@code clientOnly}
     */
    public static DhtServer start(Identity identity, DhtConfig config, InetSocketAddress bind, EventLoopGroup group,
            Path dataDir, Reachability.Mode mode) throws IOException {
        List<Contact> restored = dataDir == null ? List.of() : ContactStore.load(dataDir);
        EventLoopGroup own = group == null ? new NioEventLoopGroup(1) : null;
        EventLoopGroup loops = group == null ? own : group;
        Receiver receiver = new Receiver();
        Bootstrap b = new Bootstrap().group(loops).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Codec.MAX_INBOUND_DATAGRAM + 1))
                // a deep kernel queue rides out bursts, so a flood from one source drowns fewer honest datagrams
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                .handler(receiver);
        Channel channel;
        try {
            channel = b.bind(bind).syncUninterruptibly().channel();
        } catch (Exception e) {
            if (own != null) {
                own.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            if (e instanceof BindException be) {
                throw be;
            }
            throw new IOException("cannot listen on UDP " + bind + ": " + e.getMessage(), e);
        }
        NettyEnvironment env = new NettyEnvironment(channel);
        Reachability reachability = mode == null ? null
                : new Reachability(config.clientOnly() ? Reachability.Mode.PRIVATE : mode, localAddresses(bind));
        DhtNode node = new DhtNode(identity, config, env, reachability);
        DhtServer server = new DhtServer(channel, node, env, own, dataDir, restored, receiver);
        node.setEventListener(server::onEvent);
        server.onLoop(n -> {
            n.restoreContacts(restored);
            n.start();
            receiver.node = n;
            return null;
        }).join();
        return server;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public NodeId id() {
        return node.id();
    }

    /** Contacts loaded from the data directory at start. */
    public List<Contact> restoredContacts() {
        return restored;
    }

    /**
     * Joins through {@code bootstrap}; with none given, through the contacts remembered from the
     * last run.
     */
    public CompletableFuture<BootstrapResult> bootstrap(List<InetSocketAddress> bootstrap) {
        return bootstrap.isEmpty() ? bootstrapWithRemembered(List.of()) : async((n, done) -> n.bootstrap(List.copyOf(bootstrap), done));
    }

    /**
     * Joins through {@code first} and the contacts remembered from the last run at once: a link's
     * peers, which may not all answer, without giving up the contacts that would.
     */
    public CompletableFuture<BootstrapResult> bootstrapWithRemembered(List<InetSocketAddress> first) {
        List<InetSocketAddress> seeds = new ArrayList<>(first);
        for (Contact c : restored) {
            if (!seeds.contains(c.address())) {
                seeds.add(c.address());
            }
        }
        return async((n, done) -> n.bootstrap(seeds, done));
    }

    public CompletableFuture<LookupResult> lookupNode(NodeId target) {
        return timed("node", async((n, done) -> n.lookupNode(target, done)));
    }

    public CompletableFuture<ProvidersResult> findProviders(NodeId key, int wanted) {
        return timed("providers", async((n, done) -> n.findProviders(key, wanted, done)));
    }

    private <T> CompletableFuture<T> timed(String kind, CompletableFuture<T> f) {
        long start = System.nanoTime();
        return f.whenComplete((r, e) -> lookupObserver.onLookup(kind, (System.nanoTime() - start) / 1_000_000L));
    }

    public void setLookupObserver(LookupObserver observer) {
        lookupObserver = observer;
    }

    /** Called on the node's thread whenever the reachability decision changes (run-time mode only). */
    public void setReachabilityListener(Consumer<Reachability.Status> listener) {
        reachabilityListener = listener;
    }

    /** The reachability decision and its one-line reason; null status without run-time mode. */
    public CompletableFuture<Map.Entry<Reachability.Status, String>> reachability() {
        return onLoop(n -> new AbstractMap.SimpleImmutableEntry<>(n.reachabilityStatus(), n.reachabilityReason()));
    }

    /**
     * Tells the node that the router forwards {@code external} to its port (a port mapping the host
     * obtained), or (null) no longer does; the node's reachability decision weighs it.
     */
    public CompletableFuture<Void> setPortMapping(InetSocketAddress external) {
        return onLoop(n -> {
            n.onPortMapped(external);
            return null;
        });
    }

    /** The node's counters now (taken on its thread). */
    public CompletableFuture<Snapshot> snapshot() {
        return onLoop(n -> {
            int nonEmpty = 0;
            for (int size : n.routingTable().bucketSizes()) {
                nonEmpty += size > 0 ? 1 : 0;
            }
            int stale = n.routingTable().staleBuckets(env.nowMillis() - n.config().bucketRefreshInterval()).size();
            DhtStats s = n.stats();
            return new Snapshot(n.routingTable().size(), nonEmpty, stale, s.messagesIn, s.messagesOut, s.requestsIn,
                    s.malformedDropped, s.rateLimited, s.requestTimeouts, s.lookupsStarted, s.lookupsFinished, env.datagramsOut, receiver.bytesIn, env.bytesOut,
                    n.providedKeys().size(), n.providerStore().size(), n.isClientOnly());
        });
    }

    /**
     * Asks public peers (our bootstrap peers and a few contacts) to tell client {@code target}
     * to open a TCP connection to us, from and to {@code port}, now (hole punching; see
     * {@link DhtNode#requestPunch}). Answers how many peers were asked.
     */
    public CompletableFuture<Integer> requestPunch(NodeId target, int port) {
        return onLoop(n -> n.requestPunch(target, port));
    }

    /**
     * Called (on the node's thread) when a peer we talk to relays a punch request to us: node
     * {@code requester} will connect from {@code at} and expects us to connect to it, from port
     * {@code at.getPort()}, now.
     */
    public void setPunchListener(BiConsumer<NodeId, InetSocketAddress> listener) {
        punchListener = listener;
    }

    /** {@code listener} hears, on the node's thread, that our relay at an address has a circuit with a token for us. */
    public void setCircuitListener(BiConsumer<InetSocketAddress, byte[]> listener) {
        circuitListener = listener;
    }

    /** The node's events, on its thread, to the listeners of this server's API. */
    private void onEvent(NodeEvent event) {
        if (event instanceof NodeEvent.PunchNotice p) {
            punchListener.accept(p.requester(), p.at());
        } else if (event instanceof NodeEvent.CircuitNotice c) {
            circuitListener.accept(c.relay(), c.token());
        } else if (event instanceof NodeEvent.ReachabilityChanged r) {
            reachabilityListener.accept(r.status());
        }
    }

    private static List<InetAddress> localAddresses(InetSocketAddress bind) {
        List<InetAddress> out = new ArrayList<>();
        if (!bind.getAddress().isAnyLocalAddress()) {
            out.add(bind.getAddress());
            return out;
        }
        try {
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(i.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interfaces readable: every observed address then counts as a NAT's
        }
        return out;
    }

    /**
     * Announces {@code key} on TCP {@code port}, which must be the number peers reach this node's
     * DHT at too ({@link #localAddress()}'s, or the router's under a port mapping): searchers
     * check the record there ({@link DhtNode#provide}).
     */
    public CompletableFuture<ProvideResult> provide(NodeId key, int port) {
        return async((n, done) -> n.provide(key, port, done));
    }

    public CompletableFuture<Void> stopProviding(NodeId key) {
        return onLoop(n -> {
            n.stopProviding(key);
            return null;
        });
    }

    /** Runs {@code f} on the node's thread: the only safe way to read its state from outside. */
    public <T> CompletableFuture<T> onLoop(Function<DhtNode, T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                out.complete(f.apply(node));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /** Bytes this node has sent. */
    public CompletableFuture<Long> bytesSent() {
        return onLoop(n -> env.bytesOut);
    }

    private <T> CompletableFuture<T> async(BiConsumer<DhtNode, java.util.function.Consumer<T>> op) {
        CompletableFuture<T> out = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                op.accept(node, out::complete);
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private void saveContacts() {
        try {
            ContactStore.save(dataDir, node.routingTable().contacts());
        } catch (IOException e) {
            // Only a hint for the next start: a full disk must not stop the node.
            saveFailures++;
        }
    }

    /** Saves the routing table, leaves the network (the node tells its peers) and closes the socket. */
    @Override
    public void close() {
        if (saver != null) {
            saver.cancel(false);
        }
        CompletableFuture<Void> stopped = onLoop(n -> {
            if (dataDir != null) {
                saveContacts();
            }
            n.leave();
            return null;
        });
        try {
            stopped.join();
        } finally {
            channel.close().syncUninterruptibly();
            if (ownGroup != null) {
                ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }
}
