package org.bouncekit.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncekit.core.AutoReply;
import org.bouncekit.core.DeliveryReport;
import org.bouncekit.core.EnhancedStatus;
import org.bouncekit.core.FeedbackReport;
import org.bouncekit.core.NotAReport;
import org.bouncekit.core.Problem;
import org.bouncekit.core.RecipientStatus;
import org.bouncekit.core.Report;
import org.bouncekit.core.SmtpReply;
import org.bouncekit.core.TypedValue;

/**
 * Maps a {@link Report} to the flat rows of the CLI's output: one per recipient, or one for a report that names
 * none.
 *
 * <p>The row's fields, their names and their order are a contract that other tools rely on; see {@link Row}.
 * Fields may be added after the existing ones, never renamed, reordered or dropped.
 *
 * <p>Thread-safe: a stateless utility.
 */
public final class ReportRows {

    /** {@code kind}: a permanent failure. */
    public static final String BOUNCE = "bounce";
    /** {@code kind}: a delay, still being retried. */
    public static final String DELAY = "delay";
    /** {@code kind}: a success notice. */
    public static final String DELIVERED = "delivered";
    /** {@code kind}: relayed to a system that sends no notices. */
    public static final String RELAYED = "relayed";
    /** {@code kind}: delivered to a list and expanded. */
    public static final String EXPANDED = "expanded";
    /** {@code kind}: an ARF feedback report. */
    public static final String FEEDBACK = "feedback";
    /** {@code kind}: an automatic reply. */
    public static final String AUTO_REPLY = "auto_reply";
    /** {@code kind}: none of the above. */
    public static final String NOT_A_REPORT = "not_a_report";

    private ReportRows() {
    }

    /**
     * One output line. Absent values are {@code null}, and are written as JSON {@code null}, never omitted.
     *
     * <p>Instances are immutable and thread-safe.
     *
     * @param source        where the message came from ({@code path}, {@code path#n}, {@code -})
     * @param kind          {@code bounce}, {@code delay}, {@code delivered}, {@code relayed}, {@code expanded},
     *                      {@code feedback}, {@code auto_reply} or {@code not_a_report}
     * @param format        {@link Report#format()}
     * @param recipient     the recipient (the responder of an auto-reply)
     * @param action        the DSN action token, lower case
     * @param status        the enhanced status code, such as {@code 5.1.1}
     * @param replyCode     the SMTP reply code
     * @param diagnostic    the text of the diagnostic code
     * @param remoteMta     the remote MTA's name
     * @param reportingMta  the reporting MTA's name
     * @param messageId     the original message's {@code Message-ID}, without angle brackets
     * @param feedbackType  the ARF feedback type
     * @param verpRecipient the address decoded from a VERP envelope recipient
     * @param effectiveStatus the status that best describes the failure (the remote reply's own, else the
     *                      report's), see {@code RecipientStatus.effectiveStatus()}
     * @param smtpCommand   the SMTP command at which delivery failed ({@code RCPT}, {@code DATA}, ...)
     * @param problems      the problems found while reading, as text; never null
     */
    public record Row(
            String source,
            String kind,
            String format,
            String recipient,
            String action,
            String status,
            Integer replyCode,
            String diagnostic,
            String remoteMta,
            String reportingMta,
            String messageId,
            String feedbackType,
            String verpRecipient,
            String effectiveStatus,
            String smtpCommand,
            List<String> problems) {

        /**
         * Creates a row; the problem list is copied.
         *
         * @param source        the source name
         * @param kind          the kind
         * @param format        the report format
         * @param recipient     the recipient, or null
         * @param action        the action token, or null
         * @param status        the enhanced status, or null
         * @param replyCode     the SMTP reply code, or null
         * @param diagnostic    the diagnostic text, or null
         * @param remoteMta     the remote MTA, or null
         * @param reportingMta  the reporting MTA, or null
         * @param messageId     the original Message-ID, or null
         * @param feedbackType  the feedback type, or null
         * @param verpRecipient the VERP-decoded address, or null
         * @param effectiveStatus the effective status, or null
         * @param smtpCommand   the failed SMTP command, or null
         * @param problems      the problems as text
         */
        public Row {
            problems = List.copyOf(problems);
        }

        /**
         * Writes this row as one JSON object, the contract fields first and in order, without a line end.
         *
         * @param json the writer
         * @throws IOException when writing fails
         */
        public void writeTo(JsonWriter json) throws IOException {
            json.beginObject();
            writeMembers(json);
            json.endObject();
        }

        /**
         * Writes this row's members, the contract fields first and in order, into an object the caller has begun
         * and will end, so that a command can add its own fields after them ({@code classify} does).
         *
         * @param json the writer, inside an object
         * @throws IOException when writing fails
         */
        public void writeMembers(JsonWriter json) throws IOException {
            json.name("source").value(source);
            json.name("kind").value(kind);
            json.name("format").value(format);
            json.name("recipient").value(recipient);
            json.name("action").value(action);
            json.name("status").value(status);
            json.name("replyCode").value(replyCode == null ? null : Long.valueOf(replyCode));
            json.name("diagnostic").value(diagnostic);
            json.name("remoteMta").value(remoteMta);
            json.name("reportingMta").value(reportingMta);
            json.name("messageId").value(messageId);
            json.name("feedbackType").value(feedbackType);
            // additions go below this line
            json.name("verpRecipient").value(verpRecipient);
            json.name("effectiveStatus").value(effectiveStatus);
            json.name("smtpCommand").value(smtpCommand);
            json.name("problems").beginArray();
            for (String p : problems) {
                json.value(p);
            }
            json.endArray();
        }
    }

