package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.Reason;
import org.bouncekit.core.EnhancedStatus;
import org.junit.jupiter.api.Test;

/** How a delivery history grows by attempts and local deferrals, and what it refuses; decisions are values. */
class DeliveryHistoryTest {

    private static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");
    private static final Classification FULL = Classifier.defaults().classify(452,
            EnhancedStatus.parse("4.2.2").orElseThrow(), "4.2.2 mailbox full", null);
    private static final Classification GREY = Classifier.defaults().classify(450,
            EnhancedStatus.parse("4.2.0").orElseThrow(), "4.2.0 Greylisted, please try again later", null);

    private static Instant at(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void firstThenNext() {
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, FULL, "4.2.2 (mailbox full)");
        assertEquals(Reason.MAILBOXFULL, FULL.reason());
        assertEquals(Reason.GREYLISTED, GREY.reason());
        assertEquals(1, h.attempts());
        assertEquals(T0, h.firstAttempt());
        assertEquals(T0, h.firstFailure());
        assertEquals(T0, h.lastAttempt());
        assertEquals("4.2.2", h.lastStatus()); // normalised
        assertNull(h.previousInterval());
        assertEquals(1, h.reasonStreak());
        assertFalse(h.bounce());

        DeliveryHistory h2 = h.next(at(30), FULL, null);
        assertEquals(2, h2.attempts());
        assertEquals(T0, h2.firstAttempt());
        assertEquals(T0, h2.firstFailure());
        assertEquals(at(30), h2.lastAttempt());
        assertNull(h2.lastStatus());
        assertEquals(Duration.ofMinutes(30), h2.previousInterval());
        assertEquals(2, h2.reasonStreak());
        DeliveryHistory h3 = h2.next(at(30), GREY, "4.2.0");
        assertEquals(1, h3.reasonStreak()); // another reason starts over
        assertEquals(Duration.ZERO, h3.previousInterval());
        assertEquals(2, h3.next(at(40), GREY, "4.2.0").reasonStreak());

        // a history that records no failure: an attempt after the last one says the last one failed
        DeliveryHistory noFailure = new DeliveryHistory("ann@example.org", 2, T0, null, at(3), FULL, null, false,
                null, null, 1);
        assertEquals(at(3), noFailure.next(at(5), FULL, null).firstFailure());
    }

