package org.bouncekit.classifier.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.core.EnhancedStatus;

/**
 * When to try a recipient again, and when to give up, from the recipient's {@link DeliveryHistory}: a value out,
 * no side effects (the application does the sending and the scheduling).
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .clock(clock)
 *         .forDomain("example.com", RetryPolicy.builder().lifetime(Duration.ofDays(2)).build())
 *         .build();
 * RetryDecision d = policy.decide(history);
 * switch (d.action()) {
 *     case RETRY, WAIT_FOR_DESTINATION -> queue.requeue(message, d.retryAt());
 *     case GIVE_UP -> bounce(message, d.status());
 *     case SUPPRESS -> suppress(history.recipient());
 * }
 * }</pre>
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>a classification that is not retryable: {@link RetryDecision.Action#SUPPRESS} if its decision is
 *       {@link Decision#SUPPRESS}, else {@link RetryDecision.Action#GIVE_UP}, with its status (as permanent);</li>
 *   <li>once the lifetime has ended (now, or the last attempt or local deferral, is at or after its end):
 *       {@code GIVE_UP} with the last status, or {@code 4.4.7};</li>
 *   <li>a {@link Reason#GREYLISTED greylisting} deferral among the first few in a row: an early
 *       {@link RetryDecision.Action#RETRY} from the same sending identity;</li>
 *   <li>otherwise the schedule's delay after the last attempt (or local deferral), but never before now:
 *       {@link RetryDecision.Action#WAIT_FOR_DESTINATION} when the classification's decision is
 *       {@link Decision#THROTTLE}, else {@code RETRY}. When that time is past the end of the lifetime, one last
 *       attempt exactly at the end.</li>
 * </ol>
 * The lifetime ends at the anchor ({@link LifetimeAnchor}) plus the smaller of the lifetime (the bounce lifetime
 * for a bounce) and the schedule's own {@link RetrySchedule#cutoff() cutoff}. No retry instant is ever after it.
 *
 * <p>Overrides: the first that matches decides, in this order: a {@linkplain Builder#forDomain domain} (the
 * recipient's domain or its nearest parent), a {@linkplain Builder#forProvider provider}, a
 * {@linkplain Builder#forReason reason}; else this policy. An override brings its schedule, lifetimes, anchor,
 * greylisting and delay warnings; the clock, random source and listeners are always this policy's.
 *
 * <p>Instances are immutable and thread-safe: random draws are taken while holding the generator's monitor.
 */
public final class RetryPolicy {

    /** The most instants {@link #plan} lists. */
    public static final int MAX_PLAN = 1_000;
    /** The most delay warnings a policy takes. */
    public static final int MAX_DELAY_WARNINGS = 32;
    /** The most early greylisting retries a policy takes. */
    public static final int MAX_GREYLIST_RETRIES = 100;

    /**
     * The default schedule, after RFC 5321 §4.5.4.1: retries 30 minutes and again 30 minutes after the first
     * attempt (so two within the first hour), then after 1 h, 1.5 h and 2.25 h, then every 3 hours ("backing off
     * to one every two or three hours"), until 5 days ("at least 4-5 days").
     */
    static final String DEFAULT_RULES = "F,1h,30m; G,4h,1h,1.5; F,5d,3h";
    private static final String EXPIRED = "4.4.7";
    private static final String UNKNOWN_PERMANENT = "5.0.0";
    private static final int MAX_DOMAIN = 253;

    private static final RetryPolicy DEFAULTS = builder().build();

    /** Where the lifetime, and the schedule's elapsed time, are measured from. Thread-safe (an enum). */
    public enum LifetimeAnchor {
        /** The first attempt, that is the time the message has been queued (Postfix, sendmail, KumoMTA). */
        FIRST_ATTEMPT,
        /**
         * The first failure of the recipient (Exim); when the history records none, the failure of its last attempt
         * (the one being decided on).
         */
        FIRST_FAILURE
    }

