package org.bouncekit.classifier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import org.bouncekit.classifier.internal.RuleEngine;
import org.bouncekit.classifier.spi.RuleSetProvider;
import org.bouncekit.core.Action;
import org.bouncekit.core.AutoReply;
import org.bouncekit.core.DeliveryReport;
import org.bouncekit.core.EnhancedStatus;
import org.bouncekit.core.FeedbackReport;
import org.bouncekit.core.Header;
import org.bouncekit.core.RecipientStatus;
import org.bouncekit.core.Report;
import org.bouncekit.core.SmtpReply;

/**
 * Decides why each recipient of a report was not delivered and what to do about it, by rules: the built-in rule
 * sets (RFC 3463 statuses, generic MTA texts, providers), then user rule files, rule sets from
 * {@link RuleSetProvider}s, and rules built in code, each able to override the ones before.
 *
 * <pre>{@code
 * Classifier classifier = Classifier.defaults();
 * for (Classification c : classifier.classify(report)) {
 *     if (c.decision() == Decision.SUPPRESS) {
 *         suppress(c.recipient());
 *     }
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe: build one and share it.
 */
public final class Classifier {

    /** Reasons whose recipient address is itself bad. */
    private static final Set<Reason> HARD = EnumSet.of(Reason.USERUNKNOWN, Reason.HOSTUNKNOWN, Reason.HASMOVED);
    /** Reasons that are the sender's problem: reputation, blocklists, authentication, content, policy. */
    private static final Set<Reason> BLOCK = EnumSet.of(Reason.BLOCKED, Reason.BADREPUTATION, Reason.REQUIREPTR,
            Reason.AUTHFAILURE, Reason.SPAMDETECTED, Reason.VIRUSDETECTED, Reason.CONTENTERROR,
            Reason.NOTCOMPLIANTRFC, Reason.POLICYVIOLATION, Reason.REJECTED, Reason.NORELAYING,
            Reason.SECURITYERROR, Reason.FAILEDSTARTTLS, Reason.FILTERED);
    /** Transient reasons that, in a final failure, mean the MTA gave up: {@link Reason#EXPIRED}. */
    private static final Set<Reason> GAVE_UP = EnumSet.of(Reason.ONHOLD,
            Reason.UNDEFINED);
    /** Reasons that say the mailbox exists: a bounce saying so is not a bad address. */
    private static final Set<Reason> MAILBOX_EXISTS = EnumSet.of(Reason.SUSPEND, Reason.MAILBOXFULL);
    /** Formats read without an MTA's own layout: their narrative is the whole bounce text. */
    private static final Set<String> GENERIC_FORMATS = Set.of("rfc3464", "rfc6533", "generic");
    private static final int MAX_TEXT = 8 * 1024;

    private static final Classifier DEFAULTS = builder().build();

    private final List<RuleSet> ruleSets;
    private final RuleEngine engine;
    /** The rules whose words alone say the mailbox exists (full, disabled): read in a bounce's own words. */
    private final RuleEngine mailboxExists;

    private Classifier(List<RuleSet> ruleSets) {
        this.ruleSets = List.copyOf(ruleSets);
        this.engine = new RuleEngine(this.ruleSets);
        this.mailboxExists = new RuleEngine(this.ruleSets,
                r -> MAILBOX_EXISTS.contains(r.reason()) && !r.texts().isEmpty() && r.statuses().isEmpty()
                        && r.codes().isEmpty() && r.commands().isEmpty());
    }

    /**
     * @return a classifier with the built-in rule sets only, shared
     */
    public static Classifier defaults() {
        return DEFAULTS;
    }

    /**
     * @return a builder starting from the built-in rule sets
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the rule sets in force, in order */
    public List<RuleSet> ruleSets() {
        return ruleSets;
    }

    /** @return the active rules as {@code set:id -> reason}, in order */
    public List<String> describeRules() {
        return engine.describe();
    }

