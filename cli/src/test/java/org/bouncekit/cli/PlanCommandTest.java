package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bouncekit plan}: the default retry policy's decision and schedule for one reply. */
class PlanCommandTest {

    static final List<String> FIELDS = new ArrayList<>(Cli.SMTP_FIELDS);

    static {
        FIELDS.addAll(List.of("attempts", "firstAttempt", "lastAttempt", "action", "retryAt", "giveUpAt",
                "reportStatus", "sameSendingIdentity", "delayWarnings", "explanation", "schedule"));
    }

    static Map<String, Object> plan(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "plan";
        System.arraycopy(args, 0, all, 1, args.length);
        Cli.Raw r = Cli.raw(new byte[0], all);
        assertEquals(0, r.code(), r.err());
        String out = new String(r.out(), StandardCharsets.UTF_8);
        assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, "one line");
        Map<String, Object> row = MiniJson.object(out.strip());
        assertEquals(FIELDS, new ArrayList<>(row.keySet()));
        return row;
    }

    static List<Instant> instants(Object list) {
        List<Instant> l = new ArrayList<>();
        for (Object o : (List<?>) list) {
            l.add(Instant.parse((String) o));
        }
        return l;
    }

    @Test
    void aTemporaryFailureRetriesByTheRfc5321ScheduleUntilFiveDays() {
        Map<String, Object> p = plan("--smtp", "452 4.2.2 The email account that you tried to reach is over quota",
                "--first-attempt", "2026-11-26T09:00:00Z");
        assertEquals("mailboxfull", p.get("reason"));
        assertEquals("retry", p.get("action"));
        assertEquals(1L, p.get("attempts"));
        assertEquals("2026-11-26T09:30:00Z", p.get("retryAt"), "at least 30 minutes after the first attempt");
        assertEquals("2026-12-01T09:00:00Z", p.get("giveUpAt"), "five days");
        List<Instant> schedule = instants(p.get("schedule"));
        assertEquals(Instant.parse("2026-11-26T09:30:00Z"), schedule.get(0));
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), schedule.get(1), "two attempts in the first hour");
        // at least 30 minutes apart, at most 3 hours; only the last attempt, at the end of the lifetime, may come
        // sooner after the one before
        for (int i = 1; i < schedule.size(); i++) {
            Duration gap = Duration.between(schedule.get(i - 1), schedule.get(i));
            assertTrue(gap.compareTo(Duration.ofHours(3)) <= 0, gap::toString);
            assertTrue(gap.compareTo(Duration.ofMinutes(30)) >= 0 || i == schedule.size() - 1, gap::toString);
        }
        assertEquals(Instant.parse("2026-12-01T09:00:00Z"), schedule.get(schedule.size() - 1));
        assertEquals(List.of("2026-11-26T13:00:00Z"), p.get("delayWarnings"));
    }

    @Test
    void laterAttemptsFollowTheScheduleAndAThrottleWaitsForTheDestination() {
        Map<String, Object> p = plan("--smtp", "421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of "
                + "unsolicited mail originating from your IP address.", "--attempts", "3", "--first-attempt",
                "2026-11-26T09:00:00Z");
        assertEquals("throttle", p.get("decision"));
        assertEquals("wait_for_destination", p.get("action"));
        assertEquals(3L, p.get("attempts"));
        assertEquals("2026-11-26T10:00:00Z", p.get("lastAttempt"));
        assertEquals("2026-11-26T11:00:00Z", p.get("retryAt"));
    }

    @Test
    void greylistingRetriesEarlyFromTheSameIdentityAndAHardBounceSuppresses() {
        Map<String, Object> grey = plan("--smtp", "450 4.2.0 Greylisted, please try again later",
                "--first-attempt", "2026-11-26T09:00:00Z");
        assertEquals("retry", grey.get("action"));
        assertEquals(true, grey.get("sameSendingIdentity"));
        assertEquals("2026-11-26T09:10:00Z", grey.get("retryAt"));
        Map<String, Object> hard = plan("--smtp", "550 5.1.1 The email account that you tried to reach does not "
                + "exist", "--first-attempt", "2026-11-26T09:00:00Z");
        assertEquals("suppress", hard.get("action"));
        assertNull(hard.get("retryAt"));
        assertEquals("5.1.1", hard.get("reportStatus"));
        assertEquals(List.of(), hard.get("schedule"));
        Map<String, Object> block = plan("--smtp", "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked "
                + "using zen.spamhaus.org", "--first-attempt", "2026-11-26T09:00:00Z");
        assertEquals("give_up", block.get("action"));
    }

    @Test
    void usageErrors() {
        Cli.Raw attempts = Cli.raw(new byte[0], "plan", "--smtp", "450 try later", "--attempts", "0");
        assertEquals(2, attempts.code());
        assertEquals("bouncekit: --attempts: expected 1 to 1000: 0\n", attempts.err());
        Cli.Raw first = Cli.raw(new byte[0], "plan", "--smtp", "450 try later", "--first-attempt", "yesterday");
        assertEquals(2, first.code());
        assertTrue(first.err().startsWith("bouncekit: --first-attempt: "), first.err());
        assertEquals(2, Cli.raw(new byte[0], "plan").code());
        Cli.Raw far = Cli.raw(new byte[0], "plan", "--smtp", "450 try later", "--first-attempt",
                "+1000000000-12-30T00:00:00Z");
        assertEquals(2, far.code());
        assertTrue(far.err().startsWith("bouncekit: --first-attempt: expected an instant from"), far.err());
        Cli.Raw blank = Cli.raw(new byte[0], "plan", "--smtp", "450 try later", "--recipient", " ");
        assertEquals(2, blank.code());
        assertEquals("bouncekit: --recipient: expected an address, not blank\n", blank.err());
    }
}
