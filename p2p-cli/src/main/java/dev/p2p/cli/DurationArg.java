package dev.p2p.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads durations like {@code 90s}, {@code 5m}, {@code 2h} or plain seconds ({@code 30}). */
public final class DurationArg implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            String digits = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1);
            long n = Long.parseLong(digits);
            if (n >= 0) {
                switch (unit) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    case 'd': return Duration.ofDays(n);
                    default: if (Character.isDigit(unit)) return Duration.ofSeconds(n);
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration like 30s, 5m, 2h");
    }
}
