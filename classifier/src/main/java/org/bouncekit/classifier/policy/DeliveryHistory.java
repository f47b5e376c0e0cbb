package org.bouncekit.classifier.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.bouncekit.classifier.Classification;
import org.bouncekit.core.EnhancedStatus;

/**
 * What has happened so far in the delivery of one message to one recipient, as a {@link RetryPolicy} needs it: the
 * facts of the attempts made, never a schedule. Keep it with the queued message, and replace it after each attempt
 * by {@link #next} (or {@link #deferredLocally} when we held the message back ourselves).
 *
 * <pre>{@code
 * Classifier classifier = Classifier.defaults();
 * DeliveryHistory h = DeliveryHistory.first("ann@example.com", sentAt,
 *         classifier.classify(451, null, "4.2.2 mailbox full", null), "4.2.2");
 * // ... the retry fails again
 * h = h.next(retriedAt, classifier.classify(452, null, "4.2.2 over quota", null), "4.2.2");
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param recipient          the recipient's address; its domain selects {@link RetryPolicy.Builder#forDomain
 *                           domain overrides}
 * @param attempts           the number of delivery attempts made, at least 1 (local deferrals are not attempts)
 * @param firstAttempt       when the first attempt was made
 * @param firstFailure       when the first failure happened, normally the first attempt; between the first and the
 *                           last attempt; or null when no failure before the last attempt is recorded (the last
 *                           attempt's failure, the one to decide on, is then the first)
 * @param lastAttempt        when the last attempt was made, not before the first
 * @param lastClassification the verdict on the last attempt's failure
 * @param lastStatus         the last enhanced status, such as {@code 4.2.2}, normalised; or null
 * @param bounce             whether the message is itself a bounce or DSN (null reverse-path): it gets a shorter
 *                           lifetime (RFC 5321 §4.5.4.1) and no delay warnings (RFC 5321 §4.5.5)
 * @param previousInterval   the time the last attempt waited, since the attempt or local deferral before it; null
 *                           after the first attempt. Growing schedules (Exim {@code G}, {@code H}) grow from it
 * @param lastLocalDeferral  when we last deferred the recipient ourselves without an attempt (for instance because
 *                           we suspended the destination), after the last attempt; or null
 * @param reasonStreak       how many attempts in a row, up to the last, failed for the last classification's reason;
 *                           1 to {@code attempts}
 */
