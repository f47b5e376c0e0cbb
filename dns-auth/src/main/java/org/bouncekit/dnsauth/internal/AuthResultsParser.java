package org.bouncekit.dnsauth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncekit.dnsauth.AuthResult;
import org.bouncekit.dnsauth.AuthenticationResults;

/**
 * Reads an {@code Authentication-Results} field value (RFC 8601 §2.2, also RFC 7601, 7001 and 5451, whose
 * grammars it extends). Total: every input gives a value; what breaks the grammar becomes a problem
 * ({@code "at N: ..."}, N the character offset in the value) and the parser resumes at the next {@code ;}.
 *
 * <p>Tolerated without a problem, because receivers write them and nothing is lost: a trailing {@code ;}; a
 * property value that is neither a token nor an address but contains no white space, comment, quote or {@code ;}
 * (an unquoted IPv6 address, {@code header.b=gfT/i2HB}, {@code smtp.mailfrom=<>}); an authserv-id written the same
 * way; non-ASCII text; the field name in front of the value; folding (CR and LF are white space).
 *
 * <p>One instance per parse; not thread-safe. Use {@link #parse}.
 */
public final class AuthResultsParser {

    /** The longest field value read, in characters (16 KiB); a longer one is not parsed. */
    public static final int MAX_LENGTH = 16 * 1024;
    /** The most problems listed; one more entry says how many were left out. */
    public static final int MAX_PROBLEMS = 32;

    private static final String FIELD_NAME = "authentication-results:";

    /** The value being read. */
    private final String s;
    /** Index of the next character to read; 0 &lt;= pos &lt;= s.length(). */
    private int pos;
    private final List<String> problems = new ArrayList<>();
    /** Problems beyond {@link #MAX_PROBLEMS}, counted only. */
    private int dropped;
    private final List<AuthResult> results = new ArrayList<>();
    /** Where a {@code none} (no-result) was read, or -1. */
    private int noneAt = -1;

    private AuthResultsParser(String s) {
        this.s = s;
    }

    /**
     * Parses a field value; never throws.
     *
     * @param value the field value (after {@code Authentication-Results:}; the name itself is skipped if present),
     *              folded or not, or null
     * @return what could be read, with the problems
     */
    public static AuthenticationResults parse(String value) {
        if (value == null) {
            return new AuthenticationResults("", -1, List.of(), List.of("no field value (null)"));
        }
        if (value.length() > MAX_LENGTH) {
            return new AuthenticationResults("", -1, List.of(), List.of("field value of " + value.length()
                    + " characters is over the limit of " + MAX_LENGTH + " (AuthenticationResults.MAX_LENGTH);"
                    + " not parsed"));
        }
        return new AuthResultsParser(value).run();
    }

    private AuthenticationResults run() {
        skipFieldName();
        skipCfws();
        String authservId = "";
        int version = -1;
        int start = pos;
        if (atEnd()) {
            problem(pos, "empty field value: no authserv-id and no result");
            return finish(authservId, version);
        }
        boolean quoted = peek() == '"';
        String id = quoted ? readQuoted() : readRun("=/");
        if (id.isEmpty() && !quoted) {
            problem(pos, "no authserv-id" + (peek() == ';' ? " before ';'" : ": " + excerpt(pos)));
            if (peek() != ';') {
                skipToSemicolon();
            }
        } else {
            skipCfws();
            if (!quoted && !atEnd() && (peek() == '=' || peek() == '/')) {
                // "spf=pass ...": Microsoft Exchange Online (and ARF samples copied from it) omit the authserv-id.
                pos = start;
                problem(start, "no authserv-id: the field begins with a result");
                resinfo();
            } else {
                authservId = id;
                if (!atEnd() && isDigit(peek())) {
                    version = readNumber("authres-version");
                    skipCfws();
                }
                if (!atEnd() && peek() != ';') {
                    problem(pos, "unexpected text after the authserv-id: " + excerpt(pos));
                    skipToSemicolon();
                }
            }
        }
        while (!atEnd()) {
            // here peek() == ';'
            pos++;
            skipCfws();
            if (atEnd()) {
                break; // a trailing ';' is common and harmless
            }
            if (peek() == ';') {
                problem(pos, "empty result (';;')");
                continue;
            }
            resinfo();
        }
        if (results.isEmpty() && noneAt < 0) {
            problem(s.length(), "no result: neither method=result nor 'none'");
        } else if (!results.isEmpty() && noneAt >= 0) {
            problem(noneAt, "'none' beside other results");
        }
        return finish(authservId, version);
    }

