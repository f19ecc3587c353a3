package dev.p2p.sim.net;

import dev.p2p.sim.engine.Lane;
import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.node.WireFormat;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Carries datagrams between virtual hosts in virtual time: delay from the latency model plus
 * jitter, optional uplink serialisation, random loss, and partitions. Datagrams to a host with
 * nobody listening are dropped, as UDP would: when sent, or on arrival if it left meanwhile.
 *
 * @param <M> the protocol's message type, handed over as an object for speed unless the config
 *     asks for wire mode; its size is always the codec's
 */
public final class SimNetwork<M> {
    private final Simulation sim;
    private final NetworkConfig config;
    private final EarthLatencyModel latency;
    private final LaneDealer lanes;
    private final WireFormat<M> wire;
    /** The world's generator: places new hosts. */
    private final Random random;
    private final List<Host> hosts = new ArrayList<>();
    private final List<BiConsumer<InetSocketAddress, M>> receivers = new ArrayList<>();
    /** Hosts at a chosen address instead of their number's (see {@link #newHostAt}). */
    private final Map<InetSocketAddress, Host> chosenAddresses = new HashMap<>();
    /** What each lane's hosts sent, counted apart so lanes never write the same memory. */
    private final Traffic[] traffic = new Traffic[Simulation.LANES];
    private boolean oneLane;

    /**
     * One lane's counts. Datagrams are counted by the sender's lane when sent; their bytes, by the
     * sender's lane then too, or by the receiver's on arrival (see {@link #send}).
     */
    private static final class Traffic {
        /** Message types seen so far and their {datagrams, bytes}: a handful, found by a scan. */
        Class<?>[] kinds = new Class<?>[0];
        long[][] sentByKind = new long[0][];
        long datagramsSent;
        long bytesSent;
        long datagramsLost;

        /** Counts {@code size} bytes sent, of the type whose counts are {@code kind}. */
        void addBytes(long[] kind, int size) {
            bytesSent += size;
            kind[1] += size;
        }

        /** The counts of messages of type {@code kind}; a scan of a few, not a hash map lookup per datagram. */
        long[] countsOf(Class<?> kind) {
            for (int i = 0; i < kinds.length; i++) {
                if (kinds[i] == kind) {
                    return sentByKind[i];
                }
            }
            kinds = Arrays.copyOf(kinds, kinds.length + 1);
            sentByKind = Arrays.copyOf(sentByKind, kinds.length);
            kinds[kinds.length - 1] = kind;
            return sentByKind[kinds.length - 1] = new long[2];
        }
    }

    public SimNetwork(Simulation sim, NetworkConfig config, WireFormat<M> wire) {
        this.sim = sim;
        this.config = config;
        this.latency = new EarthLatencyModel(config.meanAccessDelayMillis());
        this.wire = wire;
        this.random = sim.random();
        for (int i = 0; i < traffic.length; i++) {
            traffic[i] = new Traffic();
        }
        this.lanes = new LaneDealer(EarthLatencyModel.MIN_ACCESS_DELAY_MILLIS, config.meanAccessDelayMillis());
        sim.limitLookahead(lanes.lookaheadMillis());
        hosts.add(null); // host numbers start at 1
        receivers.add(null);
    }

    /**
     * Every host made from now on runs its events in lane 0: for whole peers, whose transfers
     * share bandwidth through one {@link FlowModel} that couples every host.
     */
    public void useOneLane() {
        oneLane = true;
    }

    /** A new host with a fresh address, placed on the globe. */
    public Host newHost() {
        Host h = latency.place(hosts.size(), random);
        h.lane = oneLane ? 0 : lanes.laneOf(h.number, h.accessDelayMillis);
        hosts.add(h);
        receivers.add(null);
        return h;
    }

