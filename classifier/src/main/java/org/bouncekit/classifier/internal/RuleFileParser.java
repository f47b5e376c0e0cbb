package org.bouncekit.classifier.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.Rule;
import org.bouncekit.classifier.RuleProblem;
import org.bouncekit.classifier.RuleSet;

/**
 * Reads the rule file format (see {@link RuleSet}), collecting every error with its line and column instead of
 * stopping at the first. Files are limited to 100,000 lines of at most 4,096 characters. Thread-safe (stateless).
 */
public final class RuleFileParser {

    private static final int MAX_LINES = 100_000;
    private static final int MAX_LINE_LENGTH = 4_096;

    private RuleFileParser() {
    }

    /**
     * One line (ended by LF, CR or CRLF, as {@link BufferedReader#readLine()} ends them), of which at most
     * {@link #MAX_LINE_LENGTH} + 1 characters are kept: the rest of a longer line is read and dropped, so that a
     * line of any length costs no memory (readLine held a 10 MB line whole, and more than a small heap has).
     *
     * @return the line, or null at the end of the input
     */
    private static String readLine(BufferedReader reader, StringBuilder line) throws IOException {
        int c = reader.read();
        if (c < 0) {
            return null;
        }
        line.setLength(0);
        while (c >= 0 && c != '\n' && c != '\r') {
            if (line.length() <= MAX_LINE_LENGTH) {
                line.append((char) c);
            }
            c = reader.read();
        }
        if (c == '\r') {
            reader.mark(1);
            if (reader.read() != '\n') {
                reader.reset();
            }
        }
        return line.toString();
    }

    /**
     * @param ruleSet  the rule set, or null when there were problems
     * @param problems every problem found
     */
    public record Result(RuleSet ruleSet, List<RuleProblem> problems) {
    }

    /** A token of a line and the column it starts at. */
    private record Token(String text, int column, boolean quoted) {
    }

    /**
     * @param file   the name for messages
     * @param reader the text
     * @return the result
     * @throws IOException when reading fails
     */
    public static Result parse(String file, BufferedReader reader) throws IOException {
        List<RuleProblem> problems = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        String name = null;
        int version = 0;
        Rule.Builder current = null;
        int currentLine = 0;
        boolean duplicate = false;
        List<String> ids = new ArrayList<>();
        RegexBudget budget = new RegexBudget();
        String line;
        int n = 0;
        StringBuilder buffer = new StringBuilder();
        while ((line = readLine(reader, buffer)) != null) {
            n++;
            if (n > MAX_LINES) {
                problems.add(new RuleProblem(file, n, 1, "more than " + MAX_LINES + " lines"));
                break;
            }
            if (line.length() > MAX_LINE_LENGTH) {
                problems.add(new RuleProblem(file, n, MAX_LINE_LENGTH + 1, "line longer than " + MAX_LINE_LENGTH
                        + " characters"));
                continue;
            }
            List<Token> t = new ArrayList<>();
            String lexError = tokens(line, t);
            if (lexError != null) {
                problems.add(new RuleProblem(file, n, Integer.parseInt(lexError.substring(0, lexError.indexOf(' '))),
                        lexError.substring(lexError.indexOf(' ') + 1)));
                continue;
            }
            if (t.isEmpty()) {
                continue;
            }
            Token head = t.get(0);
            String keyword = head.text().toLowerCase(Locale.ROOT);
            if (version == 0) {
                if (!keyword.equals("bouncekit-rules") || t.size() != 2 || !t.get(1).text().equals("1")) {
                    problems.add(new RuleProblem(file, n, head.column(),
                            "the first line must be \"bouncekit-rules 1\""));
                    return new Result(null, problems);
                }
                version = 1;
                continue;
            }
            try {
                switch (keyword) {
                    case "ruleset":
                        expectArgs(t, 1, 1);
                        if (name != null) {
                            throw new Problem(head.column(), "ruleset given twice");
                        }
                        name = t.get(1).text();
                        break;
                    case "rule":
                        expectArgs(t, 1, 1);
                        if (current != null) {
                            throw new Problem(head.column(), "rule inside rule " + "(missing \"end\")");
                        }
                        String id = t.get(1).text();
                        if (ids.contains(id)) {
                            // its body is still read (and checked), then dropped
                            current = Rule.builder(id).line(n);
                            currentLine = n;
                            duplicate = true;
                            throw new Problem(t.get(1).column(), "rule id " + id + " used twice");
                        }
                        duplicate = false;
                        budget.conditionLeftOut = false;
                        try {
                            current = Rule.builder(id).line(n);
                        } catch (IllegalArgumentException e) {
                            throw new Problem(t.get(1).column(), e.getMessage());
                        }
                        ids.add(id);
                        currentLine = n;
                        break;
                    case "end":
                        expectArgs(t, 0, 0);
                        if (current == null) {
                            throw new Problem(head.column(), "end without rule");
                        }
                        try {
                            Rule built = current.build();
                            if (!duplicate) {
                                rules.add(built);
                            }
                        } catch (IllegalStateException e) {
                            if (!budget.conditionLeftOut) { // else what it lacks was left out, and reported
                                problems.add(new RuleProblem(file, currentLine, 1, e.getMessage()));
                            }
                        }
                        current = null;
                        break;
                    case "disable":
                        expectArgs(t, 1, 1);
                        if (!t.get(1).text().matches("[A-Za-z0-9._-]+:[A-Za-z0-9._-]+")) {
                            throw new Problem(t.get(1).column(), "disable needs set:id");
                        }
                        disabled.add(t.get(1).text());
                        break;
                    default:
                        if (current == null) {
                            throw new Problem(head.column(), "unknown directive \"" + head.text() + "\"");
                        }
                        condition(current, keyword, t, budget);
                }
            } catch (Problem p) {
                if (current != null) {
                    budget.conditionLeftOut = true;
                }
                problems.add(new RuleProblem(file, n, p.column, p.getMessage()));
            }
        }
        if (version == 0) {
            problems.add(new RuleProblem(file, Math.max(1, n), 1, "empty file: \"bouncekit-rules 1\" expected"));
        }
        if (current != null) {
            problems.add(new RuleProblem(file, currentLine, 1, "rule not closed with \"end\""));
        }
        if (name == null && version != 0) {
            problems.add(new RuleProblem(file, 1, 1, "no \"ruleset NAME\" line"));
        }
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        return new Result(new RuleSet(name, version, rules, disabled), List.of());
    }

