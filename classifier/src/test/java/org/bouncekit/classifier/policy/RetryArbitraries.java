package org.bouncekit.classifier.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.core.SmtpReply;

/** Generators shared by the retry properties: schedules of every strategy, Exim texts, histories. */
final class RetryArbitraries {

    static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");
    private static final long DAY = 86_400;
    private static final long MAX_SECONDS = 3650 * DAY;

    /** Verdicts of the default classifier on real replies: retryable, greylisting, throttling and permanent. */
    static final List<Classification> CLASSIFICATIONS = List.of(
            classify("452 4.2.2 The email account that you tried to reach is over quota."),
            classify("450 4.2.0 <ann@example.org>: Recipient address rejected: Greylisted"),
            classify("421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail "
                    + "originating from your IP address."),
            classify("451 4.3.0 Temporary local problem - please try later"),
            classify("550-5.1.1 The email account that you tried to reach does not exist."),
            classify("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"));
    private static final List<String> STATUSES = List.of("4.2.2", "4.2.0", "4.7.28", "4.3.0", "5.1.1", "5.7.1");
    static final List<String> RECIPIENTS = List.of("ann@example.com", "bob@mx.example.org", "carol@gmail.com",
            "dave@Yahoo.com", "eve@sub.example.com");

    private RetryArbitraries() {
    }

    private static Classification classify(String reply) {
        return Classifier.defaults().classify(SmtpReply.parse(reply).orElseThrow());
    }

    /** Durations from a millisecond to {@code maxDays}, most of them minutes to hours. */
    static Arbitrary<Duration> durations(long maxDays) {
        Arbitrary<Duration> millis = Arbitraries.longs().between(1, maxDays * DAY * 1000)
                .withDistribution(RandomDistribution.biased()).map(Duration::ofMillis);
        Arbitrary<Duration> minutes = Arbitraries.longs().between(1, maxDays * 24 * 60).map(Duration::ofMinutes);
        return Arbitraries.frequencyOf(Tuple.of(1, millis), Tuple.of(3, minutes));
    }

    static Arbitrary<Double> factors() {
        return Arbitraries.doubles().between(1.0, 10.0).withSpecialValue(1.0);
    }

    /** Every strategy, without decorators. */
    static Arbitrary<RetrySchedule> plainSchedules() {
        Arbitrary<RetrySchedule> fixed = durations(2).map(RetrySchedule::fixed);
        Arbitrary<RetrySchedule> exponential = Combinators.combine(durations(1), factors(), durations(3))
                .as((a, f, b) -> RetrySchedule.exponential(a.compareTo(b) <= 0 ? a : b, f, a.compareTo(b) <= 0 ? b
                        : a));
        Arbitrary<RetrySchedule> table = durations(1).array(Duration[].class).ofMinSize(1).ofMaxSize(8)
                .map(RetrySchedule::table);
        Arbitrary<RetrySchedule> age = Combinators.combine(durations(1), durations(2))
                .as((a, b) -> RetrySchedule.ageProportional(a.compareTo(b) <= 0 ? a : b, a.compareTo(b) <= 0 ? b
                        : a));
        Arbitrary<RetrySchedule> segmented = eximTexts().map(t -> RetrySchedule.segmented(t.messy()));
        return Arbitraries.oneOf(fixed, exponential, table, age, segmented);
    }

    /** Every strategy, with and without jitter and an interval cap. */
    static Arbitrary<RetrySchedule> schedules() {
        return Combinators.combine(plainSchedules(), Arbitraries.integers().between(0, 3), jitterFractions(),
                durations(2)).as((s, how, f, cap) -> switch (how) {
                    case 0 -> s;
                    case 1 -> s.withJitter(f);
                    case 2 -> s.withMaxInterval(cap);
                    default -> s.withJitter(f).withMaxInterval(cap);
                });
    }

    static Arbitrary<Double> jitterFractions() {
        return Arbitraries.doubles().between(0.0, true, 1.0, false).withSpecialValue(0.0).withSpecialValue(0.5);
    }

