package org.bouncekit.classifier.policy;

/**
 * Told when a {@link SuppressionList} suppresses or reactivates an address, for example to log it, count it by
 * domain and reason, or mirror the list elsewhere. Both methods do nothing by default; implement the ones needed.
 *
 * <p>The list calls a listener after the new state is stored, outside any lock of its store, on the thread that
 * caused the change; an exception a listener throws reaches that caller, with the state already stored.
 * {@link SuppressionPolicy#apply} itself never calls a listener: the policy's transitions stay pure.
 *
 * <p>Implementations must be thread-safe: a list shared by threads calls its listener from all of them.
 */
public interface SuppressionListener {

    /**
     * An address was suppressed: it was not suppressed before the change (or its suppression had expired), and is
     * now. Not called when an address already suppressed gets another cause or a later expiry.
     *
     * @param state the new state
     */
    default void suppressed(SuppressionState state) {
    }

    /**
     * An address was reactivated: its state was {@link SuppressionState.Status#SUPPRESSED} and is now
     * {@link SuppressionState.Status#ACTIVE}, by {@link SuppressionList#reactivate(String)}, by
     * {@link SuppressionList#expire()}, or because an expired suppression was replaced when a classification was
     * recorded.
     *
     * @param state the new state
     */
    default void reactivated(SuppressionState state) {
    }
}

