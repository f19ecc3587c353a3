package dev.p2p.cli.ui;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress report on stderr: bar, percentage, bytes, rate, ETA and peers. On a terminal
 * it redraws in place; otherwise (a pipe, a log file) it prints a plain line every few seconds.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream err;
    private final String label;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastDraw;
    private long startBytes = -1;
    private boolean drawn;

    public ProgressBar(PrintStream err, String label, boolean terminal) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
    }

    /** Redraws if enough time passed; {@code peers} < 0 leaves the peer count out. */
    public synchronized void update(long done, long total, int peers) {
        if (total <= 0) {
            return; // nothing known yet (e.g. the manifest has not arrived)
        }
        long now = System.nanoTime();
        if (startBytes < 0) {
            startBytes = done;
        }
        long every = terminal ? 200_000_000L : PLAIN_EVERY_NANOS;
        if (now - lastDraw < every && done < total) {
            return;
        }
        lastDraw = now;
        err.print((terminal ? "\r" : "") + line(done, total, peers, now) + (terminal ? "\033[K" : "\n"));
        err.flush();
        drawn = true;
    }

    /** Ends the line the bar was drawing on, once: later calls print nothing. */
    public synchronized void finish() {
        if (drawn && terminal) {
            err.println();
        }
        drawn = false;
    }

    String line(long done, long total, int peers, long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = (done - Math.max(0, startBytes)) / seconds;
        double fraction = total <= 0 ? 0 : Math.min(1, done / (double) total);
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder s = new StringBuilder(label).append(" [");
        s.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
        s.append(String.format(Locale.ROOT, "%3.0f%% %s/%s %s/s", fraction * 100, bytes(done), bytes(total), bytes((long) rate)));
        if (rate > 0 && done < total) {
            s.append(" ETA ").append(duration((long) ((total - done) / rate)));
        }
        if (peers >= 0) {
            s.append(" peers ").append(peers);
        }
        return s.toString();
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
