package org.bouncekit.classifier.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long to wait before the next delivery attempt, as a pure function of what has happened so far: the number
 * of failed attempts, the time since the lifetime's anchor, the previous delay, and a uniform random draw supplied
 * by the caller (so a test can assert exact delays).
 *
 * <pre>{@code
 * RetrySchedule exim = RetrySchedule.segmented("F,2h,15m; G,16h,1h,1.5; F,4d,6h");
 * Duration first = exim.delay(new RetrySchedule.Attempt(1, Duration.ZERO, null, 0.5)); // 15 minutes
 * RetrySchedule spread = RetrySchedule.exponential(Duration.ofMinutes(20), 2, Duration.ofHours(8)).withJitter(0.1);
 * }</pre>
 *
 * <p>The strategies: {@link #fixed fixed}, {@link #exponential exponential} (KumoMTA, failsafe), {@link #table
 * table} (ZoneMTA, Haraka), {@link #ageProportional age-proportional} (Postfix) and {@link #segmented segmented}
 * (Exim retry rules), and the decorators {@link #withJitter(double)} and {@link #withMaxInterval(Duration)}.
 * Durations given to the factories are positive and at most 3650 days.
 *
 * <p>Implementations must be immutable, thread-safe and pure (the same attempt gives the same delay); the ones
 * the factories return are, and compare by value.
 */
public interface RetrySchedule {

    /**
     * The delay before the next attempt.
     *
     * @param attempt what has happened so far
     * @return the delay, zero or positive, never null
     */
    Duration delay(Attempt attempt);

    /**
     * The schedule's own end, measured from the lifetime's anchor, if it has one (a segmented schedule ends at its
     * last cutoff). A {@link RetryPolicy} gives up at the earlier of this and its lifetime.
     *
     * @return the cutoff, or empty when the schedule has no end of its own
     */
    default Optional<Duration> cutoff() {
        return Optional.empty();
    }

    /**
     * Spreads the delays of this schedule around their value: {@code delay × (1 − f + 2·f·random)}, so within
     * {@code [delay·(1 − f), delay·(1 + f)]}, never below zero. The attempt's random draw is used, and this
     * schedule sees the same attempt; jitter is meant for the deterministic strategies (Exim's {@code H} is
     * already random).
     *
     * @param fraction the spread {@code f}, at least 0 and below 1
     * @return the jittered schedule, with this one's cutoff
     * @throws IllegalArgumentException if the fraction is outside {@code [0, 1)}
     */
    default RetrySchedule withJitter(double fraction) {
        return RetrySchedules.jittered(this, fraction);
    }

    /**
     * Caps every delay of this schedule (Exim's {@code retry_interval_max}).
     *
     * @param max the longest delay, positive
     * @return the capped schedule, with this one's cutoff
     * @throws NullPointerException     if max is null
     * @throws IllegalArgumentException if max is not positive or longer than 3650 days
     */
    default RetrySchedule withMaxInterval(Duration max) {
        return RetrySchedules.capped(this, max);
    }

    /**
     * The same delay after every failure.
     *
     * @param interval the delay, positive
     * @return the schedule
     * @throws NullPointerException     if interval is null
     * @throws IllegalArgumentException if interval is not positive or longer than 3650 days
     */
    static RetrySchedule fixed(Duration interval) {
        return RetrySchedules.fixed(interval);
    }

    /**
     * {@code initial × factor^(failures − 1)}, capped: with 20 minutes, 2 and 8 hours the delays are 20 m, 40 m,
     * 80 m, ... then 8 h.
     *
     * @param initial the delay after the first failure, positive
     * @param factor  the growth per failure, 1 to 100
     * @param cap     the longest delay, at least {@code initial}
     * @return the schedule
     * @throws NullPointerException     if a duration is null
     * @throws IllegalArgumentException if a duration is not positive or longer than 3650 days, the factor is outside
     *                                  {@code [1, 100]}, or the cap is shorter than the initial delay
     */
    static RetrySchedule exponential(Duration initial, double factor, Duration cap) {
        return RetrySchedules.exponential(initial, factor, cap);
    }

    /**
     * A table of delays, one per failure; the last entry repeats (ZoneMTA, Haraka).
     *
     * @param intervals the delays after the first, second, ... failure; 1 to 256 of them, each positive
     * @return the schedule
     * @throws NullPointerException     if the array or an entry is null
     * @throws IllegalArgumentException if the table is empty or longer than 256, or an entry is not positive or
     *                                  longer than 3650 days
     */
    static RetrySchedule table(Duration... intervals) {
        return RetrySchedules.table(intervals);
    }

    /**
     * Postfix's backoff: the delay is the time since the anchor (the message's age), clamped to {@code [min, max]},
     * so delays double while the age is between the bounds (Postfix: 300 s and 4000 s).
     *
     * @param min the shortest delay, positive
     * @param max the longest delay, at least {@code min}
     * @return the schedule
     * @throws NullPointerException     if a bound is null
     * @throws IllegalArgumentException if a bound is not positive or longer than 3650 days, or max is below min
     */
    static RetrySchedule ageProportional(Duration min, Duration max) {
        return RetrySchedules.ageProportional(min, max);
    }

    /**
     * Exim retry rule parameters: {@code ;}-separated segments, scanned in order until one whose cutoff (measured
     * from the anchor) has not passed, that is {@code elapsed < cutoff}; past the last cutoff the last segment
     * applies, and the last cutoff is the schedule's own {@link #cutoff()}.
     * <ul>
     *   <li>{@code F,cutoff,interval}: a fixed interval;</li>
     *   <li>{@code G,cutoff,start,factor}: geometric, {@code start} when the previous delay is shorter than
     *       {@code start} (or there is none), else the previous delay × factor;</li>
     *   <li>{@code H,cutoff,start,factor}: random between {@code start} and the geometric value above,
     *       {@code start + random × (geometric − start)}.</li>
     * </ul>
     * Times use Exim's syntax: one or more {@code <number><unit>} with units {@code w d h m s}, such as {@code 2h}
     * or {@code 1d12h}. Factors are decimals from 1 to 100. White space is allowed around fields, letters may be
     * lower case, and one trailing {@code ;} is allowed. Cutoffs must increase. The {@code toString()} of the result
     * is the normalised form ({@code F,2h,15m; G,16h,1h,1.5; F,4d,6h}), which parses back to an equal schedule.
     *
     * @param rules the parameters, such as Exim's default {@code F,2h,15m; G,16h,1h,1.5; F,4d,6h}; at most 1024
     *              characters and 32 segments
     * @return the schedule
     * @throws NullPointerException     if rules is null
     * @throws IllegalArgumentException on a syntax error or a breached limit, naming the segment and its index
     *                                  (0-based character position) in the text
     */
    static RetrySchedule segmented(String rules) {
        return SegmentedSchedule.parse(rules);
    }

    /**
     * What has happened so far, as a schedule sees it.
     *
     * <p>Instances are immutable and thread-safe.
     *
     * @param failures      the number of failed attempts so far, at least 1
     * @param elapsed       the time from the lifetime's anchor to the failure being scheduled from, not negative
     * @param previousDelay the time the last attempt waited for (since the attempt or local deferral before it), or
     *                      null when there was none
     * @param random        a uniform random draw in {@code [0, 1)}
     */
    record Attempt(int failures, Duration elapsed, Duration previousDelay, double random) {

        /**
         * Validates the values.
         *
         * @param failures      see {@link #failures()}
         * @param elapsed       see {@link #elapsed()}
         * @param previousDelay see {@link #previousDelay()}
         * @param random        see {@link #random()}
         * @throws NullPointerException     if elapsed is null
         * @throws IllegalArgumentException if failures is below 1, a duration is negative, or random is outside
         *                                  {@code [0, 1)}
         */
        public Attempt {
            if (failures < 1) {
                throw new IllegalArgumentException("failures must be at least 1, was " + failures);
            }
            Objects.requireNonNull(elapsed, "elapsed");
            if (elapsed.isNegative()) {
                throw new IllegalArgumentException("elapsed must not be negative, was " + elapsed);
            }
            if (previousDelay != null && previousDelay.isNegative()) {
                throw new IllegalArgumentException("previousDelay must not be negative, was " + previousDelay);
            }
            if (!(random >= 0.0 && random < 1.0)) {
                throw new IllegalArgumentException("random must be in [0, 1), was " + random);
            }
        }
    }
}
