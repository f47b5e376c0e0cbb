package org.bouncekit.classifier.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.DestinationState.Hold;
import org.bouncekit.classifier.policy.DestinationState.Level;

/**
 * When to slow down or stop sending to a destination that throttles, as pure transitions over
 * {@link DestinationState} values: feed it the classified replies of one destination ({@link #onSignal}) and its
 * deliveries ({@link #onSuccess}), and ask how fast to send ({@link #advise}). The application keeps the states, or
 * lets {@link DestinationThrottles} keep them in memory.
 *
 * <pre>{@code
 * DestinationThrottle throttle = DestinationThrottle.defaults();
 * DestinationState state = DestinationState.initial(DestinationKey.of("gmail.com", "192.0.2.1"));
 * state = throttle.onSignal(state, ThrottleSignal.reply(receivedAt, classification));
 * ThrottleAdvice advice = throttle.advise(state, clock.instant());
 * }</pre>
 *
 * <p><b>Default rules</b> ({@link #defaultRules()}), after KumoMTA's and PowerMTA's shipped automation:
 * <ul>
 *   <li>{@code throttle-backoff}: replies with decision {@code throttle} (rate limits, too many connections),
 *       3 within 10 minutes: BACKOFF for 30 minutes;</li>
 *   <li>{@code throttle-suspend}: the same replies, 10 within 30 minutes: SUSPENDED for 1 hour;</li>
 *   <li>{@code reputation-backoff}: replies with reason {@code badreputation} or {@code blocked}, 5 within 10
 *       minutes: BACKOFF for 1 hour.</li>
 * </ul>
 * No default rule ends on a delivery. Default limits ({@link Builder#limits}): NORMAL none, BACKOFF 10 messages per
 * minute over 1 connection, SUSPENDED 0 and 0.
 *
 * <p><b>Which signals count.</b> For each rule, a signal counts when its classification
 * {@linkplain ThrottleRule#matches matches} and it is not ignored. Ignored are: local signals
 * ({@link ThrottleSignal#local()}, the sender's own deferrals, never); a signal whose effect would already have
 * ended ({@code at + duration <= now} of the clock: a delayed log line must not start a stale hold); and, for a
 * threshold rule, a signal a window or more older than the state's newest counted signal ({@link
 * DestinationState#latest()}).
 *
 * <p><b>Signals out of order.</b> A late signal is placed in time order among the rule's recent instants. A rule
 * keeps only its {@code count} most recent instants within one window of the newest counted signal, so a late
 * signal older than all of them is dropped. A trigger ends its hold at the newest kept instant plus the duration,
 * and a hold's end only ever moves later: a late signal may start or extend a hold, never shorten one. Signals that
 * all lie less than the smallest window of the rules apart therefore give the same state in any order (while the
 * clock does not make any of them stale); signals further apart may not, as one that arrives after a counted
 * signal a window or more newer is ignored by that rule, whichever rule counted the newer one.
 *
 * <p><b>Deliveries.</b> For each rule with {@link ThrottleRule#endOnSuccess()}, a delivery at {@code at} ends the
 * rule's hold if the hold is in force at {@code at} and no counted signal after {@code at} set it, and forgets
 * the rule's recent instants up to {@code at}, so its count starts again.
 *
 * <p>Instances are immutable and thread-safe: build one and share it.
 */
public final class DestinationThrottle {

    /** The most rules a throttle may have. */
    public static final int MAX_RULES = 64;

    private static final List<ThrottleRule> DEFAULT_RULES = List.of(
            ThrottleRule.builder("throttle-backoff").decisions(Decision.THROTTLE)
                    .threshold(3, Duration.ofMinutes(10)).level(Level.BACKOFF).duration(Duration.ofMinutes(30))
                    .build(),
            ThrottleRule.builder("throttle-suspend").decisions(Decision.THROTTLE)
                    .threshold(10, Duration.ofMinutes(30)).level(Level.SUSPENDED).duration(Duration.ofHours(1))
                    .build(),
            ThrottleRule.builder("reputation-backoff").reasons(Reason.BADREPUTATION, Reason.BLOCKED)
                    .threshold(5, Duration.ofMinutes(10)).level(Level.BACKOFF).duration(Duration.ofHours(1))
                    .build());