    /**
     * A new host at {@code address} instead of its number's 10.x.y.z address: for many hosts in one
     * /24, as an attacker renting a block would have. Use addresses outside 10.0.0.0/8.
     */
    public Host newHostAt(InetSocketAddress address) {
        if (VirtualAddresses.hostNumber(address) >= 0 || chosenAddresses.containsKey(address)) {
            throw new IllegalArgumentException("address in use or reserved for numbered hosts: " + address);
        }
        Host h = latency.place(hosts.size(), address, random);
        h.lane = lanes.laneOf(h.number, h.accessDelayMillis);
        hosts.add(h);
        receivers.add(null);
        chosenAddresses.put(address, h);
        return h;
    }

    /** How the hosts are dealt into the engine's lanes. */
    LaneDealer lanes() {
        return lanes;
    }

    /** Datagrams to {@code host} go to {@code receiver} from now on. */
    public void attach(Host host, BiConsumer<InetSocketAddress, M> receiver) {
        receivers.set(host.number, receiver);
    }

    /** Datagrams to {@code host} are dropped from now on, including those already in flight. */
    public void detach(Host host) {
        receivers.set(host.number, null);
    }

    /** True when an open partition separates the two hosts now. */
    public boolean isCut(Host a, Host b) {
        return isCut(a, b, sim.nowMillis());
    }

    private boolean isCut(Host a, Host b, long now) {
        for (Partition p : config.partitions()) {
            if (p.isOpenAt(now) && p.separates(a.number, b.number)) {
                return true;
            }
        }
        return false;
    }

    /** True when any of the scenario's partitions, open or not, puts the two hosts on different sides. */
    public boolean isAcrossAnyCut(Host a, Host b) {
        for (Partition p : config.partitions()) {
            if (p.separates(a.number, b.number)) {
                return true;
            }
        }
        return false;
    }

    /** True when a partition was open at some time in [{@code fromMillis}, {@code toMillis}). */
    public boolean wasPartitioned(long fromMillis, long toMillis) {
        return config.partitions().stream().anyMatch(p -> p.startMillis() < toMillis && p.endMillis() > fromMillis);
    }

    public Host host(InetSocketAddress address) {
        int n = VirtualAddresses.hostNumber(address);
        Host h = n >= 1 && n < hosts.size() ? hosts.get(n) : null;
        if (h != null && (h.address == address || h.address.equals(address))) { // no shortcut in equals
            return h;
        }
        return chosenAddresses.isEmpty() ? null : chosenAddresses.get(address);
    }

    /**
     * Sends {@code message} from {@code from}; it arrives later, or never. Draws (loss, jitter)
     * come from the sender's lane, and the delivery is an event of the receiver's lane.
     */
    public void send(Host from, InetSocketAddress to, M message) {
        Lane lane = sim.lane(from.lane);
        Traffic t = traffic[lane.index()];
        byte[] datagram = config.encodeMessages() ? wire.encode(message) : null;
        t.datagramsSent++;
        long[] kind = t.countsOf(message.getClass());
        kind[0]++;
        Host dest = host(to);
        long now = lane.nowMillis();
        Random draws = lane.random();
        if (dest == null || isCut(from, dest, now) || (config.loss() > 0 && draws.nextDouble() < config.loss())) {
            t.datagramsLost++;
            t.addBytes(kind, sizeOf(datagram, message));
            return;
        }
        if (receivers.get(dest.number) == null) {
            // Nobody listening there now: dropped at once rather than at arrival, which saves an
            // event per request to a departed peer (a quarter of all requests under heavy churn).
            // Only a peer returning within the flight time (~0.1 s) would have got it.
            t.addBytes(kind, sizeOf(datagram, message));
            return;
        }
        double delay = latency.oneWayMillis(from, dest);
        // A datagram that needs no size now (no uplink to queue on, no bytes encoded) is sized on
        // arrival, where the receiver reads its contacts anyway: sizing an answer reads each of
        // its twenty contacts, and at the sender none of them is in the cache.
        boolean sizeOnArrival = datagram == null && config.uplinkBytesPerSecond() == 0;
        if (!sizeOnArrival) {
            int size = sizeOf(datagram, message);
            t.addBytes(kind, size);
            delay += uplinkWaitMillis(from, size, now);
        }
        if (config.meanJitterMillis() > 0) {
            delay -= config.meanJitterMillis() * Math.log(1 - draws.nextDouble());
        }
        InetSocketAddress source = from.address;
        M delivered = config.encodeMessages() ? wire.decode(datagram) : message;
        long at = now + Math.round(delay);
        if (sizeOnArrival) {
            sim.post(lane, sim.lane(dest.lane), at, () -> countAndDeliver(dest, source, delivered));
        } else {
            sim.post(lane, sim.lane(dest.lane), at, () -> deliver(dest, source, delivered));
        }
    }

