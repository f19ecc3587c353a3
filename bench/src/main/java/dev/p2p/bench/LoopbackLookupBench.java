package dev.p2p.bench;

import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.LookupResult;
import dev.p2p.dht.net.DhtServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Lookup latency across 64 DHT nodes on 127.0.0.1, next to the limit measured in the same run:
 * the round trip of a bare UDP echo on loopback (a lookup is a few sequential round trips).
 */
final class LoopbackLookupBench {
    static final int NODES = 64;
    static final int LOOKUPS = 1000;

    static void run() throws Exception {
        double udpRttMicros = udpEchoRttMicros(5000);
        EventLoopGroup loops = new NioEventLoopGroup(2);
        List<DhtServer> servers = new ArrayList<>();
        try {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            SecureRandom keys = new SecureRandom();
            for (int i = 0; i < NODES; i++) {
                servers.add(DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), any, loops, null));
            }
            for (DhtServer s : servers.subList(1, NODES)) {
                s.bootstrap(List.of(servers.get(0).localAddress())).get(30, TimeUnit.SECONDS);
            }
            for (DhtServer s : servers) {
                s.lookupNode(s.id()).get(30, TimeUnit.SECONDS);
            }
            Random r = new Random(5);
            long[] micros = new long[LOOKUPS];
            int found = 0;
            int hops = 0;
            for (int i = 0; i < LOOKUPS; i++) {
                DhtServer from = servers.get(r.nextInt(NODES));
                DhtServer to = servers.get(r.nextInt(NODES));
                long t0 = System.nanoTime();
                LookupResult res = from.lookupNode(to.id()).get(30, TimeUnit.SECONDS);
                micros[i] = (System.nanoTime() - t0) / 1000;
                found += res.foundTarget() || from == to ? 1 : 0;
                hops += res.hops();
            }
            Arrays.sort(micros);
            long p50 = micros[LOOKUPS / 2];
            long p99 = micros[LOOKUPS * 99 / 100];
            System.out.printf("lookup latency, %d nodes on loopback, %d lookups: p50 %.2f ms, p99 %.2f ms, found %d/%d, mean hops %.2f%n",
                    NODES, LOOKUPS, p50 / 1000.0, p99 / 1000.0, found, LOOKUPS, hops / (double) LOOKUPS);
            System.out.printf("limit: bare UDP echo round trip on loopback p50 %.1f us%n", udpRttMicros);
            System.out.printf("ratio: lookup p50 = %.1f round trips, p99 = %.1f round trips%n",
                    p50 / udpRttMicros, p99 / udpRttMicros);
        } finally {
            servers.forEach(DhtServer::close);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Median round trip of a 100-byte datagram to an echo thread on loopback, in microseconds. */
    static double udpEchoRttMicros(int rounds) throws Exception {
        try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[2048];
                try {
                    while (!echo.isClosed()) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        echo.receive(p);
                        echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    }
                } catch (Exception closed) {
                    // socket closed: done
                }
            });
            t.setDaemon(true);
            t.start();
            byte[] payload = new byte[100];
            byte[] in = new byte[2048];
            long[] samples = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                client.send(new DatagramPacket(payload, payload.length, echo.getLocalSocketAddress()));
                client.receive(new DatagramPacket(in, in.length));
                samples[i] = System.nanoTime() - t0;
            }
            Arrays.sort(samples);
            return samples[rounds / 2] / 1000.0;
        }
    }

    private LoopbackLookupBench() {}
}
