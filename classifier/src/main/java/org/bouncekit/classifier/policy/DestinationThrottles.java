package org.bouncekit.classifier.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.bouncekit.classifier.policy.DestinationState.Level;

/**
 * The states of many destinations, kept in memory for applications that do not keep them themselves: one
 * {@link DestinationState} per {@link DestinationKey}, updated atomically through a {@link DestinationThrottle},
 * with an optional {@link ThrottleListener} told of every level change.
 *
 * <pre>{@code
 * DestinationThrottles throttles = DestinationThrottles.builder(DestinationThrottle.defaults())
 *         .listener((key, from, to, at, until) -> log(key + ": " + from + " -> " + to + " at " + at))
 *         .build();
 * throttles.signal(key, ThrottleSignal.reply(receivedAt, classifier.classify(reply)));
 * ThrottleAdvice advice = throttles.advice(key);
 * }</pre>
 *
 * <p><b>Time.</b> "Now" is the throttle's {@linkplain DestinationThrottle#clock() clock}; for each key it never
 * goes back (an earlier reading counts as the latest one seen). A level also changes by the passage of time, when
 * a hold ends. Such a change is noticed on the next {@link #signal}, {@link #success}, {@link #advice} or
 * {@link #reset} for that key, on {@link #refresh()}, and when an eviction looks at the key; it is then reported
 * with the instant the hold ended, every intermediate level included (SUSPENDED to BACKOFF to NORMAL), before any
 * change the call itself makes. {@link #state} and {@link #states()} only read and report nothing. Call
 * {@link #refresh()} periodically for timely reports of ended holds.
 *
 * <p><b>Which keys are kept.</b> A key is stored when a signal first counts for it; a signal that counts for no
 * rule, a delivery or an advice never stores one. At most {@link Builder#maxKeys(int)} keys (default
 * {@value #DEFAULT_MAX_KEYS}) are kept. When a new key would pass the bound, states are evicted in one pass: first
 * every idle state (NORMAL, no rule's recent signal within its window: a fresh state would behave the same), then,
 * if that frees less than one hundredth of the bound, NORMAL states with recent signals (oldest newest signal
 * first), then BACKOFF and then SUSPENDED ones (soonest ending first), until one hundredth of the bound is free.
 * Evicting a BACKOFF or SUSPENDED state ends its hold: the listener is told of a change to NORMAL at the clock's
 * now. {@link #refresh()} also drops idle states.
 *
 * <p>Thread-safe: updates of one key are atomic ({@link ConcurrentHashMap#compute}); different keys are updated in
 * parallel; storing a new key and evicting take one lock.
 */
public final class DestinationThrottles {

    /** The default bound on the number of keys. */
    public static final int DEFAULT_MAX_KEYS = 100_000;
    /** The largest bound that may be set. */
    public static final int MAX_MAX_KEYS = 10_000_000;

    /**
     * A stored state, the level last reported for it and the instant it was last brought up to date; {@code level}
     * is the state's level at {@code checked}.
     */
    private record Entry(DestinationState state, Level level, Instant checked) {
    }

    /** A level change to report. */
    private record Change(DestinationKey key, Level from, Level to, Instant at, Instant until) {
    }

    private final DestinationThrottle throttle;
    private final int maxKeys;
    private final ThrottleListener listener;
    private final ConcurrentHashMap<DestinationKey, Entry> entries = new ConcurrentHashMap<>();
    /** Held to store a new key and to evict, so the bound is never passed. */
    private final Object insertLock = new Object();

    private DestinationThrottles(Builder b) {
        this.throttle = b.throttle;
        this.maxKeys = b.maxKeys;
        this.listener = b.listener;
    }

    /**
     * @param throttle the policy
     * @return a registry with the default bound and no listener
     * @throws NullPointerException if the throttle is null
     */
    public static DestinationThrottles of(DestinationThrottle throttle) {
        return builder(throttle).build();
    }

    /**
     * @param throttle the policy
     * @return a builder
     * @throws NullPointerException if the throttle is null
     */
    public static Builder builder(DestinationThrottle throttle) {
        return new Builder(throttle);
    }

    /** @return the policy */
    public DestinationThrottle throttle() {
        return throttle;
    }

