package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each strategy's exact delays, the Exim syntax and its errors, and the factories' validation. */
class RetryScheduleTest {

    private static final String EXIM_DEFAULT = "F,2h,15m; G,16h,1h,1.5; F,4d,6h";

    private static RetrySchedule.Attempt attempt(int failures, Duration elapsed, Duration previous, double random) {
        return new RetrySchedule.Attempt(failures, elapsed, previous, random);
    }

    private static Duration minutes(double m) {
        return Duration.ofNanos(Math.round(m * 60e9));
    }

    /** Walks a schedule as if every retry happened when scheduled, from elapsed zero. */
    private static List<Duration> walk(RetrySchedule s, int steps) {
        List<Duration> out = new ArrayList<>();
        Duration elapsed = Duration.ZERO;
        Duration previous = null;
        for (int i = 1; i <= steps; i++) {
            Duration d = s.delay(attempt(i, elapsed, previous, 0.5));
            out.add(d);
            elapsed = elapsed.plus(d);
            previous = d;
        }
        return out;
    }

    @Test
    void eximDefaultRuleGivesEximsIntervals() {
        RetrySchedule s = RetrySchedule.segmented(EXIM_DEFAULT);
        List<Duration> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add(Duration.ofMinutes(15)); // every 15 minutes while less than 2 hours have passed
        }
        // then 1 h growing by 1.5 while less than 16 hours have passed (15.1875 h before the last of these)
        expected.add(Duration.ofHours(1));
        expected.add(Duration.ofMinutes(90));
        expected.add(Duration.ofMinutes(135));
        expected.add(Duration.ofSeconds(3 * 3600 + 22 * 60 + 30));
        expected.add(Duration.ofSeconds(5 * 3600 + 3 * 60 + 45));
        expected.add(Duration.ofMillis((7 * 3600 + 35 * 60 + 37) * 1000L + 500));
        for (int i = 0; i < 4; i++) {
            expected.add(Duration.ofHours(6)); // then every 6 hours
        }
        assertEquals(expected, walk(s, expected.size()));
        assertEquals(Optional.of(Duration.ofDays(4)), s.cutoff());
        // past the last cutoff the last segment applies
        assertEquals(Duration.ofHours(6), s.delay(attempt(40, Duration.ofDays(5), Duration.ofHours(6), 0.1)));
    }

    @Test
    void geometricStartsOverWhenThePreviousDelayIsShorterThanItsStart() {
        RetrySchedule g = RetrySchedule.segmented("G,1d,1h,2");
        assertEquals(Duration.ofHours(1), g.delay(attempt(1, Duration.ZERO, null, 0.9)));
        assertEquals(Duration.ofHours(1), g.delay(attempt(2, Duration.ofHours(1), Duration.ofMinutes(59), 0.9)));
        assertEquals(Duration.ofHours(2), g.delay(attempt(2, Duration.ofHours(1), Duration.ofHours(1), 0.9)));
        assertEquals(Duration.ofHours(6), g.delay(attempt(3, Duration.ofHours(3), Duration.ofHours(3), 0.0)));
    }

    @Test
    void heuristicDrawsBetweenStartAndTheGrownPreviousDelay() {
        RetrySchedule h = RetrySchedule.segmented("H,1d,10m,2");
        // no previous delay, or a shorter one: the start, whatever the draw
        assertEquals(Duration.ofMinutes(10), h.delay(attempt(1, Duration.ZERO, null, 0.99)));
        assertEquals(Duration.ofMinutes(10), h.delay(attempt(2, Duration.ZERO, Duration.ofMinutes(5), 0.99)));
        // previous 10 m: between 10 m and 20 m
        assertEquals(Duration.ofMinutes(10), h.delay(attempt(2, Duration.ZERO, Duration.ofMinutes(10), 0.0)));
        assertEquals(Duration.ofMinutes(15), h.delay(attempt(2, Duration.ZERO, Duration.ofMinutes(10), 0.5)));
        assertEquals(Duration.ofMinutes(12), h.delay(attempt(2, Duration.ZERO, Duration.ofMinutes(10), 0.2)));
        // previous 15 m: between 10 m and 30 m
        assertEquals(Duration.ofMinutes(15), h.delay(attempt(3, Duration.ZERO, Duration.ofMinutes(15), 0.25)));
        assertEquals(Duration.ofMinutes(25), h.delay(attempt(3, Duration.ZERO, Duration.ofMinutes(15), 0.75)));
        Duration top = h.delay(attempt(3, Duration.ZERO, Duration.ofMinutes(15), Math.nextDown(1.0)));
        assertTrue(top.compareTo(Duration.ofMinutes(30)) < 0 && top.compareTo(minutes(29.99)) > 0, top.toString());
    }

    @Test
    void segmentsAreChosenByTheElapsedTime() {
        RetrySchedule s = RetrySchedule.segmented("F,1h,5m; F,1d,1h; F,5d,6h");
        assertEquals(Duration.ofMinutes(5), s.delay(attempt(9, Duration.ofMinutes(59), null, 0)));
        assertEquals(Duration.ofHours(1), s.delay(attempt(1, Duration.ofHours(1), null, 0))); // cutoff reached
        assertEquals(Duration.ofHours(6), s.delay(attempt(1, Duration.ofDays(1), null, 0)));
    }

    @Test
    void fixedExponentialTableAndAgeProportional() {
        assertEquals(Duration.ofMinutes(7), RetrySchedule.fixed(Duration.ofMinutes(7))
                .delay(attempt(12, Duration.ofDays(2), Duration.ofHours(3), 0.3)));

        // KumoMTA's shape: 20 minutes doubled per attempt, capped
        RetrySchedule kumo = RetrySchedule.exponential(Duration.ofMinutes(20), 2, Duration.ofHours(8));
        assertEquals(List.of(Duration.ofMinutes(20), Duration.ofMinutes(40), Duration.ofMinutes(80),
                Duration.ofMinutes(160), Duration.ofMinutes(320), Duration.ofHours(8), Duration.ofHours(8)),
                walk(kumo, 7));
        assertEquals(Duration.ofHours(8), kumo.delay(attempt(100_000, Duration.ZERO, null, 0))); // power overflows
        assertEquals(Duration.ofMillis(1500), RetrySchedule.exponential(Duration.ofSeconds(1), 1.5,
                Duration.ofMinutes(1)).delay(attempt(2, Duration.ZERO, null, 0)));

        // ZoneMTA's table: the last entry repeats
        RetrySchedule zone = RetrySchedule.table(Duration.ofMinutes(5), Duration.ofMinutes(7), Duration.ofMinutes(8),
                Duration.ofMinutes(25), Duration.ofMinutes(75), Duration.ofMinutes(120), Duration.ofMinutes(240));
        assertEquals(List.of(Duration.ofMinutes(5), Duration.ofMinutes(7), Duration.ofMinutes(8),
                Duration.ofMinutes(25), Duration.ofMinutes(75), Duration.ofMinutes(120), Duration.ofMinutes(240),
                Duration.ofMinutes(240), Duration.ofMinutes(240)), walk(zone, 9));

        // Postfix: the message's age, between 300 s and 4000 s
        RetrySchedule postfix = RetrySchedule.ageProportional(Duration.ofSeconds(300), Duration.ofSeconds(4000));
        assertEquals(List.of(Duration.ofSeconds(300), Duration.ofSeconds(300), Duration.ofSeconds(600),
                Duration.ofSeconds(1200), Duration.ofSeconds(2400), Duration.ofSeconds(4000),
                Duration.ofSeconds(4000)), walk(postfix, 7));
        assertEquals(Optional.empty(), postfix.cutoff());
    }

    @Test
    void jitterSpreadsByTheDraw() {
        RetrySchedule j = RetrySchedule.fixed(Duration.ofHours(1)).withJitter(0.2);
        assertEquals(Duration.ofMinutes(48), j.delay(attempt(1, Duration.ZERO, null, 0.0)));
        assertEquals(Duration.ofMinutes(60), j.delay(attempt(1, Duration.ZERO, null, 0.5)));
        assertEquals(Duration.ofMinutes(66), j.delay(attempt(1, Duration.ZERO, null, 0.75)));
        Duration top = j.delay(attempt(1, Duration.ZERO, null, Math.nextDown(1.0)));
        assertTrue(top.compareTo(Duration.ofMinutes(72)) <= 0 && top.compareTo(minutes(71.99)) > 0, top.toString());
        assertEquals(Duration.ofHours(1), RetrySchedule.fixed(Duration.ofHours(1)).withJitter(0)
                .delay(attempt(1, Duration.ZERO, null, 0.9)));
        // decorators keep the cutoff
        assertEquals(Optional.of(Duration.ofDays(4)), RetrySchedule.segmented(EXIM_DEFAULT).withJitter(0.1)
                .withMaxInterval(Duration.ofHours(1)).cutoff());
        assertThrows(IllegalArgumentException.class, () -> j.withJitter(1.0));
        assertThrows(IllegalArgumentException.class, () -> j.withJitter(-0.1));
        assertThrows(IllegalArgumentException.class, () -> j.withJitter(Double.NaN));
    }

    @Test
    void maxIntervalCapsEveryDelay() {
        RetrySchedule s = RetrySchedule.exponential(Duration.ofHours(1), 2, Duration.ofDays(100))
                .withMaxInterval(Duration.ofDays(1));
        assertEquals(Duration.ofHours(16), s.delay(attempt(5, Duration.ZERO, null, 0)));
        assertEquals(Duration.ofDays(1), s.delay(attempt(6, Duration.ZERO, null, 0)));
        assertEquals(Duration.ofDays(1), s.delay(attempt(60, Duration.ZERO, null, 0)));
        assertThrows(IllegalArgumentException.class, () -> s.withMaxInterval(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> s.withMaxInterval(null));
    }

    @Test
    void eximSyntaxIsNormalisedAndComparedByValue() {
        RetrySchedule messy = RetrySchedule.segmented(" f , 120m ,15m ;g,16h,60m,1.50;F,3d24h,21600s; ");
        RetrySchedule clean = RetrySchedule.segmented(EXIM_DEFAULT);
        assertEquals(EXIM_DEFAULT, messy.toString());
        assertEquals(clean, messy);
        assertEquals(clean.hashCode(), messy.hashCode());
        assertEquals(clean, RetrySchedule.segmented(clean.toString()));
        assertNotEquals(clean, RetrySchedule.segmented("F,2h,15m; G,16h,1h,1.5; F,4d,7h"));
        assertNotEquals(clean, RetrySchedule.segmented("F,2h,15m; H,16h,1h,1.5; F,4d,6h"));
        assertEquals("F,1w2d3h4m5s,1m30s; G,2w,1d,2; H,3w,1s,100",
                RetrySchedule.segmented("F,5s4m3h2d1w,90s;G,14d,24h,2.000;H,21d,1s,100").toString());
        assertEquals("F,2h,1h", RetrySchedule.segmented("F,1h1h,30m30m").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | segment 1 \"\" at index 0: no segment",
        "'   '                       | segment 1 \"\" at index 3: no segment",
        "F,2h                        | segment 1 \"F,2h\" at index 0: F takes a cutoff and an interval",
        "F,2h,15m; G,16h,1h          | segment 2 \"G,16h,1h\" at index 10: G takes a cutoff, a start and a factor",
        "F,2h,15x                    | segment 1 \"F,2h,15x\" at index 7: expected a unit w, d, h, m or s after 15",
        "F,2h,15                     | segment 1 \"F,2h,15\" at index 7: expected a unit",
        "F,2h,h                      | segment 1 \"F,2h,h\" at index 5: expected a number in the interval",
        "X,2h,15m                    | segment 1 \"X,2h,15m\" at index 0: expected the algorithm F, G or H",
        "FG,2h,15m                   | segment 1 \"FG,2h,15m\" at index 0: expected the algorithm",
        "F,2h,15m; F,1h,30m          | segment 2 \"F,1h,30m\" at index 12: cutoff 1h must be after the previous",
        "F,2h,15m; F,2h,30m          | segment 2 \"F,2h,30m\" at index 12: cutoff 2h must be after the previous",
        "G,1d,1h,0.5                 | segment 1 \"G,1d,1h,0.5\" at index 8: factor 0.5 must be from 1 to 100",
        "G,1d,1h,101                 | segment 1 \"G,1d,1h,101\" at index 8: factor 101 must be from 1 to 100",
        "G,1d,1h,1.x                 | segment 1 \"G,1d,1h,1.x\" at index 10: expected digits after the decimal",
        "G,1d,1h,1e2                 | segment 1 \"G,1d,1h,1e2\" at index 9: expected a decimal factor",
        "G,1d,1h,                    | segment 1 \"G,1d,1h,\" at index 8: missing factor",
        "F,2h,15m;;F,4d,1h           | segment 2 \"\" at index 9: empty segment",
        ";F,1h,1m                    | segment 1 \"\" at index 0: empty segment",
        "F,0s,1m                     | segment 1 \"F,0s,1m\" at index 2: cutoff must be positive",
        "F,3651d,1m                  | segment 1 \"F,3651d,1m\" at index 2: cutoff longer than the limit of 3650",
        "F,1h 30m,1m                 | segment 1 \"F,1h 30m,1m\" at index 4: expected a number in the cutoff",
        "F,1H,1m                     | segment 1 \"F,1H,1m\" at index 3: expected a unit",
        "F,1234567890s,1m            | segment 1 \"F,1234567890s,1m\" at index 2: number too long in the cutoff",
        "F,,1m                       | segment 1 \"F,,1m\" at index 2: missing cutoff",
    })
    void parseErrorsNameTheSegmentAndIndex(String rules, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrySchedule.segmented(rules));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void parseLimits() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 33; i++) {
            b.append(i == 1 ? "" : ";").append("F,").append(i).append("h,1m");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrySchedule.segmented(b.toString()));
        assertTrue(e.getMessage().contains("segment 33 \"F,33h,1m\" at index " + b.lastIndexOf("F,33h")
                + ": more than the limit of 32 segments"), e.getMessage());
        assertEquals(32, RetrySchedule.segmented(b.substring(0, b.lastIndexOf(";"))).toString().split("; ").length);
        String long1025 = "F,1h,1m" + " ".repeat(1018);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RetrySchedule.segmented(long1025))
                .getMessage().contains("1025 characters long, more than the limit of 1024"));
        assertEquals("F,1h,1m", RetrySchedule.segmented(long1025.substring(0, 1024)).toString());
        assertThrows(NullPointerException.class, () -> RetrySchedule.segmented(null));
    }

    @Test
    void factoriesValidate() {
        Duration m = Duration.ofMinutes(1);
        assertThrows(NullPointerException.class, () -> RetrySchedule.fixed(null));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.fixed(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.fixed(m.negated()));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.fixed(Duration.ofDays(3651)));
        assertThrows(NullPointerException.class, () -> RetrySchedule.exponential(null, 2, m));
        assertThrows(NullPointerException.class, () -> RetrySchedule.exponential(m, 2, null));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.exponential(m, 0.9, m));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.exponential(m, 101, m));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.exponential(m, Double.NaN, m));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.exponential(m.multipliedBy(2), 2, m));
        assertThrows(NullPointerException.class, () -> RetrySchedule.table((Duration[]) null));
        assertThrows(NullPointerException.class, () -> RetrySchedule.table(m, null));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.table());
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.table(new Duration[257]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrySchedule.table(m, Duration.ZERO));
        assertTrue(e.getMessage().contains("intervals[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.ageProportional(m.multipliedBy(2), m));
        assertThrows(NullPointerException.class, () -> RetrySchedule.ageProportional(m, null));
    }

    @Test
    void attemptsValidate() {
        assertThrows(IllegalArgumentException.class, () -> attempt(0, Duration.ZERO, null, 0));
        assertThrows(NullPointerException.class, () -> attempt(1, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> attempt(1, Duration.ofSeconds(-1), null, 0));
        assertThrows(IllegalArgumentException.class, () -> attempt(1, Duration.ZERO, Duration.ofSeconds(-1), 0));
        assertThrows(IllegalArgumentException.class, () -> attempt(1, Duration.ZERO, null, 1.0));
        assertThrows(IllegalArgumentException.class, () -> attempt(1, Duration.ZERO, null, -0.0001));
        assertThrows(IllegalArgumentException.class, () -> attempt(1, Duration.ZERO, null, Double.NaN));
    }

    @Test
    void readableDescriptions() {
        assertEquals("fixed 1h30m", RetrySchedule.fixed(Duration.ofMinutes(90)).toString());
        assertEquals("exponential 20m x2 up to 8h", RetrySchedule.exponential(Duration.ofMinutes(20), 2,
                Duration.ofHours(8)).toString());
        assertEquals("table 5m,7m", RetrySchedule.table(Duration.ofMinutes(5), Duration.ofMinutes(7)).toString());
        assertEquals("age from 5m to 1h6m40s", RetrySchedule.ageProportional(Duration.ofSeconds(300),
                Duration.ofSeconds(4000)).toString());
        assertEquals("fixed PT0.5S with jitter 0.1 with max interval 1d", RetrySchedule.fixed(Duration.ofMillis(500))
                .withJitter(0.1).withMaxInterval(Duration.ofDays(1)).toString());
    }
}
