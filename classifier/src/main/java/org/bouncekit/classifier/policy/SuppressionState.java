package org.bouncekit.classifier.policy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncekit.classifier.Reason;

/**
 * What a suppression list remembers about one address: whether mail to it is suppressed, why, since when and until
 * when, the soft bounces counted towards suppression, and the last reason recorded. {@link SuppressionPolicy}
 * computes new states from old ones; a {@link SuppressionStore} keeps them.
 *
 * <h2>Address</h2>
 * The address is normalised by {@link #normalize(String)}: leading and trailing white space removed
 * ({@link String#strip()}), then lower-cased in {@link Locale#ROOT}. Local parts are case-sensitive in RFC 5321,
 * but no mailbox provider treats them so, and one address written two ways must not escape its suppression.
 *
 * <h2>Text form</h2>
 * {@link #toLine()} writes a state as one line, {@link #parse(String)} reads it back; every field round-trips
 * exactly, so an application can persist a list in a plain text file, one state per line, without a JSON library.
 * Version 1 has nine fields separated by one tab ({@code U+0009}), without a line terminator:
 * <pre>
 * v1  address  status  cause  since  until  softBounces  lastReason  lastUpdate
 * </pre>
 * <ul>
 *   <li>{@code v1}: the version of the form; another version is refused.</li>
 *   <li>{@code address}: the normalised address with {@code \} written {@code \\}, tab {@code \t}, line feed
 *       {@code \n}, carriage return {@code \r}, and any other control character or unpaired surrogate as
 *       {@code \}{@code uXXXX} (four hex digits), so the line holds neither a separator nor a line break and
 *       survives any UTF-8 file.</li>
 *   <li>{@code status}: {@link Status#token()} ({@code active}, {@code suppressed}).</li>
 *   <li>{@code cause}: {@link Cause#token()} ({@code hard_bounce}, ...), or {@code -} for none.</li>
 *   <li>{@code since}, {@code until}: ISO-8601 instants as {@link Instant#toString()} writes them (nanoseconds
 *       kept), or {@code -} for none (for {@code until}: never expires).</li>
 *   <li>{@code softBounces}: the counted soft-bounce instants, oldest first, separated by {@code ,}; {@code -}
 *       when there are none.</li>
 *   <li>{@code lastReason}: {@link Reason#token()}, or {@code -} for none.</li>
 *   <li>{@code lastUpdate}: an ISO-8601 instant.</li>
 * </ul>
 * For example (tabs shown as two spaces):
 * <pre>
 * v1  bob@example.com  suppressed  hard_bounce  2025-03-01T10:00:00Z  2026-03-01T10:00:00Z  -  userunknown
 *     2025-03-01T10:00:00Z
 * </pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param address     the normalised address
 * @param status      whether mail to the address is suppressed (see {@link #isSuppressed(Instant)} for expiry)
 * @param cause       why it is suppressed; null when {@link Status#ACTIVE}
 * @param since       when the suppression began; null when {@link Status#ACTIVE}
 * @param until       when the suppression expires (exclusive), or null for never; null when {@link Status#ACTIVE}
 * @param softBounces the soft bounces counted towards suppression, oldest first, at most
 *                    {@link #MAX_SOFT_BOUNCES} (a policy keeps no more than its threshold)
 * @param lastReason  the reason of the last classification that changed this state, or null
 * @param lastUpdate  when this state last changed
 */