    private static void condition(Rule.Builder b, String keyword, List<Token> t, RegexBudget budget)
            throws Problem {
        Token head = t.get(0);
        switch (keyword) {
            case "reason":
                expectArgs(t, 1, 1);
                Reason r = Reason.fromToken(t.get(1).text());
                if (r == null) {
                    throw new Problem(t.get(1).column(), "unknown reason \"" + t.get(1).text() + "\"");
                }
                b.reason(r);
                break;
            case "text":
                expectArgs(t, 1, Integer.MAX_VALUE);
                String[] phrases = new String[t.size() - 1];
                for (int i = 1; i < t.size(); i++) {
                    if (!t.get(i).quoted()) {
                        throw new Problem(t.get(i).column(), "phrases must be quoted");
                    }
                    phrases[i - 1] = t.get(i).text();
                }
                try {
                    b.text(phrases);
                } catch (IllegalArgumentException e) {
                    throw new Problem(t.get(1).column(), e.getMessage());
                }
                break;
            case "regex":
                expectArgs(t, 1, 1);
                if (!t.get(1).quoted()) {
                    throw new Problem(t.get(1).column(), "a regex must be quoted");
                }
                regex(b, t.get(1), budget);
                break;
            case "status":
                expectArgs(t, 1, Integer.MAX_VALUE);
                for (int i = 1; i < t.size(); i++) {
                    try {
                        b.status(t.get(i).text());
                    } catch (IllegalArgumentException e) {
                        throw new Problem(t.get(i).column(), e.getMessage());
                    }
                }
                break;
            case "code":
                expectArgs(t, 1, Integer.MAX_VALUE);
                for (int i = 1; i < t.size(); i++) {
                    try {
                        b.code(Integer.parseInt(t.get(i).text()));
                    } catch (IllegalArgumentException e) {
                        throw new Problem(t.get(i).column(), "reply code must be 200-599: " + t.get(i).text());
                    }
                }
                break;
            case "host":
                expectArgs(t, 1, Integer.MAX_VALUE);
                for (int i = 1; i < t.size(); i++) {
                    try {
                        b.host(t.get(i).text());
                    } catch (IllegalArgumentException e) { // host "" (a fuzz finding: it escaped as an exception)
                        throw new Problem(t.get(i).column(), e.getMessage());
                    }
                }
                break;
            case "provider":
                expectArgs(t, 1, 1);
                b.provider(t.get(1).text());
                break;
            case "format":
                expectArgs(t, 1, Integer.MAX_VALUE);
                for (int i = 1; i < t.size(); i++) {
                    try {
                        b.format(t.get(i).text());
                    } catch (IllegalArgumentException e) {
                        throw new Problem(t.get(i).column(), e.getMessage());
                    }
                }
                break;
            case "command":
                expectArgs(t, 1, Integer.MAX_VALUE);
                for (int i = 1; i < t.size(); i++) {
                    try {
                        b.command(t.get(i).text());
                    } catch (IllegalArgumentException e) {
                        throw new Problem(t.get(i).column(), e.getMessage());
                    }
                }
                break;
            case "priority":
                expectArgs(t, 1, 1);
                try {
                    b.priority(Integer.parseInt(t.get(1).text()));
                } catch (IllegalArgumentException e) {
                    throw new Problem(t.get(1).column(), "priority must be -50 to 50: " + t.get(1).text());
                }
                break;
            case "effect":
                expectArgs(t, 1, 1);
                try {
                    b.effect(Rule.Effect.valueOf(t.get(1).text().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new Problem(t.get(1).column(), "effect must be permanent or transient");
                }
                break;
            case "decision":
                expectArgs(t, 1, 1);
                Decision d = Decision.fromToken(t.get(1).text());
                if (d == null) {
                    throw new Problem(t.get(1).column(), "unknown decision \"" + t.get(1).text() + "\"");
                }
                b.decision(d);
                break;
            default:
                throw new Problem(head.column(), "unknown condition \"" + head.text() + "\"");
        }
    }

    /**
     * The instructions a file's regexes compile to, against the limit a classifier applies to all its regexes
     * together ({@link RuleEngine#MAX_TOTAL_PROGRAM}): a file over it alone could never be used (a fuzz finding: it
     * was read, then refused by the classifier). Compiling stops at what is left, so that a file's regexes cost the
     * limit at most, however many they are.
     */
    private static final class RegexBudget {
        long used;
        /** The limit was passed and reported: later regexes are checked for syntax and length only. */
        boolean spent;
        /**
         * A condition of the current rule was left out: refused (and reported) or, a regex, past the limit. A rule
         * left with no condition is then not reported as such: the cause is.
         */
        boolean conditionLeftOut;
    }

    private static void regex(Rule.Builder b, Token token, RegexBudget budget) throws Problem {
        String text = token.text();
        if (text.isEmpty() || text.length() > Rule.MAX_REGEX_LENGTH) {
            throw new Problem(token.column(), "regex must be 1-" + Rule.MAX_REGEX_LENGTH + " characters");
        }
        long left = budget.spent ? 0 : RuleEngine.MAX_TOTAL_PROGRAM - budget.used;
        LinearRegex compiled;
        try {
            compiled = LinearRegex.compile(text, (int) Math.min(left, LinearRegex.MAX_PROGRAM));
        } catch (LinearRegex.PatternException e) {
            if (!e.isSizeLimit()) {
                throw new Problem(token.column() + 1 + e.offset(), "regex: " + e.reason());
            }
            budget.conditionLeftOut = true;
            if (budget.spent) {
                return; // reported at the regex that passed the limit; its syntax was checked
            }
            budget.spent = true;
            throw left >= LinearRegex.MAX_PROGRAM ? new Problem(token.column() + 1, "regex: " + e.reason())
                    : new Problem(token.column(), "regex: the file's regexes compile to more than "
                            + RuleEngine.MAX_TOTAL_PROGRAM + " instructions in all (limit MAX_TOTAL_PROGRAM)");
        }
        try {
            b.regex(text); // compiles it again: twice the limit at most in all
        } catch (IllegalArgumentException e) {
            throw new Problem(token.column(), e.getMessage());
        }
        budget.used += compiled.size();
    }

    private static void expectArgs(List<Token> t, int min, int max) throws Problem {
        int args = t.size() - 1;
        if (args < min || args > max) {
            Token head = t.get(0);
            throw new Problem(args > max ? t.get(max + 1).column() : head.column() + head.text().length(),
                    head.text() + (min == max ? " takes " + min + " argument" + (min == 1 ? "" : "s")
                            : " takes at least " + min + " argument" + (min == 1 ? "" : "s")));
        }
    }

    /**
     * Splits a line into words and quoted phrases; a {@code #} outside quotes starts a comment.
     *
     * @return null, or "COLUMN message" for a lexical error
     */
    private static String tokens(String line, List<Token> out) {
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '#') {
                return null;
            } else if (c == '"') {
                int start = i;
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && line.charAt(i) != '"') {
                    char d = line.charAt(i);
                    if (d == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                        i++; // \" and \\ are a quote and a backslash; other escapes stay for regexes
                        d = line.charAt(i);
                    }
                    sb.append(d);
                    i++;
                }
                if (i >= n) {
                    return (start + 1) + " unterminated quote";
                }
                i++;
                out.add(new Token(sb.toString(), start + 1, true));
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t' && line.charAt(i) != '#') {
                    i++;
                }
                out.add(new Token(line.substring(start, i), start + 1, false));
            }
        }
        return null;
    }

    /** A problem at a column, thrown inside the line loop. */
    private static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final int column;

        Problem(int column, String message) {
            super(message, null, false, false);
            this.column = column;
        }
    }
}
