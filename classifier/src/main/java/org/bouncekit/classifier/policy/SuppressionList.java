package org.bouncekit.classifier.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.policy.SuppressionState.Status;

/**
 * The suppression list an application embeds: a {@link SuppressionPolicy} applied to a {@link SuppressionStore},
 * at the policy's clock, telling the policy's listener.
 *
 * <pre>{@code
 * SuppressionList list = new SuppressionList(SuppressionPolicy.defaults(), new InMemorySuppressionStore());
 * for (Classification c : classifier.classify(report)) {
 *     if (c.recipient() != null) {
 *         list.record(c.recipient(), c);
 *     }
 * }
 * if (!list.isSuppressed("bob@example.com")) {
 *     send(message);
 * }
 * }</pre>
 *
 * <p>The store keeps only what decisions need: an address whose state is active with no soft bounce counted is
 * removed (or never added), so deliveries and sender-side bounces do not fill it. Such an address answers
 * {@link #isSuppressed(String)} false, like one never seen.
 *
 * <p>Thread-safe when its store's {@link SuppressionStore#update} is atomic, as {@link InMemorySuppressionStore}'s
 * is: concurrent records of one address are applied one after the other, and the listener hears of each change
 * once.
 */
public final class SuppressionList {

    private final SuppressionPolicy policy;
    private final SuppressionStore store;

    /**
     * @param policy the policy, with the clock and listener to use
     * @param store  where states are kept
     * @throws NullPointerException when an argument is null
     */
    public SuppressionList(SuppressionPolicy policy, SuppressionStore store) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.store = Objects.requireNonNull(store, "store");
    }

    /** @return the policy */
    public SuppressionPolicy policy() {
        return policy;
    }

    /** @return the store */
    public SuppressionStore store() {
        return store;
    }

    /**
     * Records what happened to an address, now ({@link SuppressionPolicy#apply}).
     *
     * @param address the address
     * @param c       the classification of a report or reply about it
     * @return the address's new state (also when, having nothing to remember, it is not stored)
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when the address is invalid
     * @throws IllegalStateException    when the address is new, must be stored and the store is full
     */
    public SuppressionState record(String address, Classification c) {
        Objects.requireNonNull(c, "classification");
        Instant now = policy.clock().instant();
        return change(address, now, current -> policy.apply(current, address, c, now));
    }

    /**
     * @param address an address
     * @return whether mail to it is suppressed now (an expired suppression not yet swept by {@link #expire()} is
     *         not)
     * @throws NullPointerException     when address is null
     * @throws IllegalArgumentException when the address is invalid
     */
    public boolean isSuppressed(String address) {
        Instant now = policy.clock().instant();
        return store.get(address).map(s -> s.isSuppressed(now)).orElse(false);
    }

    /**
     * Suppresses an address by the application's own decision ({@link SuppressionState.Cause#MANUAL}), now.
     *
     * @param address the address
     * @return its new state
     * @throws NullPointerException     when address is null
     * @throws IllegalArgumentException when the address is invalid
     * @throws IllegalStateException    when the address is new and the store is full
     */
    public SuppressionState suppress(String address) {
        Instant now = policy.clock().instant();
        return change(address, now, current -> policy.suppress(current, address, now));
    }

    /**
     * Reactivates an address, whatever its cause, now; its soft-bounce count is cleared (and so it leaves the
     * store).
     *
     * @param address the address
     * @return its new, active state
     * @throws NullPointerException     when address is null
     * @throws IllegalArgumentException when the address is invalid
     */
    public SuppressionState reactivate(String address) {
        Instant now = policy.clock().instant();
        return change(address, now, current -> policy.reactivate(current, address, now));
    }

    /**
     * Sweeps the store: every suppression expired by now is lifted (the address leaves the store) and reported to
     * the listener. A state changed meanwhile by another thread is judged as it is then.
     *
     * @return how many addresses were reactivated
     */
    public int expire() {
        Instant now = policy.clock().instant();
        int n = 0;
        for (SuppressionState s : store.all()) {
            if (s.status() != Status.SUPPRESSED || s.isSuppressed(now)) {
                continue;
            }
            SuppressionState[] lifted = new SuppressionState[1];
            store.update(s.address(), current -> {
                lifted[0] = null;
                if (current == null || current.status() != Status.SUPPRESSED || current.isSuppressed(now)) {
                    return current;
                }
                lifted[0] = policy.reactivate(current, current.address(), now);
                return keep(lifted[0]);
            });
            if (lifted[0] != null) {
                n++;
                policy.listener().reactivated(lifted[0]);
            }
        }
        return n;
    }

    /** Applies a transition in the store atomically, then tells the listener what changed. */
    private SuppressionState change(String address, Instant now, UnaryOperator<SuppressionState> transition) {
        SuppressionState[] seen = new SuppressionState[2]; // before, after: the last call of the function wins
        store.update(address, current -> {
            seen[0] = current;
            seen[1] = transition.apply(current);
            return keep(seen[1]);
        });
        SuppressionState before = seen[0];
        SuppressionState after = seen[1];
        if (before != null && before.status() == Status.SUPPRESSED && after.status() == Status.ACTIVE) {
            policy.listener().reactivated(after);
        } else if (after.isSuppressed(now) && (before == null || !before.isSuppressed(now))) {
            policy.listener().suppressed(after);
        }
        return after;
    }

    /** The state to store: none for an active state with nothing counted. */
    private static SuppressionState keep(SuppressionState s) {
        return s.status() == Status.ACTIVE && s.softBounces().isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return "SuppressionList[" + policy + ", " + store + "]";
    }
}
