package org.bouncekit.classifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncekit.classifier.internal.RuleFileParser;

/**
 * A named, versioned set of rules, read from a rule file or built in code. Rule sets later in a classifier's
 * list override earlier ones: a rule with the same id as an earlier set's rule replaces it, and a set may disable
 * rules of earlier sets by id.
 *
 * <p>The rule file format, one directive a line ({@code #} starts a comment):
 * <pre>
 * bouncekit-rules 1
 * ruleset acme
 * rule acme.quota
 *   reason mailboxfull
 *   text "quota exceeded" "over quota"
 *   regex "quota \(\d+ ?[km]b\) exceeded"
 *   status 5.2.2 4.2.*
 *   code 552
 *   host acme.example
 *   command RCPT
 *   provider acme
 *   effect transient
 *   decision retry
 *   priority 5
 * end
 * disable generic:userunknown.no-such-user
 * </pre>
 *
 * <p>Within quotes, {@code \"} is a quote and {@code \\} a backslash; other backslashes are kept, for regexes.
 * A {@code regex} runs in linear time whatever the pattern (see {@link Rule.Builder#regex(String)}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RuleSet {

    private static final String[] BUILT_IN = {"rfc3463", "generic", "providers"};

    private final String name;
    private final int version;
    private final List<Rule> rules;
    private final List<String> disabled;

    /**
     * @param name     the set's name
     * @param version  the set's version (the file's format version for files)
     * @param rules    the rules, ids unique
     * @param disabled {@code set:id} references to rules of earlier sets to turn off
     * @throws IllegalArgumentException if two rules share an id
     */
    public RuleSet(String name, int version, List<Rule> rules, List<String> disabled) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = version;
        this.rules = List.copyOf(rules);
        this.disabled = List.copyOf(disabled);
        long distinct = this.rules.stream().map(Rule::id).distinct().count();
        if (distinct != this.rules.size()) {
            throw new IllegalArgumentException("rule ids must be unique in rule set " + name);
        }
    }

    /**
     * Reads a rule file.
     *
     * @param file the file
     * @return the rule set
     * @throws IOException       when the file cannot be read
     * @throws RuleFileException when it has errors (all of them, with line and column)
     */
    public static RuleSet read(Path file) throws IOException, RuleFileException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.toString(), r);
        }
    }

    /**
     * Reads rule text.
     *
     * @param fileName the name used in error messages
     * @param reader   the text
     * @return the rule set
     * @throws IOException       when reading fails
     * @throws RuleFileException when the text has errors
     */
    public static RuleSet read(String fileName, Reader reader) throws IOException, RuleFileException {
        RuleFileParser.Result r = RuleFileParser.parse(fileName, new BufferedReader(reader));
        if (!r.problems().isEmpty()) {
            throw new RuleFileException(r.problems());
        }
        return r.ruleSet();
    }

    /**
     * Checks a rule file without building anything.
     *
     * @param file the file
     * @return every error, empty for a valid file
     * @throws IOException when the file cannot be read
     */
    public static List<RuleProblem> check(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return RuleFileParser.parse(file.toString(), r).problems();
        }
    }

    /**
     * The rule sets shipped with BounceKit, in order: the RFC 3463 enhanced status codes, generic MTA texts, and
     * mailbox providers and gateways.
     *
     * @return the built-in sets
     */
    public static List<RuleSet> builtIn() {
        List<RuleSet> out = new ArrayList<>();
        for (String n : BUILT_IN) {
            String resource = "rules/" + n + ".rules";
            try (InputStream in = RuleSet.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("built-in rule set missing: " + resource);
                }
                out.add(read(resource, new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuleFileException e) {
                throw new IllegalStateException("built-in rule set " + resource + " is broken:\n" + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the version */
    public int version() {
        return version;
    }

    /** @return the rules, in file order */
    public List<Rule> rules() {
        return rules;
    }

    /** @return the {@code set:id} references this set disables */
    public List<String> disabled() {
        return disabled;
    }

    @Override
    public String toString() {
        return "RuleSet[" + name + " v" + version + ", " + rules.size() + " rules]";
    }
}
