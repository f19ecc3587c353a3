package dev.p2p.transfer.content;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Rules for names and relative paths inside a manifest. Manifests come from the network, so a path
 * is hostile until these rules accept it: '/'-separated components, none empty, "." or "..", no
 * backslash, colon, NUL or control character, no component that Windows reserves or would silently
 * alter (trailing dot or space), bounded lengths and depth. {@link #resolveInside} adds a final
 * check that the resolved path stays under the target directory.
 */
public final class PathRules {
    public static final int MAX_COMPONENT_BYTES = 255;
    public static final int MAX_PATH_BYTES = 4096;
    public static final int MAX_DEPTH = 64;
    private static final Set<String> RESERVED = Set.of("con", "prn", "aux", "nul",
            "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private PathRules() {}

    /** Checks one path component (a file or directory name); throws with the reason otherwise. */
    public static void checkComponent(String name) {
        if (name.isEmpty()) {
            throw new ManifestException("empty name in path");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new ManifestException("path component '" + name + "' is not allowed");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
            throw new ManifestException("name longer than " + MAX_COMPONENT_BYTES + " bytes");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':') {
                throw new ManifestException("name '" + printable(name) + "' contains a forbidden character");
            }
        }
        char last = name.charAt(name.length() - 1);
        if (last == '.' || last == ' ') {
            throw new ManifestException("name '" + name + "' ends with a dot or space");
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).toLowerCase(Locale.ROOT);
        if (RESERVED.contains(stem)) {
            throw new ManifestException("name '" + name + "' is reserved on some systems");
        }
    }

    /** Checks a relative '/'-separated path (no leading or trailing '/'). */
    public static void checkRelativePath(String path) {
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new ManifestException("path longer than " + MAX_PATH_BYTES + " bytes");
        }
        if (path.startsWith("/")) {
            throw new ManifestException("absolute path '" + printable(path) + "' is not allowed");
        }
        String[] parts = path.split("/", -1);
        if (parts.length > MAX_DEPTH) {
            throw new ManifestException("path deeper than " + MAX_DEPTH + " levels");
        }
        for (String part : parts) {
            checkComponent(part);
        }
    }

    /**
     * Resolves a checked relative path under {@code root} and makes sure the result cannot escape
     * it (defence in depth after {@link #checkRelativePath}).
     */
    public static Path resolveInside(Path root, String relativePath) {
        Path base = root.toAbsolutePath().normalize();
        Path resolved = base;
        if (!relativePath.isEmpty()) {
            checkRelativePath(relativePath);
            for (String part : relativePath.split("/")) {
                resolved = resolved.resolve(part);
            }
        }
        resolved = resolved.normalize();
        if (!resolved.startsWith(base) || (resolved.equals(base) && !relativePath.isEmpty())) {
            throw new ManifestException("path '" + printable(relativePath) + "' escapes the download directory");
        }
        return resolved;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
