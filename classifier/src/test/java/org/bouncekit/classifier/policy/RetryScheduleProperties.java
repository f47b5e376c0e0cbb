package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Jitter stays within its fraction; Exim texts round-trip through their normal form. */
class RetryScheduleProperties {

    @Provide
    Arbitrary<RetrySchedule> plainSchedules() {
        return RetryArbitraries.plainSchedules();
    }

    @Provide
    Arbitrary<RetrySchedule.Attempt> attempts() {
        return RetryArbitraries.attempts();
    }

    @Provide
    Arbitrary<Double> fractions() {
        return RetryArbitraries.jitterFractions();
    }

    @Provide
    Arbitrary<RetryArbitraries.EximText> eximTexts() {
        return RetryArbitraries.eximTexts();
    }

    @Property
    void jitteredDelaysStayWithinTheFractionOfTheDelay(@ForAll("plainSchedules") RetrySchedule schedule,
                                                       @ForAll("attempts") RetrySchedule.Attempt attempt,
                                                       @ForAll("fractions") double fraction) {
        Duration plain = schedule.delay(attempt);
        Duration jittered = schedule.withJitter(fraction).delay(attempt);
        // exact arithmetic: [d(1 − f), d(1 + f)] with the double f as it is
        BigDecimal d = BigDecimal.valueOf(plain.toNanos());
        BigDecimal f = new BigDecimal(fraction);
        BigDecimal j = BigDecimal.valueOf(jittered.toNanos());
        assertTrue(j.compareTo(d.multiply(BigDecimal.ONE.subtract(f))) >= 0, plain + " jittered to " + jittered);
        assertTrue(j.compareTo(d.multiply(BigDecimal.ONE.add(f))) <= 0, plain + " jittered to " + jittered);
        assertTrue(!jittered.isNegative());
        assertEquals(schedule.cutoff(), schedule.withJitter(fraction).cutoff());
    }

    @Property
    void eximTextsPrintTheirNormalFormAndParseBackEqual(@ForAll("eximTexts") RetryArbitraries.EximText text) {
        RetrySchedule parsed = RetrySchedule.segmented(text.messy());
        assertEquals(text.normalised(), parsed.toString(), text.messy());
        RetrySchedule again = RetrySchedule.segmented(parsed.toString());
        assertEquals(parsed, again);
        assertEquals(parsed.hashCode(), again.hashCode());
        assertEquals(parsed, RetrySchedule.segmented(text.normalised()));
        assertEquals(Optional.of(text.cutoff()), parsed.cutoff());
    }
}