    /**
     * Classifies every recipient of a report: one classification per recipient of a delivery report, per
     * recipient of a feedback report ({@code feedback}), one for an auto-reply ({@code vacation}); none for
     * {@link org.bouncekit.core.NotAReport}.
     *
     * @param report a parsed report
     * @return the classifications, in recipient order
     */
    public List<Classification> classify(Report report) {
        Objects.requireNonNull(report, "report");
        List<Classification> out = new ArrayList<>();
        if (report instanceof DeliveryReport d) {
            // a report about one recipient: its own words speak about that recipient
            String notification = d.recipients().size() == 1 ? d.notification() : null;
            for (RecipientStatus r : d.recipients()) {
                out.add(classify(r, d.format(), notification));
            }
        } else if (report instanceof FeedbackReport f) {
            Evidence ev = new Evidence("report", "arf", "default", f.feedbackType());
            List<String> rcpts = f.recipients().isEmpty() ? Collections.singletonList(null) : f.recipients();
            for (String a : rcpts) {
                out.add(new Classification(a, Reason.FEEDBACK, BounceType.COMPLAINT, Decision.SUPPRESS, false, null,
                        ev));
            }
        } else if (report instanceof AutoReply a) {
            out.add(autoReply(a));
        }
        return out;
    }

    /**
     * An auto-reply is a vacation notice, unless its words say the mailbox is gone ("this inbox is no longer in
     * use"): rules written for the {@code rfc3834} format decide that, and the address is then suppressed.
     */
    private Classification autoReply(AutoReply a) {
        String words = (a.subject() == null ? "" : a.subject() + " ") + (a.text() == null ? "" : a.text());
        RuleEngine.Match m = words.isBlank() ? null
                : engine.match(words.length() > MAX_TEXT ? words.substring(0, MAX_TEXT) : words,
                        words.length() > MAX_TEXT, null, 0, null, null, a.format());
        if (m != null && m.rule().formats().contains(a.format()) && m.rule().reason() != Reason.VACATION) {
            Rule r = m.rule();
            return new Classification(a.responder(), r.reason(), BounceType.AUTO_REPLY,
                    r.decision() != null ? r.decision() : Decision.SUPPRESS, false, r.provider(),
                    new Evidence(m.set(), r.id(), m.field(), m.span()));
        }
        return new Classification(a.responder(), Reason.VACATION, BounceType.AUTO_REPLY, Decision.IGNORE, false,
                null, new Evidence("report", "rfc3834", "default", a.evidence()));
    }

    /**
     * Classifies one recipient of a delivery report.
     *
     * @param r the recipient's status
     * @return the classification
     */
    public Classification classify(RecipientStatus r) {
        return classify(r, null, null);
    }