    private static final DestinationThrottle DEFAULTS = builder().defaultRules().build();

    private final List<ThrottleRule> rules;
    private final Map<String, ThrottleRule> byName;
    private final Clock clock;
    /** Limits by {@link Level#ordinal()}; null for none. */
    private final Integer[] messagesPerMinute;
    private final Integer[] connections;

    private DestinationThrottle(Builder b) {
        this.rules = List.copyOf(b.rules.values());
        Map<String, ThrottleRule> names = new HashMap<>();
        for (ThrottleRule r : rules) {
            names.put(r.name(), r);
        }
        this.byName = Map.copyOf(names);
        this.clock = b.clock;
        this.messagesPerMinute = b.messagesPerMinute.clone();
        this.connections = b.connections.clone();
    }

    /**
     * @return a throttle with the {@linkplain #defaultRules() default rules} and limits and the system UTC clock,
     *         shared
     */
    public static DestinationThrottle defaults() {
        return DEFAULTS;
    }

    /** @return a builder with no rules, the default limits and the system UTC clock */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the default rules, described in the class documentation; unmodifiable */
    public static List<ThrottleRule> defaultRules() {
        return DEFAULT_RULES;
    }

    /** @return the rules, in order; unmodifiable */
    public List<ThrottleRule> rules() {
        return rules;
    }

    /** @return the clock that decides which signals are stale */
    public Clock clock() {
        return clock;
    }

    /**
     * @param level a level
     * @return the most messages per minute advised at that level, or null for no limit
     * @throws NullPointerException if the level is null
     */
    public Integer messagesPerMinute(Level level) {
        return messagesPerMinute[Objects.requireNonNull(level, "level").ordinal()];
    }

    /**
     * @param level a level
     * @return the most connections advised at that level, or null for no limit
     * @throws NullPointerException if the level is null
     */
    public Integer connections(Level level) {
        return connections[Objects.requireNonNull(level, "level").ordinal()];
    }

    /**
     * The state after a signal: the signal counts for every rule it matches unless ignored (see the class
     * description), triggered rules hold the destination or extend their hold, and holds that ended before the
     * clock's now are dropped.
     *
     * @param state  the destination's state
     * @param signal an outcome observed for that destination
     * @return the new state; {@code state} itself when the signal counts for no rule
     * @throws NullPointerException if an argument is null
     */
    public DestinationState onSignal(DestinationState state, ThrottleSignal signal) {
        return onSignal(state, signal, clock.instant());
    }

    /** {@link #onSignal(DestinationState, ThrottleSignal)} with the clock read once by the caller. */
    DestinationState onSignal(DestinationState state, ThrottleSignal signal, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(signal, "signal");
        if (signal.local()) {
            return state;
        }
        Instant at = signal.at();
        Classification c = signal.classification();
        boolean[] counts = new boolean[rules.size()];
        boolean any = false;
        for (int i = 0; i < counts.length; i++) {
            ThrottleRule r = rules.get(i);
            counts[i] = r.matches(c) && !stale(r, state.latest(), at, now);
            any |= counts[i];
        }
        if (!any) {
            return state;
        }
        Instant latest = state.latest() == null || at.isAfter(state.latest()) ? at : state.latest();
        Map<String, List<Instant>> recent = new HashMap<>();
        Map<String, Hold> holds = new HashMap<>();
        for (int i = 0; i < counts.length; i++) {
            ThrottleRule r = rules.get(i);
            Hold old = state.holds().get(r.name());
            Instant until = old != null && old.until().isAfter(now) ? old.until() : null;
            Instant end = null;
            if (r.immediate()) {
                end = counts[i] ? at.plus(r.duration()) : null;
            } else {
                List<Instant> kept = recentAfter(state.recent().get(r.name()), counts[i] ? at : null,
                        latest.minus(r.window()), r.count());
                // every kept instant lies within one window of the newest, so a full list is a trigger
                if (counts[i] && kept.size() == r.count() && kept.contains(at)) {
                    end = kept.get(kept.size() - 1).plus(r.duration());
                }
                if (!kept.isEmpty()) {
                    recent.put(r.name(), kept);
                }
            }
            if (end != null && (until == null || end.isAfter(until))) {
                until = end;
            }
            if (until != null) {
                holds.put(r.name(), new Hold(r.level(), until));
            }
        }
        return new DestinationState(state.key(), latest, recent, holds);
    }

