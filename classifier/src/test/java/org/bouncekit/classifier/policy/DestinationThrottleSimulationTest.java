package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.DestinationState.Level;
import org.bouncekit.core.SmtpReply;
import org.junit.jupiter.api.Test;

/**
 * A day of traffic to gmail.com from 192.0.2.1 (issue 8, acceptance point 2): one new message every 20 seconds; the
 * destination answers Gmail's 4.7.28 rate limit from 08:00 to 08:05 and from 12:00 to 13:00 and accepts mail
 * otherwise. Replies are classified by the real default classifier. The simulated sender obeys the advice it gets
 * at every tick: NORMAL sends the queue until a 421 closes the connection (a deferred message stays queued);
 * BACKOFF sends one message per advised interval; SUSPENDED sends nothing and records a local deferral for every
 * message it holds back. The level transitions the listener reports are asserted exactly.
 */
class DestinationThrottleSimulationTest {

    private static final String GMAIL_RATE_LIMIT = "421-4.7.28 [192.0.2.1] Our system has detected an unusual rate "
            + "of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from "
            + "your IP address has been temporarily rate limited.";
    /** What the sender's own queue says when it holds mail back: it carries the destination's last reply. */
    private static final String LOCAL_DEFERRAL = "451 4.7.28 Deferred by the sending queue: gmail.com from "
            + "192.0.2.1 is suspended after: " + GMAIL_RATE_LIMIT;

    private static final Instant DAY = Instant.parse("2024-05-06T00:00:00Z");
    private static final Duration TICK = Duration.ofSeconds(20);
    private static final DestinationKey KEY = DestinationKey.of("gmail.com", "192.0.2.1");
    private static final Classification THROTTLED = classify(GMAIL_RATE_LIMIT);
    private static final Classification HELD_BACK = classify(LOCAL_DEFERRAL);

    /** One level change as the listener reported it. */
    record Transition(Level from, Level to, Instant at, Instant until) {
    }

    /** What a simulated day produced. */
    record Day(List<Transition> transitions, List<Instant> throttled, List<Instant> sent, List<Level> sentAt,
               int localDeferrals, DestinationState end) {
    }

    private static Classification classify(String reply) {
        return Classifier.defaults().classify(SmtpReply.parse(reply).orElseThrow());
    }

    private static Instant at(String time) {
        return Instant.parse("2024-05-06T" + time + "Z");
    }

    private static boolean rateLimited(Instant t) {
        return !t.isBefore(at("08:00:00")) && t.isBefore(at("08:05:00"))
                || !t.isBefore(at("12:00:00")) && t.isBefore(at("13:00:00"));
    }

    /** The default rules, with BACKOFF advising 1 message per minute: slower than the day's 3 per minute. */
    private static DestinationThrottle.Builder defaultRules(MutableClock clock) {
        return DestinationThrottle.builder().defaultRules().limits(Level.BACKOFF, 1, 1).clock(clock);
    }

    /**
     * Runs the day.
     *
     * @param guarded whether the sender marks its own deferrals local (false: as if there were no guard)
     */
    private static Day simulate(DestinationThrottle throttle, MutableClock clock, boolean guarded) {
        List<Transition> transitions = new ArrayList<>();
        DestinationThrottles registry = DestinationThrottles.builder(throttle)
                .listener((key, from, to, at, until) -> {
                    assertEquals(KEY, key);
                    transitions.add(new Transition(from, to, at, until));
                })
                .build();
        List<Instant> throttled = new ArrayList<>();
        List<Instant> sent = new ArrayList<>();
        List<Level> sentAt = new ArrayList<>();
        int queued = 0;
        int local = 0;
        Instant lastSend = null;
        for (Instant t = DAY; t.isBefore(DAY.plus(Duration.ofDays(1))); t = t.plus(TICK)) {
            clock.set(t);
            queued++;
            ThrottleAdvice advice = registry.advice(KEY);
            int allowed;
            if (advice.level() == Level.SUSPENDED) {
                assertFalse(advice.maySend());
                allowed = 0;
                for (int i = 0; i < queued; i++) {
                    registry.signal(KEY, guarded ? ThrottleSignal.localDeferral(t, HELD_BACK)
                            : ThrottleSignal.reply(t, HELD_BACK));
                    local++;
                }
            } else if (advice.level() == Level.BACKOFF) {
                Duration gap = Duration.ofMinutes(1).dividedBy(advice.messagesPerMinute());
                allowed = lastSend == null || !t.isBefore(lastSend.plus(gap)) ? advice.connections() : 0;
            } else {
                allowed = queued;
            }
            for (int i = 0; i < allowed; i++) {
                sent.add(t);
                sentAt.add(advice.level());
                lastSend = t;
                if (rateLimited(t)) {
                    throttled.add(t);
                    registry.signal(KEY, ThrottleSignal.reply(t, THROTTLED));
                    break; // 421 closes the connection; the message stays queued
                }
                queued--;
                registry.success(KEY, t);
            }
        }
        return new Day(transitions, throttled, sent, sentAt, local, registry.state(KEY));
    }

