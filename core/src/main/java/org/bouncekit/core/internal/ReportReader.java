package org.bouncekit.core.internal;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncekit.core.Action;
import org.bouncekit.core.AutoReply;
import org.bouncekit.core.DeliveryReport;
import org.bouncekit.core.EnhancedStatus;
import org.bouncekit.core.FeedbackReport;
import org.bouncekit.core.Header;
import org.bouncekit.core.Limits;
import org.bouncekit.core.NotAReport;
import org.bouncekit.core.OriginalMessage;
import org.bouncekit.core.Problem;
import org.bouncekit.core.RecipientStatus;
import org.bouncekit.core.Report;
import org.bouncekit.core.SmtpReply;
import org.bouncekit.core.TypedValue;
import org.bouncekit.core.Verp;

/**
 * Turns the bytes of one message into one {@link Report}: reads the MIME structure, then the standard report it
 * carries (DSN, ARF), or recognises an auto-reply or a plain bounce. Immutable and thread-safe; each call uses its
 * own state.
 */
public final class ReportReader {

    private static final List<String> RECIPIENT_FIELDS = List.of("original-recipient", "final-recipient", "action",
            "status", "remote-mta", "diagnostic-code", "last-attempt-date", "final-log-id", "will-retry-until");
    private static final String[] ENVELOPE_HEADERS = {"x-original-to", "delivered-to", "envelope-to",
        "x-envelope-to", "x-rcpt-to", "to"};

    private final Limits limits;
    private final Verp verp;
    private final List<String> correlationHeaders;
    /** True for the reader of a report found inside another message: it does not unwrap further. */
    private final boolean nested;

    /**
     * @param limits             limits
     * @param verp               VERP pattern, or null for none
     * @param correlationHeaders lower-case names of original-message fields to keep
     */
    public ReportReader(Limits limits, Verp verp, List<String> correlationHeaders) {
        this(limits, verp, correlationHeaders, false);
    }

    private ReportReader(Limits limits, Verp verp, List<String> correlationHeaders, boolean nested) {
        this.limits = limits;
        this.verp = verp;
        this.correlationHeaders = List.copyOf(correlationHeaders);
        this.nested = nested;
    }

    /**
     * Reads one message.
     *
     * @param buf        bytes
     * @param start      start
     * @param end        exclusive end
     * @param cutAtLimit true when the input was longer than {@link Limits#maxInputBytes()} and cut at {@code end}
     * @return the report, never null
     */
    public Report read(byte[] buf, int start, int end, boolean cutAtLimit) {
        ProblemSink problems = new ProblemSink(limits.maxProblems());
        if (cutAtLimit) {
            problems.add(Problem.Kind.LIMIT_EXCEEDED, "input longer than " + limits.maxInputBytes()
                    + " bytes; the rest not read (limit maxInputBytes)", end);
        }
        Parse p = new Parse(problems, new MimeReader(limits, problems));
        Entity root = p.mime.readMessage(buf, start, end);
        List<Header> headers = HeaderList.of(root.headers);
        String verpRecipient = verpRecipient(root);

        Entity status = findPart(root, "message/delivery-status", "message/global-delivery-status");
        Entity feedback = findPart(root, "message/feedback-report", null);
        String reportType = root.contentType.is("multipart/report")
                ? lower(root.contentType.param("report-type")) : null;
        if (feedback != null && (status == null || "feedback-report".equals(reportType))) {
            return readFeedback(p, root, feedback, headers, verpRecipient);
        }
        if (status != null) {
            return readDsn(p, root, status, headers, verpRecipient);
        }
        if (AmazonSesNotification.detect(root)) {
            Report ses = AmazonSesNotification.read(root, limits, headers, verpRecipient, problems);
            if (ses != null) {
                return ses;
            }
        }
        FeedbackReport other = otherFeedback(root, headers, verpRecipient, problems);
        if (other != null) {
            return other;
        }
        Report forwarded = forwardedReport(root, buf, end, cutAtLimit, problems);
        if (forwarded != null) {
            return forwarded;
        }
        boolean bounceLike = GenericBounce.looksLikeBounce(root);
        GenericBounce.Scan scan = bounceLike ? p.scan(root) : null;
        if (scan != null) {
            DeliveryReport fromText = textDsn(p, root, scan, headers, verpRecipient);
            if (fromText != null) {
                return fromText;
            }
        }
        GenericBounce.Result generic = scan != null ? GenericBounce.readText(root, limits, false, scan) : null;
        if (generic != null) {
            addressesCapped(problems, scan);
            return new DeliveryReport(generic.format(), null, null, null, null, null, List.of(), generic.recipients(),
                    headers, original(root), verpRecipient, GenericBounce.notification(scan), problems.toList());
        }
        AutoReplies.Evidence auto = AutoReplies.detect(root);
        if (auto != null) {
            String from = root.header("from");
            List<String> addresses = from == null ? List.of() : Addresses.extract(from);
            GenericBounce.Scan words = p.scan(root);
            return new AutoReply(addresses.isEmpty() ? null : addresses.get(0), root.header("subject"),
                    root.header("auto-submitted"), auto.description(),
                    words == null ? null : GenericBounce.words(words), headers, original(root),
                    verpRecipient, problems.toList());
        }
        if (root.headers.isEmpty() && end > start) {
            problems.add(Problem.Kind.MALFORMED_HEADER, "no header fields: the input is not a message", start);
        }
        return new NotAReport(headers, verpRecipient, problems.toList());
    }

