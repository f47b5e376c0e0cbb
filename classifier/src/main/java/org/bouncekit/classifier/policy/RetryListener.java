package org.bouncekit.classifier.policy;

/**
 * Told of every decision {@link RetryPolicy#decide} makes, synchronously on the deciding thread, for analytics
 * and logging. The methods do nothing by default; override the ones you need. An exception thrown by a listener
 * reaches the caller of {@code decide}. {@link RetryPolicy#plan} tells no listener.
 *
 * <p>Implementations must be thread-safe when the policy is shared across threads.
 */
public interface RetryListener {

    /**
     * A retry was scheduled: {@link RetryDecision.Action#RETRY} or {@link RetryDecision.Action#WAIT_FOR_DESTINATION}.
     *
     * @param history  the history decided on
     * @param decision the decision
     */
    default void retryScheduled(DeliveryHistory history, RetryDecision decision) {
    }

    /**
     * Delivery was given up: {@link RetryDecision.Action#GIVE_UP}.
     *
     * @param history  the history decided on
     * @param decision the decision
     */
    default void gaveUp(DeliveryHistory history, RetryDecision decision) {
    }

    /**
     * The address is to be suppressed: {@link RetryDecision.Action#SUPPRESS}.
     *
     * @param history  the history decided on
     * @param decision the decision
     */
    default void suppressed(DeliveryHistory history, RetryDecision decision) {
    }
}
