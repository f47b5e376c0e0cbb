package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.bouncekit.classifier.BounceType;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Evidence;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.DestinationState.Hold;
import org.bouncekit.classifier.policy.DestinationState.Level;
import org.junit.jupiter.api.Test;

/** The policy's transitions, advice and validation, with a fixed clock. */
class DestinationThrottleTest {

    static final Instant T0 = Instant.parse("2024-05-06T10:00:00Z");
    static final DestinationKey KEY = DestinationKey.of("gmail.com", "192.0.2.1");

    static Classification throttle() {
        return new Classification(null, Reason.SPEEDING, BounceType.SOFT, Decision.THROTTLE, true, "gmail",
                new Evidence("gmail", "rate", "text", "unusual rate"));
    }

    static Classification reputation(Reason reason, String provider) {
        return new Classification(null, reason, BounceType.BLOCK, Decision.FIX_SENDER, false, provider,
                new Evidence("test", "rep", "text", "reputation"));
    }

    static Classification userUnknown() {
        return new Classification("a@gmail.com", Reason.USERUNKNOWN, BounceType.HARD, Decision.SUPPRESS, false,
                "gmail", new Evidence("rfc3463", "5.1.1", "status", "5.1.1"));
    }

    static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static ThrottleSignal reply(long seconds) {
        return ThrottleSignal.reply(t(seconds), throttle());
    }

    /** The default rules and limits with the clock fixed at {@link #T0}. */
    static DestinationThrottle defaults() {
        return DestinationThrottle.builder().defaultRules().clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
    }

    static DestinationState feed(DestinationThrottle throttle, DestinationState s, ThrottleSignal... signals) {
        for (ThrottleSignal signal : signals) {
            s = throttle.onSignal(s, signal);
        }
        return s;
    }

    @Test
    void theDefaultRulesAreTheDocumentedOnes() {
        List<ThrottleRule> rules = DestinationThrottle.defaults().rules();
        assertEquals(List.of("throttle-backoff", "throttle-suspend", "reputation-backoff"),
                rules.stream().map(ThrottleRule::name).toList());
        assertEquals("throttle-backoff: decisions [throttle], 3 within 10m -> backoff for 30m",
                rules.get(0).toString());
        assertEquals("throttle-suspend: decisions [throttle], 10 within 30m -> suspended for 1h",
                rules.get(1).toString());
        assertEquals("reputation-backoff: reasons [blocked, badreputation], 5 within 10m -> backoff for 1h",
                rules.get(2).toString());
        assertTrue(rules.stream().noneMatch(ThrottleRule::endOnSuccess));
        DestinationThrottle d = DestinationThrottle.defaults();
        assertNull(d.messagesPerMinute(Level.NORMAL));
        assertNull(d.connections(Level.NORMAL));
        assertEquals(10, d.messagesPerMinute(Level.BACKOFF));
        assertEquals(1, d.connections(Level.BACKOFF));
        assertEquals(0, d.messagesPerMinute(Level.SUSPENDED));
        assertEquals(0, d.connections(Level.SUSPENDED));
        assertEquals(Clock.systemUTC(), d.clock());
    }

    @Test
    void anImmediateRuleHoldsAtTheFirstMatchingSignal() {
        ThrottleRule tss04 = ThrottleRule.builder("yahoo-tss04").reasons(Reason.BADREPUTATION).providers("Yahoo")
                .level(Level.SUSPENDED).duration(Duration.ofHours(2)).build();
        assertTrue(tss04.immediate());
        DestinationThrottle throttle = DestinationThrottle.builder().rule(tss04)
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
        DestinationState s = DestinationState.initial(KEY);
        // another provider's reputation reply does not match
        assertSame(s, throttle.onSignal(s, ThrottleSignal.reply(t(0), reputation(Reason.BADREPUTATION, "gmail"))));
        s = throttle.onSignal(s, ThrottleSignal.reply(t(60), reputation(Reason.BADREPUTATION, "yahoo")));
        assertEquals(Level.SUSPENDED, s.level(t(60)));
        assertEquals(t(60).plus(Duration.ofHours(2)), s.suspendedUntil());
        assertEquals("yahoo-tss04", s.rule(Level.SUSPENDED));
        assertEquals(Map.of(), s.recent(), "an immediate rule needs no history");
        assertEquals(Level.NORMAL, s.level(t(60).plus(Duration.ofHours(2))));
        assertEquals(Level.SUSPENDED, s.level(t(60).plus(Duration.ofHours(2)).minusNanos(1)));
    }

