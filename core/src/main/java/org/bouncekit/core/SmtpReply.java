package org.bouncekit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SMTP reply (RFC 5321 §4.2): a three-digit reply code, an optional RFC 3463 enhanced status code and text,
 * possibly over several lines ({@code 550-5.1.1 ...} continued by {@code 550 5.1.1 ...}).
 *
 * <pre>{@code
 * SmtpReply r = SmtpReply.parse("550-5.1.1 The email account does not exist.\r\n550 5.1.1 Try again.").orElseThrow();
 * assert r.code() == 550 && r.status().toString().equals("5.1.1");
 * assert r.text().equals("The email account does not exist. Try again.");
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param code   the reply code 200–599, or 0 when the text carries only an enhanced status
 * @param status the enhanced status code, or null when there is none; taken from the text when the reply lines
 *               do not start with one
 * @param text   the reply text of all lines joined by single spaces, codes removed
 * @param lines  the reply lines as given, without line ends
 */
public record SmtpReply(int code, EnhancedStatus status, String text, List<String> lines) {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param code see {@link #code()}
     * @param status see {@link #status()}
     * @param text see {@link #text()}
     * @param lines see {@link #lines()}
     * @throws IllegalArgumentException if {@code code} is neither 0 nor 200–599
     * @throws NullPointerException if {@code text} or {@code lines} is null
     */
    public SmtpReply {
        if (code != 0 && (code < 200 || code > 599)) {
            throw new IllegalArgumentException("reply code must be 0 or 200-599, was " + code);
        }
        Objects.requireNonNull(text, "text");
        lines = List.copyOf(lines);
    }

    /**
     * Reads a reply from text such as a DSN {@code Diagnostic-Code} value or a line of a bounce. The first line
     * must start with a reply code ({@code 550 ...}, {@code 550-...}) or an enhanced status ({@code 5.1.1 ...});
     * following lines with the same code are continuation lines; other lines are text of the reply. When no
     * enhanced status follows the code, the first one that appears inside the text is taken. Never throws.
     *
     * @param text the reply text, may be null
     * @return the reply, or empty when the text starts with neither a reply code nor an enhanced status
     */
    public static Optional<SmtpReply> parse(CharSequence text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.toString();
        List<String> lines = splitLines(s);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        String first = lines.get(0).stripLeading();
        int code = leadingCode(first);
        EnhancedStatus status = null;
        StringBuilder joined = new StringBuilder(s.length());
        if (code == 0) {
            status = EnhancedStatus.parse(first).orElse(null);
            if (status == null) {
                return Optional.empty();
            }
        }
        for (String raw : lines) {
            String line = raw.strip();
            String rest = line;
            int lineCode = leadingCode(line);
            if (lineCode != 0 && (lineCode == code || code == 0)) {
                rest = line.substring(3);
                if (!rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == ' ')) {
                    rest = rest.substring(1);
                }
                rest = rest.stripLeading();
            }
            String statusText = rest.startsWith("#") ? rest.substring(1) : rest; // "550 #5.1.0 ..." (Exchange)
            EnhancedStatus lineStatus = EnhancedStatus.parse(statusText).orElse(null);
            if (lineStatus != null && (status == null || status.equals(lineStatus))) {
                status = lineStatus;
                int skip = statusText.indexOf(lineStatus.toString()) + lineStatus.toString().length();
                rest = statusText.substring(skip).stripLeading();
            }
            if (!rest.isEmpty()) {
                if (joined.length() > 0) {
                    joined.append(' ');
                }
                joined.append(rest);
            }
        }
        String joinedText = code == 0 ? joined.toString() : removeInnerCodes(joined.toString(), code, status);
        if (status == null) {
            status = EnhancedStatus.find(joinedText).orElse(null);
        }
        if (status != null && code != 0 && status.statusClass() != code / 100) {
            // "550 ... 4.7.1 ..." from a confused server: keep the code, keep the text, drop a contradicting status
            // found inside the text only.
            if (!startsWithStatus(lines, status)) {
                status = null;
            }
        }
        return Optional.of(new SmtpReply(code, status, joinedText, lines));
    }

    /**
     * Removes the reply code (and status) of continuation lines that folding has moved inside the text:
     * {@code "does not 550-5.1.1 exist"} becomes {@code "does not exist"}.
     */
    private static String removeInnerCodes(String text, int code, EnhancedStatus status) {
        String c = Integer.toString(code);
        if (text.indexOf(c) < 0) {
            return text;
        }
        String st = status == null ? null : status.toString();
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            if ((i == 0 || text.charAt(i - 1) == ' ') && text.startsWith(c, i) && i + 3 < n) {
                char sep = text.charAt(i + 3);
                int j = i + 4;
                boolean withStatus = st != null && text.startsWith(st, j)
                        && (j + st.length() == n || text.charAt(j + st.length()) == ' ');
                if (sep == '-' || (sep == ' ' && withStatus)) {
                    if (withStatus) {
                        j += st.length();
                    }
                    while (j < n && text.charAt(j) == ' ') {
                        j++;
                    }
                    i = j;
                    continue;
                }
            }
            out.append(text.charAt(i++));
        }
        return out.toString().strip();
    }

    private static boolean startsWithStatus(List<String> lines, EnhancedStatus status) {
        String first = lines.get(0).strip();
        if (leadingCode(first) != 0) {
            first = first.substring(3);
            if (!first.isEmpty() && (first.charAt(0) == '-' || first.charAt(0) == ' ')) {
                first = first.substring(1);
            }
        }
        return EnhancedStatus.parse(first).map(status::equals).orElse(false);
    }

    /** The reply code at the start of {@code line} (followed by space, '-', or end), or 0. */
    static int leadingCode(String line) {
        if (line.length() < 3) {
            return 0;
        }
        char a = line.charAt(0);
        char b = line.charAt(1);
        char c = line.charAt(2);
        if (a < '2' || a > '5' || b < '0' || b > '9' || c < '0' || c > '9') {
            return 0;
        }
        if (line.length() > 3) {
            char d = line.charAt(3);
            if (d != ' ' && d != '-' && d != '\t') {
                return 0;
            }
        }
        return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
    }

    private static List<String> splitLines(String s) {
        List<String> out = new ArrayList<>(2);
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch == '\r' || ch == '\n') {
                addLine(out, s.substring(start, i));
                if (ch == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        addLine(out, s.substring(start));
        return out;
    }

    private static void addLine(List<String> out, String line) {
        if (!line.isBlank()) {
            out.add(line);
        }
    }

    /**
     * Whether this is a permanent failure: code 5xx, or, without a code, a {@code 5.x.x} status.
     *
     * @return true for a permanent failure
     */
    public boolean isPermanent() {
        return code != 0 ? code >= 500 : status != null && status.isPermanent();
    }

    /**
     * Whether this is a transient failure: code 4xx, or, without a code, a {@code 4.x.x} status.
     *
     * @return true for a transient failure
     */
    public boolean isTransient() {
        return code != 0 ? code >= 400 && code < 500 : status != null && status.isTransient();
    }

    /**
     * The enhanced status, if any.
     *
     * @return the status, or empty
     */
    public Optional<EnhancedStatus> enhancedStatus() {
        return Optional.ofNullable(status);
    }
}
