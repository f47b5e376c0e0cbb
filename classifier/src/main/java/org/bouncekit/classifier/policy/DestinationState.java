package org.bouncekit.classifier.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link DestinationThrottle} remembers about one destination: the instants of each rule's recent counted
 * signals and the holds the rules have put the destination in. A value: every transition returns a new state, so
 * an application can keep states wherever it likes (a map, a database row) and a restart loses nothing.
 *
 * <p>The level is a function of time: {@link #level(Instant)} is {@link Level#SUSPENDED} while a SUSPENDED hold
 * lasts, else {@link Level#BACKOFF} while a BACKOFF hold lasts, else {@link Level#NORMAL}. A state therefore
 * recovers by itself once its holds end.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param key    the destination
 * @param latest the newest counted signal's instant, or null when none was counted
 * @param recent per rule name, the instants of its recent counted signals in ascending order; rules without any are
 *               absent; unmodifiable. {@link DestinationThrottle} keeps at most the rule's count, none a window or
 *               more before {@code latest}, and none for an immediate rule
 * @param holds  per rule name, the hold the rule put the destination in; unmodifiable
 */
public record DestinationState(DestinationKey key, Instant latest, Map<String, List<Instant>> recent,
                               Map<String, Hold> holds) {

    /**
     * How much a destination is held back. Ordered from no restriction to the most.
     *
     * <p>Thread-safe (an enum).
     */
    public enum Level {
        /** Send as usual. */
        NORMAL,
        /** Send slowly: fewer messages and connections ({@link ThrottleAdvice}). */
        BACKOFF,
        /** Send nothing until the hold ends. */
        SUSPENDED
    }

    /**
     * A rule's hold on a destination: the level and when it ends (exclusive).
     *
     * <p>Instances are immutable and thread-safe.
     *
     * @param level BACKOFF or SUSPENDED
     * @param until the first instant the hold no longer applies
     */
    public record Hold(Level level, Instant until) {

        /**
         * Creates the hold.
         *
         * @param level see {@link #level()}
         * @param until see {@link #until()}
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if the level is {@link Level#NORMAL}
         */
        public Hold {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(until, "until");
            if (level == Level.NORMAL) {
                throw new IllegalArgumentException("a hold's level must be BACKOFF or SUSPENDED: " + level);
            }
        }
    }

    /**
     * Creates the state, copying the maps and lists.
     *
     * @param key    see {@link #key()}
     * @param latest see {@link #latest()}
     * @param recent see {@link #recent()}
     * @param holds  see {@link #holds()}
     * @throws NullPointerException     if {@code key}, {@code recent}, {@code holds} or an entry is null
     * @throws IllegalArgumentException if there are more than {@link DestinationThrottle#MAX_RULES} rules, a list
     *                                  is empty, longer than {@link ThrottleRule#MAX_COUNT}, not in ascending order,
     *                                  or holds an instant after {@code latest} or outside the range of
     *                                  {@link ThrottleSignal}; or there are recent instants without {@code latest}
     */
    public DestinationState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(recent, "recent");
        Objects.requireNonNull(holds, "holds");
        if (latest != null) {
            ThrottleSignal.checkInstant("latest", latest);
        }
        if (recent.size() > DestinationThrottle.MAX_RULES || holds.size() > DestinationThrottle.MAX_RULES) {
            throw new IllegalArgumentException("at most " + DestinationThrottle.MAX_RULES
                    + " rules per state (MAX_RULES): " + Math.max(recent.size(), holds.size()));
        }
        TreeMap<String, List<Instant>> r = new TreeMap<>();
        for (Map.Entry<String, List<Instant>> e : recent.entrySet()) {
            String rule = Objects.requireNonNull(e.getKey(), "rule name");
            List<Instant> list = List.copyOf(e.getValue());
            if (list.isEmpty() || list.size() > ThrottleRule.MAX_COUNT) {
                throw new IllegalArgumentException("rule " + rule + " must have 1 to " + ThrottleRule.MAX_COUNT
                        + " recent instants (MAX_COUNT): " + list.size());
            }
            if (latest == null) {
                throw new IllegalArgumentException("recent instants for rule " + rule + " but no latest signal");
            }
            for (int i = 0; i < list.size(); i++) {
                ThrottleSignal.checkInstant("recent instant", list.get(i));
                if (i > 0 && list.get(i).isBefore(list.get(i - 1))) {
                    throw new IllegalArgumentException("recent instants of rule " + rule + " not ascending at index "
                            + i);
                }
            }
            if (list.get(list.size() - 1).isAfter(latest)) {
                throw new IllegalArgumentException("recent instant of rule " + rule + " after latest " + latest);
            }
            r.put(rule, list);
        }
        TreeMap<String, Hold> h = new TreeMap<>();
        for (Map.Entry<String, Hold> e : holds.entrySet()) {
            h.put(Objects.requireNonNull(e.getKey(), "rule name"), Objects.requireNonNull(e.getValue(), "hold"));
        }
        recent = Collections.unmodifiableMap(r);
        holds = Collections.unmodifiableMap(h);
    }

    /**
     * @param key a destination
     * @return the state of a destination nothing is known about: NORMAL
     * @throws NullPointerException if the key is null
     */
    public static DestinationState initial(DestinationKey key) {
        return new DestinationState(key, null, Map.of(), Map.of());
    }

    /**
     * @param now an instant
     * @return SUSPENDED if {@code now} is before {@link #suspendedUntil()}, else BACKOFF if it is before
     *         {@link #backoffUntil()}, else NORMAL
     * @throws NullPointerException if {@code now} is null
     */
    public Level level(Instant now) {
        Objects.requireNonNull(now, "now");
        Instant s = suspendedUntil();
        if (s != null && now.isBefore(s)) {
            return Level.SUSPENDED;
        }
        Instant b = backoffUntil();
        return b != null && now.isBefore(b) ? Level.BACKOFF : Level.NORMAL;
    }

    /** @return when the last BACKOFF hold ends (possibly in the past), or null when there is none */
    public Instant backoffUntil() {
        return until(Level.BACKOFF);
    }

    /** @return when the last SUSPENDED hold ends (possibly in the past), or null when there is none */
    public Instant suspendedUntil() {
        return until(Level.SUSPENDED);
    }

    /**
     * @param level a level
     * @return when the last hold at that level ends, or null for NORMAL or when there is none
     * @throws NullPointerException if the level is null
     */
    public Instant until(Level level) {
        String rule = rule(level);
        return rule == null ? null : holds.get(rule).until();
    }

    /**
     * @param level a level
     * @return the name of the rule whose hold at that level ends last (the first by name on a tie), or null for
     *         NORMAL or when there is none
     * @throws NullPointerException if the level is null
     */
    public String rule(Level level) {
        Objects.requireNonNull(level, "level");
        String best = null;
        Instant end = null;
        for (Map.Entry<String, Hold> e : holds.entrySet()) {
            Hold h = e.getValue();
            if (h.level() == level && (end == null || h.until().isAfter(end))) {
                best = e.getKey();
                end = h.until();
            }
        }
        return best;
    }

    /** @return the instants the holds end, ascending and distinct: the instants the level may change by itself */
    List<Instant> holdEnds() {
        List<Instant> ends = new ArrayList<>();
        for (Hold h : holds.values()) {
            if (!ends.contains(h.until())) {
                ends.add(h.until());
            }
        }
        Collections.sort(ends);
        return ends;
    }
}
