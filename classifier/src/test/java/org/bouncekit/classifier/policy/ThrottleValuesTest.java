package org.bouncekit.classifier.policy;

import static org.bouncekit.classifier.policy.DestinationThrottleTest.KEY;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.reputation;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.t;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.throttle;
import static org.bouncekit.classifier.policy.DestinationThrottleTest.userUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.DestinationState.Hold;
import org.bouncekit.classifier.policy.DestinationState.Level;
import org.junit.jupiter.api.Test;

/** The value types and the rule builder: normalisation, validation, matching. */
class ThrottleValuesTest {

    @Test
    void aKeyIsNormalisedAndValidated() {
        DestinationKey k = new DestinationKey(" GMail.COM ", " Pool-A ", " acme ");
        assertEquals("gmail.com", k.destination());
        assertEquals("Pool-A", k.source());
        assertEquals("acme", k.tenant());
        assertEquals(DestinationKey.of("gmail.com", "192.0.2.1"), DestinationKey.of("GMAIL.com", "192.0.2.1"));
        assertNull(DestinationKey.of("gmail.com", "192.0.2.1").tenant());
        assertThrows(NullPointerException.class, () -> DestinationKey.of(null, "192.0.2.1"));
        assertThrows(NullPointerException.class, () -> DestinationKey.of("gmail.com", null));
        assertThrows(IllegalArgumentException.class, () -> DestinationKey.of(" ", "192.0.2.1"));
        assertThrows(IllegalArgumentException.class, () -> DestinationKey.of("gmail.com", ""));
        assertThrows(IllegalArgumentException.class, () -> new DestinationKey("gmail.com", "ip", " "));
        assertThrows(IllegalArgumentException.class, () -> DestinationKey.of("gmail\n.com", "ip"));
        assertThrows(IllegalArgumentException.class,
                () -> DestinationKey.of("a".repeat(DestinationKey.MAX_LENGTH + 1), "ip"));
        assertEquals(DestinationKey.MAX_LENGTH, DestinationKey.of("a".repeat(DestinationKey.MAX_LENGTH), "ip")
                .destination().length());
    }

    @Test
    void aSignalIsValidated() {
        assertFalse(ThrottleSignal.reply(t(0), throttle()).local());
        assertTrue(ThrottleSignal.localDeferral(t(0), throttle()).local());
        assertThrows(NullPointerException.class, () -> ThrottleSignal.reply(null, throttle()));
        assertThrows(NullPointerException.class, () -> ThrottleSignal.reply(t(0), null));
        assertThrows(IllegalArgumentException.class,
                () -> ThrottleSignal.reply(Instant.EPOCH.minusNanos(1), throttle()));
        assertThrows(IllegalArgumentException.class,
                () -> ThrottleSignal.reply(ThrottleSignal.LATEST.plusSeconds(1), throttle()));
        ThrottleSignal.reply(ThrottleSignal.LATEST, throttle());
    }

    @Test
    void aRuleMatchesDecisionsOrReasonsFromItsProviders() {
        ThrottleRule either = ThrottleRule.builder("either").decisions(Decision.THROTTLE).reasons(Reason.BLOCKED)
                .level(Level.BACKOFF).duration(Duration.ofMinutes(5)).build();
        assertTrue(either.matches(throttle()));
        assertTrue(either.matches(reputation(Reason.BLOCKED, null)));
        assertFalse(either.matches(reputation(Reason.BADREPUTATION, null)));
        assertFalse(either.matches(userUnknown()));

        ThrottleRule gmailOnly = ThrottleRule.builder("gmail").reasons(Reason.BADREPUTATION).providers(" GMAIL ")
                .level(Level.BACKOFF).duration(Duration.ofMinutes(5)).build();
        assertEquals(Set.of("gmail"), gmailOnly.providers());
        assertTrue(gmailOnly.matches(reputation(Reason.BADREPUTATION, "Gmail")));
        assertFalse(gmailOnly.matches(reputation(Reason.BADREPUTATION, "yahoo")));
        assertFalse(gmailOnly.matches(reputation(Reason.BADREPUTATION, null)));

        ThrottleRule anyFromYahoo = ThrottleRule.builder("yahoo-any").providers("yahoo").level(Level.SUSPENDED)
                .duration(Duration.ofMinutes(5)).build();
        assertTrue(anyFromYahoo.matches(reputation(Reason.BLOCKED, "yahoo")));
        assertFalse(anyFromYahoo.matches(throttle()));
        assertThrows(NullPointerException.class, () -> either.matches(null));
    }

