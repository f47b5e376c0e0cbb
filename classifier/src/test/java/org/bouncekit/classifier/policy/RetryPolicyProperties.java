package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bouncekit.classifier.Reason;

/**
 * For arbitrary schedules (every strategy, with and without jitter), histories and lifetimes: no retry instant of
 * {@code decide} or {@code plan} is after the end of the lifetime, computed here from the history; and the same
 * seed and clock give the same decisions.
 */
class RetryPolicyProperties {

    @Provide
    Arbitrary<RetrySchedule> schedules() {
        return RetryArbitraries.schedules();
    }

    @Provide
    Arbitrary<DeliveryHistory> histories() {
        return RetryArbitraries.histories();
    }

    @Provide
    Arbitrary<Duration> lifetimes() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Duration.ZERO)),
                Tuple.of(2, RetryArbitraries.durations(10)),
                Tuple.of(6, Arbitraries.longs().between(3600, 10 * 86_400).map(Duration::ofSeconds)));
    }

    @Provide
    Arbitrary<Long> offsets() {
        // mostly soon after the last attempt, sometimes before it (a clock behind) or long after
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.longs().between(-600, 6 * 3600)),
                Tuple.of(1, Arbitraries.longs().between(-86_400, 12 * 86_400)));
    }

    // the generators weigh the boundaries (zero lifetimes, clocks behind, permanent verdicts) themselves: edge cases
    // mixed in would make most tries give up at once
    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void noRetryInstantIsAfterTheLifetimeEnd(@ForAll("schedules") RetrySchedule schedule,
                                             @ForAll("histories") DeliveryHistory history,
                                             @ForAll("lifetimes") Duration lifetime,
                                             @ForAll("lifetimes") Duration bounceLifetime,
                                             @ForAll RetryPolicy.LifetimeAnchor anchor,
                                             @ForAll("offsets") long nowOffset,
                                             @ForAll long seed,
                                             @ForAll boolean covering) {
        Instant now = history.lastActivity().plusSeconds(nowOffset);
        if (covering) { // a lifetime that covers the history so far, so that most decisions retry
            Duration sofar = Duration.between(history.firstAttempt(), history.lastActivity());
            lifetime = lifetime.plus(sofar);
            bounceLifetime = bounceLifetime.plus(sofar);
        }
        RetryPolicy p = RetryPolicy.builder().schedule(schedule).lifetime(lifetime).bounceLifetime(bounceLifetime)
                .lifetimeFrom(anchor).clock(Clock.fixed(now, ZoneOffset.UTC)).random(new SplittableRandom(seed))
                .build();
        Instant from = anchor == RetryPolicy.LifetimeAnchor.FIRST_ATTEMPT ? history.firstAttempt()
                : history.firstFailure() != null ? history.firstFailure() : history.lastAttempt();
        Duration life = history.bounce() && bounceLifetime.compareTo(lifetime) < 0 ? bounceLifetime : lifetime;
        Duration span = schedule.cutoff().isPresent() && schedule.cutoff().get().compareTo(life) < 0
                ? schedule.cutoff().get() : life;
        Instant end = from.plus(span);

        RetryDecision d = p.decide(history);
        List<Instant> plan = p.plan(history);
        if (!history.lastClassification().retryable()) {
            assertTrue(d.action() == RetryDecision.Action.SUPPRESS || d.action() == RetryDecision.Action.GIVE_UP);
            assertTrue(plan.isEmpty());
            return;
        }
        if (!now.isBefore(end) || !history.lastActivity().isBefore(end)) {
            assertEquals(RetryDecision.Action.GIVE_UP, d.action());
            assertNull(d.retryAt());
            assertTrue(plan.isEmpty());
            return;
        }
        assertEquals(end, d.giveUpAt());
        assertFalse(d.retryAt().isAfter(end), d.retryAt() + " after " + end);
        assertFalse(d.retryAt().isBefore(now));
        assertFalse(plan.isEmpty());
        Instant previous = now;
        for (Instant i : plan) {
            assertFalse(i.isAfter(end), i + " after " + end);
            assertFalse(i.isBefore(previous), i + " before " + previous);
            previous = i;
        }
        if (plan.size() < RetryPolicy.MAX_PLAN) {
            assertEquals(end, plan.get(plan.size() - 1), "a plan ends with the last attempt at the end");
        }
        for (Instant w : d.delayWarnings()) {
            assertTrue(w.isAfter(now) && w.isBefore(end));
        }
    }

    @Property(tries = 200)
    void sameSeedAndClockGiveTheSameDecisions(@ForAll("schedules") RetrySchedule schedule,
                                              @ForAll("schedules") RetrySchedule override,
                                              @ForAll("histories") DeliveryHistory first,
                                              @ForAll("histories") DeliveryHistory second,
                                              @ForAll("offsets") long nowOffset,
                                              @ForAll long seed) {
        Instant now = first.lastActivity().plusSeconds(nowOffset);
        List<Object> a = run(policy(schedule, override, now, seed), first, second);
        List<Object> b = run(policy(schedule, override, now, seed), first, second);
        assertEquals(a, b);
    }

    private static RetryPolicy policy(RetrySchedule schedule, RetrySchedule override, Instant now, long seed) {
        return RetryPolicy.builder().schedule(schedule).clock(Clock.fixed(now, ZoneOffset.UTC))
                .random(new SplittableRandom(seed))
                .forReason(Reason.MAILBOXFULL, RetryPolicy.builder().schedule(override).build())
                .build();
    }

    private static List<Object> run(RetryPolicy p, DeliveryHistory first, DeliveryHistory second) {
        List<Object> out = new ArrayList<>();
        out.add(p.decide(first));
        out.add(p.plan(first));
        out.add(p.decide(second));
        out.add(p.decide(first));
        out.add(p.plan(second));
        return out;
    }
}
