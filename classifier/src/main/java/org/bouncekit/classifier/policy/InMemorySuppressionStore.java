package org.bouncekit.classifier.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A {@link SuppressionStore} in memory, over a {@link ConcurrentHashMap}, with a bounded number of addresses.
 * {@link #update} is atomic per address. The capacity is exact even under concurrent inserts: a slot is reserved
 * before a new address goes in.
 *
 * <p>To persist it, write {@link #all()} with {@link SuppressionState#toLine()}, one line each, and read it back
 * with {@link SuppressionState#parse(String)} and {@link #put}.
 *
 * <p>Thread-safe.
 */
public final class InMemorySuppressionStore implements SuppressionStore {

    /** The default capacity: 10 million addresses (some gigabytes of heap when full). */
    public static final int DEFAULT_CAPACITY = 10_000_000;

    private final ConcurrentHashMap<String, SuppressionState> map = new ConcurrentHashMap<>();
    /** Addresses held or being inserted; never above capacity. */
    private final AtomicInteger reserved = new AtomicInteger();
    private final int capacity;

    /** A store for at most {@link #DEFAULT_CAPACITY} addresses. */
    public InMemorySuppressionStore() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * @param capacity the most addresses the store holds
     * @throws IllegalArgumentException when capacity is below 1
     */
    public InMemorySuppressionStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** @return the most addresses the store holds */
    public int capacity() {
        return capacity;
    }

    @Override
    public Optional<SuppressionState> get(String address) {
        return Optional.ofNullable(map.get(SuppressionState.normalize(address)));
    }

    @Override
    public void put(SuppressionState state) {
        Objects.requireNonNull(state, "state");
        map.compute(state.address(), (k, current) -> {
            if (current == null) {
                reserve();
            }
            return state;
        });
    }

    @Override
    public boolean remove(String address) {
        String key = SuppressionState.normalize(address);
        boolean[] removed = new boolean[1];
        map.computeIfPresent(key, (k, current) -> {
            removed[0] = true;
            reserved.decrementAndGet();
            return null;
        });
        return removed[0];
    }

    /** @return a snapshot of every state, in address order */
    @Override
    public List<SuppressionState> all() {
        return map.values().stream().sorted(Comparator.comparing(SuppressionState::address)).toList();
    }

    @Override
    public int size() {
        return map.size();
    }

    /** Atomic: the function runs once, under the address's lock; it must not use this store. */
    @Override
    public SuppressionState update(String address, UnaryOperator<SuppressionState> f) {
        String key = SuppressionState.normalize(address);
        Objects.requireNonNull(f, "f");
        return map.compute(key, (k, current) -> {
            SuppressionState next = f.apply(current);
            if (next != null && !next.address().equals(k)) {
                throw new IllegalArgumentException("update of " + k + " returned the state of " + next.address());
            }
            if (current == null && next != null) {
                reserve();
            } else if (current != null && next == null) {
                reserved.decrementAndGet();
            }
            return next;
        });
    }

    /** Takes a slot for a new address, or throws when none is left (the map is then unchanged). */
    private void reserve() {
        int n;
        do {
            n = reserved.get();
            if (n >= capacity) {
                throw new IllegalStateException("suppression store full: capacity " + capacity + " addresses");
            }
        } while (!reserved.compareAndSet(n, n + 1));
    }

    @Override
    public String toString() {
        return "InMemorySuppressionStore[size=" + size() + ", capacity=" + capacity + "]";
    }
}