    /**
     * Complaints and opt-outs that are not ARF: Microsoft's Junk Mail Reporting Program (the reported message
     * enclosed, its recipient in {@code X-HmXmrOriginalRecipient}, the sending IP in the subject "complaint about
     * message from 192.0.2.1"), and a reply whose subject is just "unsubscribe" (what a mail client sends to a
     * {@code List-Unsubscribe} mailto address): an opt-out by its sender.
     */
    private FeedbackReport otherFeedback(Entity root, List<Header> headers, String verpRcpt, ProblemSink problems) {
        String subject = root.header("subject");
        String s = subject == null ? "" : subject.strip().toLowerCase(Locale.ROOT);
        Entity enclosed = findEnclosed(root);
        String jmrpRcpt = enclosed == null ? null : enclosed.header("x-hmxmroriginalrecipient");
        if (jmrpRcpt != null || s.startsWith("complaint about message from ") && enclosed != null) {
            String ip = s.startsWith("complaint about message from ")
                    ? subject.strip().substring("complaint about message from ".length()).strip() : null;
            List<String> rcpt = jmrpRcpt == null ? List.of() : Addresses.extract(jmrpRcpt);
            return new FeedbackReport("abuse", "Microsoft JMRP", null, null, rcpt, null,
                    ip == null || ip.isEmpty() ? null : ip, List.of(), List.of(), List.of(), null, null, null, null,
                    List.of(), null, null, List.of(), HeaderList.of(enclosed.headers), headers, original(root),
                    verpRcpt, problems.toList());
        }
        if (s.equals("unsubscribe") && root.header("from") != null) {
            List<String> from = Addresses.extract(root.header("from"));
            if (!from.isEmpty()) {
                return new FeedbackReport("opt-out", null, null, null, List.of(from.get(0)), null, null, List.of(),
                        List.of(), List.of(), null, null, null, null, List.of(), null, null, List.of(), List.of(),
                        headers, original(root), verpRcpt, problems.toList());
            }
        }
        return null;
    }

    /**
     * A message that carries no report itself but encloses one ({@code message/rfc822} holding a
     * {@code multipart/report}): a gateway that wrapped the bounce it received, or a user who forwarded it. The
     * enclosed report is read as the result, with the outer message's problems first. Only one level is unwrapped.
     */
    private Report forwardedReport(Entity root, byte[] buf, int end, boolean cutAtLimit, ProblemSink problems) {
        Entity enclosing = findEnclosing(root, 0);
        if (enclosing == null || enclosing.enclosed == null || enclosing.enclosed.buf != buf
                || !enclosing.enclosed.contentType.is("multipart/report") || nested) {
            return null;
        }
        Entity inner = enclosing.enclosed;
        int start = inner.headers.isEmpty() ? inner.bodyStart : inner.headers.get(0).offset;
        ReportReader innerReader = new ReportReader(limits, verp, correlationHeaders, true);
        Report r = innerReader.read(buf, start, inner.bodyEnd, cutAtLimit && inner.bodyEnd == end);
        if (r instanceof NotAReport) {
            return null;
        }
        for (Problem p : r.problems()) {
            problems.add(p.kind(), p.message(), p.offset());
        }
        return r;
    }

    /** The state of one parse. */
    /** Says so when the scan's text holds more addresses than {@link Limits#maxRecipients()}. */
    private void addressesCapped(ProblemSink problems, GenericBounce.Scan scan) {
        if (scan != null && scan.capped()) {
            problems.add(Problem.Kind.LIMIT_EXCEEDED, "more than " + limits.maxRecipients()
                    + " addresses in the text; the rest not read (limit maxRecipients)", -1);
        }
    }