    @Test
    void aRuleDescribesItself() {
        ThrottleRule r = ThrottleRule.builder("r.1_x").decisions(Decision.THROTTLE).reasons(Reason.TOOMANYCONN)
                .providers("gmail").threshold(4, Duration.ofMinutes(90)).level(Level.SUSPENDED)
                .duration(Duration.ofSeconds(45)).endOnSuccess(true).build();
        assertEquals("r.1_x: decisions [throttle], reasons [toomanyconn], providers [gmail], 4 within 1h30m -> "
                + "suspended for 45s, ends on success", r.toString());
        assertEquals(4, r.count());
        assertEquals(Duration.ofMinutes(90), r.window());
        assertFalse(r.immediate());
        assertEquals("1d2h", ThrottleRule.human(Duration.ofHours(26)));
        assertEquals("0.5s", ThrottleRule.human(Duration.ofMillis(500)));
        // a threshold of 1 is immediate: the window plays no part
        ThrottleRule one = ThrottleRule.builder("one").decisions(Decision.THROTTLE).threshold(1, Duration.ofHours(1))
                .level(Level.BACKOFF).duration(Duration.ofMinutes(1)).build();
        assertTrue(one.immediate());
        assertEquals(Duration.ZERO, one.window());
        assertEquals("one: decisions [throttle], immediate -> backoff for 1m", one.toString());
    }

