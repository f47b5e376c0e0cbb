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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.random.RandomGenerator;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.Reason;
import org.bouncekit.core.SmtpReply;
import org.bouncekit.testing.Concurrently;
import org.junit.jupiter.api.Test;

/** The retry policy's decisions, with classifications the default classifier makes of real reply texts. */
class RetryPolicyTest {

    private static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");

    private static final Classification MAILBOX_FULL = classify("452 4.2.2 The email account that you tried to "
            + "reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp");
    private static final Classification GREYLISTED = classify("450 4.2.0 <ann@example.org>: Recipient address "
            + "rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html");
    private static final Classification NO_SUCH_USER = classify("550-5.1.1 The email account that you tried to "
            + "reach does not exist. Please try double-checking the recipient's email address for typos");
    private static final Classification SPAMHAUS = classify("554 5.7.1 Service unavailable; Client host "
            + "[192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1");
    private static final Classification YAHOO_TSS04 = classify("421 4.7.0 [TSS04] Messages from 192.0.2.1 "
            + "temporarily deferred due to unexpected volume or user complaints - 4.16.55.1");
    private static final Classification GMAIL_RATE = classify("421-4.7.28 [192.0.2.1] Our system has detected an "
            + "unusual rate of unsolicited mail originating from your IP address.");
    private static final Classification LOCAL_PROBLEM = classify("451 4.3.0 Temporary local problem - please try "
            + "later");

    private static Classification classify(String reply) {
        return Classifier.defaults().classify(SmtpReply.parse(reply).orElseThrow());
    }

    private static Instant at(Duration d) {
        return T0.plus(d);
    }

    private static Duration h(double hours) {
        return Duration.ofNanos(Math.round(hours * 3.6e12));
    }

