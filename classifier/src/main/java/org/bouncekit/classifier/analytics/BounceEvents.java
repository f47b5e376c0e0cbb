package org.bouncekit.classifier.analytics;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncekit.classifier.Classification;
import org.bouncekit.core.DeliveryReport;
import org.bouncekit.core.FeedbackReport;
import org.bouncekit.core.Header;
import org.bouncekit.core.OriginalMessage;
import org.bouncekit.core.RecipientStatus;
import org.bouncekit.core.Report;

/**
 * Turns a parsed report and its classifications into {@link BounceEvent}s, reading from the report what analytics
 * counts by:
 * <ul>
 * <li>the time: the recipient's {@code Last-Attempt-Date}, else the report's {@code Arrival-Date}, else its
 *     {@code Date} field, else the fallback;</li>
 * <li>the sending IP: the address a feedback report names as its source, or the bracketed IPv4 or IPv6 literal a
 *     receiver's reply names as the client it saw ({@code [192.0.2.1]}), when it is not the replying host's own
 *     address; else an {@code X-Sending-IP} or {@code X-Originating-IP} field of the original message;</li>
 * <li>the campaign: the first of the original message's {@link #CAMPAIGN_FIELDS} that is present (the report
 *     parser must be asked to keep them: {@link #FIELDS}), the campaign part
 *     of a {@code Feedback-ID}, else its {@code List-Id}.</li>
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
public final class BounceEvents {

    /** The original message's fields read as the campaign, in order of preference. */
    public static final List<String> CAMPAIGN_FIELDS = List.of("X-Campaign", "X-Campaign-ID",
            "X-Mailgun-Campaign-Id", "X-MC-Tags", "X-SES-CONFIGURATION-SET", "Feedback-ID");

    /** The original message's fields read as the sending IP. */
    public static final List<String> IP_FIELDS = List.of("X-Sending-IP", "X-Originating-IP");

    /**
     * Every original-message field read here, to give the report parser:
     * {@code ReportParser.builder().correlationHeaders(BounceEvents.FIELDS.toArray(String[]::new))}.
     */
    public static final List<String> FIELDS = java.util.stream.Stream.concat(CAMPAIGN_FIELDS.stream(),
            IP_FIELDS.stream()).toList();

    private static final Pattern BRACKETED_IP = Pattern.compile(
            "\\[(?:IPv6:)?((?:\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})]");

    private BounceEvents() {
    }

    /**
     * @param report          a parsed report
     * @param classifications its classifications, in recipient order ({@code Classifier.classify(report)})
     * @param fallback        the time for a report that carries none (such as when the file was read)
     * @return one event per classification
     */
    public static List<BounceEvent> of(Report report, List<Classification> classifications, Instant fallback) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(classifications, "classifications");
        Objects.requireNonNull(fallback, "fallback");
        OriginalMessage original = report.original();
        String campaign = campaign(original);
        Instant reportTime = date(report.headers());
        List<BounceEvent> out = new ArrayList<>(classifications.size());
        for (int i = 0; i < classifications.size(); i++) {
            Classification c = classifications.get(i);
            Instant at = null;
            String ip = null;
            if (report instanceof DeliveryReport d) {
                RecipientStatus r = i < d.recipients().size() ? d.recipients().get(i) : null;
                if (r != null) {
                    at = r.lastAttemptDate() == null ? null : r.lastAttemptDate().toInstant();
                    ip = clientIp(r);
                }
                if (at == null && d.arrivalDate() != null) {
                    at = d.arrivalDate().toInstant();
                }
            } else if (report instanceof FeedbackReport f) {
                at = f.arrivalDate() == null ? null : f.arrivalDate().toInstant();
                ip = f.sourceIp();
            }
            if (ip == null) {
                ip = field(original, IP_FIELDS);
            }
            Instant when = usable(at) ? at : usable(reportTime) ? reportTime : fallback;
            out.add(new BounceEvent(when, c.recipient(), c, ip, campaign));
        }
        return out;
    }

    private static boolean usable(Instant t) {
        return t != null && !t.isBefore(BounceEvent.EARLIEST) && !t.isAfter(BounceEvent.LATEST);
    }

    /** The client address a reply names in brackets, unless it is the replying host's own. */
    static String clientIp(RecipientStatus r) {
        String text = r.reply() != null ? r.reply().text()
                : r.diagnosticCode() != null ? r.diagnosticCode().value() : null;
        if (text == null) {
            return null;
        }
        java.util.Set<String> remote = new java.util.HashSet<>();
        if (r.remoteMta() != null && r.remoteMta().value() != null) {
            Matcher rm = BRACKETED_IP.matcher(r.remoteMta().value());
            while (rm.find()) {
                remote.add(rm.group(1).toLowerCase(Locale.ROOT));
            }
            // "dns; mx.example.org" names no address; "dns; 198.51.100.5" names one without brackets
            String v = r.remoteMta().value().strip();
            remote.add(v.toLowerCase(Locale.ROOT));
        }
        Matcher m = BRACKETED_IP.matcher(text);
        while (m.find()) {
            String ip = m.group(1).toLowerCase(Locale.ROOT);
            if (literal(ip) && !remote.contains(ip)) {
                return ip;
            }
        }
        return null;
    }

    /**
     * Whether text the pattern found is an address: four octets of at most 255, or an IPv6 address (with
     * {@code ::} or all eight groups, so that a time such as {@code 12:30:45} is none).
     */
    static boolean literal(String ip) {
        if (ip.indexOf(':') < 0) {
            for (String octet : ip.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        long colons = ip.chars().filter(ch -> ch == ':').count();
        return ip.contains("::") ? colons <= 7 && ip.indexOf("::") == ip.lastIndexOf("::")
                : colons == 7 && !ip.contains(":::");
    }

    private static String campaign(OriginalMessage original) {
        if (original == null) {
            return null;
        }
        String v = field(original, CAMPAIGN_FIELDS.subList(0, CAMPAIGN_FIELDS.size() - 1));
        if (v != null) {
            return v;
        }
        String feedbackId = field(original, List.of("Feedback-ID"));
        if (feedbackId != null) {
            // Gmail's Feedback-ID is a:b:c:SenderId; the first part is commonly the campaign
            String[] parts = feedbackId.split(":");
            if (parts.length >= 2 && !parts[0].isBlank()) {
                return parts[0].strip();
            }
        }
        return original.listId() == null || original.listId().isBlank() ? null : original.listId().strip();
    }

    private static String field(OriginalMessage original, List<String> names) {
        if (original == null) {
            return null;
        }
        for (String name : names) {
            for (Header h : original.correlationHeaders()) {
                if (h.name().equalsIgnoreCase(name) && h.value() != null && !h.value().isBlank()) {
                    return h.value().strip();
                }
            }
        }
        return null;
    }

    private static Instant date(List<Header> headers) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Date") && h.value() != null) {
                try {
                    return OffsetDateTime.parse(h.value().strip().replaceAll("\\s*\\([^)]*\\)$", "")
                            .replaceAll("\\s+", " "), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
