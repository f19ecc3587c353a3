package dev.p2p.cli;

import dev.p2p.dht.store.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Logs go to {@code p2p.log} in the data directory; {@code --verbose} also shows them on stderr.
 * Warnings about the node's own files set aside as damaged ({@link StateFiles}) are shown on stderr
 * always, one line each.
 */
public final class Logs {
    public static final String FILE_NAME = "p2p.log";

    private Logs() {}

    public static void setup(Path dataDir, boolean verbose) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(verbose ? Level.FINE : Level.INFO);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException | RuntimeException e) {
            // no log file (read-only data dir): carry on, errors still reach the user as one line
        }
        root.addHandler(new LogFile(dataDir.resolve(FILE_NAME)));
        Logger state = StateFiles.warnings();
        if (!verbose) {
            state.addHandler(new Warnings());
        }
        if (verbose) {
            ConsoleHandler console = new ConsoleHandler();
            console.setLevel(Level.FINE);
            console.setFormatter(new SimpleFormatter());
            root.addHandler(console);
        }
    }

    /**
     * One line on stderr per warning. Not a {@link java.util.logging.ConsoleHandler}: its default
     * {@link SimpleFormatter}, made in its constructor, loads the time zone and locale data.
     */
    private static final class Warnings extends Handler {
        Warnings() {
            setLevel(Level.WARNING);
        }

        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                System.err.print("p2p: warning: " + r.getMessage() + System.lineSeparator());
                System.err.flush();
            }
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            // stderr stays open
        }
    }

    /**
     * {@code p2p.log}, opened at the first record: most client commands log nothing, and opening a
     * {@link FileHandler} (its lock file, the file in append mode) was a tenth of their start.
     */
    private static final class LogFile extends Handler {
        private final Path path;
        private FileHandler file;
        private boolean unopenable;

        LogFile(Path path) {
            this.path = path;
        }

        @Override
        public synchronized void publish(LogRecord r) {
            if (!isLoggable(r) || unopenable) {
                return;
            }
            if (file == null) {
                try {
                    file = new FileHandler(path.toString(), 10 * 1024 * 1024, 2, true);
                    file.setFormatter(new SimpleFormatter());
                } catch (IOException | RuntimeException e) {
                    unopenable = true; // no log file (read-only data dir): errors still reach the user as one line
                    return;
                }
            }
            file.publish(r);
        }

        @Override
        public synchronized void flush() {
            if (file != null) {
                file.flush();
            }
        }

        @Override
        public synchronized void close() {
            if (file != null) {
                file.close();
            }
        }
    }

    public static Logger get(Class<?> c) {
        return Logger.getLogger(c.getName());
    }
}