public record DeliveryHistory(String recipient, int attempts, Instant firstAttempt, Instant firstFailure,
                              Instant lastAttempt, Classification lastClassification, String lastStatus,
                              boolean bounce, Duration previousInterval, Instant lastLocalDeferral,
                              int reasonStreak) {

    /** The earliest instant a history holds. */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** The latest instant a history holds: far enough from {@link Instant#MAX} that no lifetime overflows. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static void inRange(String name, Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException(name + " must be from " + EARLIEST + " to " + LATEST + ": " + at);
        }
    }

    /**
     * Validates the values and normalises the status.
     *
     * @param recipient see {@link #recipient()}
     * @param attempts see {@link #attempts()}
     * @param firstAttempt see {@link #firstAttempt()}
     * @param firstFailure see {@link #firstFailure()}
     * @param lastAttempt see {@link #lastAttempt()}
     * @param lastClassification see {@link #lastClassification()}
     * @param lastStatus see {@link #lastStatus()}
     * @param bounce see {@link #bounce()}
     * @param previousInterval see {@link #previousInterval()}
     * @param lastLocalDeferral see {@link #lastLocalDeferral()}
     * @param reasonStreak see {@link #reasonStreak()}
     * @throws NullPointerException     if recipient, firstAttempt, lastAttempt or lastClassification is null
     * @throws IllegalArgumentException if the recipient is blank, attempts is below 1, the instants are out of
     *                                  order or outside {@link #EARLIEST} to {@link #LATEST}, the status is not
     *                                  an enhanced status, the interval is negative, or the streak is outside
     *                                  {@code [1, attempts]}
     */
    public DeliveryHistory {
        Objects.requireNonNull(recipient, "recipient");
        if (recipient.isBlank()) {
            throw new IllegalArgumentException("recipient must not be blank");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        Objects.requireNonNull(firstAttempt, "firstAttempt");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(lastClassification, "lastClassification");
        inRange("firstAttempt", firstAttempt);
        inRange("lastAttempt", lastAttempt);
        if (lastAttempt.isBefore(firstAttempt)) {
            throw new IllegalArgumentException("lastAttempt " + lastAttempt + " is before firstAttempt "
                    + firstAttempt);
        }
        if (firstFailure != null && (firstFailure.isBefore(firstAttempt) || firstFailure.isAfter(lastAttempt))) {
            throw new IllegalArgumentException("firstFailure " + firstFailure + " is outside the attempts, "
                    + firstAttempt + " to " + lastAttempt);
        }
        lastStatus = normalise(lastStatus);
        if (previousInterval != null && previousInterval.isNegative()) {
            throw new IllegalArgumentException("previousInterval must not be negative, was " + previousInterval);
        }
        if (lastLocalDeferral != null) {
            inRange("lastLocalDeferral", lastLocalDeferral);
        }
        if (lastLocalDeferral != null && lastLocalDeferral.isBefore(lastAttempt)) {
            throw new IllegalArgumentException("lastLocalDeferral " + lastLocalDeferral
                    + " is before lastAttempt " + lastAttempt);
        }
        if (reasonStreak < 1 || reasonStreak > attempts) {
            throw new IllegalArgumentException("reasonStreak must be from 1 to attempts (" + attempts + "), was "
                    + reasonStreak);
        }
    }

    /**
     * The history after a first attempt that failed.
     *
     * @param recipient      the recipient's address
     * @param at             when the attempt was made
     * @param classification the verdict on its failure
     * @param status         the enhanced status, such as {@code 4.2.2}, or null
     * @return the history: one attempt, failed at {@code at}
     * @throws NullPointerException     if recipient, at or classification is null
     * @throws IllegalArgumentException if the recipient is blank or the status is not an enhanced status
     */
    public static DeliveryHistory first(String recipient, Instant at, Classification classification,
                                        String status) {
        return new DeliveryHistory(recipient, 1, at, at, at, classification, status, false, null, null, 1);
    }

    /**
     * The history after one more failed attempt.
     *
     * @param at             when the attempt was made, not before {@link #lastActivity()}
     * @param classification the verdict on its failure
     * @param status         the enhanced status, or null
     * @return the history with one attempt more
     * @throws NullPointerException     if at or classification is null
     * @throws IllegalArgumentException if {@code at} is before the last attempt or local deferral, the status is not
     *                                  an enhanced status, or the count of attempts would overflow
     */
    public DeliveryHistory next(Instant at, Classification classification, String status) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(classification, "classification");
        Instant since = lastActivity();
        if (at.isBefore(since)) {
            throw new IllegalArgumentException("attempt at " + at + " is before the last activity " + since);
        }
        if (attempts == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many attempts: " + attempts);
        }
        int streak = classification.reason() == lastClassification.reason() ? reasonStreak + 1 : 1;
        // an attempt after the last one means the last one failed
        return new DeliveryHistory(recipient, attempts + 1, firstAttempt,
                firstFailure == null ? lastAttempt : firstFailure,
                at, classification, status, bounce, Duration.between(since, at), null, streak);
    }

    /**
     * The history after we deferred the recipient ourselves, without an attempt (for instance because our own
     * throttle suspended the destination): the attempts, classification and status stay; the schedule's next delay
     * is measured from {@code at} and does not grow.
     *
     * @param at when we deferred, not before {@link #lastActivity()}
     * @return the history with the local deferral
     * @throws NullPointerException     if at is null
     * @throws IllegalArgumentException if {@code at} is before the last attempt or local deferral
     */
    public DeliveryHistory deferredLocally(Instant at) {
        Objects.requireNonNull(at, "at");
        Instant since = lastActivity();
        if (at.isBefore(since)) {
            throw new IllegalArgumentException("deferral at " + at + " is before the last activity " + since);
        }
        return new DeliveryHistory(recipient, attempts, firstAttempt, firstFailure, lastAttempt, lastClassification,
                lastStatus, bounce, previousInterval, at, reasonStreak);
    }

    /**
     * @param isBounce whether the message is itself a bounce or DSN
     * @return this history with the flag set
     */
    public DeliveryHistory withBounce(boolean isBounce) {
        return isBounce == bounce ? this : new DeliveryHistory(recipient, attempts, firstAttempt, firstFailure,
                lastAttempt, lastClassification, lastStatus, isBounce, previousInterval, lastLocalDeferral,
                reasonStreak);
    }

    /**
     * @return the later of the last attempt and the last local deferral: what the next delay is measured from
     */
    public Instant lastActivity() {
        return lastLocalDeferral == null ? lastAttempt : lastLocalDeferral;
    }

    private static String normalise(String status) {
        if (status == null) {
            return null;
        }
        return EnhancedStatus.parse(status).map(EnhancedStatus::toString).orElseThrow(
                () -> new IllegalArgumentException("not an enhanced status: \"" + abbreviate(status) + "\""));
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
