package org.bouncekit.core;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.bouncekit.core.internal.Addresses;
import org.bouncekit.core.internal.HeaderList;

/**
 * An Abuse Reporting Format report (RFC 5965), including authentication-failure reports (RFC 6591) and the
 * RFC 6650 rules for complaints about email.
 *
 * <p>Single-valued fields that are absent are {@code null}, multi-valued ones are empty lists; {@link #fields()}
 * keeps every field of the {@code message/feedback-report} part as read.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param feedbackType          {@code Feedback-Type} in lower case ({@code abuse}, {@code auth-failure}, ...)
 * @param userAgent             {@code User-Agent}
 * @param version               {@code Version}
 * @param originalMailFrom      {@code Original-Mail-From}, angle brackets removed
 * @param originalRcptTo        every {@code Original-Rcpt-To}, angle brackets removed
 * @param arrivalDate           {@code Arrival-Date} (or {@code Received-Date}), or null when unreadable
 * @param sourceIp              {@code Source-IP}
 * @param reportedDomain        every {@code Reported-Domain}
 * @param reportedUri           every {@code Reported-URI}
 * @param authenticationResults every {@code Authentication-Results}
 * @param authFailure           {@code Auth-Failure} ({@code dkim}, {@code spf}, {@code dmarc}, ...)
 * @param dkimDomain            {@code DKIM-Domain}
 * @param dkimIdentity          {@code DKIM-Identity}
 * @param dkimSelector          {@code DKIM-Selector}
 * @param spfDns                every {@code SPF-DNS}
 * @param deliveryResult        {@code Delivery-Result}
 * @param incidents             {@code Incidents}, or null when missing or not a number
 * @param fields                every field of the report part, in order
 * @param reportedHeaders       the header fields of the reported message
 * @param headers               the report message's own header fields
 * @param original              the reported message, or null
 * @param verpRecipient         the address decoded from a VERP envelope recipient, or null
 * @param problems              problems found while reading
 */
public record FeedbackReport(
        String feedbackType,
        String userAgent,
        String version,
        String originalMailFrom,
        List<String> originalRcptTo,
        OffsetDateTime arrivalDate,
        String sourceIp,
        List<String> reportedDomain,
        List<String> reportedUri,
        List<String> authenticationResults,
        String authFailure,
        String dkimDomain,
        String dkimIdentity,
        String dkimSelector,
        List<String> spfDns,
        String deliveryResult,
        Integer incidents,
        List<Header> fields,
        List<Header> reportedHeaders,
        List<Header> headers,
        OriginalMessage original,
        String verpRecipient,
        List<Problem> problems) implements Report {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param feedbackType see {@link #feedbackType()}
     * @param userAgent see {@link #userAgent()}
     * @param version see {@link #version()}
     * @param originalMailFrom see {@link #originalMailFrom()}
     * @param originalRcptTo see {@link #originalRcptTo()}
     * @param arrivalDate see {@link #arrivalDate()}
     * @param sourceIp see {@link #sourceIp()}
     * @param reportedDomain see {@link #reportedDomain()}
     * @param reportedUri see {@link #reportedUri()}
     * @param authenticationResults see {@link #authenticationResults()}
     * @param authFailure see {@link #authFailure()}
     * @param dkimDomain see {@link #dkimDomain()}
     * @param dkimIdentity see {@link #dkimIdentity()}
     * @param dkimSelector see {@link #dkimSelector()}
     * @param spfDns see {@link #spfDns()}
     * @param deliveryResult see {@link #deliveryResult()}
     * @param incidents see {@link #incidents()}
     * @param fields see {@link #fields()}
     * @param reportedHeaders see {@link #reportedHeaders()}
     * @param headers see {@link #headers()}
     * @param original see {@link #original()}
     * @param verpRecipient see {@link #verpRecipient()}
     * @param problems see {@link #problems()}
     */
    public FeedbackReport {
        originalRcptTo = List.copyOf(originalRcptTo);
        reportedDomain = List.copyOf(reportedDomain);
        reportedUri = List.copyOf(reportedUri);
        authenticationResults = List.copyOf(authenticationResults);
        spfDns = List.copyOf(spfDns);
        fields = List.copyOf(fields);
        reportedHeaders = HeaderList.copyOf(reportedHeaders);
        headers = HeaderList.copyOf(headers);
        problems = List.copyOf(problems);
    }

    @Override
    public String format() {
        return "arf";
    }

    /**
     * The addresses the reported message went to: the {@code Original-Rcpt-To} fields; else the
     * {@code Removal-Recipient} of an opt-out report; else the addresses in the reported message's {@code To}
     * field.
     *
     * @return the recipients, possibly empty
     */
    public List<String> recipients() {
        if (!originalRcptTo.isEmpty()) {
            return originalRcptTo;
        }
        String removal = Header.first(fields, "Removal-Recipient"); // opt-out reports name the address so
        if (removal != null && !Addresses.extract(removal).isEmpty()) {
            return Addresses.extract(removal);
        }
        String to = Header.first(reportedHeaders, "To");
        if (to == null && original != null) {
            to = original.to();
        }
        return to == null ? List.of() : new ArrayList<>(Addresses.extract(to));
    }
}
