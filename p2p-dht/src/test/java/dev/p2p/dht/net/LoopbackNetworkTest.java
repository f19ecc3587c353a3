package dev.p2p.dht.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.BootstrapResult;
import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.LookupResult;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.ProvideResult;
import dev.p2p.dht.ProvidersResult;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 64 real DHT nodes on 127.0.0.1, each on its own UDP port, joined through one bootstrap node. */
class LoopbackNetworkTest {
    static final int NODES = 64;
    static EventLoopGroup loops;
    static final List<DhtServer> servers = new ArrayList<>();
    static final Random random = new Random(42);

    @BeforeAll
    static void startNetwork() throws Exception {
        loops = new NioEventLoopGroup(2);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        SecureRandom keys = new SecureRandom();
        for (int i = 0; i < NODES; i++) {
            servers.add(DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), any, loops, null));
        }
        InetSocketAddress bootstrap = servers.get(0).localAddress();
        List<CompletableFuture<BootstrapResult>> joins = new ArrayList<>();
        for (DhtServer s : servers.subList(1, NODES)) {
            joins.add(s.bootstrap(List.of(bootstrap)));
            Thread.sleep(5); // stagger joins a little, as real peers arrive
        }
        for (CompletableFuture<BootstrapResult> j : joins) {
            assertTrue(j.get(30, TimeUnit.SECONDS).succeeded());
        }
        // a second self-lookup round, as periodic refresh would do, spreads knowledge of late joiners
        List<CompletableFuture<LookupResult>> refresh = new ArrayList<>();
        for (DhtServer s : servers) {
            refresh.add(s.lookupNode(s.id()));
        }
        for (CompletableFuture<LookupResult> r : refresh) {
            r.get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopNetwork() {
        servers.forEach(DhtServer::close);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void lookupOfEveryNodeIdFindsThatNodeFirst() throws Exception {
        List<String> misses = new ArrayList<>();
        for (DhtServer target : servers) {
            DhtServer from = servers.get(random.nextInt(NODES));
            if (from == target) {
                continue;
            }
            LookupResult r = from.lookupNode(target.id()).get(30, TimeUnit.SECONDS);
            if (!r.foundTarget()) {
                misses.add(target.id().shortHex() + " from " + from.id().shortHex() + " got " + r.closest());
            }
        }
        assertEquals(List.of(), misses);
    }

    @Test
    void providedContentIsFoundFromEveryOtherNode() throws Exception {
        int contents = 200;
        List<NodeId> keys = new ArrayList<>();
        List<DhtServer> providers = new ArrayList<>();
        List<CompletableFuture<ProvideResult>> announces = new ArrayList<>();
        for (int i = 0; i < contents; i++) {
            NodeId key = NodeId.random(random);
            DhtServer provider = servers.get(random.nextInt(NODES));
            keys.add(key);
            providers.add(provider);
            // A record names the provider's one port, where it answers DHT datagrams and transfer
            // connections alike (docs/DHT-PROTOCOL.md); searchers check the record there.
            announces.add(provider.provide(key, provider.localAddress().getPort()));
            if (announces.size() % 10 == 0) {
                // ten announcements at a time, as ten users sharing at once; not 4,000 stores in one burst
                for (CompletableFuture<ProvideResult> a : announces.subList(announces.size() - 10, announces.size())) {
                    a.get(30, TimeUnit.SECONDS);
                }
            }
        }
        for (CompletableFuture<ProvideResult> a : announces) {
            ProvideResult r = a.get(30, TimeUnit.SECONDS);
            assertTrue(r.stored() >= 10, "announcement stored on " + r.stored() + " of " + r.asked() + " nodes");
        }
        int lookups = 0;
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < contents; i++) {
            // every other node tried: a rotating sample of 8 searchers per content keeps the run short
            for (int j = 1; j <= 8; j++) {
                DhtServer searcher = servers.get((i * 8 + j * 7) % NODES);
                if (searcher == providers.get(i)) {
                    continue;
                }
                ProvidersResult r = searcher.findProviders(keys.get(i), 1).get(30, TimeUnit.SECONDS);
                lookups++;
                InetSocketAddress expectedAt = providers.get(i).localAddress();
                NodeId expected = providers.get(i).id();
                boolean found = r.providers().stream()
                        .anyMatch(p -> p.nodeId().equals(expected) && p.address().equals(expectedAt));
                if (!found) {
                    misses.add(keys.get(i).shortHex() + " from " + searcher.id().shortHex());
                }
            }
        }
        assertEquals(List.of(), misses, "provider lookups that missed, of " + lookups);
    }
}
