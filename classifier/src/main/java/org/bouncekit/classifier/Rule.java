package org.bouncekit.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncekit.classifier.internal.LinearRegex;

/**
 * One classification rule: conditions on a reply or report (phrases of its text, its enhanced status, its reply
 * code, the remote host) and the verdict when they hold. Rules are data: built-in rules come from rule files, user
 * rules from files or from this builder.
 *
 * <pre>{@code
 * Rule r = Rule.builder("acme.quota").text("quota exceeded", "mailbox over quota").reason(Reason.MAILBOXFULL)
 *         .provider("acme").build();
 * }</pre>
 *
 * <p>Conditions combine as follows: each {@code text} group holds when one of its phrases occurs (ignoring case);
 * all groups must hold; each {@code regex} must occur (ignoring case; run in linear time, see
 * {@link Builder#regex(String)}); any listed status ({@code 5.1.1}, {@code 5.1.*}, {@code 5.*.*}) and any listed code must
 * match when given; any host suffix and any SMTP command must match when given. A rule with text decides before one with only a status,
 * which decides before one with only a code; a provider rule before a generic one.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Rule {

    /** The class a rule may declare for a reply whatever its code says. */
    public enum Effect {
        /** The problem is permanent (a 4xx "full and inactive" mailbox). */
        PERMANENT,
        /** The problem is transient (a 5xx rate limit). */
        TRANSIENT
    }

    private final String id;
    private final Reason reason;
    private final List<List<String>> texts;
    private final List<String> regexes;
    private final List<String> statuses;
    private final List<Integer> codes;
    private final List<String> hosts;
    private final List<String> commands;
    private final List<String> formats;
    private final String provider;
    private final Effect effect;
    private final Decision decision;
    private final int line;
    private final int priority;

    private Rule(Builder b) {
        this.id = b.id;
        this.reason = b.reason;
        List<List<String>> t = new ArrayList<>();
        for (List<String> g : b.texts) {
            t.add(List.copyOf(g));
        }
        this.texts = List.copyOf(t);
        this.regexes = List.copyOf(b.regexes);
        this.statuses = List.copyOf(b.statuses);
        this.codes = List.copyOf(b.codes);
        this.hosts = List.copyOf(b.hosts);
        this.commands = List.copyOf(b.commands);
        this.formats = List.copyOf(b.formats);
        this.provider = b.provider;
        this.effect = b.effect;
        this.decision = b.decision;
        this.line = b.line;
        this.priority = b.priority;
    }

    /**
     * @param id the rule's id, unique within its rule set (letters, digits, {@code . _ -})
     * @return a new builder
     * @throws IllegalArgumentException if the id is empty or has other characters
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** @return the id */
    public String id() {
        return id;
    }

    /** @return the reason the rule gives */
    public Reason reason() {
        return reason;
    }

    /** @return the text conditions: groups of lower-case phrases, each group needing one of its phrases */
    public List<List<String>> texts() {
        return texts;
    }

    /** @return the regular expressions that must each occur in the text, as written */
    public List<String> regexes() {
        return regexes;
    }

    /** @return the enhanced statuses, possibly with {@code *} for subject or detail */
    public List<String> statuses() {
        return statuses;
    }

    /** @return the reply codes */
    public List<Integer> codes() {
        return codes;
    }

    /** @return host name suffixes (lower case) */
    public List<String> hosts() {
        return hosts;
    }

    /** @return SMTP commands ({@code RCPT}, {@code DATA}, ...) at which the failure must have happened */
    public List<String> commands() {
        return commands;
    }

    /** @return report formats ({@code googlegroups}, {@code exim}, ...) the rule applies to; empty for any */
    public List<String> formats() {
        return formats;
    }

    /** @return the provider recognised when the rule matches, or null */
    public String provider() {
        return provider;
    }

    /** @return the class the rule declares, or null to follow the reply */
    public Effect effect() {
        return effect;
    }

    /** @return the decision the rule declares, or null to follow the reason */
    public Decision decision() {
        return decision;
    }

    /** @return the priority added to the rule's weight when rules compete, -50 to 50, 0 by default */
    public int priority() {
        return priority;
    }

    /** @return the line of the rule in its file, or 0 for rules built in code */
    public int line() {
        return line;
    }

    @Override
    public String toString() {
        return "Rule[" + id + " -> " + reason.token() + "]";
    }

    /** The longest regex a rule may hold, in characters. */
    public static final int MAX_REGEX_LENGTH = 1_000;

    /** Builds a {@link Rule}. Setters validate at once. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private Reason reason;
        private final List<List<String>> texts = new ArrayList<>();
        private final List<String> regexes = new ArrayList<>();
        private int priority;
        private final List<String> statuses = new ArrayList<>();
        private final List<Integer> codes = new ArrayList<>();
        private final List<String> hosts = new ArrayList<>();
        private final List<String> commands = new ArrayList<>();
        private final List<String> formats = new ArrayList<>();
        private String provider;
        private Effect effect;
        private Decision decision;
        private int line;

        private Builder(String id) {
            if (id == null || !id.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("rule id must be letters, digits, '.', '_' or '-': " + id);
            }
            this.id = id;
        }

        /**
         * @param value the reason
         * @return this builder
         */
        public Builder reason(Reason value) {
            this.reason = Objects.requireNonNull(value, "reason");
            return this;
        }

        /**
         * Adds a text condition: one of these phrases must occur.
         *
         * @param phrases phrases, matched ignoring case; at least one, none blank, each at most 200 characters
         * @return this builder
         * @throws IllegalArgumentException on an empty group or phrase
         */
        public Builder text(String... phrases) {
            if (phrases.length == 0) {
                throw new IllegalArgumentException("a text condition needs at least one phrase");
            }
            List<String> group = new ArrayList<>();
            for (String p : phrases) {
                if (p == null || p.isBlank() || p.length() > 200) {
                    throw new IllegalArgumentException("phrase must be 1-200 characters: \"" + p + "\"");
                }
                group.add(p.toLowerCase(Locale.ROOT));
            }
            texts.add(group);
            return this;
        }

        /**
         * Adds a regular-expression condition: the pattern must occur in the text (letters match in any case).
         * Patterns run in time linear in the text, whatever the pattern: literals, {@code .}, classes, {@code \\d
         * \\w \\s}, groups, {@code |}, {@code * + ? {n,m}}, {@code ^ $ \\b}; no back-references or look-around.
         * A regex is checked only after the rule's indexed conditions (phrases, status, code) hold; give a rule a
         * phrase or status too, so that it is not tried on every input.
         *
         * @param regex the pattern, at most {@value Rule#MAX_REGEX_LENGTH} characters
         * @return this builder
         * @throws IllegalArgumentException when the pattern is not valid; the message names the offset
         */
        public Builder regex(String regex) {
            if (regex == null || regex.isEmpty() || regex.length() > MAX_REGEX_LENGTH) {
                throw new IllegalArgumentException("regex must be 1-" + MAX_REGEX_LENGTH + " characters");
            }
            LinearRegex.compile(regex); // validates
            regexes.add(regex);
            return this;
        }

        /**
         * @param pattern an enhanced status such as {@code 5.1.1}, {@code 5.7.*} or {@code 4.*.*}
         * @return this builder
         * @throws IllegalArgumentException on a malformed pattern
         */
        public Builder status(String pattern) {
            if (pattern == null || !pattern.matches("[245]\\.(\\*|[0-9]{1,3})\\.(\\*|[0-9]{1,3})")) {
                throw new IllegalArgumentException("status must look like 5.1.1, 5.1.* or 5.*.*: " + pattern);
            }
            statuses.add(pattern);
            return this;
        }

        /**
         * @param code a reply code, 200-599
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder code(int code) {
            if (code < 200 || code > 599) {
                throw new IllegalArgumentException("reply code must be 200-599: " + code);
            }
            codes.add(code);
            return this;
        }

        /**
         * @param suffix a host name suffix, such as {@code google.com}
         * @return this builder
         */
        public Builder host(String suffix) {
            if (suffix == null || suffix.isBlank()) {
                throw new IllegalArgumentException("host suffix must not be blank");
            }
            hosts.add(suffix.strip().toLowerCase(Locale.ROOT));
            return this;
        }

        /**
         * @param verb an SMTP command at which the failure happened: {@code CONNECT}, {@code EHLO}, {@code HELO},
         *             {@code MAIL}, {@code RCPT}, {@code DATA}, ...
         * @return this builder
         */
        public Builder command(String verb) {
            if (verb == null || !verb.matches("[A-Za-z]{3,8}")) {
                throw new IllegalArgumentException("command must be an SMTP verb such as RCPT or DATA: " + verb);
            }
            commands.add(verb.toUpperCase(Locale.ROOT));
            return this;
        }

        /**
         * @param name a report format ({@code Report.format()}, such as {@code googlegroups}) the rule applies to
         * @return this builder
         */
        public Builder format(String name) {
            if (name == null || !name.matches("[a-z0-9]+")) {
                throw new IllegalArgumentException("format must be a lower-case format name: " + name);
            }
            formats.add(name);
            return this;
        }

        /**
         * @param name the provider this rule recognises, such as {@code gmail}
         * @return this builder
         */
        public Builder provider(String name) {
            this.provider = name == null ? null : name.strip().toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * @param value the class the matched reply really has
         * @return this builder
         */
        public Builder effect(Effect value) {
            this.effect = value;
            return this;
        }

        /**
         * @param value the decision, instead of the one the reason implies
         * @return this builder
         */
        public Builder decision(Decision value) {
            this.decision = value;
            return this;
        }

        /**
         * Adjusts the rule's weight against rules of the same kind: a rule whose reason is a consequence (the
         * message expired) may yield to one naming the cause (the mailbox is full) with a negative priority.
         *
         * @param value -50 to 50
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder priority(int value) {
            if (value < -50 || value > 50) {
                throw new IllegalArgumentException("priority must be -50 to 50: " + value);
            }
            this.priority = value;
            return this;
        }

        /**
         * @param value the source line, for messages
         * @return this builder
         */
        public Builder line(int value) {
            this.line = value;
            return this;
        }

        /**
         * @return the rule
         * @throws IllegalStateException when no reason was set, or no condition
         */
        public Rule build() {
            if (reason == null) {
                throw new IllegalStateException("rule " + id + " has no reason");
            }
            if (texts.isEmpty() && regexes.isEmpty() && statuses.isEmpty() && codes.isEmpty() && hosts.isEmpty()
                    && formats.isEmpty() && commands.isEmpty()) {
                throw new IllegalStateException("rule " + id + " has no condition");
            }
            return new Rule(this);
        }
    }
}