    private Classification classify(RecipientStatus r, String format, String notification) {
        if (r.action() == Action.DELIVERED || r.action() == Action.RELAYED || r.action() == Action.EXPANDED) {
            return new Classification(r.recipient(), Reason.DELIVERED, BounceType.DELIVERED, Decision.IGNORE, false,
                    null, new Evidence("report", "action", "default", r.action().token()));
        }
        // the remote server's own words when there is a reply (a gateway's wrapper around it, such as SES's
        // "Unknown address error", says less); the report's diagnostic otherwise
        String text = "";
        boolean narrative = false;
        if (r.reply() != null && !r.reply().text().isBlank()) {
            text = r.reply().text();
        } else if (r.diagnosticCode() != null) {
            text = r.diagnosticCode().value();
            narrative = "x-text".equalsIgnoreCase(r.diagnosticCode().type()); // the bounce's own words
        }
        EnhancedStatus status = r.effectiveStatus();
        int code = r.reply() == null ? 0 : r.reply().code();
        String host = r.remoteMta() == null ? null : r.remoteMta().value();
        boolean transientByReport = r.action() == Action.DELAYED
                || (code != 0 ? code < 500 : status != null && status.isTransient());
        Classification c = decide(r.recipient(), text, narrative, statusComment(r), status, code, host,
                r.smtpCommand(), format, transientByReport, r.action() == Action.DELAYED);
        if (r.diagnosticCode() != null && "x-unix".equalsIgnoreCase(r.diagnosticCode().type())
                && (!"text".equals(c.evidence().field()) || c.reason() == Reason.USERUNKNOWN
                || c.reason() == Reason.FILTERED)) {
            // an X-Unix diagnostic is a local delivery program's failure ("procmail: ... No such user" is the
            // program's complaint, not the recipient's mailbox), unless its words name another cause
            return new Classification(c.recipient(), Reason.MAILERERROR, BounceType.SOFT, Decision.RETRY, true,
                    c.provider(), new Evidence("report", "x-unix", "diagnosticType", r.diagnosticCode().type()));
        }
        if ((c.reason() == Reason.ONHOLD || c.reason() == Reason.UNDEFINED) && notification != null
                && !narrative) {
            // a reply nobody recognised ("Service unavailable"): the bounce's own words may say more (sendmail's
            // transcript puts the local mailer's complaint on the line before the reply)
            Classification told = decide(r.recipient(), notification, true, null, status, code, host,
                    r.smtpCommand(), format, transientByReport, r.action() == Action.DELAYED);
            if ("text".equals(told.evidence().field())) {
                Evidence e = told.evidence();
                c = new Classification(told.recipient(), told.reason(), told.type(), told.decision(),
                        told.retryable(), told.provider(), new Evidence(e.ruleSet(), e.ruleId(), "notification",
                        e.span()));
            }
        }
        if (c.type() == BounceType.HARD && notification != null) {
            // a hard bounce costs the address: not when the bounce's own words say the mailbox exists ("account
            // is disabled", "not enough disk space") whatever the reply it quotes; only those rules are read
            String words = notification.length() > MAX_TEXT ? notification.substring(0, MAX_TEXT) : notification;
            RuleEngine.Match told = mailboxExists.match(words, notification.length() > MAX_TEXT, null, 0,
                    host == null ? null : host.toLowerCase(Locale.ROOT), null, format);
            if (told != null && "text".equals(told.field())) {
                return build(r.recipient(), told, "notification", words, false, null, 0, format,
                        transientByReport, r.action() == Action.DELAYED);
            }
        }
        if (r.action() == Action.FAILED && isTransient(code, status) && GAVE_UP.contains(c.reason())) {
            // a transient failure reported as final: the MTA gave up retrying, the message expired
            return new Classification(c.recipient(), Reason.EXPIRED, BounceType.SOFT, Decision.RETRY, true,
                    c.provider(), c.evidence());
        }
        return c;
    }

    /**
     * Classifies an SMTP reply, such as the text of a rejection a sending application received.
     *
     * @param reply the reply, one or more lines
     * @return the classification (recipient null)
     */
    public Classification classify(SmtpReply reply) {
        return decide(null, reply.text(), false, null, reply.status(), reply.code(), null, null, null,
                reply.isTransient(), false);
    }

    /** A reply a sender received for a recipient, at a command (for {@link MessagingExceptions}). */
    Classification classify(String recipient, SmtpReply reply, String command) {
        return decide(recipient, reply.text(), false, null, reply.status(), reply.code(), null, command, null,
                reply.isTransient(), false);
    }

    /**
     * Classifies the parts of an SMTP reply.
     *
     * @param code   the reply code, or 0
     * @param status the enhanced status, or null
     * @param text   the reply text
     * @param host   the remote host, or null
     * @return the classification (recipient null)
     */
    public Classification classify(int code, EnhancedStatus status, String text, String host) {
        return decide(null, text == null ? "" : text, false, null, status, code, host, null, null,
                isTransient(code, status), false);
    }

    /** A 4xx reply, or without a code a 4.x.x status (as {@link SmtpReply#isTransient()}). */
    private static boolean isTransient(int code, EnhancedStatus status) {
        return code != 0 ? code >= 400 && code < 500 : status != null && status.isTransient();
    }

