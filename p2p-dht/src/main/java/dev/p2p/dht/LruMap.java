package dev.p2p.dht;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map of at most {@code max} entries that forgets the least recently used one to make room. */
final class LruMap<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;
    private final int max;

    LruMap(int max) {
        super(16, 0.75f, true);
        this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
    }
}
