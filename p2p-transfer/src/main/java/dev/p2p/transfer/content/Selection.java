package dev.p2p.transfer.content;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which files of a directory share a download fetches ({@code p2p get --include GLOB}). A glob
 * matches an entry's path inside the share ({@code photos/2024/a.jpg}): {@code *} and {@code ?}
 * stay inside one path segment, {@code **} crosses them. A glob without a slash matches a file's
 * name at any depth ({@code *.jpg}); a glob matching a directory takes everything under it
 * ({@code photos/2024}). Directory entries are kept where a selected file lies under them or they
 * match themselves. Pure: no file system, so the transfer core and the simulator can use it.
 */
public final class Selection {
    /** Every entry: an ordinary download. */
    public static final Selection ALL = new Selection(List.of(), List.of());
    public static final int MAX_GLOBS = 64;
    public static final int MAX_GLOB_LENGTH = 1024;
    static final int MAX_DOUBLE_STARS = 4;

    private final List<String> globs;
    private final List<Pattern> patterns;

    private Selection(List<String> globs, List<Pattern> patterns) {
        this.globs = globs;
        this.patterns = patterns;
    }

    /**
     * A selection of the entries any of {@code globs} matches; {@link #ALL} when there are none.
     *
     * @throws IllegalArgumentException for an empty or overlong glob, or too many of them
     */
    public static Selection of(List<String> globs) {
        if (globs.isEmpty()) {
            return ALL;
        }
        if (globs.size() > MAX_GLOBS) {
            throw new IllegalArgumentException("at most " + MAX_GLOBS + " --include globs");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String g : globs) {
            String glob = trimSlashes(g).replaceAll("(\\*\\*/)+", "**/"); // "**/**/" means "**/"
            if (glob.isEmpty() || g.length() > MAX_GLOB_LENGTH || g.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("bad --include glob '" + shorten(g) + "': give a path pattern such as '*.txt' "
                        + "or 'photos/**'");
            }
            if (glob.split("\\*\\*", -1).length - 1 > MAX_DOUBLE_STARS) {
                // each ** multiplies the work of matching a path that fails; a few are all anyone needs
                throw new IllegalArgumentException("bad --include glob '" + shorten(g) + "': at most " + MAX_DOUBLE_STARS
                        + " '**' in one glob");
            }
            patterns.add(Pattern.compile(toRegex(glob.contains("/") ? glob : "**/" + glob)));
        }
        return new Selection(List.copyOf(globs), List.copyOf(patterns));
    }

    public boolean all() {
        return patterns.isEmpty();
    }

    public List<String> globs() {
        return globs;
    }

    /** The entries of {@code manifest} selected; every one for {@link #ALL} or a single-file share. */
    public BitSet entries(Manifest manifest) {
        List<ManifestEntry> entries = manifest.entries();
        BitSet chosen = new BitSet();
        if (all() || !manifest.directory()) {
            chosen.set(0, entries.size());
            return chosen;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (matchesOrUnder(entries.get(i).path())) {
                chosen.set(i);
            }
        }
        for (int i = 0; i < entries.size(); i++) { // the directories holding what was chosen
            ManifestEntry e = entries.get(i);
            if (e.directory() && !chosen.get(i) && holdsChosen(e.path() + "/", entries, chosen)) {
                chosen.set(i);
            }
        }
        return chosen;
    }

    /** The chunks of entries not selected: a download skips them. */
    public BitSet skippedChunks(ChunkLayout layout) {
        BitSet chosen = entries(layout.manifest());
        BitSet skipped = new BitSet();
        for (int i = 0; i < layout.entryCount(); i++) {
            if (!chosen.get(i) && layout.chunkCount(i) > 0) {
                skipped.set(layout.firstChunk(i), layout.firstChunk(i) + layout.chunkCount(i));
            }
        }
        return skipped;
    }

    /** True when some file (not only directories) of a directory manifest is selected. */
    public boolean selectsAFile(Manifest manifest) {
        BitSet chosen = entries(manifest);
        for (int i = chosen.nextSetBit(0); i >= 0; i = chosen.nextSetBit(i + 1)) {
            if (!manifest.entries().get(i).directory()) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesOrUnder(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            for (Pattern pattern : patterns) {
                if (pattern.matcher(p).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean holdsChosen(String prefix, List<ManifestEntry> entries, BitSet chosen) {
        for (int i = chosen.nextSetBit(0); i >= 0; i = chosen.nextSetBit(i + 1)) {
            if (entries.get(i).path().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String trimSlashes(String glob) {
        int from = 0;
        int to = glob.length();
        while (from < to && glob.charAt(from) == '/') {
            from++;
        }
        while (to > from && glob.charAt(to - 1) == '/') {
            to--;
        }
        return glob.substring(from, to);
    }

    /** {@code **}/ matches zero or more whole segments, {@code **} anything, {@code *} and {@code ?} within a segment. */
    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                continue;
            }
            if (literal.length() > 0) {
                re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                re.append("[^/]");
            } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean segment = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                re.append(segment ? "(?:.*/)?" : ".*");
                i += segment ? 2 : 1;
            } else {
                re.append("[^/]*");
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return re.toString();
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    @Override
    public String toString() {
        return all() ? "all" : String.join(" ", globs);
    }
}
