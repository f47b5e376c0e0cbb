package org.bouncekit.core;

import java.time.OffsetDateTime;
import java.util.List;
import org.bouncekit.core.internal.HeaderList;

/**
 * A delivery status notification: RFC 3464 in an RFC 6522 {@code multipart/report} ({@code format()} is
 * {@code rfc3464}), its RFC 6533 internationalised form ({@code rfc6533}), or a bounce in an MTA's own format (the
 * format named after it).
 *
 * <p>Per-message fields that are absent are {@code null}; {@link #messageFields()} keeps all of them as read.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param format            the format name
 * @param reportingMta      {@code Reporting-MTA}, or null
 * @param dsnGateway        {@code DSN-Gateway}, or null
 * @param receivedFromMta   {@code Received-From-MTA}, or null
 * @param originalEnvelopeId {@code Original-Envelope-Id}, or null
 * @param arrivalDate       {@code Arrival-Date}, or null when missing or unreadable
 * @param messageFields     every per-message field, in order
 * @param recipients        one entry per recipient block, in order
 * @param headers           the report message's own header fields
 * @param original          the returned message, or null
 * @param verpRecipient     the address decoded from a VERP envelope recipient, or null
 * @param notification      the beginning of the bounce's human-readable part (at most 1 KB of it, stripped), or null
 *                          when it has none: what the reporting MTA told the sender in its own words
 * @param problems          problems found while reading
 */
public record DeliveryReport(
        String format,
        TypedValue reportingMta,
        TypedValue dsnGateway,
        TypedValue receivedFromMta,
        String originalEnvelopeId,
        OffsetDateTime arrivalDate,
        List<Header> messageFields,
        List<RecipientStatus> recipients,
        List<Header> headers,
        OriginalMessage original,
        String verpRecipient,
        String notification,
        List<Problem> problems) implements Report {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param format see {@link #format()}
     * @param reportingMta see {@link #reportingMta()}
     * @param dsnGateway see {@link #dsnGateway()}
     * @param receivedFromMta see {@link #receivedFromMta()}
     * @param originalEnvelopeId see {@link #originalEnvelopeId()}
     * @param arrivalDate see {@link #arrivalDate()}
     * @param messageFields see {@link #messageFields()}
     * @param recipients see {@link #recipients()}
     * @param headers see {@link #headers()}
     * @param original see {@link #original()}
     * @param verpRecipient see {@link #verpRecipient()}
     * @param notification see {@link #notification()}
     * @param problems see {@link #problems()}
     */
    public DeliveryReport {
        messageFields = List.copyOf(messageFields);
        recipients = List.copyOf(recipients);
        headers = HeaderList.copyOf(headers);
        problems = List.copyOf(problems);
    }

    /**
     * The value of a per-message field by name.
     *
     * @param name a field name, any case
     * @return the first value, or null
     */
    public String messageField(String name) {
        return Header.first(messageFields, name);
    }
}
