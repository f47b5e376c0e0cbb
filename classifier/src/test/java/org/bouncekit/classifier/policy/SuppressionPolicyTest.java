package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.bouncekit.classifier.BounceType;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Evidence;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.SuppressionPolicy.Category;
import org.bouncekit.classifier.policy.SuppressionState.Cause;
import org.bouncekit.classifier.policy.SuppressionState.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The suppression policy's transitions, fed with the default classifier's verdicts on real SMTP replies and
 * reports: hard bounces and complaints suppress at once, soft bounces of the mailbox count within a window,
 * sender-side problems never suppress, suppressions expire by cause.
 */
class SuppressionPolicyTest {

    private static final String BOB = "bob@example.com";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final SuppressionPolicy POLICY = SuppressionPolicy.defaults();

    /** Applies one classification at each of the given instants, in order, from no state. */
    private static SuppressionState applyAll(SuppressionPolicy p, Classification c, List<Instant> at) {
        SuppressionState s = null;
        for (Instant t : at) {
            s = p.apply(s, BOB, c, t);
        }
        return s;
    }

    @Test
    void realRepliesFallIntoTheirCategories() {
        assertEquals(Category.HARD_BOUNCE, POLICY.category(Replies.classify(Replies.USER_UNKNOWN)));
        assertEquals(Category.HARD_BOUNCE, POLICY.category(Replies.classify(Replies.HOST_UNKNOWN)));
        assertEquals(Category.COMPLAINT, POLICY.category(Replies.complaint(BOB)));
        assertEquals(Category.SOFT_BOUNCE, POLICY.category(Replies.classify(Replies.OVER_QUOTA)));
        assertEquals(Category.DELIVERY, POLICY.category(Replies.delivered(BOB)));
        for (String sender : List.of(Replies.SPAMHAUS, Replies.UNAUTHENTICATED, Replies.NO_PTR, Replies.SPAM,
                Replies.ORG_POLICY, Replies.YAHOO_TSS04, Replies.GMAIL_RATE, Replies.TOO_MANY_CONNECTIONS)) {
            assertEquals(Category.SENDER_SIDE, POLICY.category(Replies.classify(sender)), sender);
        }
        assertEquals(Category.NONE, POLICY.category(Replies.classify(Replies.GREYLISTED)));
        assertEquals(Category.NONE, POLICY.category(Replies.vacation(BOB)));
        assertEquals(Category.NONE, POLICY.category(Replies.classify("451 4.3.0 Temporary failure, try later")));
    }

    @Test
    void aHardBounceSuppressesAtOnceForAYear() {
        Classification c = Replies.classify(Replies.USER_UNKNOWN);
        SuppressionState s = POLICY.apply(null, " Bob@Example.COM ", c, T0);
        assertEquals(BOB, s.address());
        assertEquals(Status.SUPPRESSED, s.status());
        assertEquals(Cause.HARD_BOUNCE, s.cause());
        assertEquals(T0, s.since());
        assertEquals(T0.plus(Duration.ofDays(365)), s.until());
        assertEquals(Reason.USERUNKNOWN, s.lastReason());
        assertEquals(T0, s.lastUpdate());
        assertTrue(s.isSuppressed(T0));
        assertTrue(s.isSuppressed(T0.plus(Duration.ofDays(365)).minusNanos(1)));
        assertFalse(s.isSuppressed(T0.plus(Duration.ofDays(365))));
    }

    @Test
    void aComplaintSuppressesAtOnceAndNeverExpires() {
        SuppressionState s = POLICY.apply(null, BOB, Replies.complaint(BOB), T0);
        assertEquals(Cause.COMPLAINT, s.cause());
        assertNull(s.until());
        assertEquals(Reason.FEEDBACK, s.lastReason());
        assertTrue(s.isSuppressed(T0.plus(Duration.ofDays(365 * 50))));
    }

