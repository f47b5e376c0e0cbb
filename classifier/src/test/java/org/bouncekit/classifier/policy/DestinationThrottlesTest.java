package org.bouncekit.classifier.policy;

import static org.bouncekit.classifier.policy.DestinationThrottleTest.T0;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.reputation;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.t;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.throttle;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.userUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.DestinationState.Level;
import org.bouncekit.classifier.policy.DestinationThrottleTest.MutableClock;
import org.bouncekit.testing.Concurrently;
import org.junit.jupiter.api.Test;

/** The in-memory registry: listener calls, expiry, eviction, concurrency. */
class DestinationThrottlesTest {

    private static final DestinationKey GMAIL = DestinationKey.of("gmail.com", "192.0.2.1");
    private static final DestinationKey YAHOO = DestinationKey.of("yahoo.com", "192.0.2.1");

    /** A level change as reported. */
    record Change(DestinationKey key, Level from, Level to, Instant at, Instant until) {
    }

    private final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
    private final MutableClock clock = new MutableClock(T0);

    private DestinationThrottles registry(DestinationThrottle throttle, int maxKeys) {
        return DestinationThrottles.builder(throttle).maxKeys(maxKeys)
                .listener((key, from, to, at, until) -> changes.add(new Change(key, from, to, at, until))).build();
    }

    private DestinationThrottles defaults() {
        return registry(DestinationThrottle.builder().defaultRules().clock(clock).build(), 1000);
    }

    private static ThrottleSignal reply(long seconds) {
        return ThrottleSignal.reply(t(seconds), throttle());
    }

