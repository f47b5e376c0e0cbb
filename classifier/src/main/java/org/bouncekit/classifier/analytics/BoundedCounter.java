package org.bouncekit.classifier.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exact counts by key for at most {@code capacity} keys; an event with a key beyond them is counted under the
 * overflow key instead, so totals stay exact and memory stays bounded. Thread-safe: counts are exact under
 * contention.
 *
 * @param <K> the key type
 */
final class BoundedCounter<K> {

    private final ConcurrentHashMap<K, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicInteger keys = new AtomicInteger();
    private final int capacity;
    private final K overflow;

    /**
     * @param capacity how many distinct keys are kept
     * @param overflow the key that counts the rest (not counted in the capacity)
     */
    BoundedCounter(int capacity, K overflow) {
        this.capacity = capacity;
        this.overflow = overflow;
    }

    void add(K key, long n) {
        LongAdder a = counts.get(key);
        if (a == null) {
            a = counts.computeIfAbsent(key, k -> {
                if (keys.incrementAndGet() > capacity) {
                    keys.decrementAndGet();
                    return null; // no room: counted under the overflow key
                }
                return new LongAdder();
            });
            if (a == null) {
                a = counts.computeIfAbsent(overflow, k -> new LongAdder());
            }
        }
        a.add(n);
    }

    /** @return the counts, largest first, ties by key text; a snapshot */
    List<Map.Entry<K, Long>> sorted() {
        List<Map.Entry<K, Long>> l = new ArrayList<>();
        counts.forEach((k, v) -> l.add(Map.entry(k, v.sum())));
        l.sort(Comparator.comparing((Map.Entry<K, Long> e) -> -e.getValue())
                .thenComparing(e -> String.valueOf(e.getKey())));
        return l;
    }

    /** @return the count of a key, 0 when absent */
    long get(K key) {
        LongAdder a = counts.get(key);
        return a == null ? 0 : a.sum();
    }

    /** @return whether some events were counted under the overflow key */
    boolean overflowed() {
        return counts.containsKey(overflow);
    }
}
