package org.bouncekit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The harness of the concurrency tests: work started on {@value #THREADS} threads at once (a {@link CountDownLatch}
 * opens when all are waiting), any exception or a hang a failure, and results compared with those of one thread.
 */
public final class Concurrently {

    /** How many threads share the object under test. */
    public static final int THREADS = 8;
    /** A round that takes longer has hung (a deadlock, a lost wake-up). */
    private static final long ROUND_LIMIT_SECONDS = 120;

    private Concurrently() {
    }

    /**
     * A computation that may throw; any exception fails the test.
     *
     * @param <I> the input
     * @param <R> the result
     */
    @FunctionalInterface
    public interface Work<I, R> {
        /**
         * @param input the input
         * @return the result, compared with {@link Object#equals}
         * @throws Exception a failure of the test
         */
        R apply(I input) throws Exception;
    }

    /**
     * Computes every input's result on the calling thread, then, for each round, on {@value #THREADS} threads
     * started together, each thread computing every input in its own order (a shuffle seeded by the round and the
     * thread, so each round interleaves differently); every result must equal the single-thread one.
     *
     * @param what   names the work in failure messages
     * @param inputs the inputs
     * @param rounds how many rounds
     * @param work   the work, on an object shared by all threads
     * @param <I>    the input
     * @param <R>    the result
     * @return how many results were compared
     * @throws Exception a failure of the work
     */
    public static <I, R> long agreeWithOneThread(String what, List<I> inputs, int rounds, Work<I, R> work)
            throws Exception {
        return agreeWithOneThread(what, inputs, rounds, work, work);
    }

    /**
     * As {@link #agreeWithOneThread(String, List, int, Work)}, the expected results from one object and the shared
     * work on another, not used before the first round: so that lazily built state is first built under contention.
     *
     * @param what   names the work in failure messages
     * @param inputs the inputs
     * @param rounds how many rounds
     * @param one    the work that gives the expected results, on the calling thread
     * @param shared the same work on a fresh object that all threads share
     * @param <I>    the input
     * @param <R>    the result
     * @return how many results were compared
     * @throws Exception a failure of the work
     */
    public static <I, R> long agreeWithOneThread(String what, List<I> inputs, int rounds, Work<I, R> one,
                                                 Work<I, R> shared) throws Exception {
        List<R> expected = new ArrayList<>(inputs.size());
        for (I in : inputs) {
            expected.add(one.apply(in));
        }
        long compared = 0;
        for (int round = 0; round < rounds; round++) {
            List<Callable<List<R>>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<Integer> order = shuffled(inputs.size(), 1_000L * round + t);
                tasks.add(() -> {
                    List<R> out = new ArrayList<>(Collections.nCopies(inputs.size(), null));
                    for (int i : order) {
                        out.set(i, shared.apply(inputs.get(i)));
                    }
                    return out;
                });
            }
            List<List<R>> got = together(tasks);
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < inputs.size(); i++) {
                    int index = i;
                    int thread = t;
                    int r = round;
                    assertEquals(expected.get(i), got.get(t).get(i),
                            () -> what + ": input " + index + " (" + inputs.get(index) + "), round " + r + ", thread "
                                    + thread);
                    compared++;
                }
            }
        }
        return compared;
    }

    /**
     * Runs the tasks on as many new threads, all released at once when every one is waiting; waits for all.
     *
     * @param tasks the tasks, one thread each
     * @param <T>   their result
     * @return their results, in task order
     * @throws Exception the first task's failure (an {@link AssertionError} carries a task's exception), or a
     *                   hang past two minutes
     */
    public static <T> List<T> together(List<? extends Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch ready = new CountDownLatch(tasks.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            if (!ready.await(ROUND_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the threads did not start");
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(ROUND_LIMIT_SECONDS, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a thread failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError("a thread did not finish in " + ROUND_LIMIT_SECONDS + " s", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the pool's threads did not end");
            }
        }
    }

    /**
     * Asserts that two collections hold the same elements as often, in any order; on failure names the first
     * element (in text order) that one holds more often than the other.
     *
     * @param expected the expected elements
     * @param actual   the actual elements
     * @param what     names them in the failure message
     */
    public static void assertSameMultiset(Collection<?> expected, Collection<?> actual, String what) {
        Map<Object, Integer> difference = new HashMap<>();
        expected.forEach(e -> difference.merge(e, 1, Integer::sum));
        actual.forEach(a -> difference.merge(a, -1, Integer::sum));
        difference.values().removeIf(n -> n == 0);
        if (!difference.isEmpty()) {
            Map.Entry<Object, Integer> first = difference.entrySet().stream()
                    .min(Comparator.comparing(e -> String.valueOf(e.getKey()))).orElseThrow();
            throw new AssertionError(what + ": " + difference.size() + " elements differ in count (of "
                    + expected.size() + " expected, " + actual.size() + " actual); for example "
                    + first.getKey() + " expected " + Math.max(first.getValue(), 0) + " more times, or found "
                    + Math.max(-first.getValue(), 0) + " more times");
        }
    }

    /**
     * @param n    how many indices
     * @param seed the shuffle's seed
     * @return 0 to n - 1 in an order fixed by the seed
     */
    public static List<Integer> shuffled(int n, long seed) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        return order;
    }
}