    private AuthenticationResults finish(String authservId, int version) {
        if (dropped > 0) {
            problems.add(dropped + " more problems not listed (limit " + MAX_PROBLEMS + ")");
        }
        return new AuthenticationResults(authservId, version, results, problems);
    }

    /** One {@code methodspec [reasonspec] *propspec}; on return the parser is at a {@code ;} or the end. */
    private void resinfo() {
        int at = pos;
        String method = readKeyword();
        if (method == null) {
            problem(at, "expected method=result: " + excerpt(at));
            skipToSemicolon();
            return;
        }
        skipCfws();
        if (method.equals("none") && (atEnd() || peek() == ';')) {
            if (noneAt >= 0) {
                problem(at, "'none' repeated");
            }
            noneAt = at;
            return;
        }
        int methodVersion = -1;
        if (!atEnd() && peek() == '/') {
            pos++;
            skipCfws();
            if (atEnd() || !isDigit(peek())) {
                problem(pos, "method '" + method + "': '/' without a version");
                skipToSemicolon();
                return;
            }
            methodVersion = readNumber("method version");
            skipCfws();
        }
        if (atEnd() || peek() != '=') {
            problem(pos, "method '" + method + "' has no result"
                    + (atEnd() || peek() == ';' ? "" : ": " + excerpt(at)));
            skipToSemicolon();
            return;
        }
        pos++;
        skipCfws();
        int resultAt = pos;
        String result = readKeyword();
        if (result == null) {
            problem(resultAt, "method '" + method + "' has no result"
                    + (atEnd() || peek() == ';' ? "" : ": " + excerpt(at)));
            skipToSemicolon();
            return;
        }
        if (!atEnd() && peek() != ';' && !isCfwsStart(peek())) {
            problem(resultAt, "method '" + method + "': malformed result " + excerpt(resultAt));
            skipToSemicolon();
            return;
        }
        String reason = null;
        List<AuthResult.Property> properties = new ArrayList<>();
        while (true) {
            skipCfws();
            if (atEnd() || peek() == ';') {
                break;
            }
            int propAt = pos;
            String ptype = readKeyword();
            if (ptype == null) {
                problem(propAt, "unexpected text in the result of '" + method + "': " + excerpt(propAt));
                skipToSemicolon();
                break;
            }
            skipCfws();
            if (!atEnd() && peek() == '.') {
                pos++;
                skipCfws();
                int nameAt = pos;
                String name = readKeyword();
                if (name == null) {
                    problem(nameAt, "property name missing after '" + ptype + ".'");
                    skipToSemicolon();
                    break;
                }
                skipCfws();
                if (atEnd() || peek() != '=') {
                    problem(pos, "'=' missing after '" + ptype + "." + name + "'");
                    skipToSemicolon();
                    break;
                }
                pos++;
                properties.add(new AuthResult.Property(ptype, name, readPvalue(ptype + "." + name)));
            } else if (!atEnd() && peek() == '=') {
                pos++;
                String v = readPvalue(ptype);
                if (ptype.equals("reason") && reason == null) {
                    if (!properties.isEmpty()) {
                        problem(propAt, "reason after the properties of '" + method + "'");
                    }
                    reason = v;
                } else {
                    problem(propAt, "'" + ptype + "=' in the result of '" + method
                            + "' is not ptype.property=value; ignored");
                }
            } else {
                problem(propAt, "unexpected text in the result of '" + method + "': " + excerpt(propAt));
                skipToSemicolon();
                break;
            }
        }
        results.add(new AuthResult(method, methodVersion, result, reason, properties));
    }

    /**
     * A property or reason value after its {@code =}: a quoted-string, an address with a quoted local part, or a
     * run of characters; an empty value is a problem and gives "".
     */
    private String readPvalue(String label) {
        skipCfws();
        int at = pos;
        if (!atEnd() && peek() == '"') {
            String q = readQuoted();
            if (!atEnd() && peek() == '@') {
                // "john doe"@example.org: keep the local part quoted, as the address is written
                StringBuilder sb = new StringBuilder();
                AuthResultsText.appendQuoted(sb, q);
                return sb.append(readRun("")).toString();
            }
            return q;
        }
        String v = readRun("");
        if (v.isEmpty()) {
            problem(at, "empty value for " + label);
        }
        return v;
    }

