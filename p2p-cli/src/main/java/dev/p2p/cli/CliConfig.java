package dev.p2p.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The config file ({@code ~/.config/p2p/config.properties} or {@code --config FILE}), Java
 * properties:
 * <pre>
 * bootstrap = 192.0.2.7:24100, 198.51.100.3:24100
 * port = 24100
 * upload-rate = 0          # bytes per second, 0 = unlimited
 * </pre>
 * Unknown keys are an error, so a typo does not pass silently.
 */
public record CliConfig(List<String> bootstrap, Integer port, long uploadRate) {
    private static final Set<String> KEYS = Set.of("bootstrap", "port", "upload-rate");
    private static final long MAX_FILE_BYTES = 64 * 1024;

    public static CliConfig empty() {
        return new CliConfig(List.of(), null, 0);
    }

    public static CliConfig load(Path file, boolean mustExist) {
        if (!Files.exists(file)) {
            if (mustExist) {
                throw new UserError(ExitCode.USAGE, "config file " + file + " does not exist");
            }
            return empty();
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UserError(ExitCode.USAGE, "config file " + file + " is over 64 KiB; is it the right file?");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), "config file " + file);
        } catch (IOException e) {
            throw new UserError(ExitCode.USAGE, "cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** Parses config text; {@code origin} names it in error messages. */
    public static CliConfig parse(String text, String origin) {
        if (text.length() > MAX_FILE_BYTES) {
            throw new UserError(ExitCode.USAGE, origin + " is over 64 KiB");
        }
        Properties p = new Properties();
        try (Reader r = new StringReader(text)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "cannot read " + origin + ": " + e.getMessage());
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new UserError(ExitCode.USAGE, origin + ": unknown key '" + key + "' (known: bootstrap, port, upload-rate)");
            }
        }
        List<String> bootstrap = new ArrayList<>();
        for (String s : p.getProperty("bootstrap", "").split(",")) {
            if (!s.isBlank()) {
                bootstrap.add(s.trim());
            }
        }
        Integer port = p.containsKey("port") ? number(origin, "port", p.getProperty("port"), 0, 65535).intValue() : null;
        long rate = number(origin, "upload-rate", p.getProperty("upload-rate", "0"), 0, Long.MAX_VALUE);
        return new CliConfig(bootstrap, port, rate);
    }

    private static Long number(String origin, String key, String value, long min, long max) {
        try {
            long v = Long.parseLong(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(ExitCode.USAGE, origin + ": " + key + " must be a number from " + min + " to " + max);
    }
}
