package dev.p2p.cli;

import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.session.TransferLimits;
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
 * upload-rate = 20M        # per second (K, M, G: 1024-based), 0 = unlimited
 * download-rate = 0
 * max-peers = 64           # peers served at once
 * port-mapping = off       # do not ask the router to forward the port (default: on)
 * </pre>
 * Unknown keys are an error, so a typo does not pass silently.
 *
 * @param limits peers served at once, upload and download rates (the defaults where not given)
 * @param portMapping whether a node asks the router in front of it to forward its port
 */
public record CliConfig(List<String> bootstrap, Integer port, TransferLimits.Settings limits, boolean portMapping) {
    private static final Set<String> KEYS = Set.of("bootstrap", "port", "upload-rate", "download-rate", "max-peers",
            "port-mapping");
    /**
     * Port mapping unless the config or a flag says otherwise. The system property {@value
     * #PORT_MAPPING_PROPERTY} = off changes that default: tests that run nodes on the machine's own
     * network set it, so they never send UPnP or NAT-PMP requests to its real router.
     */
    public static final String PORT_MAPPING_PROPERTY = "p2p.port-mapping.default";
    private static final long MAX_FILE_BYTES = 64 * 1024;
    /** Peers served at once unless the config or --max-peers says otherwise. */
    public static final int DEFAULT_MAX_PEERS = ServerConfig.DEFAULTS.maxPeers();
    public static final int MAX_PEERS_LIMIT = 10_000;

    public static CliConfig empty() {
        return new CliConfig(List.of(), null, new TransferLimits.Settings(DEFAULT_MAX_PEERS, 0, 0), defaultPortMapping());
    }

    private static boolean defaultPortMapping() {
        return !"off".equals(System.getProperty(PORT_MAPPING_PROPERTY));
    }

    /** {@code on} or {@code off} (a flag's or config key's value) as a boolean; a {@link UserError} naming {@code what} otherwise. */
    public static boolean onOff(String what, String value) {
        switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on":
                return true;
            case "off":
                return false;
            default:
                throw new UserError(ExitCode.USAGE, what + " must be on or off");
        }
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
                throw new UserError(ExitCode.USAGE, origin + ": unknown key '" + key + "' (known: bootstrap, port, upload-rate, "
                        + "download-rate, max-peers, port-mapping)");
            }
        }
        List<String> bootstrap = new ArrayList<>();
        for (String s : p.getProperty("bootstrap", "").split(",")) {
            if (!s.isBlank()) {
                bootstrap.add(s.trim());
            }
        }
        Integer port = p.containsKey("port") ? number(origin, "port", p.getProperty("port"), 0, 65535).intValue() : null;
        int maxPeers = number(origin, "max-peers", p.getProperty("max-peers", Integer.toString(DEFAULT_MAX_PEERS)), 1,
                MAX_PEERS_LIMIT).intValue();
        boolean portMapping = p.containsKey("port-mapping") ? onOff(origin + ": port-mapping", p.getProperty("port-mapping"))
                : defaultPortMapping();
        return new CliConfig(bootstrap, port, new TransferLimits.Settings(maxPeers, rate(origin, "upload-rate", p),
                rate(origin, "download-rate", p)), portMapping);
    }

    private static long rate(String origin, String key, Properties p) {
        try {
            return RateArg.parse(p.getProperty(key, "0"));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, origin + ": " + key + ": " + e.getMessage());
        }
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
