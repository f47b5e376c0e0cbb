package org.bouncekit.core;

import java.util.Optional;

/**
 * An RFC 3463 enhanced mail system status code, {@code class.subject.detail} such as {@code 5.1.1}.
 *
 * <p>The class is 2 (success), 4 (persistent transient failure) or 5 (permanent failure); subject and detail are
 * 0–999 (RFC 3463 §2 allows up to three digits each).
 *
 * <pre>{@code
 * EnhancedStatus s = EnhancedStatus.parse("5.1.1 (bad destination mailbox)").orElseThrow();
 * assert s.isPermanent() && s.subject() == 1;
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param statusClass 2, 4 or 5
 * @param subject     0–999
 * @param detail      0–999
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param statusClass see {@link #statusClass()}
     * @param subject see {@link #subject()}
     * @param detail see {@link #detail()}
     * @throws IllegalArgumentException if a component is out of range
     */
    public EnhancedStatus {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("status class must be 2, 4 or 5, was " + statusClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("subject and detail must be 0-999, were " + subject + "." + detail);
        }
    }

    /**
     * Reads a status at the start of {@code text}, after optional white space; anything after the code (a comment,
     * the rest of a reply) is ignored. Never throws.
     *
     * @param text text such as {@code "5.1.1"} or {@code "4.2.2 (mailbox full)"}, may be null
     * @return the status, or empty if the text does not start with one
     */
    public static Optional<EnhancedStatus> parse(CharSequence text) {
        if (text == null) {
            return Optional.empty();
        }
        int i = 0;
        int n = text.length();
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return Optional.ofNullable(at(text, i, n));
    }

    /**
     * Finds the first status anywhere in {@code text} that stands as a word of its own (not part of a version
     * number, an IP address or a longer number).
     *
     * @param text text to search, may be null
     * @return the first status found, or empty
     */
    public static Optional<EnhancedStatus> find(CharSequence text) {
        if (text == null) {
            return Optional.empty();
        }
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if ((c == '2' || c == '4' || c == '5') && (i == 0 || !isWordish(text.charAt(i - 1)))) {
                EnhancedStatus s = at(text, i, n);
                if (s != null) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** Parses a status starting exactly at {@code i}; null if there is none or it runs on into more digits/dots. */
    static EnhancedStatus at(CharSequence t, int i, int n) {
        if (i + 5 > n) {
            return null;
        }
        char c = t.charAt(i);
        if ((c != '2' && c != '4' && c != '5') || t.charAt(i + 1) != '.') {
            return null;
        }
        int j = i + 2;
        int subject = 0;
        int digits = 0;
        while (j < n && digits < 4 && isDigit(t.charAt(j))) {
            subject = subject * 10 + (t.charAt(j) - '0');
            j++;
            digits++;
        }
        if (digits == 0 || digits > 3 || j >= n || t.charAt(j) != '.') {
            return null;
        }
        j++;
        int detail = 0;
        digits = 0;
        while (j < n && digits < 4 && isDigit(t.charAt(j))) {
            detail = detail * 10 + (t.charAt(j) - '0');
            j++;
            digits++;
        }
        if (digits == 0 || digits > 3) {
            return null;
        }
        if (j < n) {
            char after = t.charAt(j);
            // "5.1.1.2" or "5.1.10x" is not a status; "5.1.1." at a sentence end is.
            if (isDigit(after) || Character.isLetter(after) || after == '_'
                    || (after == '.' && j + 1 < n && isDigit(t.charAt(j + 1)))) {
                return null;
            }
        }
        return new EnhancedStatus(c - '0', subject, detail);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordish(char c) {
        return isDigit(c) || Character.isLetter(c) || c == '.' || c == '_' || c == '-';
    }

    /**
     * Whether the class is 5 (permanent failure).
     *
     * @return true for {@code 5.x.x}
     */
    public boolean isPermanent() {
        return statusClass == 5;
    }

    /**
     * Whether the class is 4 (persistent transient failure).
     *
     * @return true for {@code 4.x.x}
     */
    public boolean isTransient() {
        return statusClass == 4;
    }

    /**
     * Whether the class is 2 (success).
     *
     * @return true for {@code 2.x.x}
     */
    public boolean isSuccess() {
        return statusClass == 2;
    }

    /** Returns the code in its usual form, such as {@code 5.1.1}. */
    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
