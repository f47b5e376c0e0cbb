package org.bouncekit.dnsauth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SPF macro-strings (RFC 7208 §7): syntax checks and expansion.
 *
 * <p>Stateless; thread-safe.
 */
public final class Macros {

    /** Letters allowed only in an explanation ({@code exp=} text): client IP, receiver, time. */
    private static final String EXP_ONLY = "crt";
    private static final String LETTERS = "slodiphvcrt";
    private static final String DELIMITERS = ".-+,/_=";

    private Macros() {
    }

    /** The values the macro letters stand for. */
    public interface Values {
        /**
         * @param letter a lower-case macro letter
         * @return its value before transformers
         */
        String value(char letter);
    }

    /**
     * Checks a macro-string.
     *
     * @param s          the text
     * @param expAllowed whether the explanation-only letters {@code c r t} may appear
     * @return why it is malformed, or null
     */
    public static String checkMacroString(String s, boolean expAllowed) {
        return check(s, expAllowed, false);
    }

    /**
     * Checks an explanation text: a macro-string with the explanation-only letters, in which spaces are literal
     * (RFC 7208 §6.2).
     *
     * @param s the text
     * @return why it is malformed, or null
     */
    public static String checkExplanation(String s) {
        return check(s, true, true);
    }

    private static String check(String s, boolean expAllowed, boolean spaces) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ' ' && spaces) {
                continue;
            }
            if (c == '%') {
                int end = expandEnd(s, i, expAllowed);
                if (end < 0) {
                    return "malformed macro at \"" + s.substring(i) + "\"";
                }
                i = end - 1;
            } else if (c < 0x21 || c > 0x7e) {
                return "invalid character in \"" + s + "\"";
            }
        }
        return null;
    }

    /**
     * Checks a domain-spec: a macro-string ending with a macro or with {@code "." toplabel ["."]}.
     *
     * @param s          the text
     * @param expAllowed whether {@code c r t} may appear (never in a name; exp= uses false too)
     * @return why it is malformed, or null
     */
    public static String checkDomainSpec(String s, boolean expAllowed) {
        if (s.isEmpty()) {
            return "empty domain-spec";
        }
        String bad = checkMacroString(s, expAllowed);
        if (bad != null) {
            return bad;
        }
        // the last token: a macro-expand, or a literal ending "." toplabel ["."]
        int lastMacroEnd = -1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '%') {
                int end = expandEnd(s, i, expAllowed);
                lastMacroEnd = end;
                i = end - 1;
            }
        }
        if (lastMacroEnd == s.length()) {
            return null;
        }
        String tail = s.substring(Math.max(lastMacroEnd, 0));
        if (tail.endsWith(".")) {
            tail = tail.substring(0, tail.length() - 1);
        }
        int dot = tail.lastIndexOf('.');
        if (dot < 0) {
            return "domain-spec \"" + s + "\" does not end with a top-level label";
        }
        return isTopLabel(tail.substring(dot + 1)) ? null
                : "domain-spec \"" + s + "\" ends with an invalid top-level label";
    }

    /** RFC 7208's toplabel: alphanumerics with at least one letter, or with inner hyphens. */
    static boolean isTopLabel(String t) {
        if (t.isEmpty()) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && !(c == '-' && i > 0 && i < t.length() - 1)) {
                return false;
            }
            letter |= c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
        }
        return letter || t.indexOf('-') > 0;
    }

    /** The index after the macro-expand starting at {@code i} (a '%'), or -1 when malformed. */
    private static int expandEnd(String s, int i, boolean expAllowed) {
        if (i + 1 >= s.length()) {
            return -1;
        }
        char next = s.charAt(i + 1);
        if (next == '%' || next == '_' || next == '-') {
            return i + 2;
        }
        if (next != '{' || i + 2 >= s.length()) {
            return -1;
        }
        char raw = s.charAt(i + 2);
        char letter = raw >= 'A' && raw <= 'Z' ? (char) (raw + 32) : raw;
        if (LETTERS.indexOf(letter) < 0 || !expAllowed && EXP_ONLY.indexOf(letter) >= 0) {
            return -1;
        }
        int k = i + 3;
        int digits = 0;
        while (k < s.length() && s.charAt(k) >= '0' && s.charAt(k) <= '9') {
            k++;
            digits++;
        }
        if (digits > 0 && s.substring(k - digits, k).chars().allMatch(ch -> ch == '0')) {
            return -1; // the number of parts must not be zero
        }
        if (k < s.length() && (s.charAt(k) == 'r' || s.charAt(k) == 'R')) {
            k++;
        }
        while (k < s.length() && DELIMITERS.indexOf(s.charAt(k)) >= 0) {
            k++;
        }
        return k < s.length() && s.charAt(k) == '}' ? k + 1 : -1;
    }

    /**
     * @param s a macro-string that passed {@link #checkMacroString}
     * @return whether it uses the letter (in either case)
     */
    public static boolean uses(String s, char letter) {
        for (int i = 0; i + 2 < s.length(); i++) {
            if (s.charAt(i) == '%') {
                char c = s.charAt(i + 2);
                if (s.charAt(i + 1) == '{' && (c == letter || c == letter - 32)) {
                    return true;
                }
                i++; // "%%", "%_", "%-" or the brace
            }
        }
        return false;
    }

    /**
     * Expands a macro-string that passed {@link #checkMacroString}.
     *
     * @param s      the macro-string
     * @param values the letters' values
     * @return the expansion
     */
    public static String expand(String s, Values values) {
        StringBuilder out = new StringBuilder(s.length() + 32);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            char next = s.charAt(i + 1);
            if (next == '%') {
                out.append('%');
                i++;
                continue;
            }
            if (next == '_') {
                out.append(' ');
                i++;
                continue;
            }
            if (next == '-') {
                out.append("%20");
                i++;
                continue;
            }
            // %{ letter digits [r] delimiters }
            char raw = s.charAt(i + 2);
            char letter = raw >= 'A' && raw <= 'Z' ? (char) (raw + 32) : raw;
            int k = i + 3;
            int digitsStart = k;
            while (s.charAt(k) >= '0' && s.charAt(k) <= '9') {
                k++;
            }
            int keep = k == digitsStart ? Integer.MAX_VALUE : parseCapped(s, digitsStart, k);
            boolean reverse = false;
            if (s.charAt(k) == 'r' || s.charAt(k) == 'R') {
                reverse = true;
                k++;
            }
            int delimStart = k;
            while (s.charAt(k) != '}') {
                k++;
            }
            String delimiters = k == delimStart ? "." : s.substring(delimStart, k);
            String value = transform(values.value(letter), delimiters, reverse, keep,
                    keep != Integer.MAX_VALUE || reverse || k != delimStart);
            out.append(raw != letter ? urlEscape(value) : value);
            i = k;
        }
        return out.toString();
    }

    private static int parseCapped(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = Math.min(Integer.MAX_VALUE, v * 10 + (s.charAt(i) - '0'));
        }
        return (int) v;
    }

    private static String transform(String value, String delimiters, boolean reverse, int keep, boolean split) {
        if (!split) {
            return value;
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || delimiters.indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        if (reverse) {
            Collections.reverse(parts);
        }
        int from = Math.max(0, parts.size() - keep);
        return String.join(".", parts.subList(from, parts.size()));
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, as UTF-8. */
    static String urlEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() * 2);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /**
     * An explanation is a macro-string that may hold spaces (RFC 7208 §6.2): they are kept, written "%_".
     *
     * @param text an explanation text that passed {@link #checkExplanation}
     * @return the macro-string to expand
     */
    public static String escapeSpaces(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 1 < text.length()) {
                sb.append(c).append(text.charAt(++i));
            } else if (c == ' ') {
                sb.append("%_");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Shortens an expanded domain to at most 253 octets by dropping labels from the left (RFC 7208 §7.3).
     *
     * @param domain an expanded domain-spec
     * @return the domain, without a trailing dot
     */
    public static String truncate(String domain) {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        // one cut at the end, not a copy per label dropped: a name of thousands of labels (a HELO name, a
        // sender's local part) must not be copied thousands of times
        int start = 0;
        while (d.length() - start > 253) {
            int dot = d.indexOf('.', start);
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return start == 0 ? d : d.substring(start);
    }
}
