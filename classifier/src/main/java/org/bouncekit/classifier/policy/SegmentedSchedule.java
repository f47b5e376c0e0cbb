package org.bouncekit.classifier.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Exim retry rule parameters ({@code F,2h,15m; G,16h,1h,1.5; F,4d,6h}): see {@link RetrySchedule#segmented}.
 *
 * <p>Immutable; thread-safe.
 */
final class SegmentedSchedule implements RetrySchedule {

    static final int MAX_LENGTH = 1024;
    static final int MAX_SEGMENTS = 32;
    /** Digits in one number of a time or a factor: more is certainly a mistake (and could overflow). */
    private static final int MAX_DIGITS = 9;
    private static final int MAX_FACTOR_CHARS = 20;

    /**
     * One segment.
     *
     * @param algorithm {@code F}, {@code G} or {@code H}
     * @param cutoff    the end of the segment, from the anchor
     * @param start     the interval (F) or the first and least interval (G, H)
     * @param factor    the growth (G, H); 1 for F
     */
    record Segment(char algorithm, Duration cutoff, Duration start, double factor) {
        @Override
        public String toString() {
            String s = algorithm + "," + RetrySchedules.format(cutoff) + "," + RetrySchedules.format(start);
            return algorithm == 'F' ? s : s + "," + RetrySchedules.format(factor);
        }
    }

    private final List<Segment> segments;

    private SegmentedSchedule(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    @Override
    public Duration delay(Attempt attempt) {
        Segment s = segments.get(segments.size() - 1);
        for (Segment candidate : segments) {
            if (attempt.elapsed().compareTo(candidate.cutoff()) < 0) {
                s = candidate;
                break;
            }
        }
        if (s.algorithm() == 'F') {
            return s.start();
        }
        Duration prev = attempt.previousDelay();
        // Exim: below the start (or after another algorithm's shorter interval) the start; else grow
        Duration grown = prev == null || prev.compareTo(s.start()) < 0 ? s.start()
                : RetrySchedules.times(prev, s.factor());
        if (s.algorithm() == 'G') {
            return grown;
        }
        long low = s.start().toNanos();
        long span = grown.toNanos() - low;
        long offset = Math.min(span, (long) Math.floor(span * attempt.random()));
        return Duration.ofNanos(low + Math.max(0, offset));
    }

    @Override
    public Optional<Duration> cutoff() {
        return Optional.of(segments.get(segments.size() - 1).cutoff());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentedSchedule other && segments.equals(other.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    /** The normalised Exim syntax, which {@link #parse} reads back to an equal schedule. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Segment s : segments) {
            b.append(b.length() == 0 ? "" : "; ").append(s);
        }
        return b.toString();
    }

    static SegmentedSchedule parse(String text) {
        Objects.requireNonNull(text, "rules");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("retry rules are " + text.length()
                    + " characters long, more than the limit of " + MAX_LENGTH);
        }
        List<Segment> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int semi = text.indexOf(';', from);
            int to = semi < 0 ? text.length() : semi;
            if (text.substring(from, to).isBlank()) {
                if (semi < 0 && !out.isEmpty()) {
                    break; // a trailing ';'
                }
                throw error(text, from, to, out.size() + 1, skipSpace(text, from, to),
                        out.isEmpty() && semi < 0 ? "no segment" : "empty segment");
            }
            if (out.size() == MAX_SEGMENTS) {
                throw error(text, from, to, out.size() + 1, skipSpace(text, from, to),
                        "more than the limit of " + MAX_SEGMENTS + " segments");
            }
            Duration previous = out.isEmpty() ? null : out.get(out.size() - 1).cutoff();
            out.add(segment(text, from, to, out.size() + 1, previous));
            if (semi < 0) {
                break;
            }
            from = semi + 1;
        }
        return new SegmentedSchedule(out);
    }

    private static Segment segment(String text, int from, int to, int number, Duration previousCutoff) {
        List<int[]> fields = new ArrayList<>(); // [start, end) of each field, spaces trimmed
        int f = from;
        while (true) {
            int comma = text.indexOf(',', f);
            int end = comma < 0 || comma > to ? to : comma;
            int s = skipSpace(text, f, end);
            int e = end;
            while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
                e--;
            }
            fields.add(new int[] {s, e});
            if (end == to) {
                break;
            }
            f = end + 1;
        }
        int[] letter = fields.get(0);
        char a = letter[1] - letter[0] == 1 ? Character.toUpperCase(text.charAt(letter[0])) : '?';
        if (a != 'F' && a != 'G' && a != 'H') {
            throw error(text, from, to, number, letter[0], "expected the algorithm F, G or H");
        }
        int expected = a == 'F' ? 3 : 4;
        if (fields.size() != expected) {
            throw error(text, from, to, number, letter[0], a == 'F'
                    ? "F takes a cutoff and an interval: F,cutoff,interval"
                    : a + " takes a cutoff, a start and a factor: " + a + ",cutoff,start,factor");
        }
        Duration cutoff = time(text, from, to, number, fields.get(1), "cutoff");
        if (previousCutoff != null && cutoff.compareTo(previousCutoff) <= 0) {
            throw error(text, from, to, number, fields.get(1)[0], "cutoff " + RetrySchedules.format(cutoff)
                    + " must be after the previous segment's " + RetrySchedules.format(previousCutoff));
        }
        Duration start = time(text, from, to, number, fields.get(2), a == 'F' ? "interval" : "start");
        double factor = a == 'F' ? 1.0 : factor(text, from, to, number, fields.get(3));
        return new Segment(a, cutoff, start, factor);
    }

    /** Exim's time syntax: one or more {@code <digits><unit>}, units w d h m s; positive, at most 3650 days. */
    private static Duration time(String text, int from, int to, int number, int[] field, String what) {
        int i = field[0];
        int end = field[1];
        if (i == end) {
            throw error(text, from, to, number, i, "missing " + what);
        }
        long seconds = 0;
        while (i < end) {
            int digits = i;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
            if (i == digits) {
                throw error(text, from, to, number, i, "expected a number in the " + what);
            }
            if (i - digits > MAX_DIGITS) {
                throw error(text, from, to, number, digits, "number too long in the " + what);
            }
            long value = Long.parseLong(text, digits, i, 10);
            if (i == end) {
                throw error(text, from, to, number, i, "expected a unit w, d, h, m or s after " + value);
            }
            long unit;
            switch (text.charAt(i)) {
                case 'w':
                    unit = 604_800;
                    break;
                case 'd':
                    unit = 86_400;
                    break;
                case 'h':
                    unit = 3_600;
                    break;
                case 'm':
                    unit = 60;
                    break;
                case 's':
                    unit = 1;
                    break;
                default:
                    throw error(text, from, to, number, i, "expected a unit w, d, h, m or s after " + value);
            }
            seconds += value * unit; // at most 10^9 · 604800 per term, and the sum is checked at once
            if (seconds > RetrySchedules.MAX.getSeconds()) {
                throw error(text, from, to, number, field[0], what + " longer than the limit of 3650 days");
            }
            i++;
        }
        if (seconds == 0) {
            throw error(text, from, to, number, field[0], what + " must be positive");
        }
        return Duration.ofSeconds(seconds);
    }

    private static double factor(String text, int from, int to, int number, int[] field) {
        int s = field[0];
        int e = field[1];
        if (s == e) {
            throw error(text, from, to, number, s, "missing factor");
        }
        if (e - s > MAX_FACTOR_CHARS) {
            throw error(text, from, to, number, s, "factor longer than " + MAX_FACTOR_CHARS + " characters");
        }
        int i = s;
        while (i < e && isDigit(text.charAt(i))) {
            i++;
        }
        if (i == s) {
            throw error(text, from, to, number, i, "expected a decimal factor such as 1.5");
        }
        if (i < e && text.charAt(i) == '.') {
            int fraction = ++i;
            while (i < e && isDigit(text.charAt(i))) {
                i++;
            }
            if (i == fraction) {
                throw error(text, from, to, number, i, "expected digits after the decimal point");
            }
        }
        if (i < e) {
            throw error(text, from, to, number, i, "expected a decimal factor such as 1.5");
        }
        double value = Double.parseDouble(text.substring(s, e));
        if (!(value >= 1.0 && value <= RetrySchedules.MAX_FACTOR)) {
            throw error(text, from, to, number, s, "factor " + text.substring(s, e) + " must be from 1 to 100");
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int skipSpace(String text, int i, int end) {
        while (i < end && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static IllegalArgumentException error(String text, int from, int to, int number, int index,
                                                  String what) {
        String segment = text.substring(from, to).strip();
        if (segment.length() > 40) {
            segment = segment.substring(0, 37) + "...";
        }
        return new IllegalArgumentException("retry rule segment " + number + " \"" + segment + "\" at index "
                + index + ": " + what);
    }
}
