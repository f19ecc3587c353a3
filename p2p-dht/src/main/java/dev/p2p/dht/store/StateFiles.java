package dev.p2p.dht.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * How a node reads the files it keeps for itself in its data directory (contacts, shares, caches,
 * journals): a file that cannot be read, or is damaged, is set aside (renamed to
 * {@code NAME.damaged}, never deleted) with one warning, and the node carries on with what it could
 * read. The warnings go to the logger {@link #warnings()}; the p2p command prints each as one
 * line on stderr.
 */
public final class StateFiles {
    /** Set-aside warnings, one record per damaged file; held here so handlers added to it stay. */
    private static final Logger WARNINGS = Logger.getLogger("dev.p2p.state");
    /** Names tried for a set-aside file: NAME.damaged, NAME.damaged.2 ... before giving up. */
    private static final int MAX_SET_ASIDE = 100;

    private StateFiles() {}

    /** The logger the warnings go to. */
    public static Logger warnings() {
        return WARNINGS;
    }

    /**
     * The complete lines of a UTF-8 text file written by this node (each ends with a newline).
     *
     * @param damage what is wrong with the file, or null: then {@code lines} is all of it; else
     *               {@code lines} holds the lines that could be read (none when it is not text)
     */
    public record Lines(List<String> lines, String damage) {}

    /** Reads {@code file}; a missing file is empty and undamaged. Never throws for what the file holds. */
    public static Lines readLines(Path file, int maxBytes) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Lines(List.of(), null);
        }
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                return new Lines(List.of(), "not a regular file");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(maxBytes + 1);
            }
        } catch (IOException e) {
            return new Lines(List.of(), "cannot be read: " + FileErrors.describe(e));
        }
        if (bytes.length > maxBytes) {
            return new Lines(List.of(), "over " + maxBytes + " bytes, larger than this node writes it");
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        String damage = end < bytes.length ? "its last line is cut short" : null;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, end)).toString();
        } catch (CharacterCodingException e) {
            return new Lines(List.of(), "not UTF-8 text");
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return new Lines(lines, damage);
    }

    /**
     * Renames the damaged {@code file} to the first free {@code NAME.damaged[.N]} beside it and logs
     * one warning saying so, why ({@code damage}) and what the node does without it
     * ({@code consequence}). Returns the new path, or null when the file could not be renamed
     * (the warning says that instead).
     */
    public static Path setAside(Path file, String damage, String consequence) {
        String what = file + " is damaged (" + damage + ")";
        for (int i = 1; i <= MAX_SET_ASIDE; i++) {
            Path aside = file.resolveSibling(file.getFileName() + ".damaged" + (i == 1 ? "" : "." + i));
            if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.move(file, aside);
                WARNINGS.warning(what + ": set aside as " + aside.getFileName() + "; " + consequence);
                return aside;
            } catch (IOException e) {
                WARNINGS.warning(what + " and cannot be set aside (" + FileErrors.describe(e) + "); " + consequence);
                return null;
            }
        }
        WARNINGS.warning(what + " and " + MAX_SET_ASIDE + " damaged copies are set aside already (remove them); " + consequence);
        return null;
    }

    /** Logs one warning line about the node's own state that is not a damaged file (a failed rewrite). */
    public static void warn(String message) {
        WARNINGS.warning(message);
    }
}
