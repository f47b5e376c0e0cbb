package org.bouncekit.core.internal;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncekit.core.Action;
import org.bouncekit.core.DeliveryReport;
import org.bouncekit.core.EnhancedStatus;
import org.bouncekit.core.FeedbackReport;
import org.bouncekit.core.Header;
import org.bouncekit.core.Limits;
import org.bouncekit.core.OriginalMessage;
import org.bouncekit.core.RecipientStatus;
import org.bouncekit.core.Report;
import org.bouncekit.core.SmtpReply;
import org.bouncekit.core.TypedValue;

/**
 * Amazon SES event notifications delivered by e-mail through SNS: a JSON document of type {@code Bounce},
 * {@code Complaint} or {@code Delivery} instead of a DSN. Detected by the SNS sender or subject before the body is
 * read. Format name {@code amazonses}. Thread-safe (stateless).
 */
final class AmazonSesNotification {

    private AmazonSesNotification() {
    }

    /** Cheap detection on headers: SNS sends these from amazonaws.com with a fixed subject. */
    static boolean detect(Entity root) {
        String from = root.header("from");
        String subject = root.header("subject");
        return from != null && from.toLowerCase(Locale.ROOT).contains("amazonaws.com")
                || subject != null && subject.strip().equalsIgnoreCase("AWS Notification Message");
    }

    /**
     * @return the report, or null when the body holds no SES notification
     */
    @SuppressWarnings("unchecked")
    static Report read(Entity root, Limits limits, List<Header> headers, String verpRecipient,
                       ProblemSink problems) {
        Entity part = root.parts.isEmpty() ? root : root.parts.get(0);
        // SNS e-mail folds long lines with "!" + line break + space (the RFC 5321 line limit): undo it.
        String text = part.text(limits.maxDecodedBytes()).replace("!\r\n ", "").replace("!\n ", "")
                .replace("!\r ", "");
        int start = text.indexOf('{');
        if (start < 0) {
            return null;
        }
        Object parsed = Json.parse(text, start);
        if (!(parsed instanceof Map)) {
            return null;
        }
        Map<String, Object> doc = (Map<String, Object>) parsed;
        String inner = str(doc.get("Message"));
        if (inner != null && inner.startsWith("{")) {
            // the SNS envelope ({"Type":"Notification","Message":"{...}"}) around the SES event
            Object event = Json.parse(inner, 0);
            if (event instanceof Map) {
                doc = (Map<String, Object>) event;
            }
        }
        String type = str(doc.get("notificationType"));
        if (type == null) {
            type = str(doc.get("eventType"));
        }
        Map<String, Object> mail = map(doc.get("mail"));
        OriginalMessage original = original(mail);
        if ("Bounce".equalsIgnoreCase(type)) {
            Map<String, Object> bounce = map(doc.get("bounce"));
            List<RecipientStatus> recipients = new ArrayList<>();
            OffsetDateTime when = time(bounce.get("timestamp"));
            for (Object o : list(bounce.get("bouncedRecipients"))) {
                Map<String, Object> r = map(o);
                String address = str(r.get("emailAddress"));
                String diagnostic = str(r.get("diagnosticCode"));
                TypedValue diag = diagnostic == null ? null : typed(diagnostic);
                SmtpReply reply = diag == null ? null : SmtpReply.parse(diag.value()).orElse(null);
                Action action = Action.parse(str(r.get("action")));
                if (action == null) {
                    action = "Transient".equalsIgnoreCase(str(bounce.get("bounceType"))) ? Action.DELAYED
                            : Action.FAILED;
                }
                recipients.add(new RecipientStatus(address, null, address == null ? null
                        : new TypedValue("rfc822", address), action,
                        EnhancedStatus.parse(str(r.get("status"))).orElse(null),
                        remote(bounce), diag, reply, when, null, null, List.of(),
                        diagnostic == null ? null : SmtpCommands.find(diagnostic)));
            }
            String mta = str(bounce.get("reportingMTA"));
            return new DeliveryReport("amazonses", mta == null ? null : typed(mta), null, null, null, when,
                    List.of(), recipients, headers, original, verpRecipient, null, problems.toList());
        }
        if ("Delivery".equalsIgnoreCase(type)) {
            Map<String, Object> delivery = map(doc.get("delivery"));
            OffsetDateTime when = time(delivery.get("timestamp"));
            String response = str(delivery.get("smtpResponse"));
            SmtpReply reply = response == null ? null : SmtpReply.parse(response).orElse(null);
            List<RecipientStatus> recipients = new ArrayList<>();
            for (Object o : list(delivery.get("recipients"))) {
                String address = str(o);
                recipients.add(new RecipientStatus(address, null, address == null ? null
                        : new TypedValue("rfc822", address), Action.DELIVERED,
                        reply == null ? null : reply.status(), remote(delivery),
                        response == null ? null : new TypedValue("smtp", response), reply, when, null, null,
                        List.of(), null));
            }
            String mta = str(delivery.get("reportingMTA"));
            return new DeliveryReport("amazonses", mta == null ? null : new TypedValue("dns", mta), null, null,
                    null, when, List.of(), recipients, headers, original, verpRecipient, null, problems.toList());
        }
        if ("Complaint".equalsIgnoreCase(type)) {
            Map<String, Object> complaint = map(doc.get("complaint"));
            List<String> rcpts = new ArrayList<>();
            for (Object o : list(complaint.get("complainedRecipients"))) {
                String a = str(map(o).get("emailAddress"));
                if (a != null) {
                    rcpts.add(a);
                }
            }
            String feedbackType = str(complaint.get("complaintFeedbackType"));
            OffsetDateTime arrival = time(complaint.get("arrivalDate"));
            return new FeedbackReport(feedbackType == null ? "abuse" : feedbackType.toLowerCase(Locale.ROOT),
                    str(complaint.get("userAgent")), null, str(mail.get("source")), rcpts,
                    arrival != null ? arrival : time(complaint.get("timestamp")), str(mail.get("sourceIp")),
                    List.of(), List.of(), List.of(), null, null, null, null, List.of(), null, null, List.of(),
                    List.of(), headers, original, verpRecipient, problems.toList());
        }
        return null;
    }

    private static TypedValue remote(Map<String, Object> event) {
        String ip = str(event.get("remoteMtaIp"));
        return ip == null ? null : new TypedValue("dns", ip);
    }

    private static TypedValue typed(String v) {
        int semi = v.indexOf(';');
        if (semi > 0 && semi < 12 && v.substring(0, semi).indexOf(' ') < 0) {
            return new TypedValue(v.substring(0, semi).strip(), v.substring(semi + 1).strip());
        }
        return new TypedValue("", v.strip());
    }

    private static OriginalMessage original(Map<String, Object> mail) {
        if (mail.isEmpty()) {
            return null;
        }
        Map<String, Object> common = map(mail.get("commonHeaders"));
        String messageId = str(common.get("messageId"));
        if (messageId != null && messageId.startsWith("<") && messageId.endsWith(">")) {
            messageId = messageId.substring(1, messageId.length() - 1);
        }
        return new OriginalMessage(messageId, str(common.get("subject")), join(common.get("from")),
                join(common.get("to")), str(common.get("date")), null, List.of(), true);
    }

    private static String join(Object o) {
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object x : l) {
                if (x instanceof String s) {
                    parts.add(s);
                }
            }
            return parts.isEmpty() ? null : String.join(", ", parts);
        }
        return str(o);
    }

    private static OffsetDateTime time(Object o) {
        String s = str(o);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static String str(Object o) {
        return o instanceof String s ? s : null;
    }
}
