package dev.p2p.sim;

import dev.p2p.sim.engine.Durations;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * The line on stderr that shows a run advancing, rewritten in place. The only code in the
 * simulator that reads the wall clock; nothing it measures reaches the run's output files.
 */
final class ProgressLine implements SimulationRun.Progress {
    private static final long REDRAW_NANOS = 500_000_000L;

    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private long peakHeapBytes;

    ProgressLine(PrintStream err) {
        this.err = err;
    }

    @Override
    public void update(long nowMillis, long durationMillis, int onlinePeers, long events) {
        long t = System.nanoTime();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        peakHeapBytes = Math.max(peakHeapBytes, heap.getUsed());
        if (t - lastDrawNanos < REDRAW_NANOS && nowMillis < durationMillis) {
            return;
        }
        lastDrawNanos = t;
        double wall = wallSeconds();
        err.printf(Locale.ROOT, "\rsim %s / %s virtual  online %,d  events %,d  %.1f s wall  %,.0f events/s   ",
                Durations.format(nowMillis / 1000 * 1000), Durations.format(durationMillis), onlinePeers, events,
                wall, events / Math.max(wall, 1e-3));
        err.flush();
    }

    /** Ends the line and prints what the run cost in wall time and memory. */
    void finish(long events) {
        double wall = wallSeconds();
        err.printf(Locale.ROOT, "%ndone: %,d events in %.1f s wall (%,.0f events/s), heap in use peaked near %,d MiB (max %,d MiB)%n",
                events, wall, events / Math.max(wall, 1e-3), peakHeapBytes >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    private double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
