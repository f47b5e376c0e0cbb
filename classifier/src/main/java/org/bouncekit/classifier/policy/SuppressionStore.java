package org.bouncekit.classifier.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a {@link SuppressionList} keeps its states, one per normalised address: the storage port an application
 * implements over its database, or {@link InMemorySuppressionStore}. Every method taking an address normalises it
 * with {@link SuppressionState#normalize(String)} (and so throws {@link NullPointerException} for null and
 * {@link IllegalArgumentException} for an invalid address).
 *
 * <p>Implementations shared by threads must be thread-safe and should make {@link #update} atomic; a store that
 * is full throws {@link IllegalStateException} naming its limit when asked to hold one more address.
 */
public interface SuppressionStore {

    /**
     * @param address an address
     * @return its state, or empty when the store has none
     */
    Optional<SuppressionState> get(String address);

    /**
     * Stores a state under its address, replacing any other.
     *
     * @param state the state
     * @throws NullPointerException  when state is null
     * @throws IllegalStateException when the address is new and the store is full
     */
    void put(SuppressionState state);

    /**
     * @param address an address
     * @return whether the store held a state for it
     */
    boolean remove(String address);

    /** @return a snapshot of every state; its order is the implementation's */
    List<SuppressionState> all();

    /** @return how many addresses the store holds */
    int size();

    /**
     * Replaces an address's state by a function of it, as {@link java.util.Map#compute} does: {@code f} receives
     * the current state or null, and returns the new state, or null to remove the address. The function may be
     * called more than once by an implementation that retries, so it should have no side effects other than
     * remembering its last result.
     *
     * <p>This default implementation is <b>not atomic</b> ({@link #get}, then {@link #put} or {@link #remove}): two
     * threads updating one address may lose one update. Implementations shared by threads must override it with an
     * atomic one (a row lock, a compare-and-set, {@link java.util.concurrent.ConcurrentHashMap#compute}).
     *
     * @param address an address
     * @param f       the change
     * @return the new state, or null when the address has none now
     * @throws NullPointerException     when address or f is null
     * @throws IllegalArgumentException when the address is invalid, or f returns another address's state
     * @throws IllegalStateException    when the address is new and the store is full
     */
    default SuppressionState update(String address, UnaryOperator<SuppressionState> f) {
        String key = SuppressionState.normalize(address);
        Objects.requireNonNull(f, "f");
        SuppressionState current = get(key).orElse(null);
        SuppressionState next = f.apply(current);
        if (next == null) {
            if (current != null) {
                remove(key);
            }
            return null;
        }
        if (!next.address().equals(key)) {
            throw new IllegalArgumentException("update of " + key + " returned the state of " + next.address());
        }
        put(next);
        return next;
    }
}
