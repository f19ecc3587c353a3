package dev.p2p.cli;

import dev.p2p.dht.store.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
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
            FileHandler file = new FileHandler(dataDir.resolve(FILE_NAME).toString(), 10 * 1024 * 1024, 2, true);
            file.setFormatter(new SimpleFormatter());
            root.addHandler(file);
        } catch (IOException | RuntimeException e) {
            // no log file (read-only data dir): carry on, errors still reach the user as one line
        }
        Logger state = StateFiles.warnings();
        if (!verbose) {
            ConsoleHandler warnings = new ConsoleHandler();
            warnings.setLevel(Level.WARNING);
            warnings.setFormatter(new Formatter() {
                @Override
                public String format(LogRecord r) {
                    return "p2p: warning: " + r.getMessage() + System.lineSeparator();
                }
            });
            state.addHandler(warnings);
        }
        if (verbose) {
            ConsoleHandler console = new ConsoleHandler();
            console.setLevel(Level.FINE);
            console.setFormatter(new SimpleFormatter());
            root.addHandler(console);
        }
    }

    public static Logger get(Class<?> c) {
        return Logger.getLogger(c.getName());
    }
}