    @Test
    void theDefaultClassifierReadsTheRepliesAsThrottling() {
        assertEquals(Reason.SPEEDING, THROTTLED.reason());
        assertEquals(Decision.THROTTLE, THROTTLED.decision());
        assertTrue(THROTTLED.retryable());
        // the sender's own deferral carries the reply, so it classifies as a throttle too: only the guard stops it
        assertEquals(Decision.THROTTLE, HELD_BACK.decision());
    }

    @Test
    void defaultRulesBackOffThenSuspendAndRecoverAQuietDurationAfterTheLastCountedReply() {
        MutableClock clock = new MutableClock(DAY);
        DestinationThrottle throttle = defaultRules(clock).build();
        ThrottleRule backoff = throttle.rules().get(0);
        ThrottleRule suspend = throttle.rules().get(1);
        assertEquals("throttle-backoff", backoff.name());
        assertEquals("throttle-suspend", suspend.name());

        Day day = simulate(throttle, clock, true);

        // the morning: 3 replies then one per minute (BACKOFF) until 08:05 -> 7, fewer than 10 in 30 minutes
        List<Instant> morning = day.throttled().stream().filter(t -> t.isBefore(at("12:00:00"))).toList();
        List<Instant> noon = day.throttled().stream().filter(t -> !t.isBefore(at("12:00:00"))).toList();
        assertEquals(List.of(at("08:00:00"), at("08:00:20"), at("08:00:40"), at("08:01:40"), at("08:02:40"),
                at("08:03:40"), at("08:04:40")), morning);
        assertEquals(List.of(at("12:00:00"), at("12:00:20"), at("12:00:40"), at("12:01:40"), at("12:02:40"),
                at("12:03:40"), at("12:04:40"), at("12:05:40"), at("12:06:40"), at("12:07:40")), noon);

        List<Transition> expected = List.of(
                // BACKOFF at the 3rd throttling reply, for the rule's duration
                new Transition(Level.NORMAL, Level.BACKOFF, morning.get(2), morning.get(2).plus(backoff.duration())),
                // back to NORMAL exactly 30 minutes after the last counted reply
                new Transition(Level.BACKOFF, Level.NORMAL, morning.get(6).plus(backoff.duration()), null),
                new Transition(Level.NORMAL, Level.BACKOFF, noon.get(2), noon.get(2).plus(backoff.duration())),
                // SUSPENDED at the 10th reply within 30 minutes
                new Transition(Level.BACKOFF, Level.SUSPENDED, noon.get(9), noon.get(9).plus(suspend.duration())),
                // the BACKOFF hold (12:37:40) ended inside the suspension: straight to NORMAL 1 hour after the last
                new Transition(Level.SUSPENDED, Level.NORMAL, noon.get(9).plus(suspend.duration()), null));
        assertEquals(expected, day.transitions());
        // the same, spelled out
        assertEquals(List.of(
                new Transition(Level.NORMAL, Level.BACKOFF, at("08:00:40"), at("08:30:40")),
                new Transition(Level.BACKOFF, Level.NORMAL, at("08:34:40"), null),
                new Transition(Level.NORMAL, Level.BACKOFF, at("12:00:40"), at("12:30:40")),
                new Transition(Level.BACKOFF, Level.SUSPENDED, at("12:07:40"), at("13:07:40")),
                new Transition(Level.SUSPENDED, Level.NORMAL, at("13:07:40"), null)), day.transitions());

        assertSenderObeyed(day);
        // the sender held back mail while suspended (3 per minute for an hour, queue included), and none counted
        assertTrue(day.localDeferrals() > 180, "local deferrals: " + day.localDeferrals());
        assertEquals(Level.NORMAL, day.end().level(at("23:59:59")));
        assertEquals(noon.get(9), day.end().latest());
    }

