package org.bouncekit.core;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a delivery report says about one recipient: the per-recipient fields of RFC 3464 §2.3 (or the same facts
 * taken from a non-standard bounce).
 *
 * <p>Absent fields are {@code null}; {@link #fields()} keeps every field of the block as read, so extension fields
 * ({@code X-...}) and anything else the report carried stay available.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param recipient         the recipient's address: the final recipient when it is an address, else the original
 *                          recipient, else the single address of the returned message's {@code To} when the report
 *                          names no usable address; null when none is known
 * @param originalRecipient {@code Original-Recipient}, or null
 * @param finalRecipient    {@code Final-Recipient}, or null
 * @param action            {@code Action}, or null when missing or not one of the five actions
 * @param status            {@code Status}, or null when missing or malformed
 * @param remoteMta         {@code Remote-MTA}, or null
 * @param diagnosticCode    {@code Diagnostic-Code} with its type (usually {@code smtp}), or null
 * @param reply             the SMTP reply read from the diagnostic code, or null when it holds none
 * @param lastAttemptDate   {@code Last-Attempt-Date}, or null when missing or unreadable
 * @param finalLogId        {@code Final-Log-ID}, or null
 * @param willRetryUntil    {@code Will-Retry-Until}, or null when missing or unreadable
 * @param fields            every field of the recipient block, in order
 * @param smtpCommand       the SMTP command at which delivery failed ({@code RCPT}, {@code MAIL}, {@code DATA},
 *                          {@code EHLO}, {@code HELO}, {@code CONNECT}, ...), when the report says; else null
 */
public record RecipientStatus(
        String recipient,
        TypedValue originalRecipient,
        TypedValue finalRecipient,
        Action action,
        EnhancedStatus status,
        TypedValue remoteMta,
        TypedValue diagnosticCode,
        SmtpReply reply,
        OffsetDateTime lastAttemptDate,
        String finalLogId,
        OffsetDateTime willRetryUntil,
        List<Header> fields,
        String smtpCommand) {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param recipient see {@link #recipient()}
     * @param originalRecipient see {@link #originalRecipient()}
     * @param finalRecipient see {@link #finalRecipient()}
     * @param action see {@link #action()}
     * @param status see {@link #status()}
     * @param remoteMta see {@link #remoteMta()}
     * @param diagnosticCode see {@link #diagnosticCode()}
     * @param reply see {@link #reply()}
     * @param lastAttemptDate see {@link #lastAttemptDate()}
     * @param finalLogId see {@link #finalLogId()}
     * @param willRetryUntil see {@link #willRetryUntil()}
     * @param fields see {@link #fields()}
     * @param smtpCommand see {@link #smtpCommand()}
     */
    public RecipientStatus {
        fields = List.copyOf(fields);
    }

    /**
     * The status that best describes the failure: the enhanced status the remote server gave in its reply (the
     * {@code Diagnostic-Code}), when it gave one; otherwise the reporting MTA's {@code Status} field. Reporting MTAs
     * often map every failure to a generic status ({@code 5.0.0}) or to "delivery time expired" ({@code 4.4.7})
     * while the reply says what happened. A generic {@code X.0.0} in the reply gives way to a specific
     * {@code Status} field.
     *
     * @return the status, or null when neither the reply nor the report gives one
     */
    public EnhancedStatus effectiveStatus() {
        EnhancedStatus replied = reply == null ? null : reply.status();
        if (replied == null) {
            return status;
        }
        boolean genericReply = replied.subject() == 0 && replied.detail() == 0;
        if (genericReply && status != null && (status.subject() != 0 || status.detail() != 0)) {
            return status; // "550 5.0.0" says less than a reporting MTA's "5.3.0"
        }
        return replied;
    }

    /**
     * The extension fields of the block, those whose name starts with {@code X-}.
     *
     * @return the extension fields in order, possibly empty
     */
    public List<Header> extensionFields() {
        List<Header> out = new ArrayList<>();
        for (Header h : fields) {
            if (h.name().regionMatches(true, 0, "X-", 0, 2)) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * The value of a field of this block by name.
     *
     * @param name a field name, any case
     * @return the first value, or null
     */
    public String field(String name) {
        return Header.first(fields, name);
    }
}