    private int sizeOf(byte[] datagram, M message) {
        return datagram != null ? datagram.length : wire.encodedSize(message);
    }

    /** Counts a datagram's bytes as sent (in the receiving lane's counts: the sums are the same), then delivers it. */
    private void countAndDeliver(Host dest, InetSocketAddress source, M message) {
        Traffic t = traffic[dest.lane];
        t.addBytes(t.countsOf(message.getClass()), wire.encodedSize(message));
        deliver(dest, source, message);
    }

    private void deliver(Host dest, InetSocketAddress source, M message) {
        BiConsumer<InetSocketAddress, M> receiver = receivers.get(dest.number);
        if (receiver != null) {
            receiver.accept(source, message);
        }
    }

    /** Queues {@code size} bytes on the sender's uplink; answers how long until the last byte leaves. */
    private double uplinkWaitMillis(Host from, int size, long now) {
        if (config.uplinkBytesPerSecond() == 0) {
            return 0;
        }
        double start = Math.max(now, from.uplinkFreeAtMillis);
        from.uplinkFreeAtMillis = start + size * 1000.0 / config.uplinkBytesPerSecond();
        return from.uplinkFreeAtMillis - now;
    }

    public long datagramsSent() {
        long n = 0;
        for (Traffic t : traffic) {
            n += t.datagramsSent;
        }
        return n;
    }

    public long bytesSent() {
        long n = 0;
        for (Traffic t : traffic) {
            n += t.bytesSent;
        }
        return n;
    }

    /** Datagrams and bytes sent so far per message type (simple class name), sorted by name. */
    public SortedMap<String, long[]> sentByKind() {
        SortedMap<String, long[]> out = new TreeMap<>();
        for (Traffic t : traffic) {
            for (int i = 0; i < t.kinds.length; i++) {
                out.merge(t.kinds[i].getSimpleName(), t.sentByKind[i].clone(),
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return out;
    }

    public long datagramsLost() {
        long n = 0;
        for (Traffic t : traffic) {
            n += t.datagramsLost;
        }
        return n;
    }

    /** One-way delay between two hosts without jitter or queueing: what a transfer connection's bytes take to cross. */
    public double oneWayMillis(Host a, Host b) {
        return latency.oneWayMillis(a, b);
    }

    /**
     * The median round trip, without jitter or queueing, between {@code pairs} pairs of distinct
     * hosts drawn by {@code draws} from all hosts made so far; 0 with fewer than two. What no
     * request can beat on average: the limit a lookup's latency is measured against.
     */
    public double medianRoundTripMillis(int pairs, java.util.Random draws) {
        int n = hosts.size() - 1; // host numbers start at 1
        if (n < 2) {
            return 0;
        }
        double[] rtts = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            int a = 1 + draws.nextInt(n);
            int b = 1 + draws.nextInt(n - 1);
            rtts[i] = baseRoundTripMillis(hosts.get(a), hosts.get(b >= a ? b + 1 : b));
        }
        java.util.Arrays.sort(rtts);
        return rtts[pairs / 2];
    }

    /** Round-trip time between two hosts without jitter or queueing, for tests and reports. */
    public double baseRoundTripMillis(Host a, Host b) {
        return 2 * latency.oneWayMillis(a, b);
    }
}