public record SuppressionState(String address, Status status, Cause cause, Instant since, Instant until,
                               List<Instant> softBounces, Reason lastReason, Instant lastUpdate) {

    /** The longest address accepted, in chars after normalisation (RFC 5321 paths are at most 256 octets). */
    public static final int MAX_ADDRESS_LENGTH = 1024;
    /** The most soft bounces a state holds. */
    public static final int MAX_SOFT_BOUNCES = 1000;
    /** The version tag that starts every line of the current text form. */
    public static final String VERSION = "v1";

    private static final int FIELDS = 9;
    private static final String NONE = "-";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Whether mail to an address is suppressed. Thread-safe (an enum). */
    public enum Status {
        /** Mail may be sent. */
        ACTIVE,
        /** Mail must not be sent (until the suppression expires). */
        SUPPRESSED;

        /** @return the lower-case token, such as {@code suppressed} */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why an address is suppressed. Thread-safe (an enum). */
    public enum Cause {
        /** A hard bounce: the address itself is bad. */
        HARD_BOUNCE,
        /** The recipient complained (a feedback report). */
        COMPLAINT,
        /** Too many soft bounces tied to the mailbox within the policy's window. */
        SOFT_BOUNCES,
        /** The application suppressed the address itself. */
        MANUAL;

        /** @return the lower-case token, such as {@code soft_bounces} */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Validates the fields, normalises the address and copies the soft bounces.
     *
     * @param address     see {@link #address()}
     * @param status      see {@link #status()}
     * @param cause       see {@link #cause()}
     * @param since       see {@link #since()}
     * @param until       see {@link #until()}
     * @param softBounces see {@link #softBounces()}
     * @param lastReason  see {@link #lastReason()}
     * @param lastUpdate  see {@link #lastUpdate()}
     * @throws NullPointerException     when address, status, softBounces, one of its instants or lastUpdate is null
     * @throws IllegalArgumentException when the address is invalid (see {@link #normalize(String)}); when an active
     *                                  state has a cause, since or until; when a suppressed state lacks a cause or
     *                                  since, or its until is before since; when the soft bounces are out of order
     *                                  or more than {@link #MAX_SOFT_BOUNCES}
     */
    public SuppressionState {
        address = normalize(address);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(softBounces, "softBounces");
        Objects.requireNonNull(lastUpdate, "lastUpdate");
        if (status == Status.ACTIVE) {
            if (cause != null || since != null || until != null) {
                throw new IllegalArgumentException("an active state has no cause, since or until: " + cause + ", "
                        + since + ", " + until);
            }
        } else {
            if (cause == null || since == null) {
                throw new IllegalArgumentException("a suppressed state needs a cause and since: " + cause + ", "
                        + since);
            }
            if (until != null && until.isBefore(since)) {
                throw new IllegalArgumentException("until " + until + " is before since " + since);
            }
        }
        softBounces = List.copyOf(softBounces);
        if (softBounces.size() > MAX_SOFT_BOUNCES) {
            throw new IllegalArgumentException("softBounces: " + softBounces.size() + " instants, more than the limit "
                    + MAX_SOFT_BOUNCES);
        }
        for (int i = 1; i < softBounces.size(); i++) {
            if (softBounces.get(i).isBefore(softBounces.get(i - 1))) {
                throw new IllegalArgumentException("softBounces out of order: " + softBounces.get(i) + " after "
                        + softBounces.get(i - 1));
            }
        }
    }

    /**
     * An active state with nothing counted: what an address without a stored state is.
     *
     * @param address the address, normalised here
     * @param at      the state's last update
     * @return the state
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when the address is invalid
     */
    public static SuppressionState active(String address, Instant at) {
        return new SuppressionState(address, Status.ACTIVE, null, null, null, List.of(), null, at);
    }

    /**
     * Normalises an address: leading and trailing white space removed ({@link String#strip()}), then lower-cased
     * in {@link Locale#ROOT}.
     *
     * @param address the address
     * @return the normalised address
     * @throws NullPointerException     when address is null
     * @throws IllegalArgumentException when it is blank, has no {@code @}, or is longer than
     *                                  {@link #MAX_ADDRESS_LENGTH} chars
     */
    public static String normalize(String address) {
        Objects.requireNonNull(address, "address");
        String s = address.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("address is blank");
        }
        if (s.indexOf('@') < 0) {
            throw new IllegalArgumentException("address has no @: " + abbreviate(s));
        }
        if (s.length() > MAX_ADDRESS_LENGTH) {
            throw new IllegalArgumentException("address is " + s.length() + " chars, longer than the limit "
                    + MAX_ADDRESS_LENGTH + ": " + abbreviate(s));
        }
        return s;
    }

    /**
     * Whether mail to the address is suppressed at an instant: the status is {@link Status#SUPPRESSED} and the
     * suppression has not expired ({@code until} is null or after {@code now}).
     *
     * @param now the instant
     * @return true when suppressed at {@code now}
     * @throws NullPointerException when now is null
     */
    public boolean isSuppressed(Instant now) {
        Objects.requireNonNull(now, "now");
        return status == Status.SUPPRESSED && (until == null || now.isBefore(until));
    }

    /**
     * Writes this state in the current text form (see the class documentation).
     *
     * @return one line, without a line terminator
     */
    public String toLine() {
        StringBuilder b = new StringBuilder(96 + address.length() + softBounces.size() * 25);
        b.append(VERSION).append('\t');
        escape(address, b);
        b.append('\t').append(status.token());
        b.append('\t').append(cause == null ? NONE : cause.token());
        b.append('\t').append(since == null ? NONE : since.toString());
        b.append('\t').append(until == null ? NONE : until.toString());
        b.append('\t');
        if (softBounces.isEmpty()) {
            b.append(NONE);
        } else {
            for (int i = 0; i < softBounces.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(softBounces.get(i));
            }
        }
        b.append('\t').append(lastReason == null ? NONE : lastReason.token());
        b.append('\t').append(lastUpdate);
        return b.toString();
    }

    /**
     * Reads a state written by {@link #toLine()}. Tokens must be exactly as written (lower case); nothing is
     * guessed.
     *
     * @param line one line, without a line terminator
     * @return the state
     * @throws NullPointerException     when line is null
     * @throws IllegalArgumentException when the line is malformed; the message names the field
     */
    public static SuppressionState parse(String line) {
        Objects.requireNonNull(line, "line");
        String[] f = line.split("\t", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("suppression line: expected " + FIELDS + " tab-separated fields, found "
                    + f.length + ": " + abbreviate(line));
        }
        if (!VERSION.equals(f[0])) {
            throw new IllegalArgumentException("suppression line: field 'version': unsupported '" + abbreviate(f[0])
                    + "', expected '" + VERSION + "'");
        }
        String address = unescape(f[1]);
        Status status = parseStatus(f[2]);
        Cause cause = NONE.equals(f[3]) ? null : parseCause(f[3]);
        Instant since = NONE.equals(f[4]) ? null : parseInstant("since", f[4]);
        Instant until = NONE.equals(f[5]) ? null : parseInstant("until", f[5]);
        List<Instant> soft = parseSoftBounces(f[6]);
        Reason lastReason = NONE.equals(f[7]) ? null : parseReason(f[7]);
        Instant lastUpdate = parseInstant("lastUpdate", f[8]);
        try {
            return new SuppressionState(address, status, cause, since, until, soft, lastReason, lastUpdate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("suppression line: " + e.getMessage(), e);
        }
    }

    private static Status parseStatus(String s) {
        for (Status v : Status.values()) {
            if (v.token().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("suppression line: field 'status': unknown '" + abbreviate(s) + "'");
    }

    private static Cause parseCause(String s) {
        for (Cause v : Cause.values()) {
            if (v.token().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("suppression line: field 'cause': unknown '" + abbreviate(s) + "'");
    }

    private static Reason parseReason(String s) {
        Reason r = Reason.fromToken(s);
        if (r == null || !r.token().equals(s)) {
            throw new IllegalArgumentException("suppression line: field 'lastReason': unknown '" + abbreviate(s)
                    + "'");
        }
        return r;
    }

    private static List<Instant> parseSoftBounces(String s) {
        if (NONE.equals(s)) {
            return List.of();
        }
        String[] parts = s.split(",", -1);
        if (parts.length > MAX_SOFT_BOUNCES) {
            throw new IllegalArgumentException("suppression line: field 'softBounces': " + parts.length
                    + " instants, more than the limit " + MAX_SOFT_BOUNCES);
        }
        List<Instant> out = new ArrayList<>(parts.length);
        for (String p : parts) {
            out.add(parseInstant("softBounces", p));
        }
        return out;
    }

    private static Instant parseInstant(String field, String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("suppression line: field '" + field + "': not an ISO-8601 instant: '"
                    + abbreviate(s) + "'", e);
        }
    }

    /** Writes an address so that it holds no tab, no line break, no control char and no unpaired surrogate. */
    private static void escape(String s, StringBuilder b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (Character.isISOControl(c)) {
                unicodeEscape(c, b);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c, b);
            } else {
                b.append(c);
            }
        }
    }

    private static void unicodeEscape(char c, StringBuilder b) {
        b.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new IllegalArgumentException("suppression line: field 'address': a lone \\ at the end, at "
                        + i);
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\\' -> b.append('\\');
                case 't' -> b.append('\t');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 'u' -> {
                    if (i + 4 >= s.length()) {
                        throw new IllegalArgumentException("suppression line: field 'address': a short \\u escape at "
                                + (i - 1));
                    }
                    int v = 0;
                    for (int k = 1; k <= 4; k++) {
                        int d = hexDigit(s.charAt(i + k));
                        if (d < 0) {
                            throw new IllegalArgumentException("suppression line: field 'address': a bad \\u escape at "
                                    + (i - 1));
                        }
                        v = v << 4 | d;
                    }
                    b.append((char) v);
                    i += 4;
                }
                default -> throw new IllegalArgumentException("suppression line: field 'address': unknown escape \\"
                        + e + " at " + (i - 1));
            }
        }
        return b.toString();
    }

    /** An ASCII hex digit's value, or -1 (not {@link Character#digit}, which takes other scripts' digits too). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