    /**
     * Whether a rule ignores a matching signal: its effect would already have ended, or (for a threshold rule) it
     * is a window or more older than the newest counted signal.
     */
    private static boolean stale(ThrottleRule r, Instant latest, Instant at, Instant now) {
        if (!at.plus(r.duration()).isAfter(now)) {
            return true;
        }
        return !r.immediate() && latest != null && !at.isAfter(latest.minus(r.window()));
    }

    /**
     * A rule's recent instants with {@code add} (if not null) in time order, without those at or before
     * {@code cutoff}, keeping the {@code count} newest.
     */
    private static List<Instant> recentAfter(List<Instant> old, Instant add, Instant cutoff, int count) {
        List<Instant> out = new ArrayList<>(old == null ? List.of() : old);
        if (add != null) {
            int i = out.size();
            while (i > 0 && out.get(i - 1).isAfter(add)) {
                i--;
            }
            out.add(i, add);
        }
        out.removeIf(t -> !t.isAfter(cutoff));
        return out.size() > count ? new ArrayList<>(out.subList(out.size() - count, out.size())) : out;
    }

    /**
     * The state after a delivery to the destination: every rule with {@link ThrottleRule#endOnSuccess()} ends its
     * hold when the hold is in force at {@code at} and was last set by a signal at or before {@code at}, and
     * forgets its recent instants at or before {@code at}. Other rules are unaffected.
     *
     * @param state the destination's state
     * @param at    when the message was delivered
     * @return the new state; {@code state} itself when nothing changes
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code at} is outside the range of {@link ThrottleSignal}
     */
    public DestinationState onSuccess(DestinationState state, Instant at) {
        Objects.requireNonNull(state, "state");
        ThrottleSignal.checkInstant("at", Objects.requireNonNull(at, "at"));
        Map<String, List<Instant>> recent = new TreeMap<>(state.recent());
        Map<String, Hold> holds = new TreeMap<>(state.holds());
        boolean changed = false;
        for (ThrottleRule r : rules) {
            if (!r.endOnSuccess()) {
                continue;
            }
            Hold h = holds.get(r.name());
            // until - duration is the newest counted signal that set the hold: a delivery before it ends nothing
            if (h != null && at.isBefore(h.until()) && !at.plus(r.duration()).isBefore(h.until())) {
                holds.remove(r.name());
                changed = true;
            }
            List<Instant> list = recent.get(r.name());
            if (list != null && !list.get(0).isAfter(at)) {
                List<Instant> after = list.stream().filter(t -> t.isAfter(at)).toList();
                if (after.isEmpty()) {
                    recent.remove(r.name());
                } else {
                    recent.put(r.name(), after);
                }
                changed = true;
            }
        }
        return changed ? new DestinationState(state.key(), state.latest(), recent, holds) : state;
    }

    /**
     * How fast to send to the destination at {@code now}: the level and this throttle's limits for it, when the
     * level ends, and the rule that holds it.
     *
     * @param state the destination's state
     * @param now   the instant to advise for (usually the clock's now)
     * @return the advice
     * @throws NullPointerException if an argument is null
     */
    public ThrottleAdvice advise(DestinationState state, Instant now) {
        Objects.requireNonNull(state, "state");
        Level level = state.level(Objects.requireNonNull(now, "now"));
        int i = level.ordinal();
        if (level == Level.NORMAL) {
            return new ThrottleAdvice(level, null, null, messagesPerMinute[i], connections[i],
                    "normal: no throttle rule holds " + state.key().destination() + " from " + state.key().source());
        }
        String rule = state.rule(level);
        Instant until = state.until(level);
        ThrottleRule r = byName.get(rule);
        String reason = level.name().toLowerCase(Locale.ROOT) + " until " + until + " by rule "
                + (r == null ? rule + " (no longer configured)" : r.toString());
        return new ThrottleAdvice(level, until, rule, messagesPerMinute[i], connections[i], reason);
    }