    @Test
    void theRuleBuilderValidates() {
        assertThrows(NullPointerException.class, () -> ThrottleRule.builder(null));
        assertThrows(IllegalArgumentException.class, () -> ThrottleRule.builder(""));
        assertThrows(IllegalArgumentException.class, () -> ThrottleRule.builder("has space"));
        assertThrows(IllegalArgumentException.class, () -> ThrottleRule.builder("x".repeat(65)));
        ThrottleRule.builder("x".repeat(64));
        ThrottleRule.Builder b = ThrottleRule.builder("r");
        assertThrows(NullPointerException.class, () -> b.decisions((Decision[]) null));
        assertThrows(NullPointerException.class, () -> b.decisions(Decision.THROTTLE, null));
        assertThrows(NullPointerException.class, () -> b.reasons((Reason) null));
        assertThrows(NullPointerException.class, () -> b.providers((String) null));
        assertThrows(IllegalArgumentException.class, () -> b.providers(" "));
        assertThrows(IllegalArgumentException.class, () -> b.threshold(0, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> b.threshold(ThrottleRule.MAX_COUNT + 1,
                Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> b.threshold(3, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.threshold(3, Duration.ofMinutes(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.threshold(3, ThrottleRule.MAX_DURATION.plusNanos(1)));
        assertThrows(NullPointerException.class, () -> b.threshold(3, null));
        assertThrows(IllegalArgumentException.class, () -> b.duration(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.duration(Duration.ofSeconds(-5)));
        assertThrows(IllegalArgumentException.class, () -> b.duration(Duration.ofDays(31)));
        assertThrows(NullPointerException.class, () -> b.duration(null));
        assertThrows(IllegalArgumentException.class, () -> b.level(Level.NORMAL));
        assertThrows(NullPointerException.class, () -> b.level(null));
        IllegalStateException nothing = assertThrows(IllegalStateException.class, b::build);
        assertTrue(nothing.getMessage().contains("matches nothing"), nothing.getMessage());
        b.decisions(Decision.THROTTLE);
        assertThrows(IllegalStateException.class, b::build);
        b.level(Level.BACKOFF);
        assertThrows(IllegalStateException.class, b::build);
        b.duration(ThrottleRule.MAX_DURATION).threshold(ThrottleRule.MAX_COUNT, ThrottleRule.MAX_DURATION);
        assertEquals(ThrottleRule.MAX_COUNT, b.build().count());
        ThrottleRule.Builder providers = ThrottleRule.builder("p");
        for (int i = 0; i < ThrottleRule.MAX_PROVIDERS; i++) {
            providers.providers("p" + i);
        }
        providers.providers("p0"); // again: no new one
        assertThrows(IllegalArgumentException.class, () -> providers.providers("one-more"));
    }

    @Test
    void aStateIsValidatedAndCopied() {
        DestinationState initial = DestinationState.initial(KEY);
        assertEquals(Level.NORMAL, initial.level(t(0)));
        assertNull(initial.backoffUntil());
        assertNull(initial.suspendedUntil());
        assertNull(initial.until(Level.NORMAL));
        assertNull(initial.rule(Level.BACKOFF));
        assertThrows(NullPointerException.class, () -> DestinationState.initial(null));
        assertThrows(NullPointerException.class, () -> initial.level(null));

        List<Instant> list = new ArrayList<>(List.of(t(0), t(1)));
        Map<String, List<Instant>> recent = new HashMap<>(Map.of("r", list));
        DestinationState s = new DestinationState(KEY, t(1), recent, Map.of());
        list.add(t(2));
        recent.put("other", List.of(t(0)));
        assertEquals(Map.of("r", List.of(t(0), t(1))), s.recent());
        assertThrows(UnsupportedOperationException.class, () -> s.recent().put("x", List.of(t(0))));
        assertThrows(UnsupportedOperationException.class, () -> s.holds().clear());

        assertThrows(IllegalArgumentException.class,
                () -> new DestinationState(KEY, t(1), Map.of("r", List.of(t(1), t(0))), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new DestinationState(KEY, t(1), Map.of("r", List.of()), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new DestinationState(KEY, null, Map.of("r", List.of(t(0))), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new DestinationState(KEY, t(0), Map.of("r", List.of(t(1))), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new DestinationState(KEY, Instant.MIN, Map.of(), Map.of()));
        Map<String, Hold> many = new HashMap<>();
        for (int i = 0; i <= DestinationThrottle.MAX_RULES; i++) {
            many.put("r" + i, new Hold(Level.BACKOFF, t(i)));
        }
        assertThrows(IllegalArgumentException.class, () -> new DestinationState(KEY, null, Map.of(), many));
        assertThrows(NullPointerException.class, () -> new DestinationState(null, null, Map.of(), Map.of()));
        assertThrows(NullPointerException.class, () -> new DestinationState(KEY, null, null, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Hold(Level.NORMAL, t(0)));
        assertThrows(NullPointerException.class, () -> new Hold(Level.BACKOFF, null));
    }

    @Test
    void theLevelIsTheMostRestrictiveHoldInForce() {
        DestinationState s = new DestinationState(KEY, null, Map.of(), Map.of(
                "a", new Hold(Level.BACKOFF, t(100)),
                "b", new Hold(Level.BACKOFF, t(300)),
                "c", new Hold(Level.SUSPENDED, t(200))));
        assertEquals(Level.SUSPENDED, s.level(t(0)));
        assertEquals(Level.SUSPENDED, s.level(t(199)));
        assertEquals(Level.BACKOFF, s.level(t(200)));
        assertEquals(Level.NORMAL, s.level(t(300)));
        assertEquals(t(300), s.backoffUntil());
        assertEquals("b", s.rule(Level.BACKOFF));
        assertEquals(t(200), s.suspendedUntil());
        assertEquals(List.of(t(100), t(200), t(300)), s.holdEnds());
    }

    @Test
    void adviceIsValidated() {
        assertThrows(NullPointerException.class, () -> new ThrottleAdvice(null, null, null, null, null, "r"));
        assertThrows(NullPointerException.class,
                () -> new ThrottleAdvice(Level.NORMAL, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ThrottleAdvice(Level.BACKOFF, t(1), "r", -1, 1, "r"));
        assertThrows(IllegalArgumentException.class,
                () -> new ThrottleAdvice(Level.BACKOFF, t(1), "r", 1, -1, "r"));
        assertFalse(new ThrottleAdvice(Level.BACKOFF, t(1), "r", 5, 0, "r").maySend());
        assertTrue(new ThrottleAdvice(Level.BACKOFF, t(1), "r", 5, null, "r").maySend());
    }
}
