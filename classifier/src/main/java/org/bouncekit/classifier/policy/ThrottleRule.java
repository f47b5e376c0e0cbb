package org.bouncekit.classifier.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.DestinationState.Level;

/**
 * When a destination is slowed down or suspended: which classified replies count, how many of them within which
 * window trigger the rule, the level it puts the destination in, and for how long.
 *
 * <pre>{@code
 * ThrottleRule rule = ThrottleRule.builder("throttle-backoff")
 *         .decisions(Decision.THROTTLE)
 *         .threshold(3, Duration.ofMinutes(10))
 *         .level(Level.BACKOFF)
 *         .duration(Duration.ofMinutes(30))
 *         .build();
 * }</pre>
 *
 * <p><b>Matching.</b> A classification matches when its decision is one of {@link #decisions()} or its reason one
 * of {@link #reasons()} (either list may be empty; when both are, every decision and reason matches), and, when
 * {@link #providers()} is not empty, its provider is one of them. A rule must name at least one decision, reason
 * or provider.
 *
 * <p><b>Trigger.</b> {@linkplain Builder#immediate() Immediate}: every matching signal triggers. A
 * {@linkplain Builder#threshold(int, Duration) threshold} of N within a window: a matching signal triggers when it
 * is among the N most recent counted ones and those N lie within the window, that is the newest minus the oldest
 * is less than the window (the window is half-open: signals exactly one window apart are not within it).
 *
 * <p><b>Effect.</b> A trigger holds the destination in {@link #level()} until the newest of the counted signals
 * plus {@link #duration()}; a later trigger extends that end and never shortens it, so the destination recovers
 * after a quiet period of {@code duration}. With {@link #endOnSuccess()} a delivery ends the rule's hold early
 * and restarts its count (PowerMTA's {@code backoff-to-normal-after-delivery}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ThrottleRule {

    /** The largest threshold count: a rule keeps at most this many instants per destination. */
    public static final int MAX_COUNT = 1_000;
    /** The longest window and the longest duration. */
    public static final Duration MAX_DURATION = Duration.ofDays(30);
    /** The longest rule name, in characters. */
    public static final int MAX_NAME_LENGTH = 64;
    /** The most providers a rule may name. */
    public static final int MAX_PROVIDERS = 64;

    private final String name;
    private final Set<Decision> decisions;
    private final Set<Reason> reasons;
    private final Set<String> providers;
    private final int count;
    private final Duration window;
    private final Level level;
    private final Duration duration;
    private final boolean endOnSuccess;

    private ThrottleRule(Builder b) {
        this.name = b.name;
        this.decisions = Collections.unmodifiableSet(EnumSet.copyOf(b.decisions));
        this.reasons = Collections.unmodifiableSet(EnumSet.copyOf(b.reasons));
        this.providers = Collections.unmodifiableSet(new LinkedHashSet<>(b.providers));
        this.count = b.count;
        this.window = b.window;
        this.level = b.level;
        this.duration = b.duration;
        this.endOnSuccess = b.endOnSuccess;
    }

    /**
     * @param name the rule's name, unique within a throttle: 1 to {@link #MAX_NAME_LENGTH} letters, digits,
     *             {@code .}, {@code _} or {@code -}
     * @return a builder with an immediate trigger and success not ending the hold
     * @throws NullPointerException     if the name is null
     * @throws IllegalArgumentException if the name is empty, too long or has other characters
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the rule's name */
    public String name() {
        return name;
    }

    /** @return the decisions that match, possibly empty; unmodifiable */
    public Set<Decision> decisions() {
        return decisions;
    }

    /** @return the reasons that match, possibly empty; unmodifiable */
    public Set<Reason> reasons() {
        return reasons;
    }

    /** @return the providers (lower case) a match must come from, or empty for any; unmodifiable */
    public Set<String> providers() {
        return providers;
    }

    /** @return how many matching signals trigger the rule: 1 for an immediate trigger */
    public int count() {
        return count;
    }

    /** @return the window the {@link #count()} signals must lie within; zero for an immediate trigger */
    public Duration window() {
        return window;
    }

    /** @return whether every matching signal triggers ({@link #count()} is 1) */
    public boolean immediate() {
        return count == 1;
    }

    /** @return the level a trigger holds the destination in: BACKOFF or SUSPENDED */
    public Level level() {
        return level;
    }

    /** @return how long after the newest counted signal the hold lasts */
    public Duration duration() {
        return duration;
    }

    /** @return whether a delivery to the destination ends the hold early */
    public boolean endOnSuccess() {
        return endOnSuccess;
    }

    /**
     * @param c a classification
     * @return whether it counts for this rule (see the class description)
     * @throws NullPointerException if {@code c} is null
     */
    public boolean matches(Classification c) {
        Objects.requireNonNull(c, "classification");
        boolean kind = decisions.isEmpty() && reasons.isEmpty()
                || decisions.contains(c.decision()) || reasons.contains(c.reason());
        return kind && (providers.isEmpty()
                || c.provider() != null && providers.contains(c.provider().strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * @return a readable description, such as
     *         {@code throttle-backoff: decisions [throttle], 3 within 10m -> backoff for 30m}
     */
    @Override
    public String toString() {
        List<String> what = new ArrayList<>();
        if (!decisions.isEmpty()) {
            what.add("decisions " + decisions.stream().map(Decision::token).toList());
        }
        if (!reasons.isEmpty()) {
            what.add("reasons " + reasons.stream().map(Reason::token).toList());
        }
        if (!providers.isEmpty()) {
            what.add("providers " + providers);
        }
        String trigger = immediate() ? "immediate" : count + " within " + human(window);
        return name + ": " + String.join(", ", what) + ", " + trigger + " -> " + level.name().toLowerCase(Locale.ROOT)
                + " for " + human(duration) + (endOnSuccess ? ", ends on success" : "");
    }

    /** A duration as {@code 1h30m}, {@code 10m}, {@code 45s}. */
    static String human(Duration d) {
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            sb.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || d.toNanosPart() > 0 || sb.length() == 0) {
            sb.append(d.toSecondsPart());
            if (d.toNanosPart() > 0) {
                sb.append('.').append(String.format(Locale.ROOT, "%09d", d.toNanosPart()).replaceAll("0+$", ""));
            }
            sb.append('s');
        }
        return sb.toString();
    }

    /**
     * Builds a {@link ThrottleRule}. Setters validate at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final EnumSet<Decision> decisions = EnumSet.noneOf(Decision.class);
        private final EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
        private final Set<String> providers = new LinkedHashSet<>();
        private int count = 1;
        private Duration window = Duration.ZERO;
        private Level level;
        private Duration duration;
        private boolean endOnSuccess;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("rule name must have 1 to " + MAX_NAME_LENGTH
                        + " characters (MAX_NAME_LENGTH): '" + name + "'");
            }
            for (int i = 0; i < name.length(); i++) {
                char ch = name.charAt(i);
                boolean ok = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
                        || ch == '.' || ch == '_' || ch == '-';
                if (!ok) {
                    throw new IllegalArgumentException("rule name may hold letters, digits, '.', '_' and '-' only: '"
                            + name + "' at index " + i);
                }
            }
            this.name = name;
        }

        /**
         * Adds decisions that match.
         *
         * @param decisions decisions, such as {@link Decision#THROTTLE}
         * @return this builder
         * @throws NullPointerException if the array or an element is null
         */
        public Builder decisions(Decision... decisions) {
            List<Decision> add = new ArrayList<>();
            for (Decision d : Objects.requireNonNull(decisions, "decisions")) {
                add.add(Objects.requireNonNull(d, "decision"));
            }
            this.decisions.addAll(add);
            return this;
        }

        /**
         * Adds reasons that match.
         *
         * @param reasons reasons, such as {@link Reason#SPEEDING} or {@link Reason#BADREPUTATION}
         * @return this builder
         * @throws NullPointerException if the array or an element is null
         */
        public Builder reasons(Reason... reasons) {
            List<Reason> add = new ArrayList<>();
            for (Reason r : Objects.requireNonNull(reasons, "reasons")) {
                add.add(Objects.requireNonNull(r, "reason"));
            }
            this.reasons.addAll(add);
            return this;
        }

        /**
         * Adds providers a matching classification must come from ({@link Classification#provider()}, any case).
         *
         * @param providers provider names, such as {@code gmail}
         * @return this builder
         * @throws NullPointerException     if the array or an element is null
         * @throws IllegalArgumentException if a name is blank, or there would be more than {@link #MAX_PROVIDERS}
         */
        public Builder providers(String... providers) {
            Set<String> all = new LinkedHashSet<>(this.providers);
            for (String p : Objects.requireNonNull(providers, "providers")) {
                String v = Objects.requireNonNull(p, "provider").strip().toLowerCase(Locale.ROOT);
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("provider must not be blank");
                }
                all.add(v);
            }
            if (all.size() > MAX_PROVIDERS) {
                throw new IllegalArgumentException("at most " + MAX_PROVIDERS + " providers (MAX_PROVIDERS): "
                        + all.size());
            }
            this.providers.addAll(all);
            return this;
        }

        /**
         * Every matching signal triggers the rule (the default).
         *
         * @return this builder
         */
        public Builder immediate() {
            this.count = 1;
            this.window = Duration.ZERO;
            return this;
        }

        /**
         * The rule triggers when {@code count} matching signals lie within {@code window}.
         *
         * @param count  how many, 1 to {@link #MAX_COUNT} (1 is an immediate trigger and ignores the window)
         * @param window the window, positive, at most {@link #MAX_DURATION}
         * @return this builder
         * @throws NullPointerException     if the window is null
         * @throws IllegalArgumentException if the count or the window is out of range
         */
        public Builder threshold(int count, Duration window) {
            Objects.requireNonNull(window, "window");
            if (count < 1 || count > MAX_COUNT) {
                throw new IllegalArgumentException("threshold count must be 1 to " + MAX_COUNT + " (MAX_COUNT): "
                        + count);
            }
            checkDuration("window", window);
            this.count = count;
            this.window = count == 1 ? Duration.ZERO : window;
            return this;
        }

        /**
         * @param level the level a trigger holds the destination in: {@link Level#BACKOFF} or
         *              {@link Level#SUSPENDED}; required
         * @return this builder
         * @throws NullPointerException     if the level is null
         * @throws IllegalArgumentException if it is {@link Level#NORMAL}
         */
        public Builder level(Level level) {
            Objects.requireNonNull(level, "level");
            if (level == Level.NORMAL) {
                throw new IllegalArgumentException("a rule's level must be BACKOFF or SUSPENDED: " + level);
            }
            this.level = level;
            return this;
        }

        /**
         * @param duration how long after the newest counted signal the hold lasts, positive, at most
         *                 {@link #MAX_DURATION}; required
         * @return this builder
         * @throws NullPointerException     if the duration is null
         * @throws IllegalArgumentException if it is out of range
         */
        public Builder duration(Duration duration) {
            this.duration = checkDuration("duration", Objects.requireNonNull(duration, "duration"));
            return this;
        }

        /**
         * @param end whether a delivery to the destination ends the hold early and restarts the count (default
         *            false)
         * @return this builder
         */
        public Builder endOnSuccess(boolean end) {
            this.endOnSuccess = end;
            return this;
        }

        /**
         * @return the rule
         * @throws IllegalStateException if it names no decision, reason or provider, or its level or duration is
         *                               not set
         */
        public ThrottleRule build() {
            if (decisions.isEmpty() && reasons.isEmpty() && providers.isEmpty()) {
                throw new IllegalStateException("rule " + name + " matches nothing: add decisions, reasons or "
                        + "providers");
            }
            if (level == null) {
                throw new IllegalStateException("rule " + name + " has no level: set level(...)");
            }
            if (duration == null) {
                throw new IllegalStateException("rule " + name + " has no duration: set duration(...)");
            }
            return new ThrottleRule(this);
        }

        private static Duration checkDuration(String what, Duration d) {
            if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException(what + " must be positive and at most " + MAX_DURATION
                        + " (MAX_DURATION): " + d);
            }
            return d;
        }
    }
}