    private final class Parse {
        final ProblemSink problems;
        final MimeReader mime;
        private GenericBounce.Scan scan;
        private boolean scanned;

        Parse(ProblemSink problems, MimeReader mime) {
            this.problems = problems;
            this.mime = mime;
        }

        /** The scan of the message's text, made once per parse. */
        GenericBounce.Scan scan(Entity root) {
            if (!scanned) {
                scan = GenericBounce.scan(root, limits, problems);
                scanned = true;
            }
            return scan;
        }
    }

    private DeliveryReport readDsn(Parse p, Entity root, Entity statusPart, List<Header> headers, String verpRcpt) {
        return readDsn(p, root, fieldGroups(p, statusPart), statusPart.contentType.is(
                "message/global-delivery-status"), statusPart.bodyStart, headers, verpRcpt);
    }

    /**
     * Report fields written as text (the {@code message/delivery-status} part lost, or never made, its MIME
     * header): read them like a report when the bounce's own text holds a {@code Final-Recipient} field.
     *
     * @return the report, or null when the text holds no recipient field naming an address
     */
    private DeliveryReport textDsn(Parse p, Entity root, GenericBounce.Scan scan, List<Header> headers,
                                   String verpRcpt) {
        int from = scan.reportFieldsStart();
        if (from < 0) {
            return null;
        }
        byte[] bytes = scan.text().substring(from, scan.bounceTextEnd()).getBytes(StandardCharsets.UTF_8);
        // the fields are read from decoded text, whose positions are not the input's; and only tentatively: the
        // problems of a text that turns out to hold no report are dropped
        long mark = p.problems.mark();
        List<List<RawHeader>> groups = groupsOf(p, bytes, 0, bytes.length, -1);
        boolean named = false;
        for (List<RawHeader> g : groups) {
            for (RawHeader h : g) {
                named |= (h.is("final-recipient") || h.is("original-recipient")) && h.value().indexOf('@') > 0;
            }
        }
        if (!named) {
            p.problems.rollback(mark);
            return null;
        }
        p.problems.add(Problem.Kind.MALFORMED_MIME, "report fields found in a text part", -1);
        return readDsn(p, root, groups, false, -1, headers, verpRcpt);
    }

    private DeliveryReport readDsn(Parse p, Entity root, List<List<RawHeader>> groups, boolean global, int offset,
                                   List<Header> headers, String verpRcpt) {
        List<RawHeader> messageFields = new ArrayList<>();
        List<List<RawHeader>> recipientBlocks = new ArrayList<>();
        boolean recipientsStarted = false;
        for (List<RawHeader> group : groups) {
            boolean isRecipientGroup = false;
            for (int hi = 0, hn = group.size(); hi < hn; hi++) {
                RawHeader h = group.get(hi);
                if (isRecipientField(h)) {
                    isRecipientGroup = true;
                    break;
                }
            }
            if (!isRecipientGroup) {
                messageFields.addAll(group);
                continue;
            }
            List<RawHeader> current = null;
            for (int hi = 0, hn = group.size(); hi < hn; hi++) {
                RawHeader h = group.get(hi);
                boolean recipientField = isRecipientField(h);
                String n = recipientField ? h.name.toLowerCase(Locale.ROOT) : "";
                if (!recipientsStarted && current == null && !recipientField) {
                    messageFields.add(h); // per-message fields run into the first recipient block
                    continue;
                }
                if (current == null || startsNewRecipient(current, n)) {
                    if (recipientBlocks.size() >= limits.maxRecipients()) {
                        p.problems.add(Problem.Kind.LIMIT_EXCEEDED, "more than " + limits.maxRecipients()
                                + " recipients; the rest not read (limit maxRecipients)", h.at);
                        current = null;
                        break;
                    }
                    current = new ArrayList<>();
                    recipientBlocks.add(current);
                    recipientsStarted = true;
                }
                current.add(h);
            }
            if (recipientBlocks.size() >= limits.maxRecipients() && current == null) {
                break;
            }
        }
        List<RecipientStatus> recipients = new ArrayList<>(recipientBlocks.size());
        for (List<RawHeader> block : recipientBlocks) {
            recipients.add(recipient(p, block, global));
        }
        OriginalMessage original = original(root);
        if (recipients.isEmpty()) {
            p.problems.add(Problem.Kind.INCOMPLETE_REPORT, "delivery status without recipient fields",
                    offset);
            GenericBounce.Result fromText = GenericBounce.readText(root, limits, true, p.scan(root));
            if (fromText != null) {
                recipients.addAll(fromText.recipients());
                p.problems.add(Problem.Kind.INCOMPLETE_REPORT, "recipients read from the report's text part",
                        offset);
                addressesCapped(p.problems, p.scan(root));
            }
        } else if (recipients.size() == 1 && !Addresses.isAddress(recipients.get(0).recipient())
                && original != null && original.to() != null) {
            List<String> to = Addresses.extract(original.to());
            if (to.size() == 1) {
                RecipientStatus r = recipients.get(0);
                recipients.set(0, new RecipientStatus(to.get(0), r.originalRecipient(), r.finalRecipient(),
                        r.action(), r.status(), r.remoteMta(), r.diagnosticCode(), r.reply(), r.lastAttemptDate(),
                        r.finalLogId(), r.willRetryUntil(), r.fields(), r.smtpCommand()));
                p.problems.add(Problem.Kind.MALFORMED_FIELD, "recipient field holds no address; taken from the "
                        + "returned message's To", offset);
            }
        }
        completeFromText(p, root, recipients);
        if (MimeReader.firstValue(messageFields, "reporting-mta") == null) {
            p.problems.add(Problem.Kind.INCOMPLETE_REPORT, "delivery status without Reporting-MTA",
                    offset);
        }
        String envid = MimeReader.firstValue(messageFields, "original-envelope-id");
        return new DeliveryReport(global ? "rfc6533" : "rfc3464",
                typed(p, messageFields, "reporting-mta", false, global),
                typed(p, messageFields, "dsn-gateway", false, global),
                typed(p, messageFields, "received-from-mta", false, global),
                envid == null ? null : envid.strip(),
                date(p, messageFields, "arrival-date"),
                toHeaders(messageFields, false), recipients, headers, original, verpRcpt,
                p.scanned && p.scan != null ? GenericBounce.notification(p.scan)
                        : GenericBounce.notification(root, limits),
                p.problems.toList());
    }

