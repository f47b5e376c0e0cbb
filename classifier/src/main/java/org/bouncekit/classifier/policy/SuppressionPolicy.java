package org.bouncekit.classifier.policy;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncekit.classifier.BounceType;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.SuppressionState.Cause;
import org.bouncekit.classifier.policy.SuppressionState.Status;

/**
 * When to stop sending to an address, by the class of what happened to it: list hygiene that removes bad and
 * unwilling addresses without losing good ones to the sender's own problems.
 *
 * <h2>Classes</h2>
 * {@link #category(Classification)} sorts a classification into a {@link Category}, in this order:
 * <ol>
 *   <li>{@link Category#COMPLAINT}: type {@link BounceType#COMPLAINT} or reason {@link Reason#FEEDBACK}. The
 *       address is suppressed at once.</li>
 *   <li>{@link Category#SENDER_SIDE}: a reason of {@link #senderSideReasons()} (reputation, blocklists,
 *       authentication, content, the recipient organisation's policy, throttling, the sender's SMTP errors), or a
 *       decision that asks the sender to act ({@link Decision#THROTTLE}, {@link Decision#FIX_SENDER},
 *       {@link Decision#REVIEW_CONTENT}). <b>Never</b> suppresses nor counts: the same address takes mail once the
 *       sender's problem is fixed, and suppressing it would turn one blocklisting into the loss of a whole list.
 *       The reason set wins over the type: a rule that labels {@code blocked} {@link BounceType#HARD} or decides
 *       {@link Decision#SUPPRESS} for it still suppresses nothing.</li>
 *   <li>{@link Category#DELIVERY}: type or reason delivered. Clears the soft-bounce count.</li>
 *   <li>{@link Category#NONE} for greylisting ({@link Reason#GREYLISTED}: any new sender is deferred; it says
 *       nothing of the mailbox), auto-replies, and undetermined verdicts: they change nothing. An auto-reply whose
 *       words say the mailbox is gone (the classifier decides {@link Decision#SUPPRESS}, as for "this inbox is no
 *       longer in use") is the exception: it is a hard bounce.</li>
 *   <li>{@link Category#HARD_BOUNCE}: decision {@link Decision#SUPPRESS} or type {@link BounceType#HARD}
 *       ({@code userunknown}, {@code hostunknown}, {@code hasmoved}, {@code notaccept}, a mailbox declared full
 *       and abandoned). The address is suppressed at once.</li>
 *   <li>{@link Category#SENDER_SIDE} for any other {@link BounceType#BLOCK} or
 *       {@link Decision#CONTACT_RECIPIENT_ADMIN} (a recipient-side filter).</li>
 *   <li>{@link Category#SOFT_BOUNCE}: type {@link BounceType#SOFT} with decision {@link Decision#RETRY}, a
 *       problem of the mailbox or its domain ({@code mailboxfull}, {@code suspend}, {@code systemerror}, ...),
 *       but not {@code expired} (a message that waited too long in a queue, often because a destination
 *       throttled us) or {@code networkerror}. Counted: enough of them within the window suppress.</li>
 *   <li>{@link Category#NONE} for anything else.</li>
 * </ol>
 *
 * <h2>Soft bounces</h2>
 * The address is suppressed when {@link #softBounceThreshold()} counted soft bounces lie less than
 * {@link #softBounceWindow()} apart. A soft bounce less than {@link #softBounceSpacing()} from one already counted
 * is the same episode and is not counted again, so that the retries of one message (an MTA's, or an application's
 * own that records every deferral) count once. The default is <b>3 on different days within 7 days</b>: a mailbox
 * that refuses mail on three separate days of one week is full and unread, or disabled; a single full day is noise.
 * ESPs calibrate differently because they count other things: Mailchimp cleans after 7 soft-bouncing campaigns (15
 * for subscribers with activity), each campaign's retries over three days counting once; Emailit gives one message
 * 7 retries over about 21 hours. Three days in a week is stricter than Mailchimp, so a soft-bounce suppression
 * expires (30 days by default) and a mailbox that comes back gets mail again. A delivery clears the count.
 *
 * <h2>Expiry</h2>
 * Each {@link Cause} has its own expiry ({@link #expiry(Cause)}); by default hard bounces 365 days (a wrongly
 * classified address comes back, and an address still dead simply bounces again — set {@code null} to follow SES
 * and Postmark, which never re-mail a hard bounce and so never feed a recycled spam trap), complaints never (the
 * recipient asked not to be mailed), soft bounces 30 days, manual suppressions never. A suppressed address that
 * gets a new suppressing classification keeps the suppression that lasts longer (never is longest), and keeps its
 * {@code since}.
 *
 * <h2>Transitions</h2>
 * {@link #apply}, {@link #suppress} and {@link #reactivate} are pure functions of the current state, the event and
 * its instant; they neither read the clock nor call the listener. {@link SuppressionList} does both around a
 * {@link SuppressionStore}. An expired suppression is lifted (soft-bounce count cleared) before an event that
 * changes the state is applied; events older than the state are applied at their own instant, so a stale hard
 * bounce gives a suppression that has already expired.
 *
 * <pre>{@code
 * SuppressionPolicy policy = SuppressionPolicy.builder()
 *         .softBounceThreshold(5)
 *         .softBounceWindow(Duration.ofDays(14))
 *         .expiry(SuppressionState.Cause.HARD_BOUNCE, null) // never
 *         .build();
 * SuppressionState next = policy.apply(current, "bob@example.com", classification, policy.clock().instant());
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SuppressionPolicy {

    /** What a classification means for an address's suppression. Thread-safe (an enum). */
    public enum Category {
        /** The address itself is bad: suppress at once. */
        HARD_BOUNCE,
        /** The recipient complained: suppress at once. */
        COMPLAINT,
        /** A problem of the mailbox that may pass: count it. */
        SOFT_BOUNCE,
        /** Delivered: clear the soft-bounce count. */
        DELIVERY,
        /** The sender's problem (reputation, blocklist, authentication, content, policy, throttling): never. */
        SENDER_SIDE,
        /** Nothing to do with the address (greylisting, auto-reply, undetermined): change nothing. */
        NONE
    }

    /** The most soft bounces a policy may require: each state keeps that many instants. */
    public static final int MAX_SOFT_BOUNCE_THRESHOLD = SuppressionState.MAX_SOFT_BOUNCES;

    private static final Set<Reason> SENDER_SIDE_REASONS = Collections.unmodifiableSet(EnumSet.of(
            // reputation and blocklists
            Reason.BADREPUTATION, Reason.BLOCKED,
            // authentication and transport security
            Reason.AUTHFAILURE, Reason.REQUIREPTR, Reason.FAILEDSTARTTLS, Reason.SECURITYERROR,
            // content: the same address takes another message
            Reason.SPAMDETECTED, Reason.VIRUSDETECTED, Reason.CONTENTERROR, Reason.MESGTOOBIG,
            Reason.NOTCOMPLIANTRFC, Reason.EXCEEDLIMIT,
            // the recipient organisation's policy, relaying, the envelope sender
            Reason.POLICYVIOLATION, Reason.REJECTED, Reason.NORELAYING,
            // throttling
            Reason.SPEEDING, Reason.TOOMANYCONN,
            // the sending client's own SMTP mistakes
            Reason.SYNTAXERROR));
    private static final Set<Decision> SENDER_DECISIONS = EnumSet.of(Decision.THROTTLE, Decision.FIX_SENDER,
            Decision.REVIEW_CONTENT);
    private static final SuppressionListener NO_LISTENER = new SuppressionListener() {
        @Override
        public String toString() {
            return "no listener";
        }
    };
    private static final SuppressionPolicy DEFAULTS = builder().build();

    private final int softBounceThreshold;
    private final Duration softBounceWindow;
    private final Duration softBounceSpacing;
    /** Expiry by cause; a null value is never. */
    private final Map<Cause, Duration> expiries;
    private final Clock clock;
    private final SuppressionListener listener;

    private SuppressionPolicy(Builder b) {
        this.softBounceThreshold = b.softBounceThreshold;
        this.softBounceWindow = b.softBounceWindow;
        this.softBounceSpacing = b.softBounceSpacing;
        this.expiries = new EnumMap<>(b.expiries);
        this.clock = b.clock;
        this.listener = b.listener;
    }

    /**
     * The defaults: 3 soft bounces at least 1 day apart within 7 days suppress; hard bounces expire after 365
     * days, soft-bounce suppressions after 30, complaints and manual suppressions never; the UTC system clock; no
     * listener.
     *
     * @return the default policy, shared
     */
    public static SuppressionPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reasons that never suppress, whatever the type or decision of the classification: reputation
     * ({@code badreputation}), blocklists ({@code blocked}), authentication ({@code authfailure},
     * {@code requireptr}, {@code failedstarttls}, {@code securityerror}), content ({@code spamdetected},
     * {@code virusdetected}, {@code contenterror}, {@code mesgtoobig}, {@code notcompliantrfc},
     * {@code exceedlimit}), the recipient organisation's policy ({@code policyviolation}, {@code rejected},
     * {@code norelaying}), throttling ({@code speeding}, {@code toomanyconn}) and the sending client's own
     * {@code syntaxerror}.
     *
     * @return the reasons, unmodifiable
     */
    public static Set<Reason> senderSideReasons() {
        return SENDER_SIDE_REASONS;
    }

    /** @return how many counted soft bounces within the window suppress an address (default 3) */
    public int softBounceThreshold() {
        return softBounceThreshold;
    }

    /** @return the window: counted soft bounces less than this apart add up (default 7 days) */
    public Duration softBounceWindow() {
        return softBounceWindow;
    }

    /** @return the spacing: a soft bounce less than this from a counted one is not counted (default 1 day) */
    public Duration softBounceSpacing() {
        return softBounceSpacing;
    }

    /**
     * @param cause a cause
     * @return how long a suppression for that cause lasts, or empty for never
     * @throws NullPointerException when cause is null
     */
    public Optional<Duration> expiry(Cause cause) {
        return Optional.ofNullable(expiries.get(Objects.requireNonNull(cause, "cause")));
    }

    /** @return the clock a {@link SuppressionList} reads (the policy's own transitions take instants) */
    public Clock clock() {
        return clock;
    }

    /** @return the listener a {@link SuppressionList} tells of suppressions and reactivations */
    public SuppressionListener listener() {
        return listener;
    }

    /**
     * Soft bounces that say nothing about the mailbox: a message that expired in a queue (often our own, throttled
     * or suspended by a destination) and network failures on the way. They are not counted.
     */
    private static final Set<Reason> NOT_THE_MAILBOX = Set.of(Reason.EXPIRED, Reason.NETWORKERROR);

    /**
     * Sorts a classification into what it means for suppression (see the class documentation for the order).
     * Null fields of the classification match nothing.
     *
     * @param c a classification
     * @return its category
     * @throws NullPointerException when c is null
     */
    public Category category(Classification c) {
        Objects.requireNonNull(c, "classification");
        Reason reason = c.reason();
        BounceType type = c.type();
        Decision decision = c.decision();
        if (type == BounceType.COMPLAINT || reason == Reason.FEEDBACK) {
            return Category.COMPLAINT;
        }
        if (reason != null && SENDER_SIDE_REASONS.contains(reason)
                || decision != null && SENDER_DECISIONS.contains(decision)) {
            return Category.SENDER_SIDE;
        }
        if (type == BounceType.DELIVERED || reason == Reason.DELIVERED) {
            return Category.DELIVERY;
        }
        if (reason == Reason.GREYLISTED || type == BounceType.UNDETERMINED) {
            return Category.NONE;
        }
        if (type == BounceType.AUTO_REPLY) {
            return decision == Decision.SUPPRESS ? Category.HARD_BOUNCE : Category.NONE;
        }
        if (decision == Decision.SUPPRESS || type == BounceType.HARD) {
            return Category.HARD_BOUNCE;
        }
        if (type == BounceType.BLOCK || decision == Decision.CONTACT_RECIPIENT_ADMIN) {
            return Category.SENDER_SIDE;
        }
        if (type == BounceType.SOFT && decision == Decision.RETRY && !NOT_THE_MAILBOX.contains(reason)) {
            return Category.SOFT_BOUNCE;
        }
        return Category.NONE;
    }

    /**
     * The state of an address after a classification at an instant. Hard bounces and complaints suppress, counted
     * soft bounces suppress once enough lie within the window, a delivery clears the count; sender-side and other
     * classifications change nothing and return {@code current} itself (or a fresh active state when it is null).
     * Every change sets {@code lastReason} to the classification's reason and {@code lastUpdate} to the later of
     * {@code at} and the current {@code lastUpdate}.
     *
     * @param current the address's state, or null when it has none
     * @param address the address (normalised by {@link SuppressionState#normalize(String)})
     * @param c       the classification of a report or reply about the address
     * @param at      when it happened
     * @return the new state
     * @throws NullPointerException     when address, c or at is null
     * @throws IllegalArgumentException when the address is invalid or is not {@code current}'s
     */
    public SuppressionState apply(SuppressionState current, String address, Classification c, Instant at) {
        Objects.requireNonNull(c, "classification");
        Objects.requireNonNull(at, "at");
        String key = key(current, address);
        Category category = category(c);
        if (category == Category.NONE || category == Category.SENDER_SIDE) {
            return current != null ? current : SuppressionState.active(key, at);
        }
        SuppressionState base = current == null ? SuppressionState.active(key, at) : lapse(current, at);
        Instant updated = latest(base.lastUpdate(), at);
        switch (category) {
            case HARD_BOUNCE:
                return suppressWith(base, Cause.HARD_BOUNCE, at, base.softBounces(), c.reason(), updated);
            case COMPLAINT:
                return suppressWith(base, Cause.COMPLAINT, at, base.softBounces(), c.reason(), updated);
            case DELIVERY:
                return new SuppressionState(key, base.status(), base.cause(), base.since(), base.until(), List.of(),
                        c.reason(), updated);
            case SOFT_BOUNCE:
            default:
                List<Instant> counted = count(base.softBounces(), at);
                if (counted == null) { // the same episode as one already counted
                    return new SuppressionState(key, base.status(), base.cause(), base.since(), base.until(),
                            base.softBounces(), c.reason(), updated);
                }
                if (counted.size() >= softBounceThreshold && counted.contains(at)) {
                    return suppressWith(base, Cause.SOFT_BOUNCES, at, counted, c.reason(), updated);
                }
                return new SuppressionState(key, base.status(), base.cause(), base.since(), base.until(), counted,
                        c.reason(), updated);
        }
    }

    /**
     * The state of an address after the application suppressed it itself ({@link Cause#MANUAL}, which expires
     * after {@link #expiry(Cause)}). An address already suppressed keeps the suppression that lasts longer.
     *
     * @param current the address's state, or null when it has none
     * @param address the address
     * @param at      when
     * @return the new state
     * @throws NullPointerException     when address or at is null
     * @throws IllegalArgumentException when the address is invalid or is not {@code current}'s
     */
    public SuppressionState suppress(SuppressionState current, String address, Instant at) {
        Objects.requireNonNull(at, "at");
        String key = key(current, address);
        SuppressionState base = current == null ? SuppressionState.active(key, at) : lapse(current, at);
        return suppressWith(base, Cause.MANUAL, at, base.softBounces(), base.lastReason(),
                latest(base.lastUpdate(), at));
    }

    /**
     * The state of an address after the application reactivated it: active, soft-bounce count cleared, whatever
     * the cause (reactivating a complaint is the application's decision, and should follow the recipient's new
     * consent). The last reason is kept.
     *
     * @param current the address's state, or null when it has none
     * @param address the address
     * @param at      when
     * @return the new state
     * @throws NullPointerException     when address or at is null
     * @throws IllegalArgumentException when the address is invalid or is not {@code current}'s
     */
    public SuppressionState reactivate(SuppressionState current, String address, Instant at) {
        Objects.requireNonNull(at, "at");
        String key = key(current, address);
        if (current == null) {
            return SuppressionState.active(key, at);
        }
        return new SuppressionState(key, Status.ACTIVE, null, null, null, List.of(), current.lastReason(),
                latest(current.lastUpdate(), at));
    }

    private static String key(SuppressionState current, String address) {
        String key = SuppressionState.normalize(address);
        if (current != null && !current.address().equals(key)) {
            throw new IllegalArgumentException("the state is " + current.address() + "'s, not " + key + "'s");
        }
        return key;
    }

    /** The state with an expired suppression lifted (and its count cleared); the state itself otherwise. */
    private static SuppressionState lapse(SuppressionState s, Instant at) {
        if (s.status() == Status.SUPPRESSED && !s.isSuppressed(at)) {
            return new SuppressionState(s.address(), Status.ACTIVE, null, null, null, List.of(), s.lastReason(),
                    latest(s.lastUpdate(), s.until()));
        }
        return s;
    }

    private SuppressionState suppressWith(SuppressionState base, Cause cause, Instant at, List<Instant> soft,
                                          Reason reason, Instant updated) {
        Duration expiry = expiries.get(cause);
        Instant until = expiry == null ? null : plus(at, expiry);
        if (base.status() == Status.SUPPRESSED) {
            boolean longer = base.until() != null && (until == null || until.isAfter(base.until()));
            return new SuppressionState(base.address(), Status.SUPPRESSED, longer ? cause : base.cause(),
                    base.since(), longer ? until : base.until(), soft, reason, updated);
        }
        return new SuppressionState(base.address(), Status.SUPPRESSED, cause, at, until, soft, reason, updated);
    }

    /**
     * The counted soft bounces with one at {@code at} added: null when one already counted lies closer than the
     * spacing (not counted); otherwise those less than the window before the newest, at most the threshold's
     * number (an event older than that window drops out at once).
     */
    private List<Instant> count(List<Instant> counted, Instant at) {
        for (Instant t : counted) {
            if (Duration.between(t, at).abs().compareTo(softBounceSpacing) < 0) {
                return null;
            }
        }
        List<Instant> all = new ArrayList<>(counted.size() + 1);
        all.addAll(counted);
        int i = all.size();
        while (i > 0 && all.get(i - 1).isAfter(at)) {
            i--;
        }
        all.add(i, at);
        Instant from = minus(all.get(all.size() - 1), softBounceWindow);
        int first = 0;
        while (first < all.size() && !all.get(first).isAfter(from)) {
            first++;
        }
        first = Math.max(first, all.size() - softBounceThreshold);
        return all.subList(first, all.size());
    }

    private static Instant latest(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    private static Instant plus(Instant at, Duration d) {
        try {
            return at.plus(d);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MAX;
        }
    }

    private static Instant minus(Instant at, Duration d) {
        try {
            return at.minus(d);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MIN;
        }
    }

    @Override
    public String toString() {
        return "SuppressionPolicy[softBounces=" + softBounceThreshold + " within " + softBounceWindow + " spaced "
                + softBounceSpacing + ", expiry=" + expiries + ", clock=" + clock + ", listener=" + listener + "]";
    }

    /**
     * Builds a {@link SuppressionPolicy}, starting from the defaults. Setters validate at once; not thread-safe;
     * {@link #build()} copies.
     */
    public static final class Builder {
        private int softBounceThreshold = 3;
        private Duration softBounceWindow = Duration.ofDays(7);
        private Duration softBounceSpacing = Duration.ofDays(1);
        private final Map<Cause, Duration> expiries = new EnumMap<>(Cause.class);
        private Clock clock = Clock.systemUTC();
        private SuppressionListener listener = NO_LISTENER;

        private Builder() {
            expiries.put(Cause.HARD_BOUNCE, Duration.ofDays(365));
            expiries.put(Cause.COMPLAINT, null);
            expiries.put(Cause.SOFT_BOUNCES, Duration.ofDays(30));
            expiries.put(Cause.MANUAL, null);
        }

        /**
         * @param n how many counted soft bounces within the window suppress an address, 1 to
         *          {@link #MAX_SOFT_BOUNCE_THRESHOLD} (default 3; 1 suppresses at the first)
         * @return this builder
         * @throws IllegalArgumentException when n is out of range
         */
        public Builder softBounceThreshold(int n) {
            if (n < 1 || n > MAX_SOFT_BOUNCE_THRESHOLD) {
                throw new IllegalArgumentException("softBounceThreshold must be 1 to " + MAX_SOFT_BOUNCE_THRESHOLD
                        + ": " + n);
            }
            this.softBounceThreshold = n;
            return this;
        }

        /**
         * @param window counted soft bounces less than this apart add up (default 7 days)
         * @return this builder
         * @throws NullPointerException     when window is null
         * @throws IllegalArgumentException when it is zero or negative
         */
        public Builder softBounceWindow(Duration window) {
            this.softBounceWindow = positive(window, "softBounceWindow");
            return this;
        }

        /**
         * @param spacing a soft bounce less than this after (or before) a counted one is the same episode and is
         *                not counted (default 1 day; {@link Duration#ZERO} counts every one)
         * @return this builder
         * @throws NullPointerException     when spacing is null
         * @throws IllegalArgumentException when it is negative
         */
        public Builder softBounceSpacing(Duration spacing) {
            Objects.requireNonNull(spacing, "softBounceSpacing");
            if (spacing.isNegative()) {
                throw new IllegalArgumentException("softBounceSpacing must not be negative: " + spacing);
            }
            this.softBounceSpacing = spacing;
            return this;
        }

        /**
         * Sets how long a suppression for a cause lasts.
         *
         * @param cause  the cause
         * @param expiry how long, or null for never (defaults: hard bounces 365 days, complaints never, soft
         *               bounces 30 days, manual never)
         * @return this builder
         * @throws NullPointerException     when cause is null
         * @throws IllegalArgumentException when expiry is zero or negative
         */
        public Builder expiry(Cause cause, Duration expiry) {
            Objects.requireNonNull(cause, "cause");
            expiries.put(cause, expiry == null ? null : positive(expiry, "expiry of " + cause.token()));
            return this;
        }

        /**
         * @param clock the clock a {@link SuppressionList} reads (default {@link Clock#systemUTC()})
         * @return this builder
         * @throws NullPointerException when clock is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param listener told of suppressions and reactivations by a {@link SuppressionList} (default none)
         * @return this builder
         * @throws NullPointerException when listener is null
         */
        public Builder listener(SuppressionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalStateException when the threshold is above 1 and the spacing is not shorter than the
         *                               window, so that no two soft bounces could ever be counted together
         */
        public SuppressionPolicy build() {
            if (softBounceThreshold > 1 && softBounceSpacing.compareTo(softBounceWindow) >= 0) {
                throw new IllegalStateException("softBounceSpacing " + softBounceSpacing
                        + " must be shorter than softBounceWindow " + softBounceWindow + " when softBounceThreshold is "
                        + softBounceThreshold);
            }
            return new SuppressionPolicy(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
