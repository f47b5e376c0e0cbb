package org.bouncekit.classifier;

import java.util.Locale;

/**
 * What the sending application should do about a classification. Thread-safe (an enum).
 */
public enum Decision {
    /** Stop sending to the address. */
    SUPPRESS,
    /** Try again later. */
    RETRY,
    /** Slow down for this destination. */
    THROTTLE,
    /** Fix the sender's own setup: authentication, reputation, reverse DNS, blocklisting. */
    FIX_SENDER,
    /** Review the message's content. */
    REVIEW_CONTENT,
    /** Ask the recipient's administrator (a local policy or filter refused the message). */
    CONTACT_RECIPIENT_ADMIN,
    /** Nothing to do. */
    IGNORE;

    /** @return the lower-case token, such as {@code fix_sender} */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param token a token, any case
     * @return the decision, or null when the token names none
     */
    public static Decision fromToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            return valueOf(token.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
