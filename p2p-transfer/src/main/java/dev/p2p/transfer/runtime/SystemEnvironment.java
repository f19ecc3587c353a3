package dev.p2p.transfer.runtime;

import dev.p2p.transfer.TransferEnvironment;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The real machine: {@link System#nanoTime}, a daemon thread per download timer, generators seeded from SecureRandom. */
public final class SystemEnvironment implements TransferEnvironment {
    public static final SystemEnvironment INSTANCE = new SystemEnvironment();

    private final SecureRandom seeds = new SecureRandom();

    private SystemEnvironment() {}

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public ScheduledExecutorService newTimer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Random newRandom() {
        synchronized (seeds) {
            return new Random(seeds.nextLong());
        }
    }
}
