package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Callable;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.policy.SuppressionState.Cause;
import org.bouncekit.classifier.policy.SuppressionState.Status;
import org.bouncekit.testing.Concurrently;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suppression list an application embeds: records real classifications at its clock, keeps only what
 * decisions need, tells its listener once per change, expires, persists through text lines, and agrees with
 * itself under 8 threads.
 */
class SuppressionListTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final String BOB = "bob@example.com";

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingListener heard = new RecordingListener();
    private final SuppressionList list = new SuppressionList(
            SuppressionPolicy.builder().clock(clock).listener(heard).build(), new InMemorySuppressionStore());

    /** Remembers what it heard, in order, as {@code suppressed:address:cause} or {@code reactivated:address}. */
    private static final class RecordingListener implements SuppressionListener {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

        @Override
        public void suppressed(SuppressionState state) {
            events.add("suppressed:" + state.address() + ":" + state.cause().token());
        }

        @Override
        public void reactivated(SuppressionState state) {
            events.add("reactivated:" + state.address());
        }

        List<String> take() {
            List<String> out = new ArrayList<>(events);
            events.clear();
            return out;
        }
    }

    @Test
    void recordsClassificationsOfRealRepliesAtItsClock() {
        SuppressionState s = list.record("Bob@Example.com", Replies.classify(Replies.USER_UNKNOWN));
        assertEquals(T0, s.since());
        assertTrue(list.isSuppressed("bob@example.com"));
        assertTrue(list.isSuppressed(" BOB@EXAMPLE.COM"));
        assertFalse(list.isSuppressed("alice@example.com"));
        assertEquals(Optional.of(s), list.store().get(BOB));
        assertEquals(List.of("suppressed:bob@example.com:hard_bounce"), heard.take());

        list.record("carol@example.com", Replies.complaint("carol@example.com"));
        assertTrue(list.isSuppressed("carol@example.com"));
        for (String sender : List.of(Replies.SPAMHAUS, Replies.UNAUTHENTICATED, Replies.SPAM, Replies.ORG_POLICY,
                Replies.YAHOO_TSS04, Replies.GREYLISTED)) {
            for (int i = 0; i < 100; i++) {
                clock.advance(Duration.ofHours(6));
                list.record("dave@example.com", Replies.classify(sender));
            }
        }
        assertFalse(list.isSuppressed("dave@example.com"));
        assertEquals(List.of("suppressed:carol@example.com:complaint"), heard.take());
    }

    @Test
    void keepsOnlyWhatDecisionsNeed() {
        list.record(BOB, Replies.delivered(BOB));
        list.record(BOB, Replies.classify(Replies.SPAMHAUS));
        list.record(BOB, Replies.classify(Replies.GREYLISTED));
        list.record(BOB, Replies.vacation(BOB));
        assertEquals(0, list.store().size());
        SuppressionState counting = list.record(BOB, Replies.classify(Replies.OVER_QUOTA));
        assertEquals(Optional.of(counting), list.store().get(BOB));
        clock.advance(DAY);
        SuppressionState delivered = list.record(BOB, Replies.delivered(BOB));
        assertEquals(Status.ACTIVE, delivered.status());
        assertEquals(List.of(), delivered.softBounces());
        assertEquals(0, list.store().size(), "nothing left to remember");
        assertEquals(List.of(), heard.take());
    }

    @Test
    void softBouncesOnThreeDaysSuppressAndExpireAfterThirtyDays() {
        for (int i = 0; i < 3; i++) {
            assertFalse(list.isSuppressed(BOB));
            list.record(BOB, Replies.classify(Replies.OVER_QUOTA));
            clock.advance(DAY);
        }
        assertTrue(list.isSuppressed(BOB));
        assertEquals(List.of("suppressed:bob@example.com:soft_bounces"), heard.take());
        clock.set(T0.plus(Duration.ofDays(32)).minusNanos(1));
        assertTrue(list.isSuppressed(BOB));
        assertEquals(0, list.expire());
        clock.set(T0.plus(Duration.ofDays(32)));
        assertFalse(list.isSuppressed(BOB), "expired even before the sweep");
        assertEquals(1, list.store().size());
        assertEquals(1, list.expire());
        assertEquals(0, list.store().size());
        assertEquals(List.of("reactivated:bob@example.com"), heard.take());
        assertEquals(0, list.expire());
    }

    @Test
    void expireSweepsOnlyExpiredSuppressions() {
        list.record("a@example.com", Replies.classify(Replies.USER_UNKNOWN)); // 365 days
        list.record("b@example.com", Replies.complaint("b@example.com")); // never
        list.suppress("c@example.com"); // never
        list.record("d@example.com", Replies.classify(Replies.OVER_QUOTA)); // counting, not suppressed
        heard.take();
        clock.advance(Duration.ofDays(365));
        assertEquals(1, list.expire());
        assertEquals(List.of("reactivated:a@example.com"), heard.take());
        assertEquals(List.of("b@example.com", "c@example.com", "d@example.com"),
                list.store().all().stream().map(SuppressionState::address).toList());
        assertTrue(list.isSuppressed("b@example.com"));
        assertTrue(list.isSuppressed("c@example.com"));
    }

    @Test
    void anExpiredSuppressionIsLiftedWhenTheAddressIsRecordedAgain() {
        list.record(BOB, Replies.classify(Replies.USER_UNKNOWN));
        heard.take();
        clock.advance(Duration.ofDays(400));
        list.record(BOB, Replies.classify(Replies.OVER_QUOTA));
        assertEquals(List.of("reactivated:bob@example.com"), heard.take());
        assertFalse(list.isSuppressed(BOB));
        assertEquals(Status.ACTIVE, list.store().get(BOB).orElseThrow().status());
        clock.advance(Duration.ofDays(400));
        list.record(BOB, Replies.classify(Replies.USER_UNKNOWN));
        list.store().put(list.store().get(BOB).orElseThrow()); // no event from the store itself
        clock.advance(Duration.ofDays(400));
        list.record(BOB, Replies.classify(Replies.HOST_UNKNOWN));
        assertEquals(List.of("suppressed:bob@example.com:hard_bounce", "suppressed:bob@example.com:hard_bounce"),
                heard.take(), "an expired suppression replaced by a new one is a new suppression");
    }

    @Test
    void manualSuppressionAndReactivation() {
        SuppressionState s = list.suppress(BOB);
        assertEquals(Cause.MANUAL, s.cause());
        assertTrue(list.isSuppressed(BOB));
        clock.advance(Duration.ofDays(10_000));
        assertTrue(list.isSuppressed(BOB), "manual suppressions never expire by default");
        assertEquals(0, list.expire());
        SuppressionState back = list.reactivate(BOB);
        assertEquals(Status.ACTIVE, back.status());
        assertFalse(list.isSuppressed(BOB));
        assertEquals(0, list.store().size());
        assertEquals(Status.ACTIVE, list.reactivate(BOB).status(), "reactivating an unknown address is harmless");
        list.record(BOB, Replies.complaint(BOB));
        list.suppress(BOB);
        assertEquals(Cause.COMPLAINT, list.store().get(BOB).orElseThrow().cause(), "as long, so the first kept");
        list.reactivate(BOB);
        assertEquals(List.of("suppressed:bob@example.com:manual", "reactivated:bob@example.com",
                "suppressed:bob@example.com:complaint", "reactivated:bob@example.com"), heard.take());
    }

    @Test
    void aListenerThatThrowsReachesTheCallerAfterTheStateIsStored() {
        SuppressionListener failing = new SuppressionListener() {
            @Override
            public void suppressed(SuppressionState state) {
                throw new IllegalStateException("listener down");
            }
        };
        SuppressionList l = new SuppressionList(SuppressionPolicy.builder().clock(clock).listener(failing).build(),
                new InMemorySuppressionStore());
        assertThrows(IllegalStateException.class, () -> l.record(BOB, Replies.classify(Replies.USER_UNKNOWN)));
        assertTrue(l.isSuppressed(BOB));
    }

    @Test
    void aFullStoreRefusesNewAddressesOnly() {
        SuppressionList l = new SuppressionList(SuppressionPolicy.builder().clock(clock).build(),
                new InMemorySuppressionStore(1));
        l.record(BOB, Replies.classify(Replies.OVER_QUOTA));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> l.record("alice@example.com", Replies.classify(Replies.USER_UNKNOWN)));
        assertTrue(e.getMessage().contains("capacity 1"), e.getMessage());
        l.record("alice@example.com", Replies.classify(Replies.SPAMHAUS)); // nothing to store: no error
        l.record(BOB, Replies.classify(Replies.USER_UNKNOWN));
        assertTrue(l.isSuppressed(BOB));
        assertThrows(NullPointerException.class, () -> new SuppressionList(null, new InMemorySuppressionStore()));
        assertThrows(NullPointerException.class, () -> new SuppressionList(SuppressionPolicy.defaults(), null));
        assertThrows(NullPointerException.class, () -> l.record(BOB, null));
        assertThrows(IllegalArgumentException.class, () -> l.record("bob", Replies.classify(Replies.OVER_QUOTA)));
    }

    /** A day of events for a few addresses, some odd, as an application would record them. */
    private static void recordHistory(SuppressionList l, MutableClock clock) {
        List<String> addresses = List.of(BOB, "alice@example.com", "carol@example.org", "we\tird\\one@example.net",
                "line\nbreak@example.net", "\u00fcnic\u00f6de@b\u00fccher.example");
        for (int day = 0; day < 10; day++) {
            for (int i = 0; i < addresses.size(); i++) {
                String a = addresses.get(i);
                Classification c = switch ((day + i) % 7) {
                    case 0, 1, 2 -> Replies.classify(Replies.OVER_QUOTA);
                    case 3 -> Replies.classify(Replies.SPAMHAUS);
                    case 4 -> Replies.delivered(a);
                    case 5 -> i == 1 ? Replies.classify(Replies.USER_UNKNOWN) : Replies.classify(Replies.OVER_QUOTA);
                    default -> i == 2 ? Replies.complaint(a) : Replies.classify(Replies.GREYLISTED);
                };
                l.record(a, c);
            }
            clock.advance(Duration.ofHours(26));
        }
        l.suppress("manual@example.com");
    }

    @Test
    void persistedAndReloadedStatesGiveTheSameLaterDecisions(@TempDir Path dir) throws IOException {
        SuppressionPolicy policy = SuppressionPolicy.builder().clock(clock).build();
        SuppressionList original = new SuppressionList(policy, new InMemorySuppressionStore());
        recordHistory(original, clock);
        List<SuppressionState> before = original.store().all();
        assertTrue(before.size() >= 5, before.toString());
        assertTrue(before.stream().anyMatch(s -> s.isSuppressed(clock.instant())), before.toString());
        assertTrue(before.stream().anyMatch(s -> !s.softBounces().isEmpty()), before.toString());

        Path file = dir.resolve("suppressions.txt");
        Files.write(file, before.stream().map(SuppressionState::toLine).toList(), StandardCharsets.UTF_8);
        InMemorySuppressionStore reloadedStore = new InMemorySuppressionStore();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            reloadedStore.put(SuppressionState.parse(line));
        }
        SuppressionList reloaded = new SuppressionList(policy, reloadedStore);
        assertEquals(before, reloadedStore.all());

        // the same later events, in both, give the same states and answers
        recordHistory(original, clock);
        clock.set(clock.instant().minus(Duration.ofHours(260))); // the second history replays the same days
        recordHistory(reloaded, clock);
        assertEquals(original.store().all(), reloaded.store().all());
        for (int step = 0; step < 5; step++) {
            clock.advance(Duration.ofDays(100));
            assertEquals(original.expire(), reloaded.expire());
            for (SuppressionState s : original.store().all()) {
                assertEquals(original.isSuppressed(s.address()), reloaded.isSuppressed(s.address()));
            }
            assertEquals(original.store().all(), reloaded.store().all());
        }
    }

    /**
     * 8 threads started together each record every address once, each in its own order (another one each round, five
     * rounds), through one list: the stored states and the listener's events are those of one thread recording
     * each address eight times.
     */
    @Test
    void eightThreadsRecordingTheSameAddressesEndWhereOneThreadDoes() throws Exception {
        int threads = Concurrently.THREADS;
        List<String> addresses = new ArrayList<>();
        List<Classification> verdicts = new ArrayList<>();
        List<Classification> kinds = List.of(Replies.classify(Replies.OVER_QUOTA),
                Replies.classify(Replies.USER_UNKNOWN), Replies.classify(Replies.SPAMHAUS),
                Replies.classify(Replies.GREYLISTED), Replies.classify(Replies.OVER_QUOTA));
        for (int i = 0; i < 400; i++) {
            String a = "user" + i + "@example.com";
            addresses.add(a);
            verdicts.add(i % 10 == 9 ? Replies.complaint(a) : kinds.get(i % kinds.size()));
        }
        // eight soft bounces at one instant, none spaced: only an address that lost no update reaches the threshold
        MutableClock fixed = new MutableClock(T0);
        SuppressionPolicy.Builder b = SuppressionPolicy.builder().clock(fixed).softBounceThreshold(threads)
                .softBounceSpacing(Duration.ZERO);

        RecordingListener oneHeard = new RecordingListener();
        SuppressionList one = new SuppressionList(b.listener(oneHeard).build(), new InMemorySuppressionStore());
        for (int round = 0; round < threads; round++) {
            for (int i = 0; i < addresses.size(); i++) {
                one.record(addresses.get(i), verdicts.get(i));
            }
        }

        List<SuppressionState> expected = one.store().all();
        long softSuppressed = expected.stream().filter(s -> s.cause() == Cause.SOFT_BOUNCES).count();
        assertEquals(120, softSuppressed, "two kinds in five are soft bounces (160), less the 40 complaints");
        for (int round = 0; round < 5; round++) {
            RecordingListener manyHeard = new RecordingListener();
            SuppressionList many = new SuppressionList(b.listener(manyHeard).build(), new InMemorySuppressionStore());
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Integer> order = Concurrently.shuffled(addresses.size(), 1_000L * round + t); // each its own
                work.add(() -> {
                    for (int i : order) {
                        many.record(addresses.get(i), verdicts.get(i));
                    }
                    return null;
                });
            }
            Concurrently.together(work);

            assertEquals(expected, many.store().all(), "round " + round);
            assertEquals(oneHeard.events.size(), manyHeard.events.size(), "one event per suppression, whatever "
                    + "the interleaving");
            assertEquals(List.copyOf(oneHeard.events).stream().sorted().toList(),
                    List.copyOf(manyHeard.events).stream().sorted().toList());
        }
    }
}
