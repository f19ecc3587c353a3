package dev.p2p.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads rates in bytes per second: {@code 512K}, {@code 20M}, {@code 1G} (K, M, G are 1024-based;
 * a trailing {@code B}, {@code iB} or {@code /s} may follow), plain bytes ({@code 250000}), or
 * {@code 0} for no limit. A rate under {@link #MIN_BYTES_PER_SECOND} is refused: one 256 KiB chunk
 * would take longer than a peer is given to deliver it.
 */
public final class RateArg implements ITypeConverter<Long> {
    public static final long MIN_BYTES_PER_SECOND = 16 * 1024;
    private static final long MAX_BYTES_PER_SECOND = 1L << 40;
    private static final Pattern RATE = Pattern.compile("(\\d{1,13})(?:\\.(\\d{1,3}))?\\s*([kmg]?)(?:i?b)?(?:/s)?");

    @Override
    public Long convert(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** Bytes per second, 0 for no limit; an {@link IllegalArgumentException} with a one-line message when malformed. */
    public static long parse(String text) {
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            int shift = switch (m.group(3)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            String fraction = m.group(2) == null ? "" : m.group(2);
            double value = Double.parseDouble(m.group(1) + "." + fraction + "0");
            long bytes = (long) (value * (1L << shift));
            if (bytes == 0 || (bytes >= MIN_BYTES_PER_SECOND && bytes <= MAX_BYTES_PER_SECOND)) {
                return bytes;
            }
            throw new IllegalArgumentException("'" + text + "' is outside 16K to 1024G per second (0 for no limit)");
        }
        throw new IllegalArgumentException("'" + text + "' is not a rate like 512K, 20M or 1G (bytes per second; 0 for no limit)");
    }

    /** A limit in words: "512K per second", or "no limit" for 0. */
    public static String describe(long bytesPerSecond) {
        return bytesPerSecond == 0 ? "no limit" : format(bytesPerSecond) + " per second";
    }

    /** {@code bytes} per second as the shortest text {@link #parse} reads back exactly ("0" for no limit). */
    public static String format(long bytes) {
        for (String unit : new String[] {"G", "M", "K"}) {
            int shift = unit.equals("G") ? 30 : unit.equals("M") ? 20 : 10;
            if (bytes != 0 && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + unit;
            }
        }
        return Long.toString(bytes);
    }
}
