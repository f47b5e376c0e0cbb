package org.bouncekit.classifier.policy;

import java.time.Instant;
import java.util.Objects;
import org.bouncekit.classifier.Classification;

/**
 * One observed outcome of sending to a destination: when it happened and how its reply was classified.
 *
 * <p>A <em>local</em> signal is a deferral the sender caused itself: its own queue holding mail back because
 * {@link DestinationThrottle} advised {@link DestinationState.Level#SUSPENDED} or a backoff rate. Such a deferral
 * often carries the destination's last reply (so it classifies as a throttle again), yet it says nothing new about
 * the destination: local signals never count towards any rule, or a suspension would feed on itself and never
 * end (KumoMTA's {@code match_internal = false}).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param at             when the reply was received, or the deferral made
 * @param classification the reply's classification
 * @param local          true for a deferral the sender caused itself (never counted)
 */
public record ThrottleSignal(Instant at, Classification classification, boolean local) {

    /** The earliest instant a signal may carry (the epoch). */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** The latest instant a signal may carry (the end of year 9999, UTC). */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * Creates the signal.
     *
     * @param at             see {@link #at()}
     * @param classification see {@link #classification()}
     * @param local          see {@link #local()}
     * @throws NullPointerException     if {@code at} or {@code classification} is null
     * @throws IllegalArgumentException if {@code at} is before {@link #EARLIEST} or after {@link #LATEST}
     */
    public ThrottleSignal {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(classification, "classification");
        checkInstant("at", at);
    }

    /**
     * @param at             when the destination's reply was received
     * @param classification the reply's classification
     * @return a signal from the destination
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException as the constructor
     */
    public static ThrottleSignal reply(Instant at, Classification classification) {
        return new ThrottleSignal(at, classification, false);
    }

    /**
     * @param at             when the sender deferred the message itself
     * @param classification the classification the deferral carries (often that of the destination's last reply)
     * @return a local signal, which never counts
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException as the constructor
     */
    public static ThrottleSignal localDeferral(Instant at, Classification classification) {
        return new ThrottleSignal(at, classification, true);
    }

    /** Rejects an instant outside {@link #EARLIEST} to {@link #LATEST}, naming it. */
    static Instant checkInstant(String name, Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException(name + " must be " + EARLIEST + " to " + LATEST + ": " + at);
        }
        return at;
    }
}