    private static boolean isRecipientField(RawHeader h) {
        for (String f : RECIPIENT_FIELDS) {
            if (h.is(f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Many MTAs leave the reply out of the report (or put a local program's exit code there) while their
     * human-readable part quotes it: {@code 550 5.0.0 <a@example.org>... Insufficient permission}. For recipients
     * whose report holds no SMTP reply code, the reply the text ties to the same address is taken.
     */
    private void completeFromText(Parse p, Entity root, List<RecipientStatus> recipients) {
        boolean missing = false;
        for (RecipientStatus r : recipients) {
            missing |= r.reply() == null || r.reply().code() == 0 || r.smtpCommand() == null;
        }
        if (!missing) {
            return;
        }
        boolean repliesMissing = false;
        for (RecipientStatus r : recipients) {
            repliesMissing |= r.reply() == null || r.reply().code() == 0;
        }
        if (!repliesMissing) {
            // only the command is missing: a look at the text's bytes, without the full scan
            GenericBounce.CommandSearch search = new GenericBounce.CommandSearch(root, limits);
            for (int i = 0; i < recipients.size(); i++) {
                RecipientStatus r = recipients.get(i);
                String command = r.smtpCommand() != null ? null : search.commandFor(r.recipient());
                if (command != null) {
                    recipients.set(i, new RecipientStatus(r.recipient(), r.originalRecipient(), r.finalRecipient(),
                            r.action(), r.status(), r.remoteMta(), r.diagnosticCode(), r.reply(),
                            r.lastAttemptDate(), r.finalLogId(), r.willRetryUntil(), r.fields(), command));
                }
            }
            if (search.exhausted()) {
                p.problems.add(Problem.Kind.LIMIT_EXCEEDED, "the search for recipients' commands in the text stopped "
                        + "after reading " + GenericBounce.SEARCH_FACTOR + " times its length (limit SEARCH_FACTOR)",
                        -1);
            }
            return;
        }
        GenericBounce.Scan scan = p.scan(root);
        if (scan == null) {
            return;
        }
        for (int i = 0; i < recipients.size(); i++) {
            RecipientStatus r = recipients.get(i);
            boolean needsReply = r.reply() == null || r.reply().code() == 0;
            String command = r.smtpCommand() != null ? r.smtpCommand()
                    : needsReply ? scan.commandFor(r.recipient()) : scan.commandNear(r.recipient());
            SmtpReply reply = r.reply();
            if (needsReply) {
                SmtpReply fromText = scan.replyFor(r.recipient());
                if (fromText == null && recipients.size() == 1) {
                    fromText = scan.firstReply(); // one recipient: the text's only reply is about it
                }
                if (fromText != null && (r.reply() == null || fromText.code() != 0)) {
                    reply = fromText;
                }
            }
            // a report with neither reply nor Diagnostic-Code: the human-readable part's words, typed x-text
            TypedValue diagnostic = r.diagnosticCode() != null || reply != null ? r.diagnosticCode()
                    : scan.wordsFor(r.recipient(), recipients.size() == 1);
            if (reply != r.reply() || diagnostic != r.diagnosticCode() || !Objects.equals(command, r.smtpCommand())) {
                recipients.set(i, new RecipientStatus(r.recipient(), r.originalRecipient(), r.finalRecipient(),
                        r.action(), r.status(), r.remoteMta(), diagnostic, reply, r.lastAttemptDate(),
                        r.finalLogId(), r.willRetryUntil(), r.fields(), command));
            }
        }
    }

    /**
     * Whether field {@code name} begins the next recipient in a group that lacks the blank line between
     * recipients: a second Final- or Original-Recipient, or an Original-Recipient after a block that already has
     * its Final-Recipient and Action or Status (Original-Recipient may come before or after Final-Recipient).
     */
    private static boolean startsNewRecipient(List<RawHeader> current, String name) {
        boolean hasFinal = false;
        boolean hasOriginal = false;
        boolean hasOutcome = false;
        for (int hi = 0, hn = current.size(); hi < hn; hi++) {
            RawHeader h = current.get(hi);
            hasFinal |= h.is("final-recipient");
            hasOriginal |= h.is("original-recipient");
            hasOutcome |= h.is("action") || h.is("status");
        }
        for (RawHeader h : current) {
            if (h.is(name) && !name.equals("original-recipient")) {
                return true; // a field given twice: the block before was complete (PMDF writes no blank lines)
            }
        }
        if (name.equals("final-recipient")) {
            return hasFinal;
        }
        if (name.equals("original-recipient")) {
            return hasOriginal || (hasFinal && hasOutcome);
        }
        return false;
    }

    private RecipientStatus recipient(Parse p, List<RawHeader> block, boolean global) {
        String actionValue = MimeReader.firstValue(block, "action");
        Action action = Action.parse(actionValue);
        if (actionValue != null && action == null) {
            p.problems.add(Problem.Kind.MALFORMED_FIELD, "unknown Action: " + shorten(actionValue),
                    offsetOf(block, "action"));
        }
        String statusValue = MimeReader.firstValue(block, "status");
        EnhancedStatus status = EnhancedStatus.parse(statusValue).orElse(null);
        if (statusValue != null && status == null) {
            p.problems.add(Problem.Kind.MALFORMED_FIELD, "Status is not an enhanced status code: "
                    + shorten(statusValue), offsetOf(block, "status"));
        }
        TypedValue diagnostic = typed(p, block, "diagnostic-code", false, global);
        SmtpReply reply = null;
        if (diagnostic != null) {
            RawHeader raw = rawField(block, "diagnostic-code");
            String multiline = raw == null ? diagnostic.value() : diagnosticLines(raw);
            String dtype = diagnostic.type();
            boolean exitCode = dtype.startsWith("x-unix") || dtype.startsWith("x-local");
            reply = exitCode && diagnostic.value().strip().chars().allMatch(Character::isDigit) ? null
                    : SmtpReply.parse(multiline).orElse(null); // "X-Unix; 255" is an exit status, not a reply
            if (reply != null && reply.code() != 0 && reply.code() < 400) {
                // "220-laposte 421 4.2.1 Service refuse": the greeting before the refusal
                SmtpReply inner = GenericBounce.nestedReply(reply.text());
                if (inner != null && inner.code() >= 400) {
                    reply = inner;
                }
            }
            if (reply == null && !exitCode) {
                // "X-Postfix; host mx[192.0.2.1] said: 554 5.6.0 ..." and other prose around a reply
                reply = GenericBounce.replyAt(multiline.replace('\n', ' '));
            }
            if (reply != null && (reply.code() == 0 || isExpiry(reply.status()))) {
                // "5.1.0 - Unknown address error 550-'5.7.1 ...'" (a gateway's status around the remote reply),
                // "554 4.4.7 Message expired ...<421 4.4.2 Connection timed out>" (the last attempt's reply)
                SmtpReply inner = GenericBounce.nestedReply(reply.text());
                if (inner != null && inner.status() == null && reply.status() != null
                        && reply.status().statusClass() == inner.code() / 100) {
                    inner = new SmtpReply(inner.code(), reply.status(), inner.text(), inner.lines());
                }
                if (inner != null) {
                    reply = inner;
                }
            }
        }
        String logId = MimeReader.firstValue(block, "final-log-id");
        TypedValue original = typed(p, block, "original-recipient", true, global);
        TypedValue fin = typed(p, block, "final-recipient", true, global);
        String address = null;
        boolean routed = fin != null && isSourceRouted(rawField(block, "final-recipient").unfolded());
        if (routed && original != null && Addresses.isAddress(original.value())) {
            address = original.value(); // a source-routed final recipient names a relay, not the mailbox
        } else if (fin != null && Addresses.isAddress(fin.value())) {
            address = fin.value();
        } else if (original != null && Addresses.isAddress(original.value())) {
            address = original.value();
        } else if (fin != null && !fin.value().isEmpty()) {
            address = fin.value();
        }
        return new RecipientStatus(address, original, fin,
                action, status,
                typed(p, block, "remote-mta", false, global),
                diagnostic, reply,
                date(p, block, "last-attempt-date"),
                logId == null ? null : logId.strip(),
                date(p, block, "will-retry-until"),
                toHeaders(block, false),
                diagnostic == null ? null : SmtpCommands.find(diagnostic.value()));
    }

    /** Whether a recipient field's address, after its type, starts with a source route ({@code @relay:...}). */
    private static boolean isSourceRouted(String value) {
        int i = value.indexOf(';') + 1;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || value.charAt(i) == '<')) {
            i++;
        }
        return i > 0 && i < value.length() && value.charAt(i) == '@';
    }

    private static boolean isExpiry(EnhancedStatus s) {
        return s != null && s.subject() == 4 && s.detail() == 7;
    }

    /** The diagnostic text after its type, with the original line breaks kept so reply lines can be told apart. */
    private static String diagnosticLines(RawHeader raw) {
        String v = raw.lines();
        int semi = v.indexOf(';');
        String typedPrefix = semi >= 0 ? v.substring(0, semi) : "";
        if (semi < 0 || typedPrefix.indexOf(' ') >= 0) {
            return v;
        }
        return v.substring(semi + 1).strip();
    }

    private TypedValue typed(Parse p, List<RawHeader> fields, String name, boolean address, boolean global) {
        RawHeader h = rawField(fields, name);
        if (h == null) {
            return null;
        }
        String v = h.unfolded(); // report fields are not RFC 5322 text: no RFC 2047 decoding
        int semi = v.indexOf(';');
        String type = semi < 0 ? "" : v.substring(0, semi).strip();
        if (semi < 0 || type.isEmpty() || type.indexOf(' ') >= 0 || type.indexOf('@') >= 0) {
            if (!name.equals("diagnostic-code") || semi < 0) {
                p.problems.add(Problem.Kind.MALFORMED_FIELD, h.name + " has no type: " + shorten(v), h.at);
            }
            type = "";
        }
        String value = type.isEmpty() ? v.strip() : v.substring(semi + 1).strip();
        if (name.equals("diagnostic-code")) {
            value = collapseSpaces(value); // folded replies keep their continuation indent after unfolding
        }
        if (address) {
            String lowerType = type.toLowerCase(Locale.ROOT);
            if (lowerType.equals("utf-8") || (global && lowerType.isEmpty())) {
                value = Addresses.clean(decodeUtf8Escapes(value));
            } else if (lowerType.equals("rfc822") || lowerType.isEmpty()) {
                value = Addresses.clean(value);
            }
        }
        return new TypedValue(type, value);
    }

    private static String collapseSpaces(String s) {
        if (s.indexOf("  ") < 0 && s.indexOf('\t') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                if (!space) {
                    out.append(' ');
                }
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        return out.toString();
    }

    /** Decodes RFC 6533 {@code \x{HHHH}} escapes. */
    static String decodeUtf8Escapes(String s) {
        if (s.indexOf("\\x{") < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("\\x{", i)) {
                int close = s.indexOf('}', i + 3);
                if (close > i + 3 && close - i <= 11) {
                    try {
                        int cp = Integer.parseInt(s.substring(i + 3, close), 16);
                        if (Character.isValidCodePoint(cp)) {
                            out.appendCodePoint(cp);
                            i = close + 1;
                            continue;
                        }
                    } catch (NumberFormatException e) {
                        // not an escape: keep it as written
                    }
                }
            }
            out.append(s.charAt(i++));
        }
        return out.toString();
    }

    private OffsetDateTime date(Parse p, List<RawHeader> fields, String name) {
        RawHeader h = rawField(fields, name);
        if (h == null) {
            return null;
        }
        OffsetDateTime d = Dates.parse(h.value());
        if (d == null) {
            p.problems.add(Problem.Kind.MALFORMED_FIELD, h.name + " is not a date: " + shorten(h.value()), h.at);
        }
        return d;
    }

    private List<List<RawHeader>> fieldGroups(Parse p, Entity part) {
        Entity.Bytes body = part.decodedBody(limits.maxDecodedBytes());
        if (body.defective()) {
            p.problems.add(Problem.Kind.BAD_ENCODING, "report part has a damaged " + part.transferEncoding
                    + " encoding", part.bodyStart);
        }
        if (body.truncated()) {
            p.problems.add(Problem.Kind.LIMIT_EXCEEDED, "report part cut at " + limits.maxDecodedBytes()
                    + " bytes (limit maxDecodedBytes)", part.bodyStart);
        }
        return groupsOf(p, body.buf(), body.start(), body.end(),
                body.buf() == part.buf ? MimeReader.AT_POSITION : part.bodyStart);
    }

    /**
     * Report fields in groups separated by blank lines.
     *
     * @param reportAt see {@link MimeReader#readHeaders(byte[], int, int, List, boolean, int)}
     */
    private List<List<RawHeader>> groupsOf(Parse p, byte[] b, int pos, int end, int reportAt) {
        List<List<RawHeader>> groups = new ArrayList<>();
        while (pos < end) {
            int eol = ByteCursor.lineEnd(b, pos, end);
            if (ByteCursor.isBlank(b, pos, eol)) {
                pos = ByteCursor.afterBreak(b, eol, end);
                continue;
            }
            List<RawHeader> group = new ArrayList<>();
            int next = p.mime.readHeaders(b, pos, end, group, true, reportAt);
            if (!group.isEmpty()) {
                groups.add(group);
            }
            if (next <= pos) {
                break;
            }
            pos = next;
        }
        return groups;
    }

    private FeedbackReport readFeedback(Parse p, Entity root, Entity part, List<Header> headers, String verpRcpt) {
        List<List<RawHeader>> groups = fieldGroups(p, part);
        List<RawHeader> fields = new ArrayList<>();
        for (List<RawHeader> g : groups) {
            fields.addAll(g);
        }
        if (MimeReader.firstValue(fields, "feedback-type") == null) {
            p.problems.add(Problem.Kind.INCOMPLETE_REPORT, "feedback report without Feedback-Type", part.bodyStart);
        }
        Entity reported = findEnclosed(root);
        List<Header> reportedHeaders = reported == null ? List.of() : HeaderList.of(reported.headers);
        String incidentsValue = MimeReader.firstValue(fields, "incidents");
        Integer incidents = null;
        if (incidentsValue != null) {
            try {
                incidents = Integer.valueOf(incidentsValue.strip());
            } catch (NumberFormatException e) {
                p.problems.add(Problem.Kind.MALFORMED_FIELD, "Incidents is not a number: " + shorten(incidentsValue),
                        offsetOf(fields, "incidents"));
            }
        }
        OffsetDateTime arrival = date(p, fields, "arrival-date");
        if (arrival == null && rawField(fields, "arrival-date") == null) {
            arrival = date(p, fields, "received-date");
        }
        String type = MimeReader.firstValue(fields, "feedback-type");
        List<String> rcptTo = new ArrayList<>();
        for (String v : all(fields, "original-rcpt-to")) {
            rcptTo.add(Addresses.clean(v));
        }
        String mailFrom = MimeReader.firstValue(fields, "original-mail-from");
        return new FeedbackReport(
                type == null ? null : type.strip().toLowerCase(Locale.ROOT),
                stripped(MimeReader.firstValue(fields, "user-agent")),
                stripped(MimeReader.firstValue(fields, "version")),
                mailFrom == null ? null : Addresses.clean(mailFrom),
                rcptTo, arrival,
                stripped(MimeReader.firstValue(fields, "source-ip")),
                all(fields, "reported-domain"),
                all(fields, "reported-uri"),
                all(fields, "authentication-results"),
                stripped(MimeReader.firstValue(fields, "auth-failure")),
                stripped(MimeReader.firstValue(fields, "dkim-domain")),
                stripped(MimeReader.firstValue(fields, "dkim-identity")),
                stripped(MimeReader.firstValue(fields, "dkim-selector")),
                all(fields, "spf-dns"),
                stripped(MimeReader.firstValue(fields, "delivery-result")),
                incidents, toHeaders(fields, false), reportedHeaders, headers, original(root), verpRcpt,
                p.problems.toList());
    }

    private OriginalMessage original(Entity root) {
        Entity enclosing = findEnclosing(root, 0);
        if (enclosing == null) {
            return null;
        }
        Entity e = enclosing.enclosed;
        if (e.headers.isEmpty()) {
            return null;
        }
        String messageId = e.header("message-id");
        if (messageId != null) {
            messageId = messageId.strip();
            int lt = messageId.indexOf('<');
            int gt = messageId.indexOf('>', lt + 1);
            if (lt >= 0 && gt > lt) {
                messageId = messageId.substring(lt + 1, gt);
            }
        }
        List<Header> correlation = new ArrayList<>();
        if (!correlationHeaders.isEmpty()) {
            for (int hi = 0, hn = e.headers.size(); hi < hn; hi++) {
                RawHeader h = e.headers.get(hi);
                for (String wanted : correlationHeaders) {
                    if (h.is(wanted)) {
                        correlation.add(h.toHeader());
                        break;
                    }
                }
            }
        }
        boolean headersOnly = enclosing.contentType.mediaType().endsWith("headers");
        return new OriginalMessage(messageId, e.header("subject"), e.header("from"), e.header("to"),
                stripped(e.header("date")), stripped(e.header("list-id")), correlation, headersOnly);
    }

    /** Finds, depth first through multiparts only, the first part of one of the given types. */
    static Entity findPart(Entity e, String type, String otherType) {
        String t = e.contentType.mediaType();
        if (t.equals(type) || t.equals(otherType)) {
            return e;
        }
        for (Entity child : e.parts) {
            Entity found = findPart(child, type, otherType);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The first part (through multiparts) that encloses a message or header block. */
    private static Entity findEnclosing(Entity e, int depth) {
        if (e.enclosed != null && depth > 0) {
            return e;
        }
        for (Entity child : e.parts) {
            Entity found = findEnclosing(child, depth + 1);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * @param root a message
     * @return the first part (through multiparts) that encloses a message or header block, or null
     */
    static Entity findEnclosingPart(Entity root) {
        return findEnclosing(root, 0);
    }

    private static Entity findEnclosed(Entity root) {
        Entity enclosing = findEnclosing(root, 0);
        return enclosing == null ? null : enclosing.enclosed;
    }

    private String verpRecipient(Entity root) {
        if (verp == null) {
            return null;
        }
        for (String name : ENVELOPE_HEADERS) {
            for (int hi = 0, hn = root.headers.size(); hi < hn; hi++) {
                RawHeader h = root.headers.get(hi);
                if (h.is(name)) {
                    for (String a : Addresses.extract(h.value())) {
                        String decoded = verp.decode(a).orElse(null);
                        if (decoded != null) {
                            return decoded;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Report fields ({@code decode} false) keep their text as written; message headers get RFC 2047 decoding. */
    static List<Header> toHeaders(List<RawHeader> raw, boolean decode) {
        List<Header> out = new ArrayList<>(raw.size());
        for (int hi = 0, hn = raw.size(); hi < hn; hi++) {
            RawHeader h = raw.get(hi);
            out.add(decode ? h.toHeader() : new Header(h.name(), h.unfolded()));
        }
        return out;
    }

    private static RawHeader rawField(List<RawHeader> fields, String lowerName) {
        for (int hi = 0, hn = fields.size(); hi < hn; hi++) {
            RawHeader h = fields.get(hi);
            if (h.is(lowerName)) {
                return h;
            }
        }
        return null;
    }

    private static List<String> all(List<RawHeader> fields, String lowerName) {
        List<String> out = new ArrayList<>();
        for (int hi = 0, hn = fields.size(); hi < hn; hi++) {
            RawHeader h = fields.get(hi);
            if (h.is(lowerName)) {
                out.add(h.value().strip());
            }
        }
        return out;
    }

    private static long offsetOf(List<RawHeader> fields, String lowerName) {
        RawHeader h = rawField(fields, lowerName);
        return h == null ? -1 : h.at;
    }

    private static String stripped(String s) {
        return s == null ? null : s.strip();
    }

    private static String lower(String s) {
        return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