    @Test
    void aBackoffThatOutlastsTheSuspensionIsReturnedToAfterIt() {
        MutableClock clock = new MutableClock(DAY);
        ThrottleRule backoff = ThrottleRule.builder("throttle-backoff").decisions(Decision.THROTTLE)
                .threshold(3, Duration.ofMinutes(10)).level(Level.BACKOFF).duration(Duration.ofHours(2)).build();
        ThrottleRule suspend = DestinationThrottle.defaultRules().get(1);
        DestinationThrottle throttle = DestinationThrottle.builder().rule(backoff).rule(suspend)
                .limits(Level.BACKOFF, 1, 1).clock(clock).build();

        Day day = simulate(throttle, clock, true);

        assertEquals(List.of(
                new Transition(Level.NORMAL, Level.BACKOFF, at("08:00:40"), at("10:00:40")),
                new Transition(Level.BACKOFF, Level.NORMAL, at("10:04:40"), null),
                new Transition(Level.NORMAL, Level.BACKOFF, at("12:00:40"), at("14:00:40")),
                new Transition(Level.BACKOFF, Level.SUSPENDED, at("12:07:40"), at("13:07:40")),
                // through BACKOFF (sending 1 a minute, accepted, which does not end this rule's hold) to NORMAL
                new Transition(Level.SUSPENDED, Level.BACKOFF, at("13:07:40"), at("14:07:40")),
                new Transition(Level.BACKOFF, Level.NORMAL, at("14:07:40"), null)), day.transitions());
        Instant last = day.throttled().get(day.throttled().size() - 1);
        assertEquals(at("12:07:40"), last);
        assertEquals(last.plus(suspend.duration()), day.transitions().get(4).at());
        assertEquals(last.plus(backoff.duration()), day.transitions().get(5).at());
        assertSenderObeyed(day);
        // while in BACKOFF after the suspension the sender sent one message a minute, all accepted
        long slow = day.sent().stream().filter(t -> !t.isBefore(at("13:07:40")) && t.isBefore(at("14:07:40")))
                .count();
        assertEquals(60, slow);
    }

    @Test
    void withoutTheLocalGuardTheSendersOwnDeferralsWouldKeepTheDestinationSuspendedAllDay() {
        MutableClock clock = new MutableClock(DAY);
        DestinationThrottle throttle = defaultRules(clock).build();

        Day guarded = simulate(throttle, clock, true);
        Day unguarded = simulate(throttle, clock, false);

        assertNotEquals(guarded.transitions(), unguarded.transitions());
        // the same until the suspension, then no recovery: every held-back message re-triggered the rules
        assertEquals(guarded.transitions().subList(0, 4), unguarded.transitions());
        Instant lastTick = at("23:59:40");
        assertEquals(lastTick.plus(Duration.ofHours(1)), unguarded.end().suspendedUntil());
        assertEquals(Level.SUSPENDED, unguarded.end().level(lastTick));
        assertTrue(unguarded.sent().stream().noneMatch(t -> t.isAfter(at("12:07:40"))));

        // the guard itself: a local deferral leaves the state as it is, the same signal as a reply extends the hold
        DestinationState suspended = DestinationState.initial(KEY);
        clock.set(at("12:00:00"));
        for (int i = 0; i < 10; i++) {
            suspended = throttle.onSignal(suspended, ThrottleSignal.reply(at("12:00:00").plusSeconds(i), THROTTLED));
        }
        assertEquals(at("13:00:09"), suspended.suspendedUntil());
        clock.set(at("12:30:00"));
        assertSame(suspended, throttle.onSignal(suspended, ThrottleSignal.localDeferral(at("12:30:00"), HELD_BACK)));
        assertEquals(at("13:30:00"), throttle.onSignal(suspended, ThrottleSignal.reply(at("12:30:00"), HELD_BACK))
                .suspendedUntil());
    }

    /** Nothing was sent while SUSPENDED, and in BACKOFF sends were at least a minute apart. */
    private static void assertSenderObeyed(Day day) {
        Instant previous = null;
        for (int i = 0; i < day.sent().size(); i++) {
            Level level = day.sentAt().get(i);
            assertNotEquals(Level.SUSPENDED, level);
            if (level == Level.BACKOFF && previous != null) {
                assertFalse(day.sent().get(i).isBefore(previous.plus(Duration.ofMinutes(1))),
                        "BACKOFF send at " + day.sent().get(i) + " after " + previous);
            }
            previous = day.sent().get(i);
        }
    }
}
