package org.bouncekit.classifier.policy;

import java.time.Instant;
import org.bouncekit.classifier.policy.DestinationState.Level;

/**
 * Told when a destination kept by {@link DestinationThrottles} changes level: to alert an operator, to record
 * analytics by destination and time, or to reschedule a queue. Register it with
 * {@link DestinationThrottles.Builder#listener(ThrottleListener)}.
 *
 * <p>Implementations must be thread-safe: the registry calls them on the threads that call it, after the state has
 * been stored and outside any lock, so calls for one key from concurrent callers may arrive in any order. They
 * should return quickly and not throw; an exception propagates to the registry's caller, after the state has
 * changed, and the remaining changes noticed in that call are not reported.
 */
@FunctionalInterface
public interface ThrottleListener {

    /**
     * A destination changed level.
     *
     * @param key   the destination
     * @param from  the level before
     * @param to    the level now
     * @param at    when the change happened: the instant of the signal or delivery that caused it, the instant a
     *              hold ended, or the clock's now for a {@linkplain DestinationThrottles#reset reset} or an
     *              eviction
     * @param until when the new level ends, or null for NORMAL
     */
    void stateChanged(DestinationKey key, Level from, Level to, Instant at, Instant until);
}