    private static Duration m(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    private static RetryPolicy.Builder at(Instant now) {
        return RetryPolicy.builder().clock(Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void theClassificationsAreTheOnesExpected() {
        assertEquals(Reason.MAILBOXFULL, MAILBOX_FULL.reason());
        assertEquals("gmail", MAILBOX_FULL.provider());
        assertEquals(Reason.GREYLISTED, GREYLISTED.reason());
        assertTrue(GREYLISTED.retryable());
        assertEquals(Reason.USERUNKNOWN, NO_SUCH_USER.reason());
        assertFalse(NO_SUCH_USER.retryable());
        assertEquals(Reason.BLOCKED, SPAMHAUS.reason());
        assertFalse(SPAMHAUS.retryable());
        assertEquals(Reason.SPEEDING, GMAIL_RATE.reason());
        assertNull(LOCAL_PROBLEM.provider());
    }

    @Test
    void defaultsFollowRfc5321() {
        RetryPolicy d = RetryPolicy.defaults();
        assertSame(d, RetryPolicy.defaults());
        assertEquals("F,1h,30m; G,4h,1h,1.5; F,5d,3h", d.schedule().toString());
        assertEquals(Duration.ofDays(5), d.lifetime());
        assertEquals(Duration.ofDays(2), d.bounceLifetime());
        assertEquals(RetryPolicy.LifetimeAnchor.FIRST_ATTEMPT, d.lifetimeFrom());
        assertEquals(m(10), d.greylistDelay());
        assertEquals(2, d.greylistRetries());
        assertEquals(List.of(Duration.ofHours(4)), d.delayWarnings());
        assertEquals(ZoneOffset.UTC, d.clock().getZone());

        RetryPolicy p = at(T0).build();
        DeliveryHistory first = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2");
        RetryDecision r = p.decide(first);
        assertEquals(RetryDecision.Action.RETRY, r.action());
        assertEquals(at(m(30)), r.retryAt()); // at least 30 minutes
        assertEquals(at(Duration.ofDays(5)), r.giveUpAt());
        assertEquals(List.of(at(Duration.ofHours(4))), r.delayWarnings());
        assertEquals("4.2.2", r.status());
        assertEquals(Reason.MAILBOXFULL, r.reason());
        assertFalse(r.sameSendingIdentity());
        assertTrue(r.explanation().contains("retry at 2025-03-03T08:30:00Z"), r.explanation());

        List<Instant> plan = p.plan(first);
        assertEquals(List.of(at(m(30)), at(h(1)), at(h(2)), at(h(3.5)), at(h(5.75)), at(h(8.75)), at(h(11.75))),
                plan.subList(0, 7));
        // two attempts in the first hour (the first and the one after 30 minutes)
        assertEquals(1, plan.stream().filter(i -> i.isBefore(at(h(1)))).count());
        // then backing off to one every two or three hours
        for (int i = 4; i < plan.size() - 1; i++) {
            Duration gap = Duration.between(plan.get(i - 1), plan.get(i));
            assertTrue(gap.compareTo(h(2)) >= 0 && gap.compareTo(h(3)) <= 0, i + ": " + gap);
        }
        // and giving up after 5 days: the last attempt exactly then
        assertEquals(at(h(119.75)), plan.get(plan.size() - 2));
        assertEquals(at(Duration.ofDays(5)), plan.get(plan.size() - 1));
        assertEquals(4 + 39 + 1, plan.size());
    }

    @Test
    void eximDefaultRuleFromTheFirstFailure() {
        RetryPolicy p = at(T0).schedule(RetrySchedule.segmented("F,2h,15m; G,16h,1h,1.5; F,4d,6h"))
                .lifetimeFrom(RetryPolicy.LifetimeAnchor.FIRST_FAILURE).build();
        DeliveryHistory first = DeliveryHistory.first("ann@example.org", T0, LOCAL_PROBLEM, "4.3.0");
        List<Instant> expected = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            expected.add(at(m(15L * i)));
        }
        for (double hours : new double[] {3, 4.5, 6.75, 10.125, 15.1875, 22.78125}) {
            expected.add(at(h(hours)));
        }
        for (int i = 1; i <= 12; i++) {
            expected.add(at(h(22.78125 + 6 * i)));
        }
        expected.add(at(Duration.ofDays(4))); // the rule's cutoff comes before the 5-day lifetime
        assertEquals(expected, p.plan(first));
        assertEquals(at(Duration.ofDays(4)), p.decide(first).giveUpAt());
    }

    @Test
    void greylistingIsRetriedEarlyFromTheSameIdentityThenByTheSchedule() {
        MutableClock clock = new MutableClock(T0);
        RetryPolicy p = RetryPolicy.builder().clock(clock).build();
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, GREYLISTED, "4.2.0");
        RetryDecision d1 = p.decide(h);
        assertEquals(RetryDecision.Action.RETRY, d1.action());
        assertEquals(at(m(10)), d1.retryAt());
        assertTrue(d1.sameSendingIdentity());
        assertTrue(d1.explanation().contains("greylisting deferral 1 of 2"), d1.explanation());

        clock.set(at(m(10)));
        h = h.next(clock.instant(), GREYLISTED, "4.2.0");
        RetryDecision d2 = p.decide(h);
        assertEquals(at(m(20)), d2.retryAt());
        assertTrue(d2.sameSendingIdentity());

        clock.set(at(m(20)));
        h = h.next(clock.instant(), GREYLISTED, "4.2.0");
        RetryDecision d3 = p.decide(h);
        assertEquals(at(m(50)), d3.retryAt()); // the schedule: 30 minutes in the first hour
        assertFalse(d3.sameSendingIdentity());

        // greylisting after another failure starts its own streak
        DeliveryHistory other = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2")
                .next(at(m(30)), GREYLISTED, "4.2.0");
        assertEquals(at(m(40)), at(at(m(30))).build().decide(other).retryAt());

        // switched off
        RetryDecision off = at(T0).greylisting(m(5), 0).build()
                .decide(DeliveryHistory.first("ann@example.org", T0, GREYLISTED, "4.2.0"));
        assertEquals(at(m(30)), off.retryAt());
        assertFalse(off.sameSendingIdentity());
        // configured
        assertEquals(List.of(at(m(5)), at(m(10)), at(m(15)), at(m(45))), at(T0).greylisting(m(5), 3).build()
                .plan(DeliveryHistory.first("ann@example.org", T0, GREYLISTED, "4.2.0")).subList(0, 4));
    }

    @Test
    void lifetimeIsMeasuredFromTheChosenAnchor() {
        // three attempts: the first at T0 went through to a later failure a day after
        DeliveryHistory h = new DeliveryHistory("ann@example.org", 3, T0, at(Duration.ofDays(1)),
                at(h(26)), MAILBOX_FULL, "4.2.2", false, h(1), null, 2);
        RetrySchedule s = RetrySchedule.segmented("F,1d,1h; F,10d,6h");
        RetryPolicy fromAttempt = at(at(h(26))).schedule(s).build();
        RetryPolicy fromFailure = at(at(h(26))).schedule(s).lifetimeFrom(RetryPolicy.LifetimeAnchor.FIRST_FAILURE)
                .build();
        RetryDecision a = fromAttempt.decide(h);
        RetryDecision f = fromFailure.decide(h);
        assertEquals(at(Duration.ofDays(5)), a.giveUpAt());
        assertEquals(at(Duration.ofDays(6)), f.giveUpAt());
        // the schedule's elapsed time too: 26 h since the first attempt, 2 h since the first failure
        assertEquals(at(h(32)), a.retryAt());
        assertEquals(at(h(27)), f.retryAt());
        assertEquals(List.of(), a.delayWarnings()); // 4 h after the first attempt has passed
        assertEquals(List.of(at(h(28))), f.delayWarnings());
        assertTrue(f.explanation().contains("from the first failure"), f.explanation());

        // no failure recorded before the last attempt: its failure is the first
        DeliveryHistory noFailure = new DeliveryHistory("ann@example.org", 2, T0, null, at(h(1)), MAILBOX_FULL, null,
                false, null, null, 1);
        RetryPolicy.Builder b = at(at(h(1))).lifetimeFrom(RetryPolicy.LifetimeAnchor.FIRST_FAILURE);
        assertEquals(at(h(1)).plus(Duration.ofDays(5)), b.build().decide(noFailure).giveUpAt());
        // and a plan keeps that end
        List<Instant> plan = b.build().plan(noFailure);
        assertEquals(at(h(1)).plus(Duration.ofDays(5)), plan.get(plan.size() - 1));
    }

    @Test
    void bouncesLiveShorterAndWarnNobody() {
        DeliveryHistory dsn = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2").withBounce(true);
        RetryDecision d = at(T0).build().decide(dsn);
        assertEquals(at(Duration.ofDays(2)), d.giveUpAt());
        assertEquals(List.of(), d.delayWarnings());
        assertTrue(d.explanation().contains("bounce lifetime 2d"), d.explanation());
        // never longer than the lifetime
        assertEquals(at(Duration.ofDays(3)), at(T0).bounceLifetime(Duration.ofDays(10)).lifetime(Duration.ofDays(3))
                .build().decide(dsn).giveUpAt());
        assertEquals(at(Duration.ofDays(1)), at(T0).bounceLifetime(Duration.ofDays(1)).build().decide(dsn)
                .giveUpAt());
        assertEquals(at(Duration.ofDays(5)), at(T0).build().decide(dsn.withBounce(false)).giveUpAt());
    }

    @Test
    void oneLastAttemptAtTheEndThenGiveUp() {
        RetryPolicy p = at(at(m(45))).lifetime(h(1)).schedule(RetrySchedule.fixed(m(45))).build();
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2")
                .next(at(m(45)), MAILBOX_FULL, "4.2.2");
        RetryDecision last = p.decide(h);
        assertEquals(RetryDecision.Action.RETRY, last.action());
        assertEquals(at(h(1)), last.retryAt());
        assertEquals(at(h(1)), last.giveUpAt());
        assertTrue(last.explanation().contains("one last attempt at the end of the lifetime"), last.explanation());

        RetryDecision over = at(at(h(1))).lifetime(h(1)).build().decide(h.next(at(h(1)), MAILBOX_FULL, "4.2.2"));
        assertEquals(RetryDecision.Action.GIVE_UP, over.action());
        assertNull(over.retryAt());
        assertEquals(at(h(1)), over.giveUpAt());
        assertEquals("4.2.2", over.status()); // the last status
        assertEquals(List.of(), over.delayWarnings());
        assertTrue(over.explanation().contains("the lifetime ended"), over.explanation());

        assertEquals(List.of(at(m(45)), at(h(1))), at(T0).lifetime(h(1)).schedule(RetrySchedule.fixed(m(45)))
                .build().plan(DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2")));
    }

    @Test
    void expiryWithoutAStatusReports447() {
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, LOCAL_PROBLEM, null);
        RetryDecision d = at(at(Duration.ofDays(6))).build().decide(h);
        assertEquals(RetryDecision.Action.GIVE_UP, d.action());
        assertEquals("4.4.7", d.status());
        assertEquals(at(Duration.ofDays(5)), d.giveUpAt());
        // a zero lifetime tries once
        RetryDecision once = at(T0).lifetime(Duration.ZERO).build().decide(h);
        assertEquals(RetryDecision.Action.GIVE_UP, once.action());
        assertEquals(List.of(), at(T0).lifetime(Duration.ZERO).build().plan(h));
    }

    @Test
    void aLateDecisionRetriesNowNotInThePast() {
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2");
        RetryDecision d = at(at(h(2))).build().decide(h);
        assertEquals(at(h(2)), d.retryAt());
        assertTrue(d.explanation().contains("has passed"), d.explanation());
        assertEquals(List.of(at(h(4))), d.delayWarnings());
        assertEquals(List.of(), at(at(h(5))).build().decide(h).delayWarnings()); // warnings are in the future
    }

    @Test
    void delayWarningsAreFutureOffsetsBeforeTheEnd() {
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2");
        RetryPolicy.Builder b = at(at(h(2))).delayWarnings(Duration.ofDays(1), h(1), h(4), h(4));
        assertEquals(List.of(h(1), h(4), Duration.ofDays(1)), b.build().delayWarnings());
        assertEquals(List.of(at(h(4)), at(Duration.ofDays(1))), b.build().decide(h).delayWarnings());
        assertEquals(List.of(at(h(4))), b.lifetime(Duration.ofHours(12)).build().decide(h).delayWarnings());
        assertEquals(List.of(), at(T0).delayWarnings().build().decide(h).delayWarnings());
    }

    @Test
    void overridesDomainThenProviderThenReason() {
        RetryPolicy domain = RetryPolicy.builder().lifetime(Duration.ofDays(1)).build();
        RetryPolicy subdomain = RetryPolicy.builder().lifetime(h(12)).build();
        RetryPolicy provider = RetryPolicy.builder().lifetime(Duration.ofDays(2)).build();
        RetryPolicy reason = RetryPolicy.builder().lifetime(Duration.ofDays(3)).build();
        RetryPolicy p = at(T0)
                .forReason(Reason.MAILBOXFULL, reason)
                .forProvider("GMail", provider)
                .forDomain("Example.COM.", domain)
                .forDomain("eu.example.com", subdomain)
                .build();
        // the domain wins over provider and reason, case-insensitively, for subdomains too
        assertEquals(at(Duration.ofDays(1)), giveUp(p, "ann@example.com", MAILBOX_FULL));
        assertEquals(at(Duration.ofDays(1)), giveUp(p, "ann@MX.Example.Com.", MAILBOX_FULL));
        assertEquals(at(Duration.ofDays(1)), giveUp(p, "<ann@a.b.example.com>", LOCAL_PROBLEM));
        // the nearest parent wins
        assertEquals(at(h(12)), giveUp(p, "ann@mx.eu.example.com", MAILBOX_FULL));
        // no domain: the provider wins over the reason
        assertEquals(at(Duration.ofDays(2)), giveUp(p, "ann@notexample.com", MAILBOX_FULL));
        assertEquals(at(Duration.ofDays(2)), giveUp(p, "ann@example.org", GMAIL_RATE));
        // then the reason
        Classification fullElsewhere = new Classification(null, Reason.MAILBOXFULL, MAILBOX_FULL.type(),
                MAILBOX_FULL.decision(), true, null, MAILBOX_FULL.evidence());
        assertEquals(at(Duration.ofDays(3)), giveUp(p, "ann@example.org", fullElsewhere));
        // then the policy itself
        assertEquals(at(Duration.ofDays(5)), giveUp(p, "ann@example.org", LOCAL_PROBLEM));
        assertEquals(at(Duration.ofDays(5)), giveUp(p, "no-domain", LOCAL_PROBLEM));
    }

    private static Instant giveUp(RetryPolicy p, String recipient, Classification c) {
        return p.decide(DeliveryHistory.first(recipient, T0, c, null)).giveUpAt();
    }

    @Test
    void overridesBringTheirRulesButNotTheirClockOrListeners() {
        List<String> heard = new ArrayList<>();
        RetryPolicy override = at(at(Duration.ofDays(30))).schedule(RetrySchedule.fixed(m(7)))
                .listener(new RetryListener() {
                    @Override
                    public void retryScheduled(DeliveryHistory history, RetryDecision decision) {
                        heard.add("override");
                    }
                }).build();
        RetryPolicy p = at(T0).forDomain("example.com", override).build();
        RetryDecision d = p.decide(DeliveryHistory.first("ann@example.com", T0, MAILBOX_FULL, "4.2.2"));
        assertEquals(RetryDecision.Action.RETRY, d.action()); // the base clock: not 30 days later
        assertEquals(at(m(7)), d.retryAt());
        assertEquals(List.of(), heard);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.builder().forReason(Reason.SPEEDING, p));
        assertTrue(e.getMessage().contains("no overrides of its own"), e.getMessage());
    }

    @Test
    void hardBounceIsSuppressed() {
        Counting listener = new Counting();
        RetryPolicy p = at(at(m(1))).listener(listener).build();
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, NO_SUCH_USER, "5.1.1");
        RetryDecision d = p.decide(h);
        assertEquals(RetryDecision.Action.SUPPRESS, d.action());
        assertNull(d.retryAt());
        assertEquals(at(m(1)), d.giveUpAt());
        assertEquals("5.1.1", d.status());
        assertEquals(Reason.USERUNKNOWN, d.reason());
        assertEquals(List.of(), d.delayWarnings());
        assertEquals(List.of("suppressed " + d), listener.calls);
        assertEquals(List.of(), p.plan(h));
    }

