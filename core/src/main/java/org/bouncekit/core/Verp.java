package org.bouncekit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A VERP pattern (variable envelope return path): how a sender encodes a recipient's address in the local part of
 * its bounce address, so that the bounce's own envelope recipient says whose message bounced.
 *
 * <p>A pattern is a template over the bounce address with {@code {local}} and {@code {domain}} for the encoded
 * recipient and {@code *} for any run of characters, such as {@code bounces+{local}={domain}@*}.
 *
 * <pre>{@code
 * Verp verp = Verp.of("bounces+{local}={domain}@*");
 * assert verp.decode("bounces+alice=example.com@sender.test").orElseThrow().equals("alice@example.com");
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Verp {

    private static final Verp DEFAULT = of("*+{local}={domain}@*");
    private static final int MAX_ADDRESS = 320;

    private final String template;
    /** The template split into literal pieces and placeholders: "*", "{local}", "{domain}" or literal text. */
    private final String[] tokens;

    private Verp(String template, String[] tokens) {
        this.template = template;
        this.tokens = tokens;
    }

    /**
     * The common form {@code *+{local}={domain}@*}: anything, a plus, the recipient's local part, an equals sign,
     * its domain, then the sender's domain.
     *
     * @return the default pattern
     */
    public static Verp defaultPattern() {
        return DEFAULT;
    }

    /**
     * Compiles a template.
     *
     * @param template the template; must contain {@code {local}} and {@code {domain}} once each
     * @return the pattern
     * @throws NullPointerException     if {@code template} is null
     * @throws IllegalArgumentException if a placeholder is missing or repeated, or two placeholders touch
     */
    public static Verp of(String template) {
        Objects.requireNonNull(template, "template");
        List<String> tokens = new ArrayList<>();
        int i = 0;
        StringBuilder lit = new StringBuilder();
        int locals = 0;
        int domains = 0;
        while (i < template.length()) {
            String token = null;
            if (template.startsWith("{local}", i)) {
                token = "{local}";
                locals++;
            } else if (template.startsWith("{domain}", i)) {
                token = "{domain}";
                domains++;
            } else if (template.charAt(i) == '*') {
                token = "*";
            }
            if (token == null) {
                lit.append(template.charAt(i++));
                continue;
            }
            if (lit.length() > 0) {
                tokens.add(lit.toString());
                lit.setLength(0);
            } else if (!tokens.isEmpty() && isPlaceholder(tokens.get(tokens.size() - 1))) {
                throw new IllegalArgumentException("placeholders must be separated by text in VERP template: "
                        + template);
            }
            tokens.add(token);
            i += token.length();
        }
        if (lit.length() > 0) {
            tokens.add(lit.toString());
        }
        if (locals != 1 || domains != 1) {
            throw new IllegalArgumentException("VERP template needs {local} and {domain} exactly once: " + template);
        }
        return new Verp(template, tokens.toArray(new String[0]));
    }

    private static boolean isPlaceholder(String t) {
        return t.equals("*") || t.equals("{local}") || t.equals("{domain}");
    }

    /**
     * Decodes an envelope address.
     *
     * @param address the bounce's envelope recipient, such as {@code bounces+alice=example.com@sender.test}; angle
     *                brackets are ignored
     * @return the encoded recipient in lower-case domain form, or empty when the address does not match
     */
    public Optional<String> decode(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.isEmpty() || a.length() > MAX_ADDRESS) {
            return Optional.empty();
        }
        for (String t : tokens) {
            if (!isPlaceholder(t) && !containsIgnoreCase(a, t)) {
                return Optional.empty(); // cheap rejection of the common case: an address that is not VERP
            }
        }
        String[] captured = new String[2];
        if (!match(a, 0, 0, captured)) {
            return Optional.empty();
        }
        String local = captured[0];
        String domain = captured[1];
        if (local.isEmpty() || domain.isEmpty() || domain.indexOf('@') >= 0 || local.indexOf('@') >= 0
                || domain.indexOf('.') < 0) {
            return Optional.empty();
        }
        return Optional.of(local + "@" + domain.toLowerCase(Locale.ROOT));
    }

    private static boolean containsIgnoreCase(String s, String literal) {
        char first = literal.charAt(0);
        char upper = Character.toUpperCase(first);
        char lower = Character.toLowerCase(first);
        for (int i = 0; i + literal.length() <= s.length(); i++) {
            char c = s.charAt(i);
            if ((c == first || c == upper || c == lower)
                    && s.regionMatches(true, i, literal, 0, literal.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Matches tokens from {@code ti} against {@code s} from {@code si}. Placeholders take the shortest run that
     * lets the rest match; addresses are at most 320 characters and placeholders stop at '@', so the search is
     * bounded.
     */
    private boolean match(String s, int si, int ti, String[] captured) {
        if (ti == tokens.length) {
            return si == s.length();
        }
        String t = tokens[ti];
        if (!isPlaceholder(t)) {
            return s.regionMatches(true, si, t, 0, t.length()) && match(s, si + t.length(), ti + 1, captured);
        }
        int min = t.equals("*") ? 0 : 1;
        boolean part = !t.equals("*");
        for (int end = si + min; end <= s.length(); end++) {
            if (part && end > si && s.charAt(end - 1) == '@') {
                break; // {local} and {domain} never span an '@'; this also bounds the search
            }
            if (match(s, end, ti + 1, captured)) {
                if (t.equals("{local}")) {
                    captured[0] = s.substring(si, end);
                } else if (t.equals("{domain}")) {
                    captured[1] = s.substring(si, end);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * The template this pattern was made from.
     *
     * @return the template
     */
    public String template() {
        return template;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Verp v && v.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return "Verp[" + template + "]";
    }
}
