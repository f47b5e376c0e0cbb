package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.SuppressionState.Cause;
import org.bouncekit.classifier.policy.SuppressionState.Status;
import org.junit.jupiter.api.Test;

/** The in-memory store: normalised keys, compute-like updates, an exact capacity even under contention. */
class InMemorySuppressionStoreTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private static SuppressionState manual(String address) {
        return new SuppressionState(address, Status.SUPPRESSED, Cause.MANUAL, T0, null, List.of(), null, T0);
    }

    @Test
    void addressesAreNormalisedOnEveryMethod() {
        InMemorySuppressionStore store = new InMemorySuppressionStore();
        store.put(manual("Bob@Example.com"));
        assertEquals(Optional.of(manual("bob@example.com")), store.get(" BOB@example.COM"));
        assertEquals(1, store.size());
        assertTrue(store.remove("bob@EXAMPLE.com "));
        assertFalse(store.remove("bob@example.com"));
        assertEquals(0, store.size());
        assertThrows(IllegalArgumentException.class, () -> store.get("bob"));
        assertThrows(NullPointerException.class, () -> store.put(null));
        assertEquals(InMemorySuppressionStore.DEFAULT_CAPACITY, store.capacity());
    }

    @Test
    void updateWorksLikeCompute() {
        InMemorySuppressionStore store = new InMemorySuppressionStore();
        assertNull(store.update("bob@example.com", current -> {
            assertNull(current);
            return null;
        }));
        assertEquals(0, store.size());
        SuppressionState s = store.update("bob@example.com", current -> manual("bob@example.com"));
        assertEquals(manual("bob@example.com"), s);
        assertEquals(Optional.of(s), store.get("bob@example.com"));
        assertNull(store.update("BOB@example.com", current -> {
            assertEquals(s, current);
            return null;
        }));
        assertEquals(0, store.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.update("bob@example.com", current -> manual("alice@example.com")));
        assertTrue(e.getMessage().contains("alice@example.com"), e.getMessage());
        assertEquals(0, store.size(), "nothing stored by a refused update");
    }

    @Test
    void allIsASnapshotInAddressOrder() {
        InMemorySuppressionStore store = new InMemorySuppressionStore();
        store.put(manual("carol@example.com"));
        store.put(manual("alice@example.com"));
        store.put(manual("bob@example.com"));
        List<SuppressionState> all = store.all();
        assertEquals(List.of("alice@example.com", "bob@example.com", "carol@example.com"),
                all.stream().map(SuppressionState::address).toList());
        store.remove("alice@example.com");
        assertEquals(3, all.size());
        assertThrows(UnsupportedOperationException.class, () -> all.add(manual("dave@example.com")));
    }

    @Test
    void aFullStoreRefusesNewAddressesNamingItsLimit() {
        InMemorySuppressionStore store = new InMemorySuppressionStore(2);
        store.put(manual("a@example.com"));
        store.update("b@example.com", current -> manual("b@example.com"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.put(manual("c@example.com")));
        assertTrue(e.getMessage().contains("capacity 2"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> store.update("c@example.com", current -> manual("c@example.com")));
        assertEquals(2, store.size());
        assertEquals(Optional.empty(), store.get("c@example.com"));
        // known addresses may still change, and an update that stores nothing is no insert
        SuppressionState replaced = new SuppressionState("a@example.com", Status.SUPPRESSED, Cause.COMPLAINT, T0,
                null, List.of(), Reason.FEEDBACK, T0);
        store.put(replaced);
        assertEquals(Optional.of(replaced), store.get("a@example.com"));
        assertNull(store.update("c@example.com", current -> null));
        // removal frees a slot, through remove or through update
        assertTrue(store.remove("a@example.com"));
        store.put(manual("c@example.com"));
        store.update("b@example.com", current -> null);
        store.put(manual("d@example.com"));
        assertEquals(2, store.size());
        assertThrows(IllegalArgumentException.class, () -> new InMemorySuppressionStore(0));
    }

    @Test
    void theCapacityIsExactUnderContention() throws Exception {
        InMemorySuppressionStore store = new InMemorySuppressionStore(100);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> refused = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                refused.add(pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int i = 0; i < 50; i++) {
                        String a = "t" + id + "-" + i + "@example.com";
                        try {
                            if (i % 2 == 0) {
                                store.put(manual(a));
                            } else {
                                store.update(a, current -> manual(a));
                            }
                        } catch (IllegalStateException e) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : refused) {
                total += f.get();
            }
            assertEquals(100, store.size());
            assertEquals(300, total);
            assertEquals(100, store.all().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eightThreadsRacingForTheLastSlotLeaveOneWinner() throws Exception {
        int threads = 8;
        int rounds = 2000;
        InMemorySuppressionStore[] stores = new InMemorySuppressionStore[rounds];
        for (int r = 0; r < rounds; r++) {
            stores[r] = new InMemorySuppressionStore(1);
        }
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> wins = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String a = "t" + t + "@example.com";
                wins.add(pool.submit(() -> {
                    int won = 0;
                    for (int r = 0; r < rounds; r++) {
                        barrier.await(); // all threads go for round r's single slot at once
                        try {
                            stores[r].update(a, current -> manual(a));
                            won++;
                        } catch (IllegalStateException e) {
                            // another thread took the slot
                        }
                    }
                    return won;
                }));
            }
            int total = 0;
            for (Future<Integer> f : wins) {
                total += f.get();
            }
            for (int r = 0; r < rounds; r++) {
                assertEquals(1, stores[r].size(), "round " + r);
            }
            assertEquals(rounds, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theDefaultUpdateOfThePortWorksForASingleThread() {
        SuppressionStore store = new MapStore();
        assertNull(store.update("bob@example.com", current -> null));
        assertEquals(0, store.size());
        assertEquals(manual("bob@example.com"), store.update("Bob@example.com", current -> manual("bob@example.com")));
        assertEquals(1, store.size());
        assertNull(store.update("bob@example.com", current -> null));
        assertEquals(0, store.size());
        assertThrows(IllegalArgumentException.class,
                () -> store.update("bob@example.com", current -> manual("alice@example.com")));
        assertThrows(NullPointerException.class, () -> store.update("bob@example.com", null));
    }

    /** A store implementing only the port's abstract methods, as an application's first draft would. */
    private static final class MapStore implements SuppressionStore {
        private final Map<String, SuppressionState> map = new HashMap<>();

        @Override
        public Optional<SuppressionState> get(String address) {
            return Optional.ofNullable(map.get(SuppressionState.normalize(address)));
        }

        @Override
        public void put(SuppressionState state) {
            map.put(state.address(), state);
        }

        @Override
        public boolean remove(String address) {
            return map.remove(SuppressionState.normalize(address)) != null;
        }

        @Override
        public List<SuppressionState> all() {
            return List.copyOf(map.values());
        }

        @Override
        public int size() {
            return map.size();
        }
    }
}
