package dev.p2p.dht;

import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * A tiny deterministic world for DhtNode unit tests (the simulator module has the real one):
 * virtual time, a fixed one-way delay, and every datagram passed through the real codec.
 */
final class VirtualNetwork {
    static final long DELAY_MILLIS = 20;

    private record Event(long at, long seq, Runnable task) {}

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Map<InetSocketAddress, BiConsumer<InetSocketAddress, byte[]>> hosts = new HashMap<>();
    final List<DhtNode> nodes = new ArrayList<>();
    final Random random;
    long now;
    long seq;
    long datagrams;
    final Map<InetSocketAddress, Integer> providerQueriesTo = new HashMap<>();
    /** While not null, datagrams between these addresses and all others are lost. */
    java.util.Set<InetSocketAddress> cutOff;
    /** Sees every message a node sends, before it is encoded. */
    SendHook onSend = (from, to, m) -> { };

    interface SendHook {
        void sent(InetSocketAddress from, InetSocketAddress to, Message message);
    }

    VirtualNetwork(long seed) {
        this.random = new Random(seed);
    }

    static InetSocketAddress address(int a, int b, int c, int d, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The port every node of a test network listens on, for DHT datagrams and transfers alike. */
    static final int PORT = 4000;

    /** Where the {@code i}-th node of a test network listens (one /24 each, so no prefix limit bites). */
    InetSocketAddress addressOf(int i) {
        return address(10, i / 200, i % 200 + 1, 1, PORT);
    }

    /** The index of the node at {@code address} (see {@link #addressOf}). */
    int indexOf(InetSocketAddress address) {
        byte[] a = address.getAddress().getAddress();
        return (a[1] & 0xff) * 200 + (a[2] & 0xff) - 1;
    }

    void at(long delay, Runnable task) {
        queue.add(new Event(now + delay, seq++, task));
    }

    /** An environment for a lone policy object under test: this network's clock and timers. */
    Environment environment(Random random, SendHook sent) {
        return new Environment() {
            @Override
            public long nowMillis() {
                return now;
            }

            @Override
            public Random random() {
                return random;
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return timer(delayMillis, task);
            }

            @Override
            public void send(InetSocketAddress to, Message message) {
                sent.sent(null, to, message);
            }
        };
    }

    /** Runs {@code task} {@code delay} from now unless cancelled first. */
    Cancellable timer(long delay, Runnable task) {
        boolean[] cancelled = {false};
        at(delay, () -> {
            if (!cancelled[0]) {
                task.run();
            }
        });
        return () -> cancelled[0] = true;
    }

    /** Attaches a raw receiver (e.g. a hand-made attacker) at {@code address}. */
    void attach(InetSocketAddress address, BiConsumer<InetSocketAddress, byte[]> receiver) {
        hosts.put(address, receiver);
    }

    void detach(InetSocketAddress address) {
        hosts.remove(address);
    }

    /** Sends raw bytes as if from {@code from}. */
    void deliver(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        datagrams++;
        if (cutOff != null && cutOff.contains(from) != cutOff.contains(to)) {
            return;
        }
        if (bytes.length > 3 && bytes[3] == 5) { // GET_PROVIDERS
            providerQueriesTo.merge(to, 1, Integer::sum);
        }
        at(DELAY_MILLIS, () -> {
            BiConsumer<InetSocketAddress, byte[]> host = hosts.get(to);
            if (host != null) {
                host.accept(from, bytes);
            }
        });
    }

    DhtNode addNode(InetSocketAddress address, DhtConfig config) {
        return addNode(address, config, null);
    }

    /** A node that decides at run time whether it is reachable ({@code reachability} null: as configured). */
    DhtNode addNode(InetSocketAddress address, DhtConfig config, Reachability reachability) {
        Random nodeRandom = new Random(random.nextLong());
        Environment env = environment(nodeRandom, (none, to, message) -> {
            onSend.sent(address, to, message);
            deliver(address, to, Codec.encode(message));
        });
        DhtNode node = new DhtNode(Identity.generate(nodeRandom), config, env, reachability);
        attach(address, node::onDatagram);
        nodes.add(node);
        node.start();
        return node;
    }

    /** Runs events until virtual time {@code until}. */
    void runUntil(long until) {
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Event e = queue.poll();
            now = e.at;
            e.task.run();
        }
        now = Math.max(now, until);
    }

    void runFor(long millis) {
        runUntil(now + millis);
    }
}