    @Test
    void localDeferralsAreNotAttempts() {
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, FULL, "4.2.2");
        DeliveryHistory d = h.deferredLocally(at(30)).deferredLocally(at(45));
        assertEquals(1, d.attempts());
        assertEquals(T0, d.lastAttempt());
        assertEquals(at(45), d.lastLocalDeferral());
        assertEquals(at(45), d.lastActivity());
        assertEquals(T0, h.lastActivity());
        assertEquals(FULL, d.lastClassification());
        assertEquals("4.2.2", d.lastStatus());
        DeliveryHistory n = d.next(at(60), FULL, "4.2.2");
        assertEquals(2, n.attempts());
        assertEquals(Duration.ofMinutes(15), n.previousInterval());
        assertNull(n.lastLocalDeferral());
        assertThrows(IllegalArgumentException.class, () -> d.deferredLocally(at(44)));
        assertThrows(IllegalArgumentException.class, () -> d.next(at(44), FULL, null));
        assertThrows(NullPointerException.class, () -> d.deferredLocally(null));
    }

    @Test
    void bounceFlag() {
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, FULL, null);
        assertSame(h, h.withBounce(false));
        DeliveryHistory b = h.withBounce(true);
        assertTrue(b.bounce());
        assertTrue(b.next(at(1), FULL, null).bounce());
        assertTrue(b.deferredLocally(at(1)).bounce());
        assertFalse(b.withBounce(false).bounce());
    }

    @Test
    void validates() {
        assertThrows(NullPointerException.class, () -> DeliveryHistory.first(null, T0, FULL, null));
        assertThrows(NullPointerException.class, () -> DeliveryHistory.first("a@b", null, FULL, null));
        assertThrows(NullPointerException.class, () -> DeliveryHistory.first("a@b", T0, null, null));
        assertThrows(IllegalArgumentException.class, () -> DeliveryHistory.first(" ", T0, FULL, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeliveryHistory.first("a@b", T0, FULL, "mailbox full"));
        assertTrue(e.getMessage().contains("not an enhanced status: \"mailbox full\""), e.getMessage());
        DeliveryHistory h = DeliveryHistory.first("a@b", T0, FULL, null);
        assertThrows(NullPointerException.class, () -> h.next(null, FULL, null));
        assertThrows(NullPointerException.class, () -> h.next(at(1), null, null));
        assertThrows(IllegalArgumentException.class, () -> h.next(at(-1), FULL, null));
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryHistory("a@b", 0, T0, T0, T0, FULL, null, false, null, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryHistory("a@b", 2, at(1), T0, at(1), FULL, null, false, null, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryHistory("a@b", 2, T0, at(2), at(1), FULL, null, false, null, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryHistory("a@b", 2, at(1), at(1), T0, FULL, null, false, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> new DeliveryHistory("a@b", 2, T0, T0, at(1), FULL, null,
                false, Duration.ofMinutes(-1), null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryHistory("a@b", 2, T0, T0, at(1), FULL, null, false, null, T0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryHistory("a@b", 2, T0, T0, at(1), FULL, null, false, null, null, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryHistory("a@b", 2, T0, T0, at(1), FULL, null, false, null, null, 0));
        DeliveryHistory max = new DeliveryHistory("a@b", Integer.MAX_VALUE, T0, T0, T0, FULL, null, false, null,
                null, 1);
        assertThrows(IllegalArgumentException.class, () -> max.next(at(1), FULL, null));
    }

    @Test
    void decisionsValidateTheirShape() {
        Instant end = at(60);
        RetryDecision ok = new RetryDecision(RetryDecision.Action.RETRY, at(10), end, null, Reason.MAILBOXFULL,
                true, List.of(at(20), at(30)), "ok");
        assertEquals(List.of(at(20), at(30)), ok.delayWarnings());
        assertThrows(UnsupportedOperationException.class, () -> ok.delayWarnings().add(at(40)));
        // retryAt only for retries, never after the end
        assertThrows(IllegalArgumentException.class, () -> new RetryDecision(RetryDecision.Action.RETRY, null, end,
                null, Reason.MAILBOXFULL, false, List.of(), "x"));
        assertThrows(IllegalArgumentException.class, () -> new RetryDecision(RetryDecision.Action.GIVE_UP, at(1),
                end, "5.0.0", Reason.MAILBOXFULL, false, List.of(), "x"));
        assertThrows(IllegalArgumentException.class, () -> new RetryDecision(RetryDecision.Action.RETRY, at(61),
                end, null, Reason.MAILBOXFULL, false, List.of(), "x"));
        // a stop needs a status, takes no warnings and no same identity
        assertThrows(IllegalArgumentException.class, () -> new RetryDecision(RetryDecision.Action.SUPPRESS, null,
                end, null, Reason.USERUNKNOWN, false, List.of(), "x"));
        assertThrows(IllegalArgumentException.class, () -> new RetryDecision(RetryDecision.Action.GIVE_UP, null,
                end, "4.4.7", Reason.MAILBOXFULL, false, List.of(at(10)), "x"));
        assertThrows(IllegalArgumentException.class, () -> new RetryDecision(
                RetryDecision.Action.WAIT_FOR_DESTINATION, at(10), end, null, Reason.SPEEDING, true, List.of(), "x"));
        // warnings ascend and come before the end
        assertThrows(IllegalArgumentException.class, () -> new RetryDecision(RetryDecision.Action.RETRY, at(10),
                end, null, Reason.MAILBOXFULL, false, List.of(at(30), at(20)), "x"));
        assertThrows(IllegalArgumentException.class, () -> new RetryDecision(RetryDecision.Action.RETRY, at(10),
                end, null, Reason.MAILBOXFULL, false, List.of(end), "x"));
        assertThrows(NullPointerException.class, () -> new RetryDecision(null, at(10), end, null,
                Reason.MAILBOXFULL, false, List.of(), "x"));
        assertThrows(NullPointerException.class, () -> new RetryDecision(RetryDecision.Action.RETRY, at(10), end,
                null, Reason.MAILBOXFULL, false, null, "x"));
        assertThrows(NullPointerException.class, () -> new RetryDecision(RetryDecision.Action.RETRY, at(10), end,
                null, null, false, List.of(), "x"));
    }

    @Test
    void instantsOutsideTheYearsItCanComputeAreRefused() {
        Classification c = Replies.classify(Replies.OVER_QUOTA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeliveryHistory.first("bob@example.org", Instant.MAX.minus(Duration.ofDays(1)), c,
                        null));
        assertTrue(e.getMessage().startsWith("firstAttempt must be from"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DeliveryHistory.first("bob@example.org", Instant.parse("1969-12-31T23:59:59Z"), c, null));
        // the latest instant allowed still gets a decision whose instants do not overflow
        DeliveryHistory late = DeliveryHistory.first("bob@example.org", DeliveryHistory.LATEST, c, "4.2.2");
        RetryDecision d = RetryPolicy.builder().clock(java.time.Clock.fixed(DeliveryHistory.LATEST,
                java.time.ZoneOffset.UTC)).build().decide(late);
        assertEquals(RetryDecision.Action.RETRY, d.action());
    }

    @Test
    void aHugeRecipientDomainIsNoWorkForTheOverrides() {
        String domain = "a.".repeat(200_000) + "example";
        DeliveryHistory h = DeliveryHistory.first("bob@" + domain, Instant.parse("2026-01-01T00:00:00Z"),
                Replies.classify(Replies.OVER_QUOTA), "4.2.2");
        RetryPolicy p = RetryPolicy.builder().clock(java.time.Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
                java.time.ZoneOffset.UTC)).forDomain("example", RetryPolicy.builder()
                .lifetime(Duration.ofHours(1)).build()).build();
        // no domain is longer than 253 octets, so the override cannot match and the lookup is skipped
        assertEquals(Instant.parse("2026-01-06T00:00:00Z"), p.decide(h).giveUpAt());
    }
}
