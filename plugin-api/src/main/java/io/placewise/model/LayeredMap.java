package io.placewise.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * An immutable map for the snapshot's cluster-wide indexes (VM → host, group → members, traffic
 * receivers): a plain hash map built once, under a persistent overlay of the changes since.
 * Lookups cost a hash lookup plus an O(log changes) overlay probe; a change costs O(log changes)
 * and shares everything else with the previous version. When the overlay has grown to an eighth
 * of the base, the next {@link #compacted()} folds it in (amortised O(1) per change).
 */
final class LayeredMap<K, V> {
    /** Marks a key removed in the overlay. */
    private static final Object GONE = new Object();
    private static final int MIN_OVERLAY = 4096;
    private static final LayeredMap<?, ?> EMPTY = new LayeredMap<>(Map.of(), HashTreePMap.empty(), 0);

    private final Map<K, V> base;
    private final PMap<K, Object> overlay;
    private final int size;

    private LayeredMap(Map<K, V> base, PMap<K, Object> overlay, int size) {
        this.base = base;
        this.overlay = overlay;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> LayeredMap<K, V> empty() {
        return (LayeredMap<K, V>) EMPTY;
    }

    /** Takes ownership of {@code map}: the caller must not change it afterwards. */
    static <K, V> LayeredMap<K, V> of(HashMap<K, V> map) {
        return new LayeredMap<>(Collections.unmodifiableMap(map), HashTreePMap.empty(), map.size());
    }

    @SuppressWarnings("unchecked")
    V get(K key) {
        Object o = overlay.get(key);
        if (o != null) {
            return o == GONE ? null : (V) o;
        }
        return base.get(key);
    }

    int size() {
        return size;
    }

    LayeredMap<K, V> plus(K key, V value) {
        boolean had = get(key) != null;
        return new LayeredMap<>(base, overlay.plus(key, value), had ? size : size + 1);
    }

    LayeredMap<K, V> minus(K key) {
        if (get(key) == null) {
            return this;
        }
        PMap<K, Object> next = base.containsKey(key) ? overlay.plus(key, GONE) : overlay.minus(key);
        return new LayeredMap<>(base, next, size - 1);
    }

    /** This map, its overlay folded into a new base when the overlay has grown large. */
    LayeredMap<K, V> compacted() {
        if (overlay.size() < Math.max(MIN_OVERLAY, base.size() / 8)) {
            return this;
        }
        HashMap<K, V> flat = new HashMap<>(Math.max(16, size * 4 / 3 + 1));
        forEach(flat::put);
        return of(flat);
    }

    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<K, V> action) {
        base.forEach((k, v) -> {
            if (!overlay.containsKey(k)) {
                action.accept(k, v);
            }
        });
        overlay.forEach((k, o) -> {
            if (o != GONE) {
                action.accept(k, (V) o);
            }
        });
    }
}
