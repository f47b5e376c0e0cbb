package org.bouncekit.classifier.analytics;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.bouncekit.classifier.Classification;

/**
 * One classified outcome for one recipient, as {@link BounceAnalytics} counts it.
 *
 * <p>Immutable; thread-safe.
 *
 * @param at             when it happened (the report's last attempt or arrival date, or when it was read), from
 *                       {@link #EARLIEST} to {@link #LATEST}
 * @param recipient      the recipient's address, or null for a bare SMTP reply
 * @param classification the verdict
 * @param sendingIp      the address (or pool name) the message was sent from, or null when not known
 * @param campaign       the campaign the original message belonged to (from its headers), or null
 */
public record BounceEvent(Instant at, String recipient, Classification classification, String sendingIp,
                          String campaign) {

    /**
     * @param at             see {@link #at()}
     * @param recipient      see {@link #recipient()}
     * @param classification see {@link #classification()}
     * @param sendingIp      see {@link #sendingIp()}
     * @param campaign       see {@link #campaign()}
     */
    public BounceEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(classification, "classification");
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException("at must be from " + EARLIEST + " to " + LATEST + ": " + at);
        }
    }

    /** The earliest time an event may have. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest time an event may have (a report renders every time as four-digit years). */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * @return the recipient's domain, lower case, or null when there is no recipient or it has no {@code @}
     */
    public String recipientDomain() {
        if (recipient == null) {
            return null;
        }
        int at = recipient.lastIndexOf('@');
        if (at < 0 || at == recipient.length() - 1) {
            return null;
        }
        String d = recipient.substring(at + 1).strip();
        if (d.endsWith(">")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? null : d.toLowerCase(Locale.ROOT);
    }
}