    /** @return the most keys kept */
    public int maxKeys() {
        return maxKeys;
    }

    /**
     * Records an outcome for a destination ({@link DestinationThrottle#onSignal}).
     *
     * @param key    the destination
     * @param signal the outcome
     * @return the destination's state afterwards
     * @throws NullPointerException if an argument is null
     */
    public DestinationState signal(DestinationKey key, ThrottleSignal signal) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signal, "signal");
        Instant now = throttle.clock().instant();
        List<Change> changes = new ArrayList<>();
        BiFunction<DestinationKey, Entry, Entry> update = (k, old) -> apply(k, old, now, changes, signal.at(),
                (s, t) -> throttle.onSignal(s, signal, t));
        Entry e = entries.computeIfPresent(key, update);
        if (e == null) {
            DestinationState fresh = DestinationState.initial(key);
            // a signal that changes no fresh state changes no state at all: whether it counts does not depend on it
            if (throttle.onSignal(fresh, signal, now) == fresh) {
                return fresh;
            }
            synchronized (insertLock) {
                if (!entries.containsKey(key) && entries.size() >= maxKeys) {
                    evict(now, changes);
                }
                e = entries.compute(key, update);
            }
        }
        report(changes);
        return e.state();
    }

    /**
     * Records a delivery to a destination ({@link DestinationThrottle#onSuccess}).
     *
     * @param key the destination
     * @param at  when the message was delivered
     * @return the destination's state afterwards
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code at} is outside the range of {@link ThrottleSignal}
     */
    public DestinationState success(DestinationKey key, Instant at) {
        Objects.requireNonNull(key, "key");
        ThrottleSignal.checkInstant("at", Objects.requireNonNull(at, "at"));
        Instant now = throttle.clock().instant();
        List<Change> changes = new ArrayList<>();
        Entry e = entries.computeIfPresent(key, (k, old) -> apply(k, old, now, changes, at,
                (s, t) -> throttle.onSuccess(s, at)));
        report(changes);
        return e == null ? DestinationState.initial(key) : e.state();
    }

    /**
     * @param key a destination
     * @return how fast to send to it now ({@link DestinationThrottle#advise}); NORMAL advice for an unknown key
     * @throws NullPointerException if the key is null
     */
    public ThrottleAdvice advice(DestinationKey key) {
        Objects.requireNonNull(key, "key");
        Instant now = throttle.clock().instant();
        List<Change> changes = new ArrayList<>();
        Entry e = entries.computeIfPresent(key, (k, old) -> catchUp(k, old, now, changes));
        report(changes);
        return e == null ? throttle.advise(DestinationState.initial(key), now) : throttle.advise(e.state(),
                e.checked());
    }

    /**
     * @param key a destination
     * @return its stored state, or {@link DestinationState#initial} when none is stored; reports nothing
     * @throws NullPointerException if the key is null
     */
    public DestinationState state(DestinationKey key) {
        Entry e = entries.get(Objects.requireNonNull(key, "key"));
        return e == null ? DestinationState.initial(key) : e.state();
    }

    /** @return a snapshot of the stored states; unmodifiable; reports nothing */
    public Map<DestinationKey, DestinationState> states() {
        Map<DestinationKey, DestinationState> out = new HashMap<>();
        entries.forEach((k, e) -> out.put(k, e.state()));
        return Map.copyOf(out);
    }

    /** @return how many keys are stored */
    public int size() {
        return entries.size();
    }

    /**
     * Forgets a destination, as an operator's manual return to normal; the listener is told when it was held.
     *
     * @param key a destination
     * @throws NullPointerException if the key is null
     */
    public void reset(DestinationKey key) {
        Objects.requireNonNull(key, "key");
        Instant now = throttle.clock().instant();
        List<Change> changes = new ArrayList<>();
        entries.computeIfPresent(key, (k, old) -> drop(k, old, now, changes));
        report(changes);
    }

    /**
     * Brings every key up to the clock's now: reports the level changes of holds that ended, and drops idle
     * states.
     */
    public void refresh() {
        Instant now = throttle.clock().instant();
        for (DestinationKey key : entries.keySet()) {
            List<Change> changes = new ArrayList<>();
            entries.computeIfPresent(key, (k, old) -> {
                Entry e = catchUp(k, old, now, changes);
                return throttle.idle(e.state(), e.checked()) ? null : e;
            });
            report(changes);
        }
    }

    /**
     * Brings an entry up to date, then applies an operation at the entry's now; a level change the operation makes
     * is reported at {@code cause}.
     */
    private Entry apply(DestinationKey k, Entry old, Instant now, List<Change> changes, Instant cause,
                        BiFunction<DestinationState, Instant, DestinationState> op) {
        Entry base = old == null ? new Entry(DestinationState.initial(k), Level.NORMAL, now)
                : catchUp(k, old, now, changes);
        Instant t = base.checked();
        DestinationState s = op.apply(base.state(), t);
        Level level = s.level(t);
        if (level != base.level()) {
            changes.add(new Change(k, base.level(), level, cause, s.until(level)));
        }
        return new Entry(s, level, t);
    }

    /** Reports the levels an entry's state passed through as its holds ended, up to {@code now}. */
    private static Entry catchUp(DestinationKey k, Entry old, Instant now, List<Change> changes) {
        if (!now.isAfter(old.checked())) {
            return old;
        }
        Level level = old.level();
        for (Instant end : old.state().holdEnds()) {
            if (end.isAfter(old.checked()) && !end.isAfter(now)) {
                Level l = old.state().level(end);
                if (l != level) {
                    changes.add(new Change(k, level, l, end, old.state().until(l)));
                    level = l;
                }
            }
        }
        return new Entry(old.state(), level, now);
    }

    /** Removes an entry (returns null), reporting its end when it was held. */
    private static Entry drop(DestinationKey k, Entry old, Instant now, List<Change> changes) {
        Entry e = catchUp(k, old, now, changes);
        if (e.level() != Level.NORMAL) {
            changes.add(new Change(k, e.level(), Level.NORMAL, e.checked(), null));
        }
        return null;
    }

    /** Frees room for new keys, as the class description says; called holding {@link #insertLock}. */
    private void evict(Instant now, List<Change> changes) {
        int target = maxKeys - Math.max(1, maxKeys / 100);
        for (DestinationKey key : entries.keySet()) {
            entries.computeIfPresent(key, (k, old) -> {
                Entry e = catchUp(k, old, now, changes);
                return throttle.idle(e.state(), e.checked()) ? null : e;
            });
        }
        if (entries.size() <= target) {
            return;
        }
        record Candidate(DestinationKey key, Level level, Instant when) {
        }
        List<Candidate> candidates = new ArrayList<>();
        entries.forEach((k, e) -> {
            Level l = e.state().level(e.checked());
            Instant when = l == Level.NORMAL ? e.state().latest() : e.state().until(l);
            candidates.add(new Candidate(k, l, when == null ? Instant.MIN : when));
        });
        candidates.sort(Comparator.comparing(Candidate::level).thenComparing(Candidate::when));
        for (Candidate c : candidates) {
            if (entries.size() <= target) {
                break;
            }
            entries.computeIfPresent(c.key(), (k, old) -> drop(k, old, now, changes));
        }
    }

    private void report(List<Change> changes) {
        if (listener == null) {
            return;
        }
        for (Change c : changes) {
            listener.stateChanged(c.key(), c.from(), c.to(), c.at(), c.until());
        }
    }

    /**
     * Builds a {@link DestinationThrottles}. Setters validate at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final DestinationThrottle throttle;
        private int maxKeys = DEFAULT_MAX_KEYS;
        private ThrottleListener listener;

        private Builder(DestinationThrottle throttle) {
            this.throttle = Objects.requireNonNull(throttle, "throttle");
        }

        /**
         * @param maxKeys the most keys kept, 1 to {@link #MAX_MAX_KEYS} (default {@value #DEFAULT_MAX_KEYS})
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1 || maxKeys > MAX_MAX_KEYS) {
                throw new IllegalArgumentException("maxKeys must be 1 to " + MAX_MAX_KEYS + " (MAX_MAX_KEYS): "
                        + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /**
         * @param listener told of every level change (default: none)
         * @return this builder
         * @throws NullPointerException if the listener is null
         */
        public Builder listener(ThrottleListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @return the registry, empty */
        public DestinationThrottles build() {
            return new DestinationThrottles(this);
        }
    }
}