    /**
     * Characters up to white space, a control character, {@code ( ) ; " \}, or one of {@code stop}.
     */
    private String readRun(String stop) {
        int start = pos;
        while (!atEnd()) {
            char c = peek();
            if (c <= 0x20 || c == 0x7f || c == '(' || c == ')' || c == ';' || c == '"' || c == '\\'
                    || stop.indexOf(c) >= 0) {
                break;
            }
            pos++;
        }
        return s.substring(start, pos);
    }

    /** A keyword in lower case, or null (nothing read) when the next character cannot start one. */
    private String readKeyword() {
        int start = pos;
        while (!atEnd() && AuthResultsText.isKeywordChar(peek())) {
            pos++;
        }
        return pos == start ? null : s.substring(start, pos).toLowerCase(Locale.ROOT);
    }

    /** Digits (the caller saw one); -1 with a problem when they do not fit an int or run into other text. */
    private int readNumber(String what) {
        int start = pos;
        while (!atEnd() && isDigit(peek())) {
            pos++;
        }
        String digits = s.substring(start, pos);
        if (!atEnd() && !isCfwsStart(peek()) && peek() != ';' && peek() != '=') {
            problem(start, what + " is not a number: " + excerpt(start));
            return -1;
        }
        if (digits.length() > 9) {
            problem(start, what + " " + digits + " is too large; ignored");
            return -1;
        }
        return Integer.parseInt(digits);
    }

    /** A quoted-string at {@code pos}: its content, unescaped and unfolded. */
    private String readQuoted() {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) {
                problem(start, "unterminated quoted-string");
                return sb.toString();
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && !atEnd()) {
                c = s.charAt(pos++);
            }
            if (c == '\r' || c == '\n') {
                continue; // folding: the white space after the line break stays
            }
            if (AuthResultsText.isControl(c)) {
                if (problems.size() < MAX_PROBLEMS) { // formatted only when kept: a run of them is common in junk
                    problem(pos - 1, "control character U+" + String.format(Locale.ROOT, "%04X", (int) c)
                            + " in a quoted-string; dropped");
                } else {
                    dropped++;
                }
                continue;
            }
            sb.append(c);
        }
    }

    /** White space (CR and LF included: the value may be folded) and comments. */
    private void skipCfws() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (c == '(') {
                skipComment();
            } else {
                return;
            }
        }
    }

    /** A comment at {@code pos}, nested comments and quoted-pairs included. */
    private void skipComment() {
        int start = pos;
        int depth = 0;
        while (!atEnd()) {
            char c = s.charAt(pos++);
            if (c == '\\') {
                if (!atEnd()) {
                    pos++;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
        problem(start, "unterminated comment");
    }

    /** Skips to the next {@code ;} outside comments and quoted-strings, or to the end. */
    private void skipToSemicolon() {
        while (!atEnd()) {
            char c = peek();
            if (c == ';') {
                return;
            } else if (c == '(') {
                skipComment();
            } else if (c == '"') {
                readQuoted();
            } else {
                pos++;
            }
        }
    }

    private void skipFieldName() {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        if (s.regionMatches(true, i, FIELD_NAME, 0, FIELD_NAME.length())) {
            pos = i + FIELD_NAME.length();
        }
    }

    private boolean isCfwsStart(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private boolean atEnd() {
        return pos >= s.length();
    }

    private char peek() {
        return s.charAt(pos);
    }

    /** Up to 40 characters from {@code from} to the next {@code ;}, quoted, control characters shown as spaces. */
    private String excerpt(int from) {
        int end = from;
        while (end < s.length() && s.charAt(end) != ';' && end - from < 40) {
            end++;
        }
        String text = AuthResultsText.clean(s.substring(from, end)).strip();
        return "'" + text + (end < s.length() && s.charAt(end) != ';' ? "...'" : "'");
    }

    private void problem(int at, String message) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add("at " + at + ": " + message);
        } else {
            dropped++;
        }
    }
}
