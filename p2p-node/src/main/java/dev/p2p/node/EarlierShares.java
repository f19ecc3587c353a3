package dev.p2p.node;

import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.SharedContent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Contents a shared path held before it was indexed again (a file was added, changed or removed):
 * each is still served under its old link while every one of its files is unchanged on disk, so a
 * download of the old link goes on, and withdrawn once one changed. Not thread-safe: {@link Node}
 * guards it.
 */
final class EarlierShares {
    private final Map<Path, List<SharedContent>> byPath = new LinkedHashMap<>();

    /** True if every file of {@code content} is still the one hashed, unwritten. */
    static boolean intact(SharedContent content) {
        if (content.isStale()) {
            return false;
        }
        for (int i = 0; i < content.manifest().entries().size(); i++) {
            if (!content.manifest().entries().get(i).directory() && !content.isUnchanged(i)) {
                return false;
            }
        }
        return true;
    }

    /** Keeps {@code old}, just replaced at {@code path}, if its files are all still there unchanged; false if not kept. */
    boolean keep(Path path, SharedContent old) {
        if (!intact(old)) {
            return false;
        }
        byPath.computeIfAbsent(path, k -> new ArrayList<>()).add(old);
        return true;
    }

    /** Forgets and returns what was kept for {@code path}. */
    List<SharedContent> remove(Path path) {
        List<SharedContent> gone = byPath.remove(path);
        return gone == null ? List.of() : gone;
    }

    /** Forgets {@code id} wherever it was kept. */
    void remove(ContentId id) {
        byPath.values().forEach(list -> list.removeIf(c -> c.id().equals(id)));
        byPath.values().removeIf(List::isEmpty);
    }

    /** Forgets and returns the contents whose files changed since. */
    List<SharedContent> changed() {
        List<SharedContent> gone = new ArrayList<>();
        for (List<SharedContent> list : byPath.values()) {
            for (SharedContent c : list) {
                if (!intact(c)) {
                    gone.add(c);
                }
            }
            list.removeAll(gone);
        }
        byPath.values().removeIf(List::isEmpty);
        return gone;
    }

    boolean holds(ContentId id) {
        return byPath.values().stream().flatMap(List::stream).anyMatch(c -> c.id().equals(id));
    }

    Map<Path, List<SharedContent>> snapshot() {
        Map<Path, List<SharedContent>> copy = new LinkedHashMap<>();
        byPath.forEach((p, list) -> copy.put(p, List.copyOf(list)));
        return copy;
    }
}
