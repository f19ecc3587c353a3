package dev.p2p.dht;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How many nodes the network has, estimated from the distances of lookups' closest results, and
 * from it how close to a key an honest node can plausibly be (after Pruenster et al., 2022,
 * "Total Eclipse of the Heart", for IPFS). With n random ids the i-th closest to any key lies
 * about i/n of the id space away; each finished lookup gives one estimate of n (a least-squares
 * fit of its result distances), and the median of the last {@value #SAMPLES} is used, so the
 * lookups of the one key an attacker crowds with ids barely move it.
 *
 * <p>A node at less than 1/{@value #SUSPICION_FACTOR} of the expected closest distance is
 * suspiciously close: with random ids that happens for about one key in {@value #SUSPICION_FACTOR}
 * (then a lookup merely asks one node more), while ids ground to sit next to a key land there.
 * Lookups do not count such nodes among the k closest they must reach ({@link #suspicionFloor}),
 * so they go on past an attacker's cluster to the honest nodes beyond it, and announcing stores
 * records there too.
 */
final class NetworkSizeEstimate {
    static final int SAMPLES = 32;
    /** Suspiciously close contacts an answer names at most; the rest of it goes to those beyond. */
    static final int MAX_SUSPICIOUS_NAMED = 4;
    /** Fewer samples than this give no floor. One is enough: a join lookup of our own id gives it. */
    static final int MIN_SAMPLES = 1;
    static final int SUSPICION_FACTOR = 64;
    private static final double TWO_TO_64 = 0x1p64;

    private final double[] samples = new double[SAMPLES];
    private int count;
    private int next;

    /** Adds the estimate from one lookup's results for {@code target}, closest first (at least 4 needed). */
    void add(NodeId target, List<Contact> closest) {
        if (closest.size() < 4) {
            return;
        }
        double sumSquares = 0;
        double sumWeighted = 0;
        for (int i = 0; i < closest.size(); i++) {
            double d = unsignedFraction(closest.get(i).idWord() ^ target.firstWord());
            sumSquares += (double) (i + 1) * (i + 1);
            sumWeighted += (i + 1) * d;
        }
        if (sumWeighted <= 0) {
            return;
        }
        samples[next] = sumSquares / sumWeighted;
        next = (next + 1) % SAMPLES;
        count = Math.min(count + 1, SAMPLES);
    }

    /** The median estimate of the number of nodes, or 0 before {@value #MIN_SAMPLES} lookups finished. */
    double nodes() {
        if (count < MIN_SAMPLES) {
            return 0;
        }
        double[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }

    /**
     * The first 64 bits of the distance below which a node is suspiciously close to a key (see
     * above); 0, which suspects nobody, while the size is not known.
     */
    long suspicionFloor() {
        double n = nodes();
        if (n < 1) {
            return 0;
        }
        double floor = TWO_TO_64 / n / SUSPICION_FACTOR;
        return floor >= 0x1p63 ? Long.MAX_VALUE : (long) floor;
    }

    /** True when more than {@value #MAX_SUSPICIOUS_NAMED} of {@code contacts} are closer to {@code target} than {@code floor}. */
    static boolean crowded(NodeId target, List<Contact> contacts, long floor) {
        return suspicious(target, contacts, floor) > MAX_SUSPICIOUS_NAMED;
    }

    /**
     * Up to {@code n} of {@code closestFirst}, in order, with at most {@value #MAX_SUSPICIOUS_NAMED}
     * closer to {@code target} than {@code floor}: a cluster gets a few slots of an answer, the
     * nodes beyond it the rest.
     */
    static List<Contact> spreadOut(NodeId target, List<Contact> closestFirst, int n, long floor) {
        List<Contact> out = new ArrayList<>(n);
        int suspicious = 0;
        for (Contact c : closestFirst) {
            if (out.size() == n) {
                break;
            }
            if (isSuspicious(target, c, floor)) {
                if (suspicious++ >= MAX_SUSPICIOUS_NAMED) {
                    continue;
                }
            }
            out.add(c);
        }
        return out;
    }

    private static int suspicious(NodeId target, List<Contact> contacts, long floor) {
        int count = 0;
        for (Contact c : contacts) {
            if (isSuspicious(target, c, floor)) {
                count++;
            }
        }
        return count;
    }

    private static boolean isSuspicious(NodeId target, Contact c, long floor) {
        return Long.compareUnsigned(c.idWord() ^ target.firstWord(), floor) < 0;
    }

    private static double unsignedFraction(long word) {
        double d = (double) (word >>> 1) * 2.0;
        return d / TWO_TO_64;
    }
}