    /**
     * The comment a reporting MTA wrote after its Status field ({@code 5.2.1 (mailbox disabled, not accepting
     * messages)}): its own explanation of the status it chose.
     */
    private static String statusComment(RecipientStatus r) {
        for (Header h : r.fields()) {
            if (h.name().equalsIgnoreCase("status")) {
                String v = h.value();
                int open = v.indexOf('(');
                int close = v.lastIndexOf(')');
                return open < 0 || close < open + 2 ? null : v.substring(open + 1, close).strip();
            }
        }
        return null;
    }

    private Classification decide(String recipient, CharSequence text, boolean narrative, String statusComment,
                                  EnhancedStatus status, int code, String host, String command, String format,
                                  boolean transientByReport, boolean delayed) {
        String capped = text.length() > MAX_TEXT ? text.subSequence(0, MAX_TEXT).toString() : text.toString();
        String lowerHost = host == null ? null : host.toLowerCase(Locale.ROOT);
        RuleEngine.Match m = engine.match(capped, text.length() > MAX_TEXT, status, code, lowerHost, command, format);
        if (narrative && status != null && (status.subject() != 0 || status.detail() != 0)
                && (m == null || m.rule().provider() == null && m.rule().formats().isEmpty())) {
            // a bounce's narrative, not a reply: its many words say less than an explicit status, unless a
            // provider's or the format's own text is among them
            RuleEngine.Match byStatus = engine.match("", status, code, lowerHost, command, format);
            if (byStatus != null && "status".equals(byStatus.field())) {
                m = byStatus;
            }
        }
        String field = m == null ? null : m.field();
        if (statusComment != null && !statusComment.isEmpty()
                && (m == null || m.rule().provider() == null && m.rule().formats().isEmpty())) {
            // the reporting MTA's explanation of its status says more than a generic reading of the diagnostic
            String comment = statusComment.length() > MAX_TEXT ? statusComment.substring(0, MAX_TEXT)
                    : statusComment;
            RuleEngine.Match explained = engine.match(comment, statusComment.length() > MAX_TEXT, status, code,
                    lowerHost, command, format);
            if (explained != null && "text".equals(explained.field())) {
                m = explained;
                field = "statusComment";
            }
        }
        return build(recipient, m, field, capped, narrative, status, code, format, transientByReport, delayed);
    }

    /** The classification a match (or none) gives. */
    private static Classification build(String recipient, RuleEngine.Match m, String field, String capped,
                                        boolean narrative, EnhancedStatus status, int code, String format,
                                        boolean transientByReport, boolean delayed) {
        Reason reason;
        Evidence evidence;
        String provider = null;
        boolean permanent = !transientByReport;
        if (m != null) {
            reason = m.rule().reason();
            evidence = new Evidence(m.set(), m.rule().id(), field, m.span());
            provider = m.rule().provider();
            if (m.rule().effect() != null) {
                permanent = m.rule().effect() == Rule.Effect.PERMANENT;
            }
        } else {
            // a reply or diagnostic nobody recognised is "on hold" (more information needed), and so are the
            // words an MTA format's reader found where that MTA states the failure; with no codes and no words,
            // or only a generic report's whole narrative (its boilerplate), nothing says why: undefined
            reason = delayed ? Reason.EXPIRED : status == null && code == 0
                    && (capped.isBlank() || narrative && (format == null || GENERIC_FORMATS.contains(format)))
                    ? Reason.UNDEFINED : Reason.ONHOLD;
            evidence = new Evidence("default", "none", "default", null);
        }
        BounceType type;
        if (HARD.contains(reason) || reason == Reason.NOTACCEPT && permanent) {
            type = permanent ? BounceType.HARD : BounceType.SOFT;
        } else if (BLOCK.contains(reason)) {
            type = BounceType.BLOCK;
        } else if (reason == Reason.UNDEFINED || reason == Reason.ONHOLD) {
            type = BounceType.UNDETERMINED;
        } else {
            type = BounceType.SOFT;
        }
        // a rule may declare a soft reason permanent ("full and inactive"): no retry, the address goes
        boolean declaredPermanent = m != null && m.rule().effect() == Rule.Effect.PERMANENT;
        Decision decision = m != null && m.rule().decision() != null ? m.rule().decision()
                : declaredPermanent && type == BounceType.SOFT ? Decision.SUPPRESS : decisionFor(reason, type);
        boolean retryable = !declaredPermanent && (type == BounceType.SOFT
                || type == BounceType.UNDETERMINED && !permanent
                || decision == Decision.THROTTLE || decision == Decision.RETRY);
        return new Classification(recipient, reason, type, decision, retryable, provider, evidence);
    }

