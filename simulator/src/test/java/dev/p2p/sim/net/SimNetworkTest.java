package dev.p2p.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.node.WireFormat;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
    /** Strings as their UTF-8 bytes. */
    private static final WireFormat<String> TEXT = new WireFormat<>() {
        public byte[] encode(String message) {
            return message.getBytes(StandardCharsets.UTF_8);
        }

        public String decode(byte[] datagram) {
            return new String(datagram, StandardCharsets.UTF_8);
        }
    };

    private static SimNetwork<String> network(Simulation sim, NetworkConfig config) {
        return new SimNetwork<>(sim, config, TEXT);
    }

    @Test
    void roundTripsLookLikeTheInternets() {
        Simulation sim = new Simulation(5);
        SimNetwork<String> net = network(sim, NetworkConfig.defaults());
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            hosts.add(net.newHost());
        }
        double[] rtt = new double[20_000];
        for (int i = 0; i < rtt.length; i++) {
            Host a = hosts.get(sim.random().nextInt(hosts.size()));
            Host b = hosts.get(sim.random().nextInt(hosts.size()));
            rtt[i] = net.baseRoundTripMillis(a, b);
        }
        Arrays.sort(rtt);
        double median = rtt[rtt.length / 2];
        assertTrue(median > 60 && median < 200, "median RTT " + median);
        assertTrue(rtt[rtt.length / 20] < 40, "5th percentile " + rtt[rtt.length / 20]);
        assertTrue(rtt[rtt.length - 1] < 450, "max " + rtt[rtt.length - 1]);
    }

    @Test
    void deliversAfterTheDelayAndCountsBytes() {
        Simulation sim = new Simulation(5);
        SimNetwork<String> net = network(sim, new NetworkConfig(5, 0, 0, 0, List.of(), false));
        Host a = net.newHost();
        Host b = net.newHost();
        long[] arrivedAt = {-1};
        InetSocketAddress[] from = {null};
        net.attach(b, (src, msg) -> {
            arrivedAt[0] = sim.nowMillis();
            from[0] = src;
        });
        net.send(a, b.address(), "hello");
        sim.runUntil(10_000);
        assertEquals(Math.round(net.baseRoundTripMillis(a, b) / 2), arrivedAt[0]);
        assertEquals(a.address(), from[0]);
        assertEquals(1, net.datagramsSent());
        assertEquals(5, net.bytesSent());
    }

    @Test
    void wireModeDeliversWhatTheBytesDecodeTo() {
        Simulation sim = new Simulation(5);
        SimNetwork<String> net = network(sim, new NetworkConfig(5, 0, 0, 0, List.of(), true));
        Host a = net.newHost();
        Host b = net.newHost();
        String sent = new String("héllo");
        List<String> received = new ArrayList<>();
        net.attach(b, (src, msg) -> received.add(msg));
        net.send(a, b.address(), sent);
        sim.runUntil(10_000);
        assertEquals(List.of("héllo"), received);
        assertTrue(received.get(0) != sent, "a decoded copy, not the sent object");
        assertEquals(6, net.bytesSent());
    }

    @Test
    void losesTheConfiguredShare() {
        Simulation sim = new Simulation(5);
        SimNetwork<String> net = network(sim, new NetworkConfig(5, 2, 0.1, 0, List.of(), false));
        Host a = net.newHost();
        Host b = net.newHost();
        int[] arrived = {0};
        net.attach(b, (src, msg) -> arrived[0]++);
        for (int i = 0; i < 50_000; i++) {
            net.send(a, b.address(), "x");
        }
        sim.runUntil(10_000);
        assertEquals(0.9, arrived[0] / 50_000.0, 0.005);
        assertEquals(50_000 - arrived[0], net.datagramsLost());
    }

    @Test
    void aPartitionCutsAcrossItsSidesUntilItHeals() {
        Simulation sim = new Simulation(5);
        Partition cut = new Partition(1_000, 2_000, 0.5, 99);
        SimNetwork<String> net = network(sim, new NetworkConfig(5, 0, 0, 0, List.of(cut), false));
        List<Host> hosts = new ArrayList<>();
        int sideB = 0;
        for (int i = 0; i < 1_000; i++) {
            Host h = net.newHost();
            hosts.add(h);
            sideB += cut.onSideB(h.number()) ? 1 : 0;
        }
        assertEquals(500, sideB, 50, "about half the hosts on each side");
        Host a = hosts.stream().filter(h -> !cut.onSideB(h.number())).findFirst().orElseThrow();
        Host b = hosts.stream().filter(h -> cut.onSideB(h.number())).findFirst().orElseThrow();
        int[] arrived = {0};
        net.attach(b, (src, msg) -> arrived[0]++);
        net.send(a, b.address(), "before");
        sim.runUntil(1_500);
        net.send(a, b.address(), "during");
        sim.runUntil(2_000);
        net.send(a, b.address(), "after");
        sim.runUntil(3_000);
        assertEquals(2, arrived[0]);
        assertTrue(net.isAcrossAnyCut(a, b));
        assertTrue(net.wasPartitioned(1_500, 2_500));
    }

    @Test
    void aSlowUplinkQueuesDatagrams() {
        Simulation sim = new Simulation(5);
        SimNetwork<String> net = network(sim, new NetworkConfig(5, 0, 0, 1_000, List.of(), false));
        Host a = net.newHost();
        Host b = net.newHost();
        List<Long> arrivals = new ArrayList<>();
        net.attach(b, (src, msg) -> arrivals.add(sim.nowMillis()));
        String hundredBytes = "x".repeat(100);
        for (int i = 0; i < 10; i++) {
            net.send(a, b.address(), hundredBytes);
        }
        sim.runUntil(60_000);
        assertEquals(900, arrivals.get(9) - arrivals.get(0), 1, "100 ms of uplink per 100-byte datagram");
    }

    @Test
    void datagramsToNobodyOrUnknownAddressesVanish() {
        Simulation sim = new Simulation(5);
        SimNetwork<String> net = network(sim, NetworkConfig.defaults());
        Host a = net.newHost();
        Host b = net.newHost();
        net.send(a, b.address(), "nobody listens");
        net.send(a, VirtualAddresses.of(12345), "no such host");
        sim.runUntil(10_000);
        assertNull(net.host(VirtualAddresses.of(12345)));
        assertEquals(1, net.datagramsLost());
        assertEquals(b, net.host(VirtualAddresses.of(b.number())));
    }
}
