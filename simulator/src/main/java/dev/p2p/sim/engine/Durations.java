package dev.p2p.sim.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints virtual durations such as {@code 250ms}, {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * The duration in milliseconds.
     *
     * @throws IllegalArgumentException when {@code text} is not one or more number-unit parts
     */
    public static long parseMillis(String text) {
        String s = text.trim();
        Matcher m = PART.matcher(s);
        long total = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            total += Math.round(Double.parseDouble(m.group(1)) * unitMillis(m.group(2)));
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            throw new IllegalArgumentException("expected a duration like 250ms, 90s, 30m or 2h, got '" + text + "'");
        }
        return total;
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
    }

    /** The shortest exact form, e.g. {@code 1h30m}, {@code 45s}, {@code 1500ms}. */
    public static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long s = millis / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
