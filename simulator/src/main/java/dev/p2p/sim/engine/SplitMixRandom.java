package dev.p2p.sim.engine;

import java.util.Random;

/**
 * A {@link Random} driven by SplitMix64: deterministic for a seed, and without the atomic
 * update {@code java.util.Random} pays on every draw. Not for cryptography (neither is the
 * simulator's use of it: virtual keys only need to be distinct and replayable).
 */
public final class SplitMixRandom extends Random {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    public SplitMixRandom(long seed) {
        super(0);
        this.state = seed;
    }

    @Override
    public void setSeed(long seed) {
        this.state = seed; // called once by Random's constructor, before our field initialisers
    }

    @Override
    public long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    @Override
    protected int next(int bits) {
        return (int) (nextLong() >>> (64 - bits));
    }

    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            long r = nextLong();
            for (int n = Math.min(bytes.length - i, 8); n-- > 0; r >>>= 8) {
                bytes[i++] = (byte) r;
            }
        }
    }

    /** The SplitMix64 finaliser: a bijection that spreads every input bit over the output. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