    /** Signals at the clock's now, one second apart. */
    private void throttleNow(DestinationThrottles r, DestinationKey key, int n) {
        for (int i = 0; i < n; i++) {
            r.signal(key, ThrottleSignal.reply(clock.instant(), throttle()));
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void theListenerHearsEachLevelChangeAsItHappens() {
        DestinationThrottles r = defaults();
        r.signal(GMAIL, reply(0));
        r.signal(GMAIL, reply(0));
        assertEquals(List.of(), changes);
        DestinationState s = r.signal(GMAIL, reply(0));
        assertEquals(Level.BACKOFF, s.level(T0));
        assertEquals(List.of(new Change(GMAIL, Level.NORMAL, Level.BACKOFF, t(0), t(1800))), changes);
        assertEquals(s, r.state(GMAIL));
        assertEquals(Level.BACKOFF, r.advice(GMAIL).level());
        // a re-trigger extends, it is no level change
        r.signal(GMAIL, reply(0));
        assertEquals(1, changes.size());
    }

    @Test
    void anEndedHoldIsReportedOnTheNextCallForTheKeyAtTheInstantItEnded() {
        DestinationThrottles r = defaults();
        throttleNow(r, GMAIL, 3); // BACKOFF until 10:30:02
        changes.clear();
        clock.set(t(3600));
        // reading does not notice
        assertEquals(Level.NORMAL, r.state(GMAIL).level(clock.instant()));
        assertEquals(1, r.states().size());
        assertEquals(List.of(), changes);
        // advice does, with the instant the hold ended, not the instant it was noticed
        assertEquals(Level.NORMAL, r.advice(GMAIL).level());
        assertEquals(List.of(new Change(GMAIL, Level.BACKOFF, Level.NORMAL, t(1802), null)), changes);
        r.advice(GMAIL);
        assertEquals(1, changes.size(), "reported once");
    }

    @Test
    void everyIntermediateLevelIsReportedWhenTheEndsAreNoticedLate() {
        ThrottleRule longBackoff = ThrottleRule.builder("long-backoff").decisions(Decision.THROTTLE)
                .threshold(3, Duration.ofMinutes(10)).level(Level.BACKOFF).duration(Duration.ofHours(2)).build();
        DestinationThrottles r = registry(DestinationThrottle.builder().rule(longBackoff)
                .rule(DestinationThrottle.defaultRules().get(1)).clock(clock).build(), 1000);
        throttleNow(r, GMAIL, 10); // 10:00:00 .. 10:00:09
        assertEquals(List.of(new Change(GMAIL, Level.NORMAL, Level.BACKOFF, t(2), t(2).plus(Duration.ofHours(2))),
                new Change(GMAIL, Level.BACKOFF, Level.SUSPENDED, t(9), t(9).plus(Duration.ofHours(1)))), changes);
        changes.clear();
        clock.set(t(5 * 3600));
        // a success now ends nothing (no rule ends on success) but notices both ends first
        r.success(GMAIL, clock.instant());
        assertEquals(List.of(
                new Change(GMAIL, Level.SUSPENDED, Level.BACKOFF, t(9).plus(Duration.ofHours(1)),
                        t(9).plus(Duration.ofHours(2))),
                new Change(GMAIL, Level.BACKOFF, Level.NORMAL, t(9).plus(Duration.ofHours(2)), null)), changes);
    }

    @Test
    void aSignalNoticesEndedHoldsBeforeItsOwnChange() {
        DestinationThrottles r = defaults();
        throttleNow(r, GMAIL, 3);
        clock.set(t(7200));
        changes.clear();
        throttleNow(r, GMAIL, 3);
        assertEquals(List.of(new Change(GMAIL, Level.BACKOFF, Level.NORMAL, t(1802), null),
                new Change(GMAIL, Level.NORMAL, Level.BACKOFF, t(7202), t(7202 + 1800))), changes);
    }

    @Test
    void aSuccessThatEndsAHoldIsReportedAtTheSuccess() {
        ThrottleRule rule = ThrottleRule.builder("pmta").decisions(Decision.THROTTLE).level(Level.BACKOFF)
                .duration(Duration.ofHours(1)).endOnSuccess(true).build();
        DestinationThrottles r = registry(DestinationThrottle.builder().rule(rule).clock(clock).build(), 10);
        r.signal(GMAIL, reply(0));
        clock.set(t(120));
        DestinationState s = r.success(GMAIL, t(100));
        assertEquals(Level.NORMAL, s.level(t(120)));
        assertEquals(List.of(new Change(GMAIL, Level.NORMAL, Level.BACKOFF, t(0), t(3600)),
                new Change(GMAIL, Level.BACKOFF, Level.NORMAL, t(100), null)), changes);
    }

    @Test
    void refreshReportsEndedHoldsForEveryKeyAndDropsIdleStates() {
        DestinationThrottles r = defaults();
        throttleNow(r, GMAIL, 3); // BACKOFF until 10:30:02
        clock.set(t(600));
        r.signal(YAHOO, ThrottleSignal.reply(clock.instant(), throttle()));
        assertEquals(2, r.size());
        changes.clear();
        clock.set(t(1000));
        r.refresh();
        assertEquals(2, r.size());
        assertEquals(List.of(), changes);
        // GMAIL's hold ended at 10:30:02 and its signals are 30 minutes old: reported, then idle and dropped;
        // YAHOO's signal left the 10-minute window but not the 30-minute one: kept
        clock.set(t(1803));
        r.refresh();
        assertEquals(List.of(new Change(GMAIL, Level.BACKOFF, Level.NORMAL, t(1802), null)), changes);
        assertEquals(Map.of(YAHOO, List.of(t(600))), Map.of(YAHOO, r.states().get(YAHOO).recent()
                .get("throttle-suspend")));
        assertEquals(1, r.size());
        clock.set(t(2400)); // 30 minutes after YAHOO's signal: idle
        r.refresh();
        assertEquals(0, r.size());
        assertEquals(1, changes.size());
    }

    @Test
    void resetReturnsAHeldDestinationToNormal() {
        DestinationThrottles r = defaults();
        throttleNow(r, GMAIL, 3);
        changes.clear();
        r.reset(GMAIL);
        assertEquals(List.of(new Change(GMAIL, Level.BACKOFF, Level.NORMAL, t(3), null)), changes);
        assertEquals(0, r.size());
        assertEquals(DestinationState.initial(GMAIL), r.state(GMAIL));
        r.reset(GMAIL);
        assertEquals(1, changes.size());
    }

    @Test
    void keysAreStoredOnlyWhenASignalCounts() {
        DestinationThrottles r = defaults();
        assertEquals(Level.NORMAL, r.advice(GMAIL).level());
        r.success(GMAIL, T0);
        r.signal(GMAIL, ThrottleSignal.reply(T0, userUnknown()));
        r.signal(GMAIL, ThrottleSignal.localDeferral(T0, throttle()));
        r.signal(GMAIL, ThrottleSignal.reply(T0.minus(Duration.ofHours(2)), throttle())); // stale
        assertEquals(0, r.size());
        assertEquals(Map.of(), r.states());
        r.signal(GMAIL, reply(0));
        assertEquals(1, r.size());
        assertEquals(List.of(t(0)), r.states().get(GMAIL).recent().get("throttle-backoff"));
    }

    @Test
    void evictionDropsIdleStatesFirstThenNormalThenTheSoonestEnding() {
        ThrottleRule block = ThrottleRule.builder("block").reasons(Reason.BLOCKED).level(Level.SUSPENDED)
                .duration(Duration.ofHours(1)).build();
        ThrottleRule rate = ThrottleRule.builder("rate").decisions(Decision.THROTTLE)
                .threshold(3, Duration.ofMinutes(10)).level(Level.BACKOFF).duration(Duration.ofMinutes(30)).build();
        DestinationThrottles r = registry(DestinationThrottle.builder().rule(block).rule(rate).clock(clock).build(),
                10);
        Classification blocked = reputation(Reason.BLOCKED, null);
        for (int i = 0; i < 5; i++) { // held until 11:00:00 + i minutes
            r.signal(key("held", i), ThrottleSignal.reply(clock.instant().plusSeconds(60L * i), blocked));
        }
        for (int i = 0; i < 5; i++) { // one throttle each: NORMAL with a recent signal
            r.signal(key("once", i), ThrottleSignal.reply(clock.instant(), throttle()));
        }
        assertEquals(10, r.size());
        assertEquals(5, changes.size()); // the held ones were reported
        changes.clear();
        clock.advance(Duration.ofMinutes(11)); // the throttles left their window: idle
        r.signal(key("new", 0), ThrottleSignal.reply(clock.instant(), throttle()));
        assertEquals(6, r.size(), "the 5 idle states went, the held ones stayed");
        for (int i = 0; i < 5; i++) {
            assertTrue(r.states().containsKey(key("held", i)));
            assertFalse(r.states().containsKey(key("once", i)));
        }
        for (int i = 1; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            r.signal(key("new", i), ThrottleSignal.reply(clock.instant(), throttle()));
        }
        assertEquals(9, r.size());
        r.signal(key("new", 4), ThrottleSignal.reply(clock.instant(), throttle()));
        assertEquals(10, r.size());
        // full, none idle: the NORMAL state with the oldest newest signal goes
        r.signal(key("new", 5), ThrottleSignal.reply(clock.instant(), throttle()));
        assertEquals(10, r.size());
        assertFalse(r.states().containsKey(key("new", 0)));
        assertTrue(r.states().containsKey(key("new", 1)));
        assertEquals(List.of(), changes);

        // all held: the one ending soonest goes, and the listener hears it return to NORMAL
        DestinationThrottles all = registry(DestinationThrottle.builder().rule(block).clock(clock).build(), 3);
        for (int i = 0; i < 3; i++) {
            all.signal(key("held", i), ThrottleSignal.reply(clock.instant().plusSeconds(60L * (3 - i)), blocked));
        }
        changes.clear();
        all.signal(key("held", 3), ThrottleSignal.reply(clock.instant(), blocked));
        assertEquals(3, all.size());
        assertFalse(all.states().containsKey(key("held", 2)));
        assertEquals(new Change(key("held", 2), Level.SUSPENDED, Level.NORMAL, clock.instant(), null),
                changes.get(0));
        assertEquals(2, changes.size());
    }

    private static DestinationKey key(String prefix, int i) {
        return DestinationKey.of(prefix + i + ".example", "192.0.2.1");
    }

    @Test
    void theBoundHoldsUnderConcurrentInserts() throws Exception {
        DestinationThrottles r = registry(DestinationThrottle.builder().defaultRules()
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build(), 500);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2000; i++) {
                        r.signal(key("t" + thread + "-", i), ThrottleSignal.reply(T0, throttle()));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // every insert past the bound evicted down to 495 (one hundredth free) before storing its key
        assertTrue(r.size() >= 495 && r.size() <= 500, "size " + r.size());
        assertEquals(r.size(), r.states().size());
    }

    /**
     * 8 threads started together signal one shared key (signals within one window of each other, so their order does
     * not matter) and keys of their own (in time order, with deliveries), through one registry; the final states
     * equal those of one thread doing the same work. Each round mixes the shared key's signals into the threads' own
     * work at other places.
     */
    @Test
    void eightThreadsGiveTheStatesOfOne() throws Exception {
        ThrottleRule pmta = ThrottleRule.builder("pmta").decisions(Decision.THROTTLE).providers("gmail")
                .threshold(4, Duration.ofMinutes(20)).level(Level.BACKOFF).duration(Duration.ofMinutes(45))
                .endOnSuccess(true).build();
        DestinationThrottle throttle = DestinationThrottle.builder().defaultRules().rule(pmta)
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
        int threads = Concurrently.THREADS;
        for (int round = 0; round < 5; round++) {
            DestinationThrottles shared = DestinationThrottles.of(throttle);
            DestinationThrottles single = DestinationThrottles.of(throttle);
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                operations(single, t, threads, round).forEach(Runnable::run);
                List<Runnable> ops = operations(shared, t, threads, round);
                work.add(() -> {
                    ops.forEach(Runnable::run);
                    return null;
                });
            }
            Concurrently.together(work);

            Map<DestinationKey, DestinationState> expected = single.states();
            assertEquals(1 + threads * 20, expected.size());
            DestinationState sharedState = expected.get(GMAIL);
            assertEquals(Level.SUSPENDED, sharedState.level(T0));
            assertEquals(10, sharedState.recent().get("throttle-suspend").size());
            Map<DestinationKey, DestinationState> actual = shared.states();
            assertEquals(expected.keySet(), actual.keySet());
            for (DestinationKey k : expected.keySet()) {
                assertEquals(expected.get(k), actual.get(k), "round " + round + ": " + k);
            }
        }
    }

    /**
     * Thread {@code t}'s work: its share of the shared key's signals, shuffled and spread among its own keys' signals
     * and deliveries (those in time order, key by key), the shuffle and the places differing from round to round.
     */
    private static List<Runnable> operations(DestinationThrottles r, int t, int threads, int round) {
        Random random = new Random(t);
        Random mixing = new Random(1_000L * round + t);
        Classification[] kinds = {throttle(), reputation(Reason.BADREPUTATION, "gmail"), userUnknown(),
            reputation(Reason.BLOCKED, null)};
        List<Runnable> own = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            DestinationKey key = DestinationKey.of("d" + k + ".example", "pool-" + t);
            for (int i = 0; i < 60; i++) {
                long at = 90L * i + k;
                if (random.nextInt(5) == 0) {
                    own.add(() -> r.success(key, t(at)));
                } else {
                    ThrottleSignal s = ThrottleSignal.reply(t(at), kinds[random.nextInt(kinds.length)]);
                    own.add(() -> r.signal(key, s));
                }
            }
        }
        List<Integer> mine = new ArrayList<>();
        for (int i = t; i < 400; i += threads) {
            mine.add(i);
        }
        Collections.shuffle(mine, mixing);
        List<Runnable> ops = new ArrayList<>(own);
        for (int i : mine) { // 400 seconds: within every window
            Classification c = kinds[i % kinds.length];
            ThrottleSignal s = i % 7 == 0 ? ThrottleSignal.localDeferral(t(i), c) : ThrottleSignal.reply(t(i), c);
            ops.add(mixing.nextInt(ops.size() + 1), () -> r.signal(GMAIL, s)); // the own keys' order is kept
        }
        return ops;
    }