    /**
     * Whether a state says nothing a fresh one would not: NORMAL at {@code now} and no rule's recent instant
     * within its window before {@code now}.
     */
    boolean idle(DestinationState state, Instant now) {
        if (state.level(now) != Level.NORMAL) {
            return false;
        }
        for (Map.Entry<String, List<Instant>> e : state.recent().entrySet()) {
            ThrottleRule r = byName.get(e.getKey());
            List<Instant> list = e.getValue();
            if (r != null && list.get(list.size() - 1).isAfter(now.minus(r.window()))) {
                return false;
            }
        }
        return true;
    }

    /** @return the rules, described, for logs */
    @Override
    public String toString() {
        return "DestinationThrottle" + rules;
    }

    /**
     * Builds a {@link DestinationThrottle}. Setters validate at once; {@link #build()} copies, so a built throttle
     * does not change when the builder does.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, ThrottleRule> rules = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private final Integer[] messagesPerMinute = {null, 10, 0};
        private final Integer[] connections = {null, 1, 0};

        private Builder() {
        }

        /**
         * Adds a rule after those already added.
         *
         * @param rule a rule
         * @return this builder
         * @throws NullPointerException     if the rule is null
         * @throws IllegalArgumentException if a rule of that name was added, or there would be more than
         *                                  {@link #MAX_RULES}
         */
        public Builder rule(ThrottleRule rule) {
            Objects.requireNonNull(rule, "rule");
            if (rules.containsKey(rule.name())) {
                throw new IllegalArgumentException("rule name added twice: " + rule.name());
            }
            if (rules.size() >= MAX_RULES) {
                throw new IllegalArgumentException("at most " + MAX_RULES + " rules (MAX_RULES)");
            }
            rules.put(rule.name(), rule);
            return this;
        }

        /**
         * Adds the {@linkplain DestinationThrottle#defaultRules() default rules}.
         *
         * @return this builder
         * @throws IllegalArgumentException if a rule of one of their names was added, or there would be more than
         *                                  {@link #MAX_RULES}
         */
        public Builder defaultRules() {
            for (ThrottleRule r : DEFAULT_RULES) {
                rule(r);
            }
            return this;
        }

        /**
         * Sets the limits advised at a level.
         *
         * @param level             a level
         * @param messagesPerMinute the most messages per minute, 0 or more, or null for no limit (defaults: NORMAL
         *                          null, BACKOFF 10, SUSPENDED 0)
         * @param connections       the most connections, 0 or more, or null for no limit (defaults: NORMAL null,
         *                          BACKOFF 1, SUSPENDED 0)
         * @return this builder
         * @throws NullPointerException     if the level is null
         * @throws IllegalArgumentException if a limit is negative
         */
        public Builder limits(Level level, Integer messagesPerMinute, Integer connections) {
            Objects.requireNonNull(level, "level");
            if (messagesPerMinute != null && messagesPerMinute < 0) {
                throw new IllegalArgumentException("messagesPerMinute must not be negative: " + messagesPerMinute);
            }
            if (connections != null && connections < 0) {
                throw new IllegalArgumentException("connections must not be negative: " + connections);
            }
            this.messagesPerMinute[level.ordinal()] = messagesPerMinute;
            this.connections[level.ordinal()] = connections;
            return this;
        }

        /**
         * @param clock the clock that decides which signals are stale (default: the system UTC clock)
         * @return this builder
         * @throws NullPointerException if the clock is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the throttle
         * @throws IllegalStateException if no rule was added
         */
        public DestinationThrottle build() {
            if (rules.isEmpty()) {
                throw new IllegalStateException("no throttle rule: add one with rule(...) or defaultRules()");
            }
            return new DestinationThrottle(this);
        }
    }
}
