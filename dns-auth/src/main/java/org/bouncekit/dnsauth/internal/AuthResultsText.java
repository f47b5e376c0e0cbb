package org.bouncekit.dnsauth.internal;

/**
 * The lexical rules of {@code Authentication-Results} (RFC 8601 §2.2) that the value types and the parser share:
 * what a keyword is, which values may be written bare, and how the rest are quoted.
 *
 * <p>Stateless; thread-safe.
 */
public final class AuthResultsText {

    /** RFC 2045's tspecials: a token is any printable US-ASCII character but these. */
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";
    /** RFC 5322's atext besides letters and digits. */
    private static final String ATEXT = "!#$%&'*+-/=?^_`{|}~";

    private AuthResultsText() {
    }

    /**
     * A method, result, ptype or property name: RFC 5321's Ldh-str (letters, digits, hyphens), with underscores
     * tolerated because some producers use them.
     *
     * @param s any string, or null
     * @return whether {@code s} is a non-empty keyword
     */
    public static boolean isKeyword(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isKeywordChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param c a character
     * @return whether it may appear in a keyword
     */
    public static boolean isKeywordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /**
     * @param c a character
     * @return whether it is a US-ASCII control character other than horizontal tab (these cannot be written in a
     *         header field value)
     */
    public static boolean isControl(char c) {
        return c < 0x20 && c != '\t' || c == 0x7f;
    }

    /**
     * @param s a string
     * @return the index of its first control character (see {@link #isControl}), or -1
     */
    public static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Replaces control characters by spaces, for text that comes from elsewhere (a sender address, a verifier's
     * reason) and is to be written into the field.
     *
     * @param s a string, or null
     * @return {@code s} without control characters, or null for null
     */
    public static String clean(String s) {
        if (s == null || firstControl(s) < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(isControl(c) ? ' ' : c);
        }
        return sb.toString();
    }

    /**
     * @param s a string
     * @return whether it is an RFC 2045 token (non-empty, printable US-ASCII without tspecials)
     */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || TSPECIALS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends a {@code value} (RFC 8601: token / quoted-string): bare when it is a token, else quoted.
     *
     * @param out the text being written
     * @param v   the value, without control characters
     */
    public static void appendValue(StringBuilder out, String v) {
        if (isToken(v)) {
            out.append(v);
        } else {
            appendQuoted(out, v);
        }
    }

    /**
     * Appends a property value ({@code pvalue}): bare when it is a token or {@code [local-part] "@" domain-name},
     * else quoted, so that {@code smtp.mailfrom=alice@example.org} stays as users expect it.
     *
     * @param out the text being written
     * @param v   the value, without control characters
     */
    public static void appendPvalue(StringBuilder out, String v) {
        if (isToken(v) || isAddress(v)) {
            out.append(v);
        } else {
            appendQuoted(out, v);
        }
    }

    /**
     * Appends a quoted-string with {@code "} and {@code \} escaped (the parser reverses exactly this).
     *
     * @param out the text being written
     * @param v   the content
     */
    public static void appendQuoted(StringBuilder out, String v) {
        out.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /**
     * {@code [local-part] "@" domain-name} of RFC 8601, US-ASCII only, where the local part is a dot-atom or a
     * quoted-string in the form {@link #appendQuoted} writes it (so that reading it back gives the same text).
     */
    static boolean isAddress(String v) {
        int at;
        if (v.startsWith("\"")) {
            int close = closingQuote(v);
            if (close < 0 || close + 1 >= v.length() || v.charAt(close + 1) != '@') {
                return false;
            }
            at = close + 1;
        } else {
            at = v.indexOf('@');
            if (at < 0 || at > 0 && !isDotAtom(v.substring(0, at))) {
                return false;
            }
        }
        return isDomainName(v.substring(at + 1));
    }

    /**
     * @return the index of the quote that closes the quoted-string at the start of {@code v}, when its content is
     *         printable US-ASCII (or space or tab) with only {@code "} and {@code \} escaped; else -1
     */
    private static int closingQuote(String v) {
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                if (i + 1 >= v.length() || v.charAt(i + 1) != '"' && v.charAt(i + 1) != '\\') {
                    return -1;
                }
                i++;
            } else if (isControl(c) || c > 0x7e) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || ATEXT.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 6376's domain-name: at least two labels of letters, digits and inner hyphens. */
    private static boolean isDomainName(String s) {
        String[] labels = s.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }
}
