package org.bouncekit.core;

import java.util.Locale;

/**
 * The {@code Action} of a DSN recipient (RFC 3464 §2.3.3): what the reporting MTA did with the message for that
 * recipient.
 *
 * <p>Thread-safe (an enum).
 */
public enum Action {
    /** Delivery failed and will not be retried. */
    FAILED,
    /** Delivery has been delayed and is still being tried. */
    DELAYED,
    /** The message was delivered. */
    DELIVERED,
    /** The message was relayed to a system that will not send DSNs. */
    RELAYED,
    /** The message was delivered and forwarded to several addresses (a list). */
    EXPANDED;

    /**
     * Reads an action field value; case and trailing comments ({@code failed (bad address)}) are ignored.
     *
     * @param value the field value, may be null
     * @return the action, or null when the value is none of the five
     */
    public static Action parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        int end = 0;
        while (end < v.length() && Character.isLetter(v.charAt(end))) {
            end++;
        }
        switch (v.substring(0, end).toLowerCase(Locale.ROOT)) {
            case "failed":
            case "failure":
            case "undeliverable":
                return FAILED;
            case "delayed":
                return DELAYED;
            case "delivered":
            case "deliverable": // Postfix address verification reports
                return DELIVERED;
            case "relayed":
                return RELAYED;
            case "expanded":
                return EXPANDED;
            default:
                return null;
        }
    }

    /**
     * The lower-case form used in reports and in the CLI's output.
     *
     * @return for example {@code failed}
     */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
