package org.bouncekit.classifier.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The strategies and decorators behind {@link RetrySchedule}'s factories, and their shared checks. */
final class RetrySchedules {

    /** The longest duration a schedule takes or gives: every delay is saturated here, so instants never overflow. */
    static final Duration MAX = Duration.ofDays(3650);
    static final long MAX_NANOS = MAX.toNanos();
    static final int MAX_TABLE = 256;
    static final double MAX_FACTOR = 100.0;

    private RetrySchedules() {
    }

    static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(name + " must be at most 3650 days, was " + d);
        }
        return d;
    }

    static double factor(String name, double f) {
        if (!(f >= 1.0 && f <= MAX_FACTOR)) {
            throw new IllegalArgumentException(name + " must be from 1 to 100, was " + f);
        }
        return f;
    }

    /** A schedule's answer, saturated at {@link #MAX}; a misbehaving schedule is a programming error. */
    static Duration checked(RetrySchedule schedule, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalStateException("schedule " + schedule + " gave the delay " + d);
        }
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** {@code d × factor}, saturated at {@link #MAX}. */
    static Duration times(Duration d, double factor) {
        double n = d.toNanos() * factor;
        return n >= MAX_NANOS ? MAX : Duration.ofNanos((long) n);
    }

    /**
     * A duration in Exim's syntax, largest units first ({@code 1w1d}, {@code 1h30m}, {@code 0s}); a duration
     * with a fraction of a second in ISO-8601 ({@code PT0.5S}).
     */
    static String format(Duration d) {
        if (d.getNano() != 0 || d.isNegative()) {
            return d.toString();
        }
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long[] sizes = {604_800, 86_400, 3_600, 60, 1};
        char[] units = {'w', 'd', 'h', 'm', 's'};
        for (int i = 0; i < sizes.length; i++) {
            if (s >= sizes[i]) {
                b.append(s / sizes[i]).append(units[i]);
                s %= sizes[i];
            }
        }
        return b.toString();
    }

    /** A factor in its shortest decimal form: {@code 1.5}, {@code 2}. */
    static String format(double factor) {
        return BigDecimal.valueOf(factor).stripTrailingZeros().toPlainString();
    }

    static RetrySchedule fixed(Duration interval) {
        return new Fixed(positive("interval", interval));
    }

    static RetrySchedule exponential(Duration initial, double factor, Duration cap) {
        positive("initial", initial);
        factor("factor", factor);
        positive("cap", cap);
        if (cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("cap " + cap + " must not be shorter than initial " + initial);
        }
        return new Exponential(initial, factor, cap);
    }

    static RetrySchedule table(Duration... intervals) {
        Objects.requireNonNull(intervals, "intervals");
        if (intervals.length == 0 || intervals.length > MAX_TABLE) {
            throw new IllegalArgumentException("a table has 1 to " + MAX_TABLE + " intervals, was "
                    + intervals.length);
        }
        List<Duration> list = new ArrayList<>(intervals.length);
        for (int i = 0; i < intervals.length; i++) {
            list.add(positive("intervals[" + i + "]", intervals[i]));
        }
        return new Table(List.copyOf(list));
    }

    static RetrySchedule ageProportional(Duration min, Duration max) {
        positive("min", min);
        positive("max", max);
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max " + max + " must not be shorter than min " + min);
        }
        return new AgeProportional(min, max);
    }

    static RetrySchedule jittered(RetrySchedule delegate, double fraction) {
        if (!(fraction >= 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("jitter fraction must be in [0, 1), was " + fraction);
        }
        return new Jittered(delegate, fraction);
    }

    static RetrySchedule capped(RetrySchedule delegate, Duration max) {
        return new Capped(delegate, positive("max", max));
    }

    /** Immutable; thread-safe. */
    private record Fixed(Duration interval) implements RetrySchedule {
        @Override
        public Duration delay(Attempt attempt) {
            return interval;
        }

        @Override
        public String toString() {
            return "fixed " + format(interval);
        }
    }

    /** Immutable; thread-safe. */
    private record Exponential(Duration initial, double factor, Duration cap) implements RetrySchedule {
        @Override
        public Duration delay(Attempt attempt) {
            double n = initial.toNanos() * Math.pow(factor, attempt.failures() - 1);
            // also true for an infinite power: the cap holds
            return n >= cap.toNanos() ? cap : Duration.ofNanos((long) n);
        }

        @Override
        public String toString() {
            return "exponential " + format(initial) + " x" + format(factor) + " up to " + format(cap);
        }
    }

    /** Immutable; thread-safe. */
    private record Table(List<Duration> intervals) implements RetrySchedule {
        @Override
        public Duration delay(Attempt attempt) {
            return intervals.get(Math.min(attempt.failures(), intervals.size()) - 1);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("table ");
            for (int i = 0; i < intervals.size(); i++) {
                b.append(i == 0 ? "" : ",").append(format(intervals.get(i)));
            }
            return b.toString();
        }
    }

    /** Immutable; thread-safe. */
    private record AgeProportional(Duration min, Duration max) implements RetrySchedule {
        @Override
        public Duration delay(Attempt attempt) {
            Duration age = attempt.elapsed();
            return age.compareTo(min) < 0 ? min : age.compareTo(max) > 0 ? max : age;
        }

        @Override
        public String toString() {
            return "age from " + format(min) + " to " + format(max);
        }
    }

    /** Immutable; thread-safe when the delegate is. */
    private record Jittered(RetrySchedule delegate, double fraction) implements RetrySchedule {
        @Override
        public Duration delay(Attempt attempt) {
            long n = checked(delegate, delegate.delay(attempt)).toNanos();
            // spread = floor(n·f) computed exactly, so the result stays inside [n(1−f), n(1+f)] whatever the
            // rounding of the doubles below
            long spread = new BigDecimal(n).multiply(new BigDecimal(fraction))
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
            long offset = (long) Math.floor(2.0 * spread * attempt.random());
            offset = Math.max(0, Math.min(offset, 2 * spread));
            return Duration.ofNanos(n - spread + offset);
        }

        @Override
        public Optional<Duration> cutoff() {
            return delegate.cutoff();
        }

        @Override
        public String toString() {
            return delegate + " with jitter " + format(fraction);
        }
    }

    /** Immutable; thread-safe when the delegate is. */
    private record Capped(RetrySchedule delegate, Duration max) implements RetrySchedule {
        @Override
        public Duration delay(Attempt attempt) {
            Duration d = checked(delegate, delegate.delay(attempt));
            return d.compareTo(max) > 0 ? max : d;
        }

        @Override
        public Optional<Duration> cutoff() {
            return delegate.cutoff();
        }

        @Override
        public String toString() {
            return delegate + " with max interval " + format(max);
        }
    }
}
