package dev.p2p.transfer;

import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the transfer side takes from its surroundings instead of reaching for it: the time, a
 * download's timer thread and its random draws. Production passes
 * {@link dev.p2p.transfer.runtime.SystemEnvironment}; a test or a simulator passes its own clock,
 * executor and seeded generator, as the DHT's {@code Environment} does for the DHT.
 */
public interface TransferEnvironment {
    /** Monotonic time in nanoseconds (only differences mean anything). */
    long nanoTime();

    /** A single-threaded scheduler for one download's ticks, named {@code name}; the download shuts it down. */
    ScheduledExecutorService newTimer(String name);

    /** A generator for one download's choices (which peer gets which chunk among equals). */
    Random newRandom();
}