    private final RetrySchedule schedule;
    private final Duration lifetime;
    private final Duration bounceLifetime;
    private final LifetimeAnchor anchor;
    private final Duration greylistDelay;
    private final int greylistRetries;
    private final List<Duration> delayWarnings;
    private final Map<String, RetryPolicy> domains;
    private final Map<String, RetryPolicy> providers;
    private final Map<Reason, RetryPolicy> reasons;
    private final Clock clock;
    private final RandomGenerator random;
    private final List<RetryListener> listeners;

    private RetryPolicy(Builder b) {
        this.schedule = b.schedule;
        this.lifetime = b.lifetime;
        this.bounceLifetime = b.bounceLifetime;
        this.anchor = b.anchor;
        this.greylistDelay = b.greylistDelay;
        this.greylistRetries = b.greylistRetries;
        this.delayWarnings = List.copyOf(b.delayWarnings);
        this.domains = Map.copyOf(b.domains);
        this.providers = Map.copyOf(b.providers);
        this.reasons = b.reasons.isEmpty() ? Map.of() : new EnumMap<>(b.reasons);
        this.clock = b.clock;
        this.random = b.random != null ? b.random : RandomGenerator.getDefault();
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * @return the default policy, shared: the RFC 5321 schedule {@code F,1h,30m; G,4h,1h,1.5; F,5d,3h}, a lifetime
     *         of 5 days from the first attempt (2 days for bounces), two early greylisting retries after 10 minutes, a
     *         delay warning after 4 hours, the system clock in UTC, no overrides and no listeners
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides what to do after the recipient's last failed attempt, at the clock's now, and tells the listeners.
     *
     * @param history the recipient's history
     * @return the decision
     * @throws NullPointerException  if history is null
     * @throws IllegalStateException if a schedule gives a null or negative delay
     */
    public RetryDecision decide(DeliveryHistory history) {
        Objects.requireNonNull(history, "history");
        RetryDecision d = decideAt(history, clock.instant());
        for (RetryListener l : listeners) {
            switch (d.action()) {
                case SUPPRESS -> l.suppressed(history, d);
                case GIVE_UP -> l.gaveUp(history, d);
                default -> l.retryScheduled(history, d);
            }
        }
        return d;
    }

    /**
     * Every retry instant to come if each further attempt fails the same way (same classification and status) at
     * the instant it is made, starting from the clock's now: what {@code bouncekit plan} prints. Tells no listener;
     * takes random draws as {@link #decide} would.
     *
     * @param history the recipient's history
     * @return the retry instants, in order (never decreasing), at most {@link #MAX_PLAN}; empty when the decision is to stop
     * @throws NullPointerException  if history is null
     * @throws IllegalStateException if a schedule gives a null or negative delay
     */
    public List<Instant> plan(DeliveryHistory history) {
        Objects.requireNonNull(history, "history");
        List<Instant> out = new ArrayList<>();
        Instant now = clock.instant();
        DeliveryHistory h = history;
        while (out.size() < MAX_PLAN) {
            RetryDecision d = decideAt(h, now);
            if (d.retryAt() == null) {
                break;
            }
            out.add(d.retryAt());
            h = h.next(d.retryAt(), h.lastClassification(), h.lastStatus());
            now = d.retryAt();
        }
        return List.copyOf(out);
    }

    private RetryDecision decideAt(DeliveryHistory h, Instant now) {
        RetryPolicy p = select(h);
        Classification c = h.lastClassification();
        Instant from = p.anchorOf(h);
        Duration life = p.lifetimeOf(h);
        Duration span = p.schedule.cutoff().filter(cut -> cut.compareTo(life) < 0).orElse(life);
        Instant end = from.plus(span);
        String what = c.reason().token() + (h.lastStatus() == null ? "" : " (" + h.lastStatus() + ")");

        if (!c.retryable()) {
            String status = permanent(h.lastStatus());
            Instant at = now.isBefore(end) ? now : end;
            if (c.decision() == Decision.SUPPRESS) {
                return new RetryDecision(RetryDecision.Action.SUPPRESS, null, at, status, c.reason(), false,
                        List.of(), what + " is permanent and says the address is bad: suppress " + h.recipient()
                        + ".");
            }
            return new RetryDecision(RetryDecision.Action.GIVE_UP, null, at, status, c.reason(), false, List.of(),
                    what + " is permanent (" + c.decision().token() + "): give up after " + times(h.attempts())
                    + ".");
        }
        Instant base = h.lastActivity();
        if (!now.isBefore(end) || !base.isBefore(end)) {
            return new RetryDecision(RetryDecision.Action.GIVE_UP, null, end,
                    h.lastStatus() == null ? EXPIRED : h.lastStatus(), c.reason(), false, List.of(),
                    what + " after " + times(h.attempts()) + ": the lifetime ended at " + end + " ("
                            + p.describeLifetime(h, span) + "); give up.");
        }

        boolean throttled = c.decision() == Decision.THROTTLE;
        boolean greylisted = !throttled && c.reason() == Reason.GREYLISTED && h.reasonStreak() <= p.greylistRetries;
        Duration delay;
        if (greylisted) {
            delay = p.greylistDelay;
        } else {
            RetrySchedule.Attempt a = new RetrySchedule.Attempt(h.attempts(), Duration.between(from, base),
                    h.previousInterval(), draw());
            delay = RetrySchedules.checked(p.schedule, p.schedule.delay(a));
        }
        Instant scheduled = base.plus(delay);
        Instant at = scheduled.isBefore(now) ? now : scheduled;
        boolean last = at.isAfter(end);
        if (last) {
            at = end;
        }

        StringBuilder why = new StringBuilder(what).append(" after ").append(times(h.attempts())).append(": ");
        if (throttled) {
            why.append("the destination throttles; wait for it, and retry not before ");
        } else if (greylisted) {
            why.append("greylisting deferral ").append(h.reasonStreak()).append(" of ").append(p.greylistRetries)
                    .append(", retried early from the same sending IP and identity at ");
        } else {
            why.append("retry at ");
        }
        why.append(at);
        String since = h.lastLocalDeferral() == null ? "the last attempt" : "the last local deferral";
        String source = greylisted ? "" : " by the schedule " + p.schedule;
        if (last) {
            why.append(", one last attempt at the end of the lifetime, before the scheduled ").append(scheduled)
                    .append(" (").append(RetrySchedules.format(delay)).append(" after ").append(since).append(source)
                    .append(')');
        } else if (at.equals(scheduled)) {
            why.append(", ").append(RetrySchedules.format(delay)).append(" after ").append(since).append(source);
        } else {
            why.append(", now: the scheduled time ").append(scheduled).append(" has passed");
        }
        why.append(". Gives up at ").append(end).append(" (").append(p.describeLifetime(h, span)).append(").");

        List<Instant> warnings = new ArrayList<>();
        if (!h.bounce()) {
            for (Duration offset : p.delayWarnings) {
                Instant w = from.plus(offset);
                if (w.isAfter(now) && w.isBefore(end)) {
                    warnings.add(w);
                }
            }
        }
        return new RetryDecision(throttled ? RetryDecision.Action.WAIT_FOR_DESTINATION : RetryDecision.Action.RETRY,
                at, end, h.lastStatus(), c.reason(), greylisted, warnings, why.toString());
    }

    /** The override for the history, or this policy. */
    private RetryPolicy select(DeliveryHistory h) {
        if (!domains.isEmpty()) {
            String d = domainOf(h.recipient());
            if (d != null && d.length() > 253) {
                d = null; // no domain is longer: no override can match, and a hostile one costs nothing
            }
            while (d != null) {
                RetryPolicy p = domains.get(d);
                if (p != null) {
                    return p;
                }
                int dot = d.indexOf('.');
                d = dot < 0 ? null : d.substring(dot + 1);
            }
        }
        String provider = h.lastClassification().provider();
        if (provider != null && !providers.isEmpty()) {
            RetryPolicy p = providers.get(provider.strip().toLowerCase(Locale.ROOT));
            if (p != null) {
                return p;
            }
        }
        RetryPolicy p = reasons.get(h.lastClassification().reason());
        return p != null ? p : this;
    }

    private Instant anchorOf(DeliveryHistory h) {
        if (anchor == LifetimeAnchor.FIRST_ATTEMPT) {
            return h.firstAttempt();
        }
        return h.firstFailure() != null ? h.firstFailure() : h.lastAttempt();
    }

    /** Whether the bounce lifetime applies: to a bounce, when it is the shorter. */
    private boolean bounceLifetimeApplies(DeliveryHistory h) {
        return h.bounce() && bounceLifetime.compareTo(lifetime) < 0;
    }

    private Duration lifetimeOf(DeliveryHistory h) {
        return bounceLifetimeApplies(h) ? bounceLifetime : lifetime;
    }

    private String describeLifetime(DeliveryHistory h, Duration span) {
        return (!span.equals(lifetimeOf(h)) ? "schedule cutoff "
                : bounceLifetimeApplies(h) ? "bounce lifetime " : "lifetime ")
                + RetrySchedules.format(span) + " from the "
                + (anchor == LifetimeAnchor.FIRST_FAILURE ? "first failure" : "first attempt");
    }

    private double draw() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    /** A status fit for a final failure: class 5, {@code 5.0.0} when there is none. */
    private static String permanent(String status) {
        if (status == null) {
            return UNKNOWN_PERMANENT;
        }
        EnhancedStatus s = EnhancedStatus.parse(status).orElseThrow();
        return s.isPermanent() ? status : new EnhancedStatus(5, s.subject(), s.detail()).toString();
    }

    private static String times(int attempts) {
        return attempts == 1 ? "1 attempt" : attempts + " attempts";
    }

    /** The domain of an address, lower case, without a trailing dot; null when there is no {@code @}. */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String d = address.substring(at + 1).strip();
        if (d.endsWith(">")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? null : d.toLowerCase(Locale.ROOT);
    }

    /** @return the schedule */
    public RetrySchedule schedule() {
        return schedule;
    }

    /** @return the lifetime of an ordinary message */
    public Duration lifetime() {
        return lifetime;
    }

    /** @return the lifetime of a bounce or DSN (never longer than {@link #lifetime()} in effect) */
    public Duration bounceLifetime() {
        return bounceLifetime;
    }

    /** @return where the lifetime is measured from */
    public LifetimeAnchor lifetimeFrom() {
        return anchor;
    }

    /** @return the delay of an early retry after greylisting */
    public Duration greylistDelay() {
        return greylistDelay;
    }

    /** @return how many greylisting deferrals in a row are retried early */
    public int greylistRetries() {
        return greylistRetries;
    }

    /** @return the delay-warning offsets from the anchor, ascending */
    public List<Duration> delayWarnings() {
        return delayWarnings;
    }

    /** @return the clock */
    public Clock clock() {
        return clock;
    }

    /** Describes the settings (not the overrides' own). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("RetryPolicy[schedule=").append(schedule)
                .append(", lifetime=").append(RetrySchedules.format(lifetime))
                .append(", bounceLifetime=").append(RetrySchedules.format(bounceLifetime))
                .append(", from=").append(anchor.name().toLowerCase(Locale.ROOT))
                .append(", greylisting=").append(greylistRetries).append('x')
                .append(RetrySchedules.format(greylistDelay))
                .append(", delayWarnings=[");
        for (int i = 0; i < delayWarnings.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(RetrySchedules.format(delayWarnings.get(i)));
        }
        b.append(']');
        if (hasOverrides()) {
            b.append(", overrides=").append(domains.size() + providers.size() + reasons.size());
        }
        return b.append(']').toString();
    }

    private boolean hasOverrides() {
        return !domains.isEmpty() || !providers.isEmpty() || !reasons.isEmpty();
    }

    /**
     * Builds a {@link RetryPolicy}, starting from the {@linkplain RetryPolicy#defaults() defaults}.
     *
     * <p>Setters validate at once; not thread-safe. {@link #build()} copies, so one builder can build several
     * policies.
     */
    public static final class Builder {
        private RetrySchedule schedule = SegmentedSchedule.parse(DEFAULT_RULES);
        private Duration lifetime = Duration.ofDays(5);
        private Duration bounceLifetime = Duration.ofDays(2);
        private LifetimeAnchor anchor = LifetimeAnchor.FIRST_ATTEMPT;
        private Duration greylistDelay = Duration.ofMinutes(10);
        private int greylistRetries = 2;
        private List<Duration> delayWarnings = List.of(Duration.ofHours(4));
        private final Map<String, RetryPolicy> domains = new LinkedHashMap<>();
        private final Map<String, RetryPolicy> providers = new LinkedHashMap<>();
        private final Map<Reason, RetryPolicy> reasons = new EnumMap<>(Reason.class);
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random;
        private final List<RetryListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param schedule the schedule; default {@code F,1h,30m; G,4h,1h,1.5; F,5d,3h} (RFC 5321 §4.5.4.1: 30
         *                 minutes, two attempts in the first hour, backing off to every 3 hours, 5 days)
         * @return this builder
         * @throws NullPointerException if schedule is null
         */
        public Builder schedule(RetrySchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * @param lifetime how long an ordinary message is tried, from the anchor; zero tries once; default 5 days
         * @return this builder
         * @throws NullPointerException     if lifetime is null
         * @throws IllegalArgumentException if it is negative or longer than 3650 days
         */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime("lifetime", lifetime);
            return this;
        }

        /**
         * @param bounceLifetime how long a bounce or DSN is tried (RFC 5321 §4.5.4.1 allows less); never longer
         *                       than the lifetime in effect; default 2 days
         * @return this builder
         * @throws NullPointerException     if bounceLifetime is null
         * @throws IllegalArgumentException if it is negative or longer than 3650 days
         */
        public Builder bounceLifetime(Duration bounceLifetime) {
            this.bounceLifetime = lifetime("bounceLifetime", bounceLifetime);
            return this;
        }

        /**
         * @param anchor where the lifetime and the schedule's elapsed time are measured from; default
         *               {@link LifetimeAnchor#FIRST_ATTEMPT}
         * @return this builder
         * @throws NullPointerException if anchor is null
         */
        public Builder lifetimeFrom(LifetimeAnchor anchor) {
            this.anchor = Objects.requireNonNull(anchor, "anchor");
            return this;
        }

        /**
         * Greylisting ({@link Reason#GREYLISTED}) asks for a retry from the same sender soon: the first
         * {@code retries} greylisting deferrals in a row are retried after {@code delay}, from the same sending
         * identity; later ones follow the schedule.
         *
         * @param delay   the early retry's delay, positive; default 10 minutes
         * @param retries how many deferrals in a row are retried early, 0 (off) to 100; default 2
         * @return this builder
         * @throws NullPointerException     if delay is null
         * @throws IllegalArgumentException if delay is not positive or longer than 3650 days, or retries is out of
         *                                  range
         */
        public Builder greylisting(Duration delay, int retries) {
            RetrySchedules.positive("greylisting delay", delay);
            if (retries < 0 || retries > MAX_GREYLIST_RETRIES) {
                throw new IllegalArgumentException("greylisting retries must be from 0 to " + MAX_GREYLIST_RETRIES
                        + ", was " + retries);
            }
            this.greylistDelay = delay;
            this.greylistRetries = retries;
            return this;
        }

        /**
         * @param offsets when to warn the sender that the message is delayed, from the anchor (sendmail's
         *                {@code Timeout.queuewarn}); none turns warnings off; default 4 hours
         * @return this builder
         * @throws NullPointerException     if the array or an offset is null
         * @throws IllegalArgumentException if an offset is not positive or longer than 3650 days, or there are
         *                                  more than {@link #MAX_DELAY_WARNINGS}
         */
        public Builder delayWarnings(Duration... offsets) {
            Objects.requireNonNull(offsets, "offsets");
            if (offsets.length > MAX_DELAY_WARNINGS) {
                throw new IllegalArgumentException("at most " + MAX_DELAY_WARNINGS + " delay warnings, were "
                        + offsets.length);
            }
            TreeSet<Duration> sorted = new TreeSet<>();
            for (int i = 0; i < offsets.length; i++) {
                sorted.add(RetrySchedules.positive("offsets[" + i + "]", offsets[i]));
            }
            this.delayWarnings = List.copyOf(sorted);
            return this;
        }

        /**
         * Uses another policy for the recipients of a domain and of its subdomains (the nearest registered parent
         * wins); domains match case-insensitively. Takes precedence over provider and reason overrides. A later
         * call for the same domain replaces the earlier one.
         *
         * @param domain the domain, such as {@code example.com}
         * @param policy the policy; it must have no overrides of its own
         * @return this builder
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if the domain is not a domain name, or the policy has overrides
         */
        public Builder forDomain(String domain, RetryPolicy policy) {
            Objects.requireNonNull(domain, "domain");
            domains.put(domain(domain), override(policy));
            return this;
        }

        /**
         * Uses another policy when the last classification's {@link Classification#provider()} is this one
         * (case-insensitively). Takes precedence over reason overrides. A later call for the same provider replaces
         * the earlier one.
         *
         * @param provider the provider, such as {@code gmail}
         * @param policy   the policy; it must have no overrides of its own
         * @return this builder
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if the provider is blank, or the policy has overrides
         */
        public Builder forProvider(String provider, RetryPolicy policy) {
            Objects.requireNonNull(provider, "provider");
            if (provider.isBlank()) {
                throw new IllegalArgumentException("provider must not be blank");
            }
            providers.put(provider.strip().toLowerCase(Locale.ROOT), override(policy));
            return this;
        }

        /**
         * Uses another policy when the last classification's reason is this one. A later call for the same reason
         * replaces the earlier one.
         *
         * @param reason the reason, such as {@link Reason#MAILBOXFULL}
         * @param policy the policy; it must have no overrides of its own
         * @return this builder
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if the policy has overrides
         */
        public Builder forReason(Reason reason, RetryPolicy policy) {
            Objects.requireNonNull(reason, "reason");
            reasons.put(reason, override(policy));
            return this;
        }

        /**
         * @param clock the source of now; default the system clock in UTC
         * @return this builder
         * @throws NullPointerException if clock is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param random the source of the schedules' random draws, used while holding its monitor; a seeded one
         *               and a fixed clock make decisions reproducible; default {@link RandomGenerator#getDefault()},
         *               a new one per built policy
         * @return this builder
         * @throws NullPointerException if random is null
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @param listener a listener to tell of every decision, after the ones added before
         * @return this builder
         * @throws NullPointerException if listener is null
         */
        public Builder listener(RetryListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** @return the policy */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }

        private static Duration lifetime(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.compareTo(RetrySchedules.MAX) > 0) {
                throw new IllegalArgumentException(name + " must be from 0 to 3650 days, was " + d);
            }
            return d;
        }

        private static RetryPolicy override(RetryPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            if (policy.hasOverrides()) {
                throw new IllegalArgumentException("an override must have no overrides of its own: " + policy);
            }
            return policy;
        }

        private static String domain(String domain) {
            String d = domain.strip();
            if (d.endsWith(".")) {
                d = d.substring(0, d.length() - 1);
            }
            d = d.toLowerCase(Locale.ROOT);
            boolean ok = !d.isEmpty() && d.length() <= MAX_DOMAIN && !d.startsWith(".") && !d.contains("..");
            for (int i = 0; ok && i < d.length(); i++) {
                char c = d.charAt(i);
                ok = c > ' ' && c != '@' && c != 0x7f;
            }
            if (!ok) {
                throw new IllegalArgumentException("not a domain name: \""
                        + (domain.length() > 60 ? domain.substring(0, 57) + "..." : domain) + "\"");
            }
            return d;
        }
    }
}