    @Test
    void aThresholdTriggersWhenTheCountLiesWithinTheWindow() {
        DestinationThrottle throttle = defaults();
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0), reply(240));
        assertEquals(Level.NORMAL, s.level(t(240)));
        assertEquals(List.of(t(0), t(240)), s.recent().get("throttle-backoff"));
        s = throttle.onSignal(s, reply(599)); // 9m59s after the first
        assertEquals(Level.BACKOFF, s.level(t(599)));
        assertEquals(t(599).plus(Duration.ofMinutes(30)), s.backoffUntil());
        assertEquals("throttle-backoff", s.rule(Level.BACKOFF));
        assertNull(s.suspendedUntil());
    }

    @Test
    void signalsOneWindowApartAreNotWithinIt() {
        DestinationThrottle throttle = defaults();
        // the third is exactly 10 minutes after the first: the window is half-open
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0), reply(300), reply(600));
        assertEquals(Level.NORMAL, s.level(t(600)));
        assertEquals(Map.of(), s.holds());
        // the first has left the window of the backoff rule, not of the 30-minute suspend rule
        assertEquals(List.of(t(300), t(600)), s.recent().get("throttle-backoff"));
        assertEquals(List.of(t(0), t(300), t(600)), s.recent().get("throttle-suspend"));
        s = throttle.onSignal(s, reply(899)); // 300, 600, 899 lie within 10 minutes
        assertEquals(Level.BACKOFF, s.level(t(899)));
    }

    @Test
    void aReTriggerExtendsTheHoldToTheNewestSignalPlusTheDuration() {
        DestinationThrottle throttle = defaults();
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0), reply(10), reply(20));
        assertEquals(t(20).plus(Duration.ofMinutes(30)), s.backoffUntil());
        s = throttle.onSignal(s, reply(500));
        assertEquals(t(500).plus(Duration.ofMinutes(30)), s.backoffUntil());
        assertEquals(List.of(t(10), t(20), t(500)), s.recent().get("throttle-backoff"), "at most 3 kept");
        // a match that does not re-trigger (the other two are more than a window older) leaves the end alone
        s = throttle.onSignal(s, reply(1150));
        assertEquals(t(500).plus(Duration.ofMinutes(30)), s.backoffUntil());
        assertEquals(List.of(t(1150)), s.recent().get("throttle-backoff"));
    }

    @Test
    void tenThrottlesWithinHalfAnHourSuspendAndTheBackoffOutlastsNothing() {
        DestinationThrottle throttle = defaults();
        DestinationState s = DestinationState.initial(KEY);
        for (int i = 0; i < 9; i++) {
            s = throttle.onSignal(s, reply(i * 180L));
        }
        assertEquals(Level.BACKOFF, s.level(t(1440)));
        s = throttle.onSignal(s, reply(1620)); // the 10th, 27 minutes after the first
        assertEquals(Level.SUSPENDED, s.level(t(1620)));
        assertEquals(t(1620).plus(Duration.ofHours(1)), s.suspendedUntil());
        assertEquals(t(1620).plus(Duration.ofMinutes(30)), s.backoffUntil());
        assertEquals(Level.NORMAL, s.level(t(1620).plus(Duration.ofHours(1))));
        assertEquals(10, s.recent().get("throttle-suspend").size());
    }

    @Test
    void reputationRepliesCountForTheirOwnRuleOnly() {
        DestinationThrottle throttle = defaults();
        DestinationState s = DestinationState.initial(KEY);
        for (int i = 0; i < 4; i++) {
            s = throttle.onSignal(s, ThrottleSignal.reply(t(i * 60L), reputation(Reason.BLOCKED, null)));
        }
        assertEquals(Level.NORMAL, s.level(t(240)));
        assertEquals(Map.of("reputation-backoff", List.of(t(0), t(60), t(120), t(180))), s.recent());
        s = throttle.onSignal(s, ThrottleSignal.reply(t(240), reputation(Reason.BADREPUTATION, "microsoft")));
        assertEquals(Level.BACKOFF, s.level(t(240)));
        assertEquals(t(240).plus(Duration.ofHours(1)), s.backoffUntil());
        assertEquals("reputation-backoff", s.rule(Level.BACKOFF));
    }

    @Test
    void signalsNoRuleMatchesLeaveTheStateAsItIs() {
        DestinationThrottle throttle = defaults();
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0));
        assertSame(s, throttle.onSignal(s, ThrottleSignal.reply(t(10), userUnknown())));
    }

    @Test
    void localSignalsNeverCount() {
        DestinationThrottle throttle = defaults();
        DestinationState s = DestinationState.initial(KEY);
        for (int i = 0; i < 50; i++) {
            DestinationState next = throttle.onSignal(s, ThrottleSignal.localDeferral(t(i), throttle()));
            assertSame(s, next);
        }
        s = feed(throttle, s, reply(0), reply(1), reply(2));
        DestinationState held = s;
        assertSame(held, throttle.onSignal(held, ThrottleSignal.localDeferral(t(100), throttle())));
        assertEquals(t(2).plus(Duration.ofMinutes(30)), held.backoffUntil());
    }

    @Test
    void aSignalWhoseEffectWouldAlreadyHaveEndedIsIgnored() {
        DestinationThrottle immediate = DestinationThrottle.builder()
                .rule(ThrottleRule.builder("now").decisions(Decision.THROTTLE).level(Level.BACKOFF)
                        .duration(Duration.ofMinutes(30)).build())
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
        DestinationState s = DestinationState.initial(KEY);
        // at + 30 minutes == now: already over
        assertSame(s, immediate.onSignal(s, ThrottleSignal.reply(T0.minus(Duration.ofMinutes(30)), throttle())));
        DestinationState late = immediate.onSignal(s,
                ThrottleSignal.reply(T0.minus(Duration.ofMinutes(30)).plusNanos(1), throttle()));
        assertEquals(Level.BACKOFF, late.level(T0));
        assertEquals(T0.plusNanos(1), late.backoffUntil());

        // threshold rules do not count stale signals either, each by its own duration: 31 minutes ago is stale
        // for the 30-minute backoff, not for the 1-hour suspension; 61 minutes ago is stale for both
        DestinationThrottle throttle = defaults();
        Instant old = T0.minus(Duration.ofMinutes(31));
        DestinationState s2 = feed(throttle, s, ThrottleSignal.reply(old, throttle()),
                ThrottleSignal.reply(old.plusSeconds(1), throttle()), ThrottleSignal.reply(old.plusSeconds(2),
                        throttle()));
        assertEquals(Map.of("throttle-suspend", List.of(old, old.plusSeconds(1), old.plusSeconds(2))), s2.recent());
        assertEquals(Level.NORMAL, s2.level(T0));
        Instant older = T0.minus(Duration.ofMinutes(61));
        assertSame(s, feed(throttle, s, ThrottleSignal.reply(older, throttle()),
                ThrottleSignal.reply(older.plusSeconds(1), throttle()), ThrottleSignal.reply(older.plusSeconds(2),
                        throttle())));
    }

    @Test
    void aSignalAWindowOlderThanTheNewestIsIgnoredByThatRule() {
        DestinationThrottle throttle = defaults();
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(1200));
        // 20 minutes before the newest: outside the 10-minute window, inside the 30-minute one
        s = throttle.onSignal(s, reply(0));
        assertEquals(List.of(t(1200)), s.recent().get("throttle-backoff"));
        assertEquals(List.of(t(0), t(1200)), s.recent().get("throttle-suspend"));
        assertEquals(t(1200), s.latest());
        // exactly one window older: outside (half-open), for the backoff rule
        s = throttle.onSignal(s, reply(600));
        assertEquals(List.of(t(1200)), s.recent().get("throttle-backoff"));
        assertEquals(List.of(t(0), t(600), t(1200)), s.recent().get("throttle-suspend"));
    }

    @Test
    void signalsWithinOneWindowGiveTheSameStateInAnyOrder() {
        DestinationThrottle throttle = defaults();
        DestinationState inOrder = feed(throttle, DestinationState.initial(KEY), reply(0), reply(60), reply(120),
                reply(180));
        DestinationState reversed = feed(throttle, DestinationState.initial(KEY), reply(180), reply(120), reply(60),
                reply(0));
        DestinationState mixed = feed(throttle, DestinationState.initial(KEY), reply(120), reply(0), reply(180),
                reply(60));
        assertEquals(inOrder, reversed);
        assertEquals(inOrder, mixed);
        assertEquals(t(180).plus(Duration.ofMinutes(30)), mixed.backoffUntil());
        assertEquals(List.of(t(60), t(120), t(180)), mixed.recent().get("throttle-backoff"));
    }

    @Test
    void aLateSignalFillsAGapAndTheHoldRunsFromTheNewestKeptSignal() {
        DestinationThrottle throttle = defaults();
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0), reply(300));
        assertEquals(Level.NORMAL, s.level(t(300)));
        s = throttle.onSignal(s, reply(100)); // arrives last, happened second
        assertEquals(Level.BACKOFF, s.level(t(300)));
        assertEquals(t(300).plus(Duration.ofMinutes(30)), s.backoffUntil());
        // a late signal older than the rule's 3 kept instants is dropped by that rule, and shortens nothing
        DestinationState later = throttle.onSignal(s, reply(50));
        assertEquals(List.of(t(50), t(100), t(300)), later.recent().get("throttle-backoff"));
        DestinationState dropped = throttle.onSignal(later, reply(10));
        assertEquals(List.of(t(50), t(100), t(300)), dropped.recent().get("throttle-backoff"));
        assertEquals(List.of(t(0), t(10), t(50), t(100), t(300)), dropped.recent().get("throttle-suspend"));
        assertEquals(s.backoffUntil(), dropped.backoffUntil());
    }

    @Test
    void holdsThatEndedAreDroppedOnTheNextTransition() {
        MutableClock clock = new MutableClock(T0);
        DestinationThrottle throttle = DestinationThrottle.builder().defaultRules().clock(clock).build();
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0), reply(1), reply(2));
        assertEquals(1, s.holds().size());
        clock.set(t(2).plus(Duration.ofHours(2)));
        s = throttle.onSignal(s, ThrottleSignal.reply(clock.instant(), throttle()));
        assertEquals(Map.of(), s.holds());
        assertEquals(List.of(clock.instant()), s.recent().get("throttle-backoff"));
    }

    @Test
    void aSuccessEndsTheHoldEarlyWhenTheRuleSaysSoAndRestartsItsCount() {
        ThrottleRule rule = ThrottleRule.builder("pmta-backoff").decisions(Decision.THROTTLE)
                .threshold(2, Duration.ofMinutes(10)).level(Level.BACKOFF).duration(Duration.ofHours(1))
                .endOnSuccess(true).build();
        ThrottleRule sticky = ThrottleRule.builder("sticky").reasons(Reason.BLOCKED).level(Level.SUSPENDED)
                .duration(Duration.ofHours(1)).build();
        DestinationThrottle throttle = DestinationThrottle.builder().rule(rule).rule(sticky)
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0), reply(30));
        assertEquals(Level.BACKOFF, s.level(t(60)));

        // a delivery before the signal that set the hold ends nothing (it was reported late)
        assertEquals(Level.BACKOFF, throttle.onSuccess(s, t(20)).level(t(60)));
        assertEquals(List.of(t(30)), throttle.onSuccess(s, t(20)).recent().get("pmta-backoff"));

        DestinationState after = throttle.onSuccess(s, t(60));
        assertEquals(Level.NORMAL, after.level(t(60)));
        assertEquals(Map.of(), after.holds());
        assertEquals(Map.of(), after.recent());
        // the count starts again: one more throttle is not enough
        assertEquals(Level.NORMAL, throttle.onSignal(after, reply(90)).level(t(90)));
        // a delivery after the hold ended leaves the (ended) hold alone, and still restarts the count
        DestinationState afterEnd = throttle.onSuccess(s, t(30).plus(Duration.ofHours(1)));
        assertEquals(s.holds(), afterEnd.holds());
        assertEquals(Map.of(), afterEnd.recent());

        // a rule without endOnSuccess keeps its hold
        DestinationState blocked = throttle.onSignal(DestinationState.initial(KEY),
                ThrottleSignal.reply(t(0), reputation(Reason.BLOCKED, null)));
        assertSame(blocked, throttle.onSuccess(blocked, t(10)));
        assertEquals(Level.SUSPENDED, blocked.level(t(10)));
    }

    @Test
    void aSuccessDoesNotEndTheDefaultHolds() {
        DestinationThrottle throttle = defaults();
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0), reply(1), reply(2));
        assertSame(s, throttle.onSuccess(s, t(3)));
    }

    @Test
    void advicePerLevel() {
        DestinationThrottle throttle = defaults();
        DestinationState s = DestinationState.initial(KEY);
        ThrottleAdvice normal = throttle.advise(s, T0);
        assertEquals(new ThrottleAdvice(Level.NORMAL, null, null, null, null,
                "normal: no throttle rule holds gmail.com from 192.0.2.1"), normal);
        assertTrue(normal.maySend());

        s = feed(throttle, s, reply(0), reply(1), reply(2));
        ThrottleAdvice backoff = throttle.advise(s, t(3));
        assertEquals(Level.BACKOFF, backoff.level());
        assertEquals(10, backoff.messagesPerMinute());
        assertEquals(1, backoff.connections());
        assertEquals(t(2).plus(Duration.ofMinutes(30)), backoff.until());
        assertEquals("throttle-backoff", backoff.rule());
        assertEquals("backoff until 2024-05-06T10:30:02Z by rule throttle-backoff: decisions [throttle], 3 within 10m"
                + " -> backoff for 30m", backoff.reason());
        assertTrue(backoff.maySend());

        for (int i = 3; i < 10; i++) {
            s = throttle.onSignal(s, reply(i));
        }
        ThrottleAdvice suspended = throttle.advise(s, t(10));
        assertEquals(new ThrottleAdvice(Level.SUSPENDED, t(9).plus(Duration.ofHours(1)), "throttle-suspend", 0, 0,
                "suspended until 2024-05-06T11:00:09Z by rule throttle-suspend: decisions [throttle], 10 within 30m"
                        + " -> suspended for 1h"), suspended);
        assertFalse(suspended.maySend());
        // the same state advises by time: NORMAL once every hold ended
        assertEquals(Level.SUSPENDED, throttle.advise(s, t(9).plus(Duration.ofMinutes(59))).level());
        assertEquals(Level.NORMAL, throttle.advise(s, t(9).plus(Duration.ofHours(1))).level());
    }

    @Test
    void limitsAreConfigurablePerLevel() {
        DestinationThrottle throttle = DestinationThrottle.builder().defaultRules()
                .limits(Level.NORMAL, 600, 20).limits(Level.BACKOFF, 1, 1).limits(Level.SUSPENDED, 0, null)
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
        assertEquals(600, throttle.advise(DestinationState.initial(KEY), T0).messagesPerMinute());
        assertEquals(20, throttle.advise(DestinationState.initial(KEY), T0).connections());
        DestinationState s = feed(throttle, DestinationState.initial(KEY), reply(0), reply(1), reply(2));
        assertEquals(1, throttle.advise(s, t(3)).messagesPerMinute());
        assertEquals(1, throttle.advise(s, t(3)).connections());
        assertEquals(0, throttle.messagesPerMinute(Level.SUSPENDED));
        assertNull(throttle.connections(Level.SUSPENDED));
    }

    @Test
    void aStateFromRulesNoLongerConfiguredIsStillAdvisedAndCleanedUp() {
        DestinationState s = new DestinationState(KEY, t(0), Map.of("gone", List.of(t(0))),
                Map.of("gone", new Hold(Level.BACKOFF, t(600))));
        DestinationThrottle throttle = defaults();
        assertEquals("backoff until 2024-05-06T10:10:00Z by rule gone (no longer configured)",
                throttle.advise(s, t(1)).reason());
        DestinationState next = throttle.onSignal(s, reply(1));
        assertFalse(next.recent().containsKey("gone"));
        assertFalse(next.holds().containsKey("gone"));
        assertNotSame(s, next);
    }

    @Test
    void theThrottleBuilderValidates() {
        DestinationThrottle.Builder b = DestinationThrottle.builder();
        assertThrows(IllegalStateException.class, b::build);
        assertThrows(NullPointerException.class, () -> b.rule(null));
        assertThrows(NullPointerException.class, () -> b.clock(null));
        assertThrows(NullPointerException.class, () -> b.limits(null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> b.limits(Level.BACKOFF, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> b.limits(Level.BACKOFF, 1, -1));
        b.defaultRules();
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> b.rule(DestinationThrottle.defaultRules().get(0)));
        assertTrue(twice.getMessage().contains("throttle-backoff"), twice.getMessage());
        DestinationThrottle.Builder many = DestinationThrottle.builder();
        for (int i = 0; i < DestinationThrottle.MAX_RULES; i++) {
            many.rule(ThrottleRule.builder("r" + i).decisions(Decision.THROTTLE).level(Level.BACKOFF)
                    .duration(Duration.ofMinutes(1)).build());
        }
        assertThrows(IllegalArgumentException.class, () -> many.rule(ThrottleRule.builder("one-more")
                .decisions(Decision.THROTTLE).level(Level.BACKOFF).duration(Duration.ofMinutes(1)).build()));
        assertEquals(DestinationThrottle.MAX_RULES, many.build().rules().size());
    }

    @Test
    void aBuiltThrottleDoesNotChangeWithItsBuilder() {
        DestinationThrottle.Builder b = DestinationThrottle.builder().defaultRules();
        DestinationThrottle built = b.build();
        b.limits(Level.BACKOFF, 1, 1).rule(ThrottleRule.builder("extra").decisions(Decision.RETRY)
                .level(Level.BACKOFF).duration(Duration.ofMinutes(1)).build());
        assertEquals(3, built.rules().size());
        assertEquals(10, built.messagesPerMinute(Level.BACKOFF));
    }

    @Test
    void transitionsRejectNulls() {
        DestinationThrottle throttle = defaults();
        DestinationState s = DestinationState.initial(KEY);
        assertThrows(NullPointerException.class, () -> throttle.onSignal(null, reply(0)));
        assertThrows(NullPointerException.class, () -> throttle.onSignal(s, null));
        assertThrows(NullPointerException.class, () -> throttle.onSuccess(null, T0));
        assertThrows(NullPointerException.class, () -> throttle.onSuccess(s, null));
        assertThrows(NullPointerException.class, () -> throttle.advise(null, T0));
        assertThrows(NullPointerException.class, () -> throttle.advise(s, null));
        assertThrows(IllegalArgumentException.class, () -> throttle.onSuccess(s, Instant.MAX));
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            this.now = instant;
        }

        void advance(Duration d) {
            this.now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