    @Test
    void policyBlocksGiveUpWithAPermanentStatus() {
        RetryPolicy p = at(T0).build();
        RetryDecision spamhaus = p.decide(DeliveryHistory.first("ann@example.org", T0, SPAMHAUS, "5.7.1"));
        assertEquals(RetryDecision.Action.GIVE_UP, spamhaus.action());
        assertEquals("5.7.1", spamhaus.status());
        assertEquals(Reason.BLOCKED, spamhaus.reason());
        assertTrue(spamhaus.explanation().contains("fix_sender"), spamhaus.explanation());
        // a transient code the classifier judged not retryable is reported as a permanent failure
        RetryDecision yahoo = p.decide(DeliveryHistory.first("ann@yahoo.com", T0, YAHOO_TSS04, "4.7.0"));
        assertEquals(RetryDecision.Action.GIVE_UP, yahoo.action());
        assertEquals("5.7.0", yahoo.status());
        assertEquals("5.0.0", p.decide(DeliveryHistory.first("ann@example.org", T0, SPAMHAUS, null)).status());
    }

    @Test
    void throttlingWaitsForTheDestination() {
        DeliveryHistory h = DeliveryHistory.first("ann@gmail.com", T0, GMAIL_RATE, "4.7.28");
        RetryDecision d = at(T0).build().decide(h);
        assertEquals(RetryDecision.Action.WAIT_FOR_DESTINATION, d.action());
        assertEquals(at(m(30)), d.retryAt());
        assertEquals("4.7.28", d.status());
        assertFalse(d.sameSendingIdentity());
        assertTrue(d.explanation().contains("the destination throttles"), d.explanation());
        // after the lifetime: give up all the same
        assertEquals(RetryDecision.Action.GIVE_UP, at(at(Duration.ofDays(5))).build().decide(h).action());
    }

