package org.bouncekit.classifier.policy;

import java.time.Instant;
import java.util.Objects;
import org.bouncekit.classifier.policy.DestinationState.Level;

/**
 * How fast to send to a destination now: the level it is in and the limits for that level. A null limit means no
 * limit from this library (the application's own limits apply); zero means send nothing.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param level             the destination's level
 * @param until             when the level ends (the destination may then be in a lower level, not necessarily
 *                          NORMAL), or null for NORMAL
 * @param rule              the name of the rule whose hold sets the level, or null for NORMAL
 * @param messagesPerMinute the most messages to send per minute, or null for no limit
 * @param connections       the most connections to hold open at once, or null for no limit
 * @param reason            a readable explanation naming the rule, such as
 *                          {@code backoff until 2024-05-01T12:37:40Z by rule throttle-backoff (...)}
 */
public record ThrottleAdvice(Level level, Instant until, String rule, Integer messagesPerMinute,
                             Integer connections, String reason) {

    /**
     * Creates the advice.
     *
     * @param level             see {@link #level()}
     * @param until             see {@link #until()}
     * @param rule              see {@link #rule()}
     * @param messagesPerMinute see {@link #messagesPerMinute()}
     * @param connections       see {@link #connections()}
     * @param reason            see {@link #reason()}
     * @throws NullPointerException     if {@code level} or {@code reason} is null
     * @throws IllegalArgumentException if a limit is negative
     */
    public ThrottleAdvice {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(reason, "reason");
        if (messagesPerMinute != null && messagesPerMinute < 0) {
            throw new IllegalArgumentException("messagesPerMinute must not be negative: " + messagesPerMinute);
        }
        if (connections != null && connections < 0) {
            throw new IllegalArgumentException("connections must not be negative: " + connections);
        }
    }

    /** @return whether any message may be sent now: neither limit is zero */
    public boolean maySend() {
        return (messagesPerMinute == null || messagesPerMinute > 0) && (connections == null || connections > 0);
    }
}