    private static Decision decisionFor(Reason reason, BounceType type) {
        switch (reason) {
            case USERUNKNOWN:
            case HOSTUNKNOWN:
            case HASMOVED:
            case NOTACCEPT:
            case SUSPEND:
            case SUPPRESSED:
                return type == BounceType.SOFT ? Decision.RETRY : Decision.SUPPRESS;
            case SPEEDING:
            case TOOMANYCONN:
                return Decision.THROTTLE;
            case BLOCKED:
            case BADREPUTATION:
            case REQUIREPTR:
            case AUTHFAILURE:
            case FAILEDSTARTTLS:
            case SECURITYERROR:
            case NORELAYING:
            case REJECTED:
                return Decision.FIX_SENDER;
            case SPAMDETECTED:
            case VIRUSDETECTED:
            case CONTENTERROR:
            case NOTCOMPLIANTRFC:
            case MESGTOOBIG:
                return Decision.REVIEW_CONTENT;
            case POLICYVIOLATION:
            case FILTERED:
                return Decision.CONTACT_RECIPIENT_ADMIN;
            case VACATION:
            case DELIVERED:
                return Decision.IGNORE;
            case FEEDBACK:
                return Decision.SUPPRESS;
            default:
                return Decision.RETRY;
        }
    }

    /**
     * Builds a {@link Classifier}. Not thread-safe; {@link #build()} copies.
     */
    public static final class Builder {
        private final List<RuleSet> sets = new ArrayList<>(RuleSet.builtIn());
        private final List<Rule> codeRules = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a user rule file, after the sets already added.
         *
         * @param file the file
         * @return this builder
         * @throws IOException       when it cannot be read
         * @throws RuleFileException when it has errors
         */
        public Builder addRuleFile(Path file) throws IOException, RuleFileException {
            sets.add(RuleSet.read(file));
            return this;
        }

        /**
         * @param set a rule set, applied after the sets already added
         * @return this builder
         */
        public Builder addRuleSet(RuleSet set) {
            sets.add(Objects.requireNonNull(set, "set"));
            return this;
        }

        /**
         * Adds a rule built in code; code rules form a set named {@code code}, applied last.
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder addRule(Rule rule) {
            codeRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Adds the rule sets of every {@link RuleSetProvider} found by {@link ServiceLoader}, ordered by
         * {@link RuleSetProvider#order()} then class name.
         *
         * @return this builder
         */
        public Builder loadProviders() {
            List<RuleSetProvider> providers = new ArrayList<>();
            ServiceLoader.load(RuleSetProvider.class).forEach(providers::add);
            providers.sort(Comparator.comparingInt(RuleSetProvider::order)
                    .thenComparing(p -> p.getClass().getName()));
            for (RuleSetProvider p : providers) {
                sets.addAll(p.ruleSets());
            }
            return this;
        }

        /**
         * @return the classifier
         * @throws IllegalArgumentException when the rules are too many to index within the limits that bound a
         *                                  classifier's memory and the work of one classification: their regexes
         *                                  compile to more than 20,000 instructions in all, or their phrases need a
         *                                  matcher table of more than 4,000,000 entries (the built-in rules use
         *                                  under 200 and about 430,000); the message names the limit and the rule
         */
        public Classifier build() {
            List<RuleSet> all = new ArrayList<>(sets);
            if (!codeRules.isEmpty()) {
                all.add(new RuleSet("code", 1, codeRules, List.of()));
            }
            return new Classifier(all);
        }
    }
}