    @Test
    void softBouncesOnThreeDaysOfOneWeekSuppress() {
        Classification full = Replies.classify(Replies.OVER_QUOTA);
        SuppressionState s = POLICY.apply(null, BOB, full, T0);
        assertEquals(Status.ACTIVE, s.status());
        assertEquals(List.of(T0), s.softBounces());
        s = POLICY.apply(s, BOB, full, T0.plus(Duration.ofDays(3)));
        assertEquals(Status.ACTIVE, s.status());
        s = POLICY.apply(s, BOB, full, T0.plus(Duration.ofDays(6)));
        assertEquals(Status.SUPPRESSED, s.status());
        assertEquals(Cause.SOFT_BOUNCES, s.cause());
        assertEquals(T0.plus(Duration.ofDays(6)), s.since());
        assertEquals(T0.plus(Duration.ofDays(36)), s.until());
        assertEquals(List.of(T0, T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(6))), s.softBounces());
        assertEquals(Reason.MAILBOXFULL, s.lastReason());
    }

    @Test
    void softBouncesSpreadBeyondTheWindowNeverSuppress() {
        Classification full = Replies.classify(Replies.OVER_QUOTA);
        SuppressionState s = null;
        for (int i = 0; i < 100; i++) { // one every 3.5 days: never three within 7 days
            s = POLICY.apply(s, BOB, full, T0.plus(Duration.ofHours(84L * i)));
            assertFalse(s.isSuppressed(T0.plus(Duration.ofHours(84L * i))), "bounce " + i);
            assertTrue(s.softBounces().size() <= 2, s.toString());
        }
        assertEquals(Status.ACTIVE, s.status());
    }

    @Test
    void theWindowIsExclusive() {
        Classification full = Replies.classify(Replies.OVER_QUOTA);
        SuppressionState s = applyAll(POLICY, full, List.of(T0, T0.plus(Duration.ofDays(3)),
                T0.plus(Duration.ofDays(7))));
        assertEquals(Status.ACTIVE, s.status(), "the first and the third exactly 7 days apart");
        assertEquals(List.of(T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(7))), s.softBounces());
    }

    @Test
    void retriesOfOneDayCountOnce() {
        Classification full = Replies.classify(Replies.OVER_QUOTA);
        SuppressionState s = null;
        for (int i = 0; i < 24; i++) { // hourly retries for a day
            s = POLICY.apply(s, BOB, full, T0.plus(Duration.ofHours(i)));
        }
        assertEquals(Status.ACTIVE, s.status());
        assertEquals(List.of(T0), s.softBounces());
        assertEquals(T0.plus(Duration.ofHours(23)), s.lastUpdate());

        SuppressionPolicy everyOne = SuppressionPolicy.builder().softBounceSpacing(Duration.ZERO).build();
        SuppressionState t = applyAll(everyOne, full, List.of(T0, T0.plusSeconds(60), T0.plusSeconds(120)));
        assertEquals(Cause.SOFT_BOUNCES, t.cause());
    }

    @Test
    void aDeliveryResetsTheCount() {
        Classification full = Replies.classify(Replies.OVER_QUOTA);
        SuppressionState s = applyAll(POLICY, full, List.of(T0, T0.plus(DAY)));
        assertEquals(2, s.softBounces().size());
        s = POLICY.apply(s, BOB, Replies.delivered(BOB), T0.plus(Duration.ofHours(36)));
        assertEquals(List.of(), s.softBounces());
        assertEquals(Reason.DELIVERED, s.lastReason());
        s = POLICY.apply(s, BOB, full, T0.plus(Duration.ofDays(2)));
        assertEquals(Status.ACTIVE, s.status(), "only one counted since the delivery");
        s = POLICY.apply(s, BOB, full, T0.plus(Duration.ofDays(3)));
        s = POLICY.apply(s, BOB, full, T0.plus(Duration.ofDays(4)));
        assertEquals(Cause.SOFT_BOUNCES, s.cause());
    }

    @Test
    void aDeliveryDoesNotLiftASuppression() {
        SuppressionState s = POLICY.apply(null, BOB, Replies.classify(Replies.USER_UNKNOWN), T0);
        SuppressionState d = POLICY.apply(s, BOB, Replies.delivered(BOB), T0.plus(DAY));
        assertTrue(d.isSuppressed(T0.plus(DAY)));
        assertEquals(Cause.HARD_BOUNCE, d.cause());
    }

    @ParameterizedTest
    @ValueSource(strings = {Replies.SPAMHAUS, Replies.UNAUTHENTICATED, Replies.NO_PTR, Replies.SPAM,
        Replies.ORG_POLICY, Replies.YAHOO_TSS04, Replies.GMAIL_RATE, Replies.TOO_MANY_CONNECTIONS,
        Replies.GREYLISTED})
    void senderSideProblemsAndGreylistingNeverSuppressEvenAHundredTimes(String reply) {
        Classification c = Replies.classify(reply);
        SuppressionState start = POLICY.apply(null, BOB, Replies.classify(Replies.OVER_QUOTA), T0);
        SuppressionState s = start;
        for (int i = 1; i <= 100; i++) {
            Instant at = T0.plus(Duration.ofHours(i));
            s = POLICY.apply(s, BOB, c, at);
            assertFalse(s.isSuppressed(at), reply);
        }
        assertSame(start, s, "changes nothing, not even the count");
        SuppressionState fresh = null;
        for (int i = 0; i < 100; i++) { // the same day, and from no state
            fresh = POLICY.apply(fresh, BOB, c, T0.plusSeconds(i));
        }
        assertEquals(SuppressionState.active(BOB, T0), fresh);
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, names = {"BADREPUTATION", "BLOCKED", "AUTHFAILURE", "REQUIREPTR",
        "FAILEDSTARTTLS", "SECURITYERROR", "SPAMDETECTED", "VIRUSDETECTED", "CONTENTERROR", "MESGTOOBIG",
        "NOTCOMPLIANTRFC", "EXCEEDLIMIT", "POLICYVIOLATION", "REJECTED", "NORELAYING", "SPEEDING", "TOOMANYCONN",
        "SYNTAXERROR"})
    void aSenderSideReasonWinsOverAHardType(Reason reason) {
        assertTrue(SuppressionPolicy.senderSideReasons().contains(reason));
        Classification labelledHard = new Classification(BOB, reason, BounceType.HARD, Decision.SUPPRESS, false,
                "acme", new Evidence("user", "mislabelled", "text", "x"));
        assertEquals(Category.SENDER_SIDE, POLICY.category(labelledHard));
        SuppressionState s = null;
        for (int i = 0; i < 100; i++) {
            s = POLICY.apply(s, BOB, labelledHard, T0.plus(Duration.ofDays(i)));
        }
        assertEquals(SuppressionState.active(BOB, T0), s);
    }

    @Test
    void aDecisionAskingTheSenderToActIsSenderSide() {
        Classification throttle = new Classification(BOB, Reason.MAILBOXFULL, BounceType.SOFT, Decision.THROTTLE, true,
                null, new Evidence("user", "r", "text", "x"));
        Classification fix = new Classification(BOB, Reason.USERUNKNOWN, BounceType.HARD, Decision.FIX_SENDER, false,
                null, new Evidence("user", "r", "text", "x"));
        assertEquals(Category.SENDER_SIDE, POLICY.category(throttle));
        assertEquals(Category.SENDER_SIDE, POLICY.category(fix));
    }

    @Test
    void autoRepliesAndUndeterminedVerdictsChangeNothing() {
        SuppressionState counting = POLICY.apply(null, BOB, Replies.classify(Replies.OVER_QUOTA), T0);
        assertSame(counting, POLICY.apply(counting, BOB, Replies.vacation(BOB), T0.plus(DAY)));
        Classification undetermined = Replies.classify("451 4.3.0 Temporary failure, try later");
        assertEquals(BounceType.UNDETERMINED, undetermined.type());
        assertSame(counting, POLICY.apply(counting, BOB, undetermined, T0.plus(DAY)));
        Classification empty = new Classification(BOB, null, null, null, false, null, null);
        assertEquals(Category.NONE, POLICY.category(empty));
        assertSame(counting, POLICY.apply(counting, BOB, empty, T0.plus(DAY)));
    }

    @Test
    void anAutoReplySayingTheMailboxIsGoneIsAHardBounce() {
        Classification gone = new Classification(BOB, Reason.USERUNKNOWN, BounceType.AUTO_REPLY, Decision.SUPPRESS,
                false, null, new Evidence("generic", "inbox-unused", "text", "no longer in use"));
        assertEquals(Category.HARD_BOUNCE, POLICY.category(gone));
    }

    @Test
    void aPermanentSoftReasonSuppressingIsAHardBounce() {
        Classification fullAndAbandoned = new Classification(BOB, Reason.MAILBOXFULL, BounceType.SOFT,
                Decision.SUPPRESS, false, null, new Evidence("user", "full-inactive", "text", "inactive"));
        assertEquals(Category.HARD_BOUNCE, POLICY.category(fullAndAbandoned));
    }

    @Test
    void anExpiredSuppressionIsLiftedAndCountingStartsAgain() {
        Classification full = Replies.classify(Replies.OVER_QUOTA);
        SuppressionState s = applyAll(POLICY, full, List.of(T0, T0.plus(DAY), T0.plus(Duration.ofDays(2))));
        Instant end = T0.plus(Duration.ofDays(32));
        assertEquals(end, s.until());
        assertTrue(s.isSuppressed(end.minusSeconds(1)));
        assertFalse(s.isSuppressed(end));
        SuppressionState after = POLICY.apply(s, BOB, full, end.plus(DAY));
        assertEquals(Status.ACTIVE, after.status());
        assertNull(after.cause());
        assertNull(after.since());
        assertEquals(List.of(end.plus(DAY)), after.softBounces(), "the old count went with the suppression");
        assertEquals(end.plus(DAY), after.lastUpdate());
    }

    @Test
    void theLongerSuppressionWinsAndSinceIsKept() {
        Classification full = Replies.classify(Replies.OVER_QUOTA);
        SuppressionState soft = applyAll(POLICY, full, List.of(T0, T0.plus(DAY), T0.plus(Duration.ofDays(2))));
        Instant since = soft.since();
        SuppressionState hard = POLICY.apply(soft, BOB, Replies.classify(Replies.USER_UNKNOWN),
                T0.plus(Duration.ofDays(3)));
        assertEquals(Cause.HARD_BOUNCE, hard.cause());
        assertEquals(since, hard.since());
        assertEquals(T0.plus(Duration.ofDays(368)), hard.until());
        SuppressionState complaint = POLICY.apply(hard, BOB, Replies.complaint(BOB), T0.plus(Duration.ofDays(4)));
        assertEquals(Cause.COMPLAINT, complaint.cause());
        assertNull(complaint.until());
        SuppressionState stillComplaint = POLICY.apply(complaint, BOB, Replies.classify(Replies.USER_UNKNOWN),
                T0.plus(Duration.ofDays(5)));
        assertEquals(Cause.COMPLAINT, stillComplaint.cause());
        assertNull(stillComplaint.until());
        assertEquals(Reason.USERUNKNOWN, stillComplaint.lastReason());
        SuppressionState notLonger = POLICY.apply(hard, BOB, full, T0.plus(Duration.ofDays(6)));
        assertEquals(Cause.HARD_BOUNCE, notLonger.cause(), "a soft-bounce suppression would end sooner");
    }

    @Test
    void manualSuppressionNeverExpiresAndReactivationClearsEverything() {
        SuppressionState counting = POLICY.apply(null, BOB, Replies.classify(Replies.OVER_QUOTA), T0);
        SuppressionState manual = POLICY.suppress(counting, BOB, T0.plus(DAY));
        assertEquals(Cause.MANUAL, manual.cause());
        assertNull(manual.until());
        assertEquals(T0.plus(DAY), manual.since());
        assertEquals(Reason.MAILBOXFULL, manual.lastReason());
        assertTrue(manual.isSuppressed(T0.plus(Duration.ofDays(10_000))));
        SuppressionState back = POLICY.reactivate(manual, BOB, T0.plus(Duration.ofDays(2)));
        assertEquals(new SuppressionState(BOB, Status.ACTIVE, null, null, null, List.of(), Reason.MAILBOXFULL,
                T0.plus(Duration.ofDays(2))), back);
        SuppressionState complaint = POLICY.apply(null, BOB, Replies.complaint(BOB), T0);
        assertEquals(Status.ACTIVE, POLICY.reactivate(complaint, BOB, T0.plus(DAY)).status());
        assertEquals(SuppressionState.active(BOB, T0), POLICY.reactivate(null, BOB, T0));
    }

    @Test
    void aStaleHardBounceGivesASuppressionAlreadyOver() {
        Instant now = T0.plus(Duration.ofDays(400));
        SuppressionState current = SuppressionState.active(BOB, now);
        SuppressionState s = POLICY.apply(current, BOB, Replies.classify(Replies.USER_UNKNOWN), T0);
        assertEquals(Status.SUPPRESSED, s.status());
        assertFalse(s.isSuppressed(now));
        assertEquals(now, s.lastUpdate(), "last update never goes back");
    }

    @Test
    void outOfOrderSoftBouncesAreCountedInOrder() {
        Classification full = Replies.classify(Replies.OVER_QUOTA);
        SuppressionState s = applyAll(POLICY, full, List.of(T0.plus(Duration.ofDays(4)), T0));
        assertEquals(List.of(T0, T0.plus(Duration.ofDays(4))), s.softBounces());
        s = POLICY.apply(s, BOB, full, T0.plus(Duration.ofDays(2)));
        assertEquals(Cause.SOFT_BOUNCES, s.cause());
    }

    @Test
    void aThresholdOfOneSuppressesAtTheFirstSoftBounce() {
        SuppressionPolicy strict = SuppressionPolicy.builder().softBounceThreshold(1).build();
        SuppressionState s = strict.apply(null, BOB, Replies.classify(Replies.OVER_QUOTA), T0);
        assertEquals(Cause.SOFT_BOUNCES, s.cause());
        assertEquals(List.of(T0), s.softBounces());
    }

    @Test
    void theCountIsBoundedByTheThreshold() {
        SuppressionPolicy p = SuppressionPolicy.builder().softBounceThreshold(4).softBounceSpacing(Duration.ZERO)
                .softBounceWindow(Duration.ofDays(365)).build();
        SuppressionState s = null;
        for (int i = 0; i < 50; i++) {
            s = p.apply(s, BOB, Replies.classify(Replies.OVER_QUOTA), T0.plus(Duration.ofHours(i)));
        }
        assertEquals(4, s.softBounces().size());
        assertEquals(T0.plus(Duration.ofHours(49)), s.softBounces().get(3));
        assertEquals(T0.plus(Duration.ofHours(49)).plus(Duration.ofDays(30)), s.until(), "re-triggering extends");
    }

    @Test
    void expiriesAreConfigurable() {
        SuppressionPolicy p = SuppressionPolicy.builder().expiry(Cause.HARD_BOUNCE, null)
                .expiry(Cause.COMPLAINT, Duration.ofDays(90)).build();
        assertEquals(Optional.empty(), p.expiry(Cause.HARD_BOUNCE));
        assertNull(p.apply(null, BOB, Replies.classify(Replies.USER_UNKNOWN), T0).until());
        assertEquals(T0.plus(Duration.ofDays(90)), p.apply(null, BOB, Replies.complaint(BOB), T0).until());
    }

    @Test
    void theDefaultsAreDocumented() {
        assertEquals(3, POLICY.softBounceThreshold());
        assertEquals(Duration.ofDays(7), POLICY.softBounceWindow());
        assertEquals(DAY, POLICY.softBounceSpacing());
        assertEquals(Optional.of(Duration.ofDays(365)), POLICY.expiry(Cause.HARD_BOUNCE));
        assertEquals(Optional.empty(), POLICY.expiry(Cause.COMPLAINT));
        assertEquals(Optional.of(Duration.ofDays(30)), POLICY.expiry(Cause.SOFT_BOUNCES));
        assertEquals(Optional.empty(), POLICY.expiry(Cause.MANUAL));
        assertSame(POLICY, SuppressionPolicy.defaults());
    }

    @Test
    void applyRefusesMisuse() {
        Classification c = Replies.classify(Replies.USER_UNKNOWN);
        SuppressionState alice = SuppressionState.active("alice@example.com", T0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> POLICY.apply(alice, BOB, c, T0));
        assertTrue(e.getMessage().contains("alice@example.com"), e.getMessage());
        assertThrows(NullPointerException.class, () -> POLICY.apply(null, BOB, null, T0));
        assertThrows(NullPointerException.class, () -> POLICY.apply(null, BOB, c, null));
        assertThrows(NullPointerException.class, () -> POLICY.apply(null, null, c, T0));
        assertThrows(IllegalArgumentException.class, () -> POLICY.apply(null, "bob", c, T0));
        assertThrows(NullPointerException.class, () -> POLICY.category(null));
    }

    @Test
    void theBuilderValidatesAtOnce() {
        SuppressionPolicy.Builder b = SuppressionPolicy.builder();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.softBounceThreshold(0)), "0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.softBounceThreshold(1001)), "1001");
        assertThrows(NullPointerException.class, () -> b.softBounceWindow(null));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.softBounceWindow(Duration.ZERO)), "PT0S");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> b.softBounceWindow(Duration.ofDays(-1))), "PT-24H");
        assertThrows(NullPointerException.class, () -> b.softBounceSpacing(null));
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> b.softBounceSpacing(Duration.ofSeconds(-1))), "PT-1S");
        assertThrows(NullPointerException.class, () -> b.expiry(null, DAY));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.expiry(Cause.HARD_BOUNCE, Duration.ZERO)),
                "hard_bounce");
        assertThrows(NullPointerException.class, () -> b.clock(null));
        assertThrows(NullPointerException.class, () -> b.listener(null));
        // the builder is unharmed by the refusals
        assertEquals(3, b.build().softBounceThreshold());
        IllegalStateException conflict = assertThrows(IllegalStateException.class,
                () -> SuppressionPolicy.builder().softBounceSpacing(Duration.ofDays(7)).build());
        assertMessage(conflict, "PT168H");
        assertEquals(1, SuppressionPolicy.builder().softBounceThreshold(1).softBounceSpacing(Duration.ofDays(7))
                .build().softBounceThreshold(), "one bounce needs no spacing");
    }

    @Test
    void builtPoliciesDoNotChangeWithTheirBuilder() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        SuppressionPolicy.Builder b = SuppressionPolicy.builder().clock(clock).softBounceThreshold(5);
        SuppressionPolicy p = b.build();
        b.softBounceThreshold(2).expiry(Cause.SOFT_BOUNCES, null).clock(Clock.systemUTC());
        assertEquals(5, p.softBounceThreshold());
        assertEquals(Optional.of(Duration.ofDays(30)), p.expiry(Cause.SOFT_BOUNCES));
        assertSame(clock, p.clock());
    }

    private static void assertMessage(RuntimeException e, String part) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void expiredAndNetworkFailuresAreNotTheMailboxAndNeverCount() {
        // a queue's give-up (often because a destination throttled us) and network failures are soft bounces the
        // classifier may return; a hundred of them on different days never suppress
        Classification expired = new Classification(BOB, Reason.EXPIRED,
                BounceType.SOFT, Decision.RETRY, true, null,
                new Evidence("test", "t", "text", null));
        Classification network = new Classification(BOB, Reason.NETWORKERROR,
                BounceType.SOFT, Decision.RETRY, true, null,
                new Evidence("test", "t", "text", null));
        assertEquals(Category.NONE, POLICY.category(expired));
        assertEquals(Category.NONE, POLICY.category(network));
        SuppressionState st = null;
        for (int day = 0; day < 100; day++) {
            Instant at = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(day));
            st = POLICY.apply(st, BOB, day % 2 == 0 ? expired : network, at);
        }
        assertEquals(Status.ACTIVE, st.status());
        assertEquals(List.of(), st.softBounces());
    }
}
