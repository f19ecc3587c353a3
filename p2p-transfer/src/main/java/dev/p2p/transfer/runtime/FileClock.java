package dev.p2p.transfer.runtime;

import java.util.concurrent.TimeUnit;

/** The clock the file system stamps file times with: the machine's wall clock. */
public final class FileClock {
    private FileClock() {}

    /** Nanoseconds since the epoch, to compare with a file's mtime or ctime. */
    public static long nowNanos() {
        return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    }
}
