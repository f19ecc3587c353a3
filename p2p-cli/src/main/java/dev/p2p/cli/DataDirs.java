package dev.p2p.cli;

import java.nio.file.Path;
import java.util.Map;

/** Default places, after the XDG base directory spec: data in ~/.local/share/p2p, config in ~/.config/p2p. */
public final class DataDirs {
    private DataDirs() {}

    public static Path defaultDataDir(Map<String, String> env) {
        return base(env, "XDG_DATA_HOME", ".local/share").resolve("p2p");
    }

    public static Path defaultConfigFile(Map<String, String> env) {
        return base(env, "XDG_CONFIG_HOME", ".config").resolve("p2p").resolve("config.properties");
    }

    private static Path base(Map<String, String> env, String variable, String fallback) {
        String v = env.get(variable);
        if (v != null && !v.isBlank() && Path.of(v).isAbsolute()) {
            return Path.of(v);
        }
        return Path.of(System.getProperty("user.home")).resolve(fallback);
    }
}