    @Test
    void theBuilderValidates() {
        DestinationThrottle throttle = DestinationThrottle.defaults();
        assertThrows(NullPointerException.class, () -> DestinationThrottles.builder(null));
        assertThrows(NullPointerException.class, () -> DestinationThrottles.of(null));
        assertThrows(IllegalArgumentException.class, () -> DestinationThrottles.builder(throttle).maxKeys(0));
        assertThrows(IllegalArgumentException.class,
                () -> DestinationThrottles.builder(throttle).maxKeys(DestinationThrottles.MAX_MAX_KEYS + 1));
        assertThrows(NullPointerException.class, () -> DestinationThrottles.builder(throttle).listener(null));
        DestinationThrottles r = DestinationThrottles.of(throttle);
        assertEquals(DestinationThrottles.DEFAULT_MAX_KEYS, r.maxKeys());
        assertEquals(throttle, r.throttle());
        assertThrows(NullPointerException.class, () -> r.signal(null, reply(0)));
        assertThrows(NullPointerException.class, () -> r.signal(GMAIL, null));
        assertThrows(NullPointerException.class, () -> r.success(GMAIL, null));
        assertThrows(NullPointerException.class, () -> r.advice(null));
        assertThrows(NullPointerException.class, () -> r.state(null));
        assertThrows(NullPointerException.class, () -> r.reset(null));
    }
}
