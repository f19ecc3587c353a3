package dev.p2p.dht.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.DhtStats;
import dev.p2p.dht.Identity;
import dev.p2p.dht.LookupResult;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A UDP flood from one source (about 20,000 datagrams a second, 80 times what one source may send):
 * the node answers it only within its allowance and keeps serving honest peers meanwhile.
 */
class FloodTest {
    final List<DhtServer> servers = new ArrayList<>();
    EventLoopGroup loops = new NioEventLoopGroup(2);

    @AfterEach
    void stop() {
        servers.forEach(DhtServer::close);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void floodFromOneSourceIsCappedWhileHonestLookupsSucceed() throws Exception {
        SecureRandom keys = new SecureRandom();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        for (int i = 0; i < 16; i++) {
            servers.add(DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), any, loops, null));
        }
        DhtServer victim = servers.get(0);
        for (DhtServer s : servers.subList(1, servers.size())) {
            s.bootstrap(List.of(victim.localAddress())).get(10, TimeUnit.SECONDS);
        }
        int perSecond = DhtConfig.defaults().maxDatagramsPerSecondPerSource();
        Random r = new Random(9);
        AtomicInteger answers = new AtomicInteger();
        long floodStart;
        long floodNanos;
        int sent = 0;
        try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            flooder.setSoTimeout(200);
            Thread counter = new Thread(() -> {
                byte[] buf = new byte[4096];
                while (!flooder.isClosed()) {
                    try {
                        flooder.receive(new DatagramPacket(buf, buf.length));
                        answers.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // keep listening
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            counter.start();
            floodStart = System.nanoTime();
            List<LookupResult> honest = new ArrayList<>();
            // honest lookups through the victim's neighbours run while the flood goes on
            var pending = new ArrayList<java.util.concurrent.CompletableFuture<LookupResult>>();
            for (int i = 0; i < 40_000; i++) {
                byte[] find = Codec.encode(new Message.FindNode(new Message.Header(i, NodeId.random(r), false), NodeId.random(r)));
                flooder.send(new DatagramPacket(find, find.length, victim.localAddress()));
                sent++;
                if (i % 200 == 199) {
                    Thread.sleep(10); // about 20,000 datagrams a second: 80 times the allowance of one source
                }
                if (i % 2_000 == 0) {
                    DhtServer from = servers.get(1 + r.nextInt(servers.size() - 1));
                    pending.add(from.lookupNode(victim.id()));
                }
            }
            floodNanos = System.nanoTime() - floodStart;
            for (var p : pending) {
                honest.add(p.get(30, TimeUnit.SECONDS));
            }
            Thread.sleep(500);
            flooder.close();
            counter.join();
            long found = honest.stream().filter(LookupResult::foundTarget).count();
            // Lookups send each query once: on a shared 2-core machine the kernel may still drop an
            // honest datagram among 20,000 a second, so allow one lost lookup in ten, not more.
            assertTrue(found >= honest.size() * 9 / 10, "honest lookups of the flooded node that succeeded: " + found + " of " + honest.size());
        }
        DhtStats stats = victim.onLoop(n -> n.stats()).get();
        double seconds = (System.nanoTime() - floodStart) / 1e9;
        long allowance = (long) (2 * perSecond + perSecond * seconds);
        assertTrue(answers.get() <= allowance, answers.get() + " answers to the flooder, allowance " + allowance);
        assertTrue(stats.rateLimited > sent / 2, "dropped " + stats.rateLimited + " of " + sent + " in " + floodNanos / 1e6 + " ms");
    }
}
