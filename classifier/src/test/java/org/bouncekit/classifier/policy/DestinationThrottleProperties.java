package org.bouncekit.classifier.policy;

import static org.bouncekit.classifier.policy.DestinationThrottleTest.KEY;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.T0;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.reputation;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.throttle;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.userUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.DestinationState.Level;
import org.bouncekit.classifier.policy.DestinationThrottleTest.MutableClock;

/**
 * The bounded state against an unbounded model: fed in time order, the throttle holds a destination exactly when a
 * sliding window over every counted signal says so; signals within one window give the same state in any order.
 */
class DestinationThrottleProperties {

    /** One event: seconds after the previous one, and what it is. */
    record Event(int gap, Kind kind) {
    }

    enum Kind { THROTTLE, REPUTATION, USER_UNKNOWN, LOCAL_THROTTLE, SUCCESS }

    private static final ThrottleRule PMTA = ThrottleRule.builder("pmta").decisions(Decision.THROTTLE)
            .threshold(2, Duration.ofMinutes(5)).level(Level.BACKOFF).duration(Duration.ofMinutes(15))
            .endOnSuccess(true).build();
    private static final ThrottleRule IMMEDIATE = ThrottleRule.builder("immediate").reasons(Reason.BADREPUTATION)
            .level(Level.SUSPENDED).duration(Duration.ofMinutes(7)).endOnSuccess(true).build();

    private static Classification classification(Kind kind) {
        return switch (kind) {
            case THROTTLE, LOCAL_THROTTLE -> throttle();
            case REPUTATION -> reputation(Reason.BADREPUTATION, "gmail");
            default -> userUnknown();
        };
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Integer> gap = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 120)),
                Tuple.of(1, Arbitraries.integers().between(121, 3600)));
        Arbitrary<Kind> kind = Arbitraries.frequency(
                Tuple.of(6, Kind.THROTTLE), Tuple.of(2, Kind.REPUTATION),
                Tuple.of(1, Kind.USER_UNKNOWN), Tuple.of(2, Kind.LOCAL_THROTTLE),
                Tuple.of(1, Kind.SUCCESS));
        return Combinators.combine(gap, kind).as(Event::new).list().ofMaxSize(60);
    }

    @Property
    void inOrderTheStateAgreesWithASlidingWindowOverEverySignal(@ForAll("events") List<Event> events) {
        MutableClock clock = new MutableClock(T0);
        DestinationThrottle throttle = DestinationThrottle.builder().defaultRules().rule(PMTA).rule(IMMEDIATE)
                .clock(clock).build();
        DestinationState state = DestinationState.initial(KEY);
        Map<String, List<Instant>> seen = new HashMap<>();
        Map<String, Instant> ends = new HashMap<>();
        Instant now = T0;
        for (Event e : events) {
            now = now.plusSeconds(e.gap());
            clock.set(now);
            if (e.kind() == Kind.SUCCESS) {
                state = throttle.onSuccess(state, now);
                for (ThrottleRule r : throttle.rules()) {
                    if (r.endOnSuccess()) {
                        seen.remove(r.name());
                        Instant end = ends.get(r.name());
                        if (end != null && now.isBefore(end)) {
                            ends.remove(r.name());
                        }
                    }
                }
                continue;
            }
            Classification c = classification(e.kind());
            boolean local = e.kind() == Kind.LOCAL_THROTTLE;
            state = throttle.onSignal(state, new ThrottleSignal(now, c, local));
            if (local) {
                continue;
            }
            for (ThrottleRule r : throttle.rules()) {
                if (!r.matches(c)) {
                    continue;
                }
                List<Instant> all = seen.computeIfAbsent(r.name(), k -> new ArrayList<>());
                all.add(now);
                Instant from = now.minus(r.window());
                long within = r.immediate() ? 1 : all.stream().filter(t -> t.isAfter(from)).count();
                if (within >= r.count()) {
                    ends.merge(r.name(), now.plus(r.duration()), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        }
        for (ThrottleRule r : throttle.rules()) {
            Instant model = ends.get(r.name());
            DestinationState.Hold hold = state.holds().get(r.name());
            Instant actual = hold == null ? null : hold.until();
            Instant end = now;
            assertEquals(model != null && model.isAfter(end) ? model : null,
                    actual != null && actual.isAfter(end) ? actual : null, r.name());
        }
        for (int k = 0; k < 30; k++) {
            Instant probe = now.plus(Duration.ofMinutes(3L * k));
            assertEquals(modelLevel(throttle, ends, probe), state.level(probe), "at " + probe);
        }
    }

    private static Level modelLevel(DestinationThrottle throttle, Map<String, Instant> ends, Instant t) {
        Level level = Level.NORMAL;
        for (ThrottleRule r : throttle.rules()) {
            Instant end = ends.get(r.name());
            if (end != null && t.isBefore(end) && r.level().compareTo(level) > 0) {
                level = r.level();
            }
        }
        return level;
    }

    @Provide
    Arbitrary<List<Integer>> offsets() {
        // less than the smallest window (pmta's 5 minutes): further apart, order may matter (see the class doc)
        return Arbitraries.integers().between(0, 299).list().ofMaxSize(40);
    }

    @Property
    void signalsWithinOneWindowGiveTheSameStateInAnyOrder(@ForAll("offsets") List<Integer> offsets,
                                                         @ForAll long seed) {
        DestinationThrottle throttle = DestinationThrottle.builder().defaultRules().rule(PMTA).rule(IMMEDIATE)
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
        List<ThrottleSignal> signals = new ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            Classification c = i % 3 == 2 ? reputation(Reason.BADREPUTATION, "gmail") : throttle();
            signals.add(ThrottleSignal.reply(T0.plusSeconds(offsets.get(i)), c));
        }
        List<ThrottleSignal> shuffled = new ArrayList<>(signals);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(feed(throttle, signals), feed(throttle, shuffled));
    }

    private static DestinationState feed(DestinationThrottle throttle, List<ThrottleSignal> signals) {
        DestinationState s = DestinationState.initial(KEY);
        for (ThrottleSignal signal : signals) {
            s = throttle.onSignal(s, signal);
        }
        return s;
    }
}
