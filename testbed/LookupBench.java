import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.LookupResult;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.net.DhtServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lookup latency from one test bed host, next to the limit measured in the same run: the round
 * trip to the bootstrap host (median TCP connect time to its transfer port, one round trip).
 *   java -cp p2p.jar LookupBench.java BOOT_HOST:PORT LOOKUPS
 */
public class LookupBench {
    public static void main(String[] args) throws Exception {
        String[] hp = args[0].split(":");
        InetSocketAddress boot = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        int n = Integer.parseInt(args[1]);
        long[] rtt = new long[50];
        for (int i = 0; i < rtt.length; i++) {
            long t0 = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(boot, 5_000);
            }
            rtt[i] = System.nanoTime() - t0;
        }
        Arrays.sort(rtt);
        SecureRandom random = new SecureRandom();
        DhtServer dht = DhtServer.start(Identity.generate(random), DhtConfig.defaults(), new InetSocketAddress("0.0.0.0", 0), null,
                null, Reachability.Mode.AUTO);
        try {
            dht.bootstrap(List.of(boot)).get(30, TimeUnit.SECONDS);
            long[] ms = new long[n];
            int hops = 0;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                LookupResult r = dht.lookupNode(NodeId.random(random)).get(60, TimeUnit.SECONDS);
                ms[i] = System.nanoTime() - t0;
                hops += r.hops();
            }
            Arrays.sort(ms);
            System.out.printf("lookups: %d, p50 %.1f ms, p99 %.1f ms, mean hops %.2f; limit (RTT to the bootstrap host, median "
                    + "TCP connect) %.2f ms; p50 = %.1f RTTs%n", n, ms[n / 2] / 1e6, ms[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e6,
                    hops / (double) n, rtt[rtt.length / 2] / 1e6, ms[n / 2] / (double) rtt[rtt.length / 2]);
        } finally {
            dht.close();
        }
    }
}