    static Arbitrary<RetrySchedule.Attempt> attempts() {
        return Combinators.combine(Arbitraries.integers().between(1, 60), durations(12).injectNull(0.05)
                        .map(d -> d == null ? Duration.ZERO : d), durations(5).injectNull(0.3),
                Arbitraries.doubles().between(0.0, true, 1.0, false).withSpecialValue(0.0))
                .as(RetrySchedule.Attempt::new);
    }

    /** One segment of an Exim text, and how to write it. */
    record Segment(char algorithm, long cutoff, long start, BigDecimal factor) {
    }

    /**
     * An Exim text written in one of the ways the syntax allows, and the normal form it must print as.
     *
     * @param messy      the text with spacing, letter case, units and factor digits varied
     * @param normalised the normal form, written here independently of the code under test
     * @param cutoff     the last cutoff
     */
    record EximText(String messy, String normalised, Duration cutoff) {
    }

    static Arbitrary<EximText> eximTexts() {
        Arbitrary<BigDecimal> factor = Arbitraries.integers().between(0, 4).flatMap(scale -> Arbitraries.longs()
                .between(BigDecimal.ONE.movePointRight(scale).longValue(),
                        BigDecimal.valueOf(100).movePointRight(scale).longValue())
                .map(unscaled -> BigDecimal.valueOf(unscaled, scale)));
        Arbitrary<Long> seconds = Arbitraries.longs().between(1, MAX_SECONDS)
                .withDistribution(RandomDistribution.biased());
        Arbitrary<Segment> segment = Combinators.combine(Arbitraries.of('F', 'G', 'H'), seconds,
                Arbitraries.longs().between(1, 30 * DAY).withDistribution(RandomDistribution.biased()), factor)
                .as(Segment::new);
        Arbitrary<List<Segment>> segments = segment.list().ofMinSize(1).ofMaxSize(5).map(list -> {
            List<Segment> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparingLong(Segment::cutoff));
            List<Segment> distinct = new ArrayList<>();
            for (Segment s : sorted) {
                if (distinct.isEmpty() || distinct.get(distinct.size() - 1).cutoff() != s.cutoff()) {
                    distinct.add(s);
                }
            }
            return distinct;
        });
        return Combinators.combine(segments, Arbitraries.integers().between(0, 1_000_000).list().ofSize(64))
                .as(RetryArbitraries::write);
    }

    private static EximText write(List<Segment> segments, List<Integer> style) {
        int[] k = {0};
        IntUnaryOperator choose = n -> style.get(k[0]++ % style.size()) % n;
        String[] spaces = {"", "", " ", "  ", "\t"};
        StringBuilder messy = new StringBuilder();
        StringBuilder normal = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (i > 0) {
                messy.append(spaces[choose.applyAsInt(spaces.length)]).append(';');
                normal.append("; ");
            }
            messy.append(spaces[choose.applyAsInt(spaces.length)]);
            messy.append(choose.applyAsInt(2) == 0 ? s.algorithm() : Character.toLowerCase(s.algorithm()));
            normal.append(s.algorithm());
            List<String> fields = new ArrayList<>(List.of(time(s.cutoff(), choose), time(s.start(), choose)));
            List<String> normalFields = new ArrayList<>(List.of(normalTime(s.cutoff()), normalTime(s.start())));
            if (s.algorithm() != 'F') {
                fields.add(s.factor().toPlainString());
                normalFields.add(s.factor().stripTrailingZeros().toPlainString());
            }
            for (int f = 0; f < fields.size(); f++) {
                messy.append(spaces[choose.applyAsInt(spaces.length)]).append(',')
                        .append(spaces[choose.applyAsInt(spaces.length)]).append(fields.get(f));
                normal.append(',').append(normalFields.get(f));
            }
            messy.append(spaces[choose.applyAsInt(spaces.length)]);
        }
        if (choose.applyAsInt(3) == 0) {
            messy.append(';').append(spaces[choose.applyAsInt(spaces.length)]);
        }
        return new EximText(messy.toString(), normal.toString(),
                Duration.ofSeconds(segments.get(segments.size() - 1).cutoff()));
    }

    private static final long[] UNITS = {7 * DAY, DAY, 3600, 60, 1};
    private static final char[] NAMES = {'w', 'd', 'h', 'm', 's'};

    /** Greedy, largest unit first: the normal form. */
    private static String normalTime(long seconds) {
        StringBuilder b = new StringBuilder();
        long rest = seconds;
        for (int i = 0; i < UNITS.length; i++) {
            if (rest >= UNITS[i]) {
                b.append(rest / UNITS[i]).append(NAMES[i]);
                rest %= UNITS[i];
            }
        }
        return b.toString();
    }

    /** The same time written another way: some units pushed down into smaller ones, some split, any order. */
    private static String time(long seconds, IntUnaryOperator choose) {
        long[] parts = new long[UNITS.length];
        long rest = seconds;
        for (int i = 0; i < UNITS.length; i++) {
            parts[i] = rest / UNITS[i];
            rest %= UNITS[i];
        }
        for (int i = 0; i < UNITS.length - 1; i++) {
            if (parts[i] > 0 && choose.applyAsInt(3) == 0) {
                parts[i + 1] += parts[i] * (UNITS[i] / UNITS[i + 1]);
                parts[i] = 0;
            }
        }
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < UNITS.length; i++) {
            if (parts[i] > 1 && choose.applyAsInt(4) == 0) {
                long first = 1 + choose.applyAsInt((int) Math.min(parts[i] - 1, 1000));
                terms.add(first + "" + NAMES[i]);
                terms.add((parts[i] - first) + "" + NAMES[i]);
            } else if (parts[i] > 0) {
                terms.add(parts[i] + "" + NAMES[i]);
            }
        }
        if (choose.applyAsInt(8) == 0) {
            terms.add("0" + NAMES[choose.applyAsInt(NAMES.length)]);
        }
        int rotate = choose.applyAsInt(terms.size());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < terms.size(); i++) {
            b.append(terms.get((i + rotate) % terms.size()));
        }
        return b.toString();
    }

    /** A step of a generated history: a gap, then an attempt or a local deferral. */
    record Step(long gapSeconds, boolean local, int classification) {
    }

    /** Histories of every shape: several attempts, local deferrals, bounces, no first failure, any anchor. */
    static Arbitrary<DeliveryHistory> histories() {
        // gaps of minutes to hours, sometimes days; mostly retryable verdicts
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.longs().between(0, 3 * 3600)),
                Tuple.of(1, Arbitraries.longs().between(0, 2 * DAY)));
        Arbitrary<Integer> verdicts = Arbitraries.integers().between(0, 9).map(i -> i < 8 ? i % 4 : i - 4);
        Arbitrary<Step> step = Combinators.combine(gaps, Arbitraries.integers().between(0, 4).map(i -> i == 0),
                verdicts).as(Step::new);
        return Combinators.combine(Arbitraries.of(RECIPIENTS), Arbitraries.longs().between(0, 30 * DAY), verdicts,
                step.list().ofMaxSize(12), Arbitraries.integers().between(0, 3).map(i -> i == 0),
                Arbitraries.integers().between(0, 5))
                .as(RetryArbitraries::history);
    }

    private static DeliveryHistory history(String recipient, long start, int first, List<Step> steps,
                                           boolean bounce, int failureShape) {
        Instant t = T0.plusSeconds(start);
        DeliveryHistory h = DeliveryHistory.first(recipient, t, CLASSIFICATIONS.get(first), STATUSES.get(first));
        for (Step s : steps) {
            t = t.plusSeconds(s.gapSeconds());
            h = s.local() ? h.deferredLocally(t)
                    : h.next(t, CLASSIFICATIONS.get(s.classification()), STATUSES.get(s.classification()));
        }
        Instant failure = failureShape == 0 ? null : failureShape == 1 ? h.lastAttempt() : h.firstFailure();
        return new DeliveryHistory(h.recipient(), h.attempts(), h.firstAttempt(), failure, h.lastAttempt(),
                h.lastClassification(), h.lastStatus(), bounce, h.previousInterval(), h.lastLocalDeferral(),
                h.reasonStreak());
    }
}