    /**
     * The rows of one report.
     *
     * @param source the source name of the message
     * @param report the parsed report
     * @return one row per recipient, or a single row; never empty
     */
    public static List<Row> of(String source, Report report) {
        String messageId = report.original() == null ? null : report.original().messageId();
        List<String> problems = new ArrayList<>(report.problems().size());
        for (Problem p : report.problems()) {
            problems.add(p.toString());
        }
        String format = report.format();
        String verp = report.verpRecipient();
        List<Row> rows = new ArrayList<>(1);
        if (report instanceof DeliveryReport d) {
            String reportingMta = value(d.reportingMta());
            for (RecipientStatus r : d.recipients()) {
                SmtpReply reply = r.reply();
                Integer code = reply == null || reply.code() == 0 ? null : reply.code();
                rows.add(new Row(source, kind(r), format, r.recipient(),
                        r.action() == null ? null : r.action().token(),
                        r.status() == null ? null : r.status().toString(),
                        code, value(r.diagnosticCode()), value(r.remoteMta()), reportingMta, messageId, null, verp,
                        r.effectiveStatus() == null ? null : r.effectiveStatus().toString(), r.smtpCommand(),
                        problems));
            }
            if (rows.isEmpty()) {
                rows.add(new Row(source, BOUNCE, format, null, null, null, null, null, null, reportingMta, messageId,
                        null, verp, null, null, problems));
            }
        } else if (report instanceof FeedbackReport f) {
            for (String recipient : f.recipients()) {
                rows.add(new Row(source, FEEDBACK, format, recipient, null, null, null, null, null, null, messageId,
                        f.feedbackType(), verp, null, null, problems));
            }
            if (rows.isEmpty()) {
                rows.add(new Row(source, FEEDBACK, format, null, null, null, null, null, null, null, messageId,
                        f.feedbackType(), verp, null, null, problems));
            }
        } else if (report instanceof AutoReply a) {
            rows.add(new Row(source, AUTO_REPLY, format, a.responder(), null, null, null, null, null, null, messageId,
                    null, verp, null, null, problems));
        } else if (report instanceof NotAReport) {
            rows.add(new Row(source, NOT_A_REPORT, format, null, null, null, null, null, null, null, messageId, null,
                    verp, null, null, problems));
        } else {
            throw new IllegalArgumentException("unknown report type " + report.getClass().getName());
        }
        return rows;
    }

    /**
     * The kind of a DSN recipient: from its action, else from the class of its status or SMTP reply (5: bounce,
     * 4: delay, 2: delivered), else bounce.
     *
     * @param r the recipient
     * @return the kind
     */
    public static String kind(RecipientStatus r) {
        if (r.action() != null) {
            switch (r.action()) {
                case FAILED:
                    return BOUNCE;
                case DELAYED:
                    return DELAY;
                case DELIVERED:
                    return DELIVERED;
                case RELAYED:
                    return RELAYED;
                case EXPANDED:
                    return EXPANDED;
                default:
                    break;
            }
        }
        int cls = 0;
        if (r.status() != null) {
            cls = r.status().statusClass();
        } else if (r.reply() != null) {
            SmtpReply reply = r.reply();
            EnhancedStatus s = reply.status();
            cls = reply.code() != 0 ? reply.code() / 100 : s != null ? s.statusClass() : 0;
        }
        switch (cls) {
            case 4:
                return DELAY;
            case 2:
                return DELIVERED;
            default:
                return BOUNCE;
        }
    }

    private static String value(TypedValue v) {
        return v == null ? null : v.value();
    }
}