    @Test
    void localDeferralsAreNotAttempts() {
        RetryPolicy p = at(at(m(10))).schedule(RetrySchedule.exponential(m(10), 2, Duration.ofDays(1))).build();
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2");
        // a real second failure doubles the delay
        assertEquals(at(m(30)), p.decide(h.next(at(m(10)), MAILBOX_FULL, "4.2.2")).retryAt());
        // our own deferral does not: the same delay, from the deferral
        DeliveryHistory deferred = h.deferredLocally(at(m(10)));
        assertEquals(1, deferred.attempts());
        assertEquals(at(m(20)), p.decide(deferred).retryAt());
        assertTrue(p.decide(deferred).explanation().contains("after the last local deferral"));
        // twice
        assertEquals(at(m(25)), at(at(m(15))).schedule(RetrySchedule.exponential(m(10), 2, Duration.ofDays(1)))
                .build().decide(deferred.deferredLocally(at(m(15)))).retryAt());
        // the attempt after it counts from the deferral
        DeliveryHistory next = deferred.next(at(m(20)), MAILBOX_FULL, "4.2.2");
        assertEquals(2, next.attempts());
        assertEquals(m(10), next.previousInterval());
        assertNull(next.lastLocalDeferral());
    }

    @Test
    void growingSchedulesGrowFromTheIntervalWaited() {
        RetryPolicy p = at(at(h(3))).schedule(RetrySchedule.segmented("G,5d,1h,2")).build();
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2")
                .next(at(h(1)), MAILBOX_FULL, "4.2.2").next(at(h(3)), MAILBOX_FULL, "4.2.2");
        assertEquals(h(2), h.previousInterval());
        assertEquals(at(h(7)), p.decide(h).retryAt());
    }

