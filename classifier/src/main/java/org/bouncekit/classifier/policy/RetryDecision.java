package org.bouncekit.classifier.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncekit.classifier.Reason;

/**
 * What a {@link RetryPolicy} decided for one recipient after a failed attempt.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param action              what to do
 * @param retryAt             when to try again, for {@link Action#RETRY} and {@link Action#WAIT_FOR_DESTINATION}
 *                            (the earliest time); null otherwise. Never after {@code giveUpAt}
 * @param giveUpAt            when delivery ends: the end of the lifetime while retrying, or when the lifetime ended;
 *                            the instant of the decision for a permanent failure
 * @param status              the enhanced status to report: for {@link Action#GIVE_UP} and {@link Action#SUPPRESS}
 *                            a permanent failure's status (class 5, {@code 5.0.0} when none was given), or for an
 *                            expired lifetime the last status or {@code 4.4.7}; while retrying the last status, or
 *                            null
 * @param reason              the reason of the last failure
 * @param sameSendingIdentity whether the retry must come from the same IP address and sender identity (the early
 *                            retry after greylisting); only for {@link Action#RETRY}
 * @param delayWarnings       the future instants at which to warn the sender of the delay, ascending, each before
 *                            {@code giveUpAt}; empty when the action ends delivery
 * @param explanation         a sentence saying why, for people
 */
public record RetryDecision(Action action, Instant retryAt, Instant giveUpAt, String status, Reason reason,
                            boolean sameSendingIdentity, List<Instant> delayWarnings, String explanation) {

    /** What to do about the recipient. Thread-safe (an enum). */
    public enum Action {
        /** Try again at {@link RetryDecision#retryAt()}. */
        RETRY,
        /** Stop: the failure is permanent, or the lifetime ended. Report {@link RetryDecision#status()}. */
        GIVE_UP,
        /** Stop, and stop sending to the address: it is bad or refuses mail. */
        SUPPRESS,
        /**
         * The destination throttles: try again when its throttle allows, not before
         * {@link RetryDecision#retryAt()}.
         */
        WAIT_FOR_DESTINATION
    }

    /**
     * Validates the values and copies the list.
     *
     * @param action see {@link #action()}
     * @param retryAt see {@link #retryAt()}
     * @param giveUpAt see {@link #giveUpAt()}
     * @param status see {@link #status()}
     * @param reason see {@link #reason()}
     * @param sameSendingIdentity see {@link #sameSendingIdentity()}
     * @param delayWarnings see {@link #delayWarnings()}
     * @param explanation see {@link #explanation()}
     * @throws NullPointerException     if action, giveUpAt, reason, delayWarnings (or an element) or explanation is
     *                                  null
     * @throws IllegalArgumentException if retryAt is given when it must not be or missing when it must be, is after
     *                                  giveUpAt, the status is missing for a stop, the same identity is asked for
     *                                  another action than a retry, or the warnings are out of order or not before
     *                                  giveUpAt or present for a stop
     */
    public RetryDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(giveUpAt, "giveUpAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(explanation, "explanation");
        delayWarnings = List.copyOf(delayWarnings);
        boolean retries = action == Action.RETRY || action == Action.WAIT_FOR_DESTINATION;
        if (retries != (retryAt != null)) {
            throw new IllegalArgumentException(retries ? action + " needs retryAt" : action + " takes no retryAt");
        }
        if (retryAt != null && retryAt.isAfter(giveUpAt)) {
            throw new IllegalArgumentException("retryAt " + retryAt + " is after giveUpAt " + giveUpAt);
        }
        if (!retries && status == null) {
            throw new IllegalArgumentException(action + " needs a status");
        }
        if (sameSendingIdentity && action != Action.RETRY) {
            throw new IllegalArgumentException("sameSendingIdentity is only for RETRY, not " + action);
        }
        if (!retries && !delayWarnings.isEmpty()) {
            throw new IllegalArgumentException(action + " takes no delay warnings");
        }
        Instant previous = null;
        for (Instant w : delayWarnings) {
            if (!w.isBefore(giveUpAt) || previous != null && !w.isAfter(previous)) {
                throw new IllegalArgumentException("delay warnings must ascend and be before giveUpAt " + giveUpAt
                        + ", were " + delayWarnings);
            }
            previous = w;
        }
    }
}
