package dev.p2p.bench;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import java.security.MessageDigest;
import java.util.Random;

/**
 * What an id next to a chosen key costs now that ids are bound to keys: Ed25519 key pairs made
 * and hashed to ids per second on one core, with the project's own {@link Identity} (Bouncy
 * Castle), and from it the work for an id sharing b leading bits with a key (2^b key pairs on
 * average). The limit beside it is SHA-256 of 32 bytes, the cheapest possible id: a grinder can
 * never go faster than that. Optimised grinders (batched point additions, GPUs) beat this code
 * by orders of magnitude; docs/ADVERSARIES.md states the budget with that in mind.
 */
final class GrindBench {
    private GrindBench() {}

    static void run() throws Exception {
        Random random = new Random(1);
        measureKeys(random, 2_000); // warm-up
        double keys = measureKeys(random, 5_000);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] data = new byte[32];
        long n = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 3_000_000_000L) {
            data[0] = (byte) n;
            data = sha.digest(data);
            n++;
        }
        double hashes = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf("Ed25519 key pairs hashed to ids: %,.0f /s on one core%n", keys);
        System.out.printf("limit: SHA-256 of 32 bytes: %,.0f /s  (key generation = %.4f x the limit)%n", hashes, keys / hashes);
        for (int bits : new int[] {16, 20, 24, 32, 40}) {
            double seconds = Math.pow(2, bits) / keys;
            System.out.printf("an id sharing %d bits with a chosen key: 2^%d key pairs, %.3g core-seconds (%.3g core-days)%n",
                    bits, bits, seconds, seconds / 86_400);
        }
    }

    private static double measureKeys(Random random, long millis) {
        long n = 0;
        long start = System.nanoTime();
        NodeId sink = null;
        while (System.nanoTime() - start < millis * 1_000_000L) {
            sink = Identity.generate(random).nodeId();
            n++;
        }
        if (sink == null) {
            throw new IllegalStateException("no key made");
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