    @Test
    void listenersHearEveryDecisionInOrderButNotPlans() {
        Counting one = new Counting();
        Counting two = new Counting();
        RetryPolicy p = at(T0).listener(one).listener(two).build();
        RetryDecision retry = p.decide(DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2"));
        RetryDecision wait = p.decide(DeliveryHistory.first("ann@example.org", T0, GMAIL_RATE, "4.7.28"));
        RetryDecision gaveUp = p.decide(DeliveryHistory.first("ann@example.org", T0, SPAMHAUS, "5.7.1"));
        RetryDecision suppressed = p.decide(DeliveryHistory.first("ann@example.org", T0, NO_SUCH_USER, "5.1.1"));
        p.plan(DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2"));
        List<String> expected = List.of("retryScheduled " + retry, "retryScheduled " + wait, "gaveUp " + gaveUp,
                "suppressed " + suppressed);
        assertEquals(expected, one.calls);
        assertEquals(expected, two.calls);
        // the default methods do nothing
        RetryListener quiet = new RetryListener() {
        };
        quiet.retryScheduled(null, retry);
        quiet.gaveUp(null, gaveUp);
        quiet.suppressed(null, suppressed);
        // an exception reaches the caller
        RetryPolicy failing = at(T0).listener(new RetryListener() {
            @Override
            public void gaveUp(DeliveryHistory history, RetryDecision decision) {
                throw new IllegalStateException("listener");
            }
        }).build();
        assertThrows(IllegalStateException.class,
                () -> failing.decide(DeliveryHistory.first("ann@example.org", T0, SPAMHAUS, "5.7.1")));
    }

    @Test
    void sameSeedAndClockGiveTheSameDecisions() {
        RetrySchedule s = RetrySchedule.segmented("H,5d,10m,3").withJitter(0.3);
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2");
        List<Instant> a = at(T0).schedule(s).random(new SplittableRandom(42)).build().plan(h);
        List<Instant> b = at(T0).schedule(s).random(new SplittableRandom(42)).build().plan(h);
        List<Instant> c = at(T0).schedule(s).random(new SplittableRandom(43)).build().plan(h);
        assertEquals(a, b);
        assertFalse(a.equals(c), "another seed, another plan");
    }

    /**
     * One history decided again and again by a policy shared by 8 threads started together: each decision takes its
     * own draw of the seeded source, so the multiset of decisions is that of one thread taking as many (five rounds,
     * three jittered schedules).
     */
    @Test
    void sharedAcrossThreadsEachDecisionTakesItsOwnDraw() throws Exception {
        DeliveryHistory h = DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2")
                .next(at(h(1)), MAILBOX_FULL, "4.2.2");
        int each = 1_000;
        List<RetrySchedule> schedules = List.of(RetrySchedule.fixed(h(1)).withJitter(0.5),
                RetrySchedule.segmented("H,5d,10m,3").withJitter(0.3),
                RetrySchedule.exponential(m(20), 2, Duration.ofHours(8)).withJitter(0.1));
        for (int round = 0; round < 5; round++) {
            RetrySchedule s = schedules.get(round % schedules.size());
            long seed = 7 + round;
            RetryPolicy alone = at(at(h(1))).schedule(s).random(new SplittableRandom(seed)).build();
            List<RetryDecision> expected = new ArrayList<>();
            for (int i = 0; i < Concurrently.THREADS * each; i++) {
                expected.add(alone.decide(h));
            }
            RetryPolicy shared = at(at(h(1))).schedule(s).random(new SplittableRandom(seed)).build();
            List<Callable<List<RetryDecision>>> work = new ArrayList<>();
            for (int t = 0; t < Concurrently.THREADS; t++) {
                work.add(() -> {
                    List<RetryDecision> got = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        got.add(shared.decide(h));
                    }
                    return got;
                });
            }
            List<RetryDecision> all = new ArrayList<>();
            Concurrently.together(work).forEach(all::addAll);
            // the same draws, each taken once, in some order
            Concurrently.assertSameMultiset(expected, all, "round " + round + ", " + s);
            assertTrue(expected.stream().map(RetryDecision::retryAt).distinct().count() > 100,
                    "the draws spread the decisions");
        }
    }

    /**
     * Varied histories (every kind of classification, overrides by domain, provider and reason, several attempts)
     * decided and planned by one policy shared by 8 threads started together, each thread in its own order, five
     * rounds: every decision and plan equals the one the same policy makes alone given the same draws; the draws
     * taken are the seeded source's first ones, each exactly once; and the listener heard exactly the decisions
     * returned.
     */
    @Test
    void sharedAcrossThreadsVariedHistoriesGetTheirOwnDecisions() throws Exception {
        List<DeliveryHistory> histories = new ArrayList<>();
        for (Classification c : List.of(MAILBOX_FULL, GREYLISTED, NO_SUCH_USER, SPAMHAUS, YAHOO_TSS04, GMAIL_RATE,
                LOCAL_PROBLEM)) {
            for (String recipient : List.of("ann@example.org", "bob@eu.example.com", "carl@gmail.com")) {
                DeliveryHistory h = DeliveryHistory.first(recipient, T0, c, null);
                for (int attempt = 1; attempt <= 3; attempt++) {
                    histories.add(h);
                    h = h.next(at(h(attempt * 1.5)), c, null);
                }
            }
        }
        for (int round = 0; round < 5; round++) {
            RecordingRandom random = new RecordingRandom(100 + round);
            Queue<String> heard = new ConcurrentLinkedQueue<>();
            RetryPolicy shared = variedPolicy(random, heard);
            List<Callable<List<String>>> work = new ArrayList<>();
            for (int t = 0; t < Concurrently.THREADS; t++) {
                List<Integer> order = Concurrently.shuffled(histories.size() * 2, 1_000L * round + t);
                work.add(() -> {
                    List<String> failures = new ArrayList<>();
                    for (int k : order) {
                        DeliveryHistory h = histories.get(k / 2);
                        random.take(); // nothing left from before
                        Object got = k % 2 == 0 ? shared.decide(h) : shared.plan(h);
                        List<Long> draws = random.take();
                        // the policy alone, given the same draws, decides the same
                        RetryPolicy alone = variedPolicy(new ReplayRandom(draws), new ConcurrentLinkedQueue<>());
                        Object want = k % 2 == 0 ? alone.decide(h) : alone.plan(h);
                        if (!want.equals(got)) {
                            failures.add(h + " with draws " + draws + ": " + got + ", alone " + want);
                        }
                    }
                    return failures;
                });
            }
            List<String> failures = new ArrayList<>();
            Concurrently.together(work).forEach(failures::addAll);
            assertEquals(List.of(), failures, "round " + round);
            // every draw of the seeded source taken once, none twice, none lost
            List<Long> taken = random.all();
            SplittableRandom source = new SplittableRandom(100 + round);
            List<Long> first = new ArrayList<>();
            for (int i = 0; i < taken.size(); i++) {
                first.add(source.nextLong());
            }
            Concurrently.assertSameMultiset(first, taken, "round " + round + ", the draws taken");
            assertTrue(taken.size() > Concurrently.THREADS * histories.size(), "plans take many draws");
            assertEquals(Concurrently.THREADS * histories.size(), heard.size(), "one call per decision");
        }
    }

    /** Jitter, overrides of every kind, and a listener that writes down what it hears. */
    private static RetryPolicy variedPolicy(RandomGenerator random, Queue<String> heard) {
        RetryListener listener = new RetryListener() {
            @Override
            public void retryScheduled(DeliveryHistory history, RetryDecision decision) {
                heard.add("retry " + decision);
            }

            @Override
            public void gaveUp(DeliveryHistory history, RetryDecision decision) {
                heard.add("gave up " + decision);
            }

            @Override
            public void suppressed(DeliveryHistory history, RetryDecision decision) {
                heard.add("suppressed " + decision);
            }
        };
        return at(at(h(4))).schedule(RetrySchedule.segmented("F,2h,15m; G,16h,1h,1.5; F,4d,6h").withJitter(0.2))
                .forDomain("eu.example.com", RetryPolicy.builder().lifetime(Duration.ofDays(1))
                        .schedule(RetrySchedule.fixed(h(1)).withJitter(0.5)).build())
                .forProvider("gmail", RetryPolicy.builder().schedule(RetrySchedule.exponential(m(20), 2,
                        Duration.ofHours(8)).withJitter(0.1)).build())
                .forReason(Reason.GREYLISTED, RetryPolicy.builder().greylisting(m(5), 1).build())
                .random(random).listener(listener).build();
    }

    /**
     * A seeded source that writes down the values each thread takes (the policy draws while holding this object's
     * monitor, which also guards the unsynchronized source).
     */
    private static final class RecordingRandom implements RandomGenerator {
        private final SplittableRandom source;
        private final List<Long> all = new ArrayList<>();
        private final ThreadLocal<List<Long>> mine = ThreadLocal.withInitial(ArrayList::new);

        RecordingRandom(long seed) {
            this.source = new SplittableRandom(seed);
        }

        @Override
        public long nextLong() {
            long v = source.nextLong();
            all.add(v);
            mine.get().add(v);
            return v;
        }

        /** @return the values this thread took since the last call */
        List<Long> take() {
            List<Long> l = List.copyOf(mine.get());
            mine.get().clear();
            return l;
        }

        /** @return every value taken; read after the threads ended */
        synchronized List<Long> all() {
            return new ArrayList<>(all);
        }
    }

    /** Gives the values recorded, in order; a draw beyond them fails. */
    private static final class ReplayRandom implements RandomGenerator {
        private final Iterator<Long> values;

        ReplayRandom(List<Long> values) {
            this.values = values.iterator();
        }

        @Override
        public long nextLong() {
            return values.next();
        }
    }

    @Test
    void javadocExamples() {
        // RetrySchedule
        RetrySchedule exim = RetrySchedule.segmented("F,2h,15m; G,16h,1h,1.5; F,4d,6h");
        Duration first = exim.delay(new RetrySchedule.Attempt(1, Duration.ZERO, null, 0.5));
        assertEquals(m(15), first);
        RetrySchedule spread = RetrySchedule.exponential(m(20), 2, Duration.ofHours(8)).withJitter(0.1);
        assertEquals(m(40), spread.delay(new RetrySchedule.Attempt(2, Duration.ZERO, null, 0.5)));
        // DeliveryHistory
        Classifier classifier = Classifier.defaults();
        DeliveryHistory h = DeliveryHistory.first("ann@example.com", T0,
                classifier.classify(451, null, "4.2.2 mailbox full", null), "4.2.2");
        h = h.next(at(m(30)), classifier.classify(452, null, "4.2.2 over quota", null), "4.2.2");
        // RetryPolicy
        Clock clock = Clock.fixed(at(m(30)), ZoneOffset.UTC);
        RetryPolicy policy = RetryPolicy.builder()
                .clock(clock)
                .forDomain("example.com", RetryPolicy.builder().lifetime(Duration.ofDays(2)).build())
                .build();
        RetryDecision d = policy.decide(h);
        List<String> done = new ArrayList<>();
        switch (d.action()) {
            case RETRY, WAIT_FOR_DESTINATION -> done.add("requeue " + d.retryAt());
            case GIVE_UP -> done.add("bounce " + d.status());
            case SUPPRESS -> done.add("suppress " + h.recipient());
        }
        assertEquals(List.of("requeue " + at(h(1))), done);
        assertEquals(at(Duration.ofDays(2)), d.giveUpAt());
    }

    @Test
    void plansAreBounded() {
        List<Instant> plan = at(T0).schedule(RetrySchedule.fixed(Duration.ofSeconds(1))).build()
                .plan(DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2"));
        assertEquals(RetryPolicy.MAX_PLAN, plan.size());
        assertEquals(at(Duration.ofSeconds(1000)), plan.get(999));
    }

    @Test
    void aScheduleThatMisbehavesIsAnError() {
        RetryPolicy p = at(T0).schedule(a -> Duration.ofSeconds(-1)).build();
        assertThrows(IllegalStateException.class,
                () -> p.decide(DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2")));
        RetryPolicy nulls = at(T0).schedule(a -> null).build();
        assertThrows(IllegalStateException.class,
                () -> nulls.decide(DeliveryHistory.first("ann@example.org", T0, MAILBOX_FULL, "4.2.2")));
    }

    @Test
    void builderValidates() {
        RetryPolicy.Builder b = RetryPolicy.builder();
        RetryPolicy any = RetryPolicy.builder().build();
        assertThrows(NullPointerException.class, () -> b.schedule(null));
        assertThrows(NullPointerException.class, () -> b.lifetime(null));
        assertThrows(NullPointerException.class, () -> b.bounceLifetime(null));
        assertThrows(NullPointerException.class, () -> b.lifetimeFrom(null));
        assertThrows(NullPointerException.class, () -> b.greylisting(null, 1));
        assertThrows(NullPointerException.class, () -> b.delayWarnings((Duration[]) null));
        assertThrows(NullPointerException.class, () -> b.delayWarnings(h(1), null));
        assertThrows(NullPointerException.class, () -> b.forDomain(null, any));
        assertThrows(NullPointerException.class, () -> b.forDomain("example.com", null));
        assertThrows(NullPointerException.class, () -> b.forProvider(null, any));
        assertThrows(NullPointerException.class, () -> b.forProvider("gmail", null));
        assertThrows(NullPointerException.class, () -> b.forReason(null, any));
        assertThrows(NullPointerException.class, () -> b.forReason(Reason.SPEEDING, null));
        assertThrows(NullPointerException.class, () -> b.clock(null));
        assertThrows(NullPointerException.class, () -> b.random(null));
        assertThrows(NullPointerException.class, () -> b.listener(null));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.lifetime(h(-1)));
        assertTrue(e.getMessage().contains("lifetime") && e.getMessage().contains("PT-1H"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.lifetime(Duration.ofDays(3651)));
        assertThrows(IllegalArgumentException.class, () -> b.bounceLifetime(h(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.greylisting(Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> b.greylisting(m(10), -1));
        assertThrows(IllegalArgumentException.class, () -> b.greylisting(m(10), 101));
        assertThrows(IllegalArgumentException.class, () -> b.delayWarnings(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.delayWarnings(new Duration[33]));
        for (String bad : new String[] {"", " ", ".", "a..b", ".example.com", "exa mple.com", "ann@example.com",
                "x".repeat(254)}) {
            e = assertThrows(IllegalArgumentException.class, () -> b.forDomain(bad, any), bad);
            assertTrue(e.getMessage().startsWith("not a domain name"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> b.forProvider(" ", any));
        RetryPolicy p = at(T0).build();
        assertThrows(NullPointerException.class, () -> p.decide(null));
        assertThrows(NullPointerException.class, () -> p.plan(null));
        // a failed setter leaves the builder as it was
        assertEquals(Duration.ofDays(5), b.build().lifetime());
    }

    @Test
    void describesItself() {
        assertEquals("RetryPolicy[schedule=F,1h,30m; G,4h,1h,1.5; F,5d,3h, lifetime=5d, bounceLifetime=2d, "
                + "from=first_attempt, greylisting=2x10m, delayWarnings=[4h]]", RetryPolicy.defaults().toString());
        assertTrue(at(T0).forProvider("gmail", RetryPolicy.defaults()).build().toString().endsWith(
                ", overrides=1]"));
    }

    /** Records what it hears. */
    private static final class Counting implements RetryListener {
        final List<String> calls = new ArrayList<>();

        @Override
        public void retryScheduled(DeliveryHistory history, RetryDecision decision) {
            calls.add("retryScheduled " + decision);
        }

        @Override
        public void gaveUp(DeliveryHistory history, RetryDecision decision) {
            calls.add("gaveUp " + decision);
        }

        @Override
        public void suppressed(DeliveryHistory history, RetryDecision decision) {
            calls.add("suppressed " + decision);
        }
    }
}
