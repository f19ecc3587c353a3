package dev.p2p.sim.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** Two hosts, and what arrives at the second: senders, messages and arrival times. */
    private record Link(Simulation sim, SimNetwork<String> net, Host a, Host b,
            List<InetSocketAddress> senders, List<String> received, List<Long> arrivals) {}

    private static Link link(NetworkConfig config) {
        Simulation sim = new Simulation(5);
        SimNetwork<String> net = network(sim, config);
        Link l = new Link(sim, net, net.newHost(), net.newHost(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        net.attach(l.b(), (src, msg) -> {
            l.senders().add(src);
            l.received().add(msg);
            l.arrivals().add(sim.nowMillis());
        });
        return l;
    }

    private static NetworkConfig config(double jitter, double loss, long uplink, boolean wire) {
        return new NetworkConfig(5, jitter, loss, uplink, List.of(), wire);
    }

    @Test
    void deliversAfterTheDelayAndCountsBytes() {
        Link l = link(config(0, 0, 0, false));
        l.net().send(l.a(), l.b().address(), "hello");
        l.sim().runUntil(10_000);
        assertEquals(List.of(Math.round(l.net().baseRoundTripMillis(l.a(), l.b()) / 2)), l.arrivals());
        assertEquals(List.of(l.a().address()), l.senders());
        assertEquals(1, l.net().datagramsSent());
        assertEquals(5, l.net().bytesSent());
    }

    @Test
    void countsEveryDatagramsBytesOnceWhetherItArrivesOrNot() {
        Link l = link(config(0, 0.5, 0, false));
        Host nobody = l.net().newHost();
        for (int i = 0; i < 1_000; i++) {
            l.net().send(l.a(), l.b().address(), "abc"); // half of them lost
        }
        l.net().send(l.a(), nobody.address(), "dropped");
        l.net().detach(l.b()); // the rest arrive to nobody
        l.sim().runUntil(10_000);
        assertTrue(l.received().isEmpty());
        assertEquals(1_001, l.net().datagramsSent());
        assertEquals(3_007, l.net().bytesSent());
        assertArrayEquals(new long[] {1_001, 3_007}, l.net().sentByKind().get("String"));
    }

    @Test
    void wireModeDeliversWhatTheBytesDecodeTo() {
        Link l = link(config(0, 0, 0, true));
        String sent = new String("héllo");
        l.net().send(l.a(), l.b().address(), sent);
        l.sim().runUntil(10_000);
        assertEquals(List.of("héllo"), l.received());
        assertTrue(l.received().get(0) != sent, "a decoded copy, not the sent object");
        assertEquals(6, l.net().bytesSent());
    }

    @Test
    void losesTheConfiguredShare() {
        Link l = link(config(2, 0.1, 0, false));
        for (int i = 0; i < 50_000; i++) {
            l.net().send(l.a(), l.b().address(), "x");
        }
        l.sim().runUntil(10_000);
        assertEquals(0.9, l.received().size() / 50_000.0, 0.005);
        assertEquals(50_000 - l.received().size(), l.net().datagramsLost());
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
        Link l = link(config(0, 0, 1_000, false));
        for (int i = 0; i < 10; i++) {
            l.net().send(l.a(), l.b().address(), "x".repeat(100));
        }
        l.sim().runUntil(60_000);
        assertEquals(900, l.arrivals().get(9) - l.arrivals().get(0), 1, "100 ms of uplink per 100-byte datagram");
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
