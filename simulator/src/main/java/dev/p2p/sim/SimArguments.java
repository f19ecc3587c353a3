package dev.p2p.sim;

import dev.p2p.sim.engine.Durations;
import java.nio.file.Path;

/**
 * The simulator's command line: {@code SCENARIO [--seed N] [--out DIR] [--peers N] [--duration D]
 * [--threads N]}. Each option may also be written {@code --name=value}. {@code --threads} only
 * changes how fast a run goes, never its results.
 */
record SimArguments(Path scenario, Long seed, Path out, Integer peers, Long durationMillis, Integer threads, boolean help) {
    static final String USAGE =
            "usage: p2p sim SCENARIO [--seed N] [--out DIR] [--peers N] [--duration D like 90m or 2h] [--threads N]";

    /** Thrown for a command line that cannot be understood; the message is one line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static SimArguments parse(String[] args) throws UsageException {
        Path scenario = null;
        Long seed = null;
        Path out = null;
        Integer peers = null;
        Long duration = null;
        Integer threads = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new SimArguments(null, null, null, null, null, null, true);
            }
            if (!arg.startsWith("--")) {
                if (scenario != null) {
                    throw new UsageException("only one scenario file, got '" + scenario + "' and '" + arg + "'");
                }
                scenario = Path.of(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value");
            }
            switch (name) {
                case "--seed" -> seed = number(name, value);
                case "--out" -> out = Path.of(value);
                case "--peers" -> peers = peers(value);
                case "--duration" -> duration = duration(value);
                case "--threads" -> threads = threads(value);
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (scenario == null) {
            throw new UsageException("a scenario file is required");
        }
        return new SimArguments(scenario, seed, out, peers, duration, threads, false);
    }

    private static long number(String name, String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a whole number, got '" + value + "'");
        }
    }

    private static int peers(String value) throws UsageException {
        long n = number("--peers", value);
        if (n < 1 || n > 1_000_000) {
            throw new UsageException("--peers must be between 1 and 1000000, got " + n);
        }
        return (int) n;
    }

    private static int threads(String value) throws UsageException {
        long n = number("--threads", value);
        if (n < 1 || n > 256) {
            throw new UsageException("--threads must be between 1 and 256, got " + n);
        }
        return (int) n;
    }

    private static long duration(String value) throws UsageException {
        try {
            return Durations.parseMillis(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--duration " + e.getMessage());
        }
    }
}
