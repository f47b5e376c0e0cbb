package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.Tuple;
import org.bouncekit.testing.Fuzz;

/**
 * Fuzzes core's parsers with inputs generated from grammars ({@link Fuzz.Grammar}): delivery status notifications
 * (RFC 3464, and RFC 6533's global form) with any number of recipients and every field, feedback reports
 * (RFC 5965), auto-replies (RFC 3834), the plain-text bounces of Postfix, Exim, sendmail and Exchange, in base64,
 * quoted-printable or 8bit, with CRLF or LF; and SMTP replies (RFC 5321 §4.2, RFC 3463 codes), multi-line, with and
 * without enhanced codes. The checks are {@link ParserFuzzTest}'s; {@value Fuzz#DEFAULT_INPUTS} inputs a parser in
 * CI, {@code -Dbouncekit.fuzz.inputs} for more.
 */
class GrammarFuzzTest {

    // ------------------------------------------------------------------------------------------------ pieces

    static Arbitrary<String> label() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-').ofMinLength(1)
                        .ofMaxLength(12)),
                Tuple.of(1, Arbitraries.of("xn--bcher-kva", "b\u00fccher", "\u4f8b\u3048", "_dmarc", "mx-01",
                        "x".repeat(63), "x".repeat(64))));
    }

    static Arbitrary<String> domain() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, label().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l) + ".example")),
                Tuple.of(2, Arbitraries.of("gmail.com", "outlook.com", "yahoo.co.jp", "mimecast.com",
                        "protection.outlook.com", "pphosted.com", "barracudanetworks.com")),
                Tuple.of(1, Arbitraries.of("[192.0.2.1]", "[IPv6:2001:db8::1]", "localhost", "", ".", "a..b")));
    }

    static Arbitrary<String> localPart() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.strings().alpha().numeric().withChars(".+-_=").ofMinLength(1)
                        .ofMaxLength(24)),
                Tuple.of(1, Arbitraries.strings().withChars("a \"\\()<>@,;:").ofMaxLength(12)
                        .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u00a0', '\u04ff').ofMinLength(1).ofMaxLength(8)));
    }

    static Arbitrary<String> address() {
        return Combinators.combine(localPart(), domain()).as((l, d) -> l + "@" + d);
    }

    static Arbitrary<String> status() {
        Arbitrary<Integer> cls = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(4, 5)),
                Tuple.of(1, Arbitraries.of(2, 3, 6, 9)));
        Arbitrary<Integer> subject = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.integers().between(0, 7)),
                Tuple.of(1, Arbitraries.of(99, 999, 1000)));
        Arbitrary<Integer> detail = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.integers().between(0, 9)),
                Tuple.of(1, Arbitraries.of(10, 99, 999, 1000)));
        return Combinators.combine(cls, subject, detail).as((c, s, d) -> c + "." + s + "." + d);
    }

    static Arbitrary<Integer> code() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(250, 251, 421, 450, 451, 452, 550, 551, 552, 553,
                554, 571)), Tuple.of(1, Arbitraries.integers().between(0, 999)));
    }

    static final List<String> PHRASES = List.of("User unknown", "No such user here", "Recipient address rejected: "
                    + "User unknown in virtual mailbox table", "mailbox full", "Quota exceeded", "Mailbox unavailable",
            "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            "Message rejected due to local policy", "Please try again later", "Greylisted, see "
                    + "http://postgrey.schweikert.ch/help/example.html", "TSS04 Messages from 192.0.2.1 temporarily "
                    + "deferred due to unexpected volume or user complaints", "Our system has detected an unusual rate "
                    + "of unsolicited mail originating from your IP address", "5.7.26 Unauthenticated email from "
                    + "example.org is not accepted due to domain's DMARC policy", "Message size exceeds fixed limit",
            "Host or domain name not found. Name service error for name=example.org type=A: Host not found",
            "connection timed out", "Relay access denied", "The email account that you tried to reach does not exist",
            "Access denied, banned sender [Mimecast]", "Rejected by header based Anti-Spoofing policy",
            "Sender address rejected: Domain not found", "Too many connections from your IP", "spam detected",
            "Message contains a virus", "account disabled", "Recipient address has moved", "");

    static Arbitrary<String> phrase() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(PHRASES)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(60)),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(400)));
    }

    /** One reply: its lines, each {@code CODE-TEXT} but the last, {@code CODE TEXT}; with an enhanced code or not. */
    static Arbitrary<List<String>> replyLines() {
        Arbitrary<String> line = Combinators.combine(Arbitraries.of(true, false), status(), phrase())
                .as((withStatus, st, p) -> (withStatus ? st + " " : "") + p);
        return Combinators.combine(code(), line.list().ofMinSize(1).ofMaxSize(5), Arbitraries.of("-", " "))
                .as((c, lines, sep) -> {
                    List<String> out = new ArrayList<>();
                    for (int i = 0; i < lines.size(); i++) {
                        out.add(c + (i < lines.size() - 1 ? sep : " ") + lines.get(i));
                    }
                    return out;
                });
    }

    static Arbitrary<String> date() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(Arbitraries.of("Mon", "Tue", "Sun"), Arbitraries.integers()
                                .between(1, 31), Arbitraries.of("Jan", "Feb", "Dec"), Arbitraries.integers()
                                .between(1970, 2100), Arbitraries.integers().between(0, 23),
                        Arbitraries.of("+0000", "-0800", "+0530", "GMT", "UT", "EST"))
                        .as((w, d, m, y, h, z) -> w + ", " + d + " " + m + " " + y + " " + h + ":07:09 " + z)),
                Tuple.of(1, Arbitraries.of("", "31 Feb 2020 25:61:61 +9999", "Thu, 1 Jan 1970 00:00:00 +0000",
                        "2026-11-26T12:00:00Z", "yesterday")));
    }

    /** A header field value folded at white space, or not. */
    static String fold(String value, boolean fold, String eol) {
        if (!fold || value.length() < 40) {
            return value;
        }
        int sp = value.indexOf(' ', 30);
        return sp < 0 ? value : value.substring(0, sp) + eol + "\t" + value.substring(sp + 1);
    }

    // ------------------------------------------------------------------------------------------------ messages

    /** A message body part: its header fields and its text, encoded as the part says. */
    record Part(String type, String text) {
    }

    static Arbitrary<String> encoding() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")), Tuple.of(2, Arbitraries.just("base64")),
                Tuple.of(2, Arbitraries.just("quoted-printable")), Tuple.of(1, Arbitraries.of("8bit", "7bit",
                        "x-uuencode", "binary")));
    }

    static String encode(String text, String cte) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        switch (cte) {
            case "base64":
                return Base64.getMimeEncoder().encodeToString(b) + "\n";
            case "quoted-printable": {
                StringBuilder sb = new StringBuilder();
                int col = 0;
                for (byte x : b) {
                    int c = x & 0xFF;
                    String enc = c == '\n' ? "\n" : c < 32 || c > 126 || c == '=' ? String.format("=%02X", c)
                            : String.valueOf((char) c);
                    if (col + enc.length() > 75 && c != '\n') {
                        sb.append("=\n");
                        col = 0;
                    }
                    sb.append(enc);
                    col = c == '\n' ? 0 : col + enc.length();
                }
                return sb.toString();
            }
            default:
                return text;
        }
    }

    /** The per-recipient fields of a DSN (RFC 3464 §2.3). */
    static Arbitrary<String> recipientFields() {
        Arbitrary<String> diagnostic = Combinators.combine(Arbitraries.of("smtp", "X-Postfix", "X-Unix", ""),
                replyLines(), Arbitraries.of(true, false)).as((type, lines, fold) -> "Diagnostic-Code: " + type
                + "; " + (fold ? String.join("\n ", lines) : String.join(" ", lines)) + "\n");
        return Combinators.combine(address(), Arbitraries.of("failed", "delayed", "delivered", "relayed", "expanded",
                        "Failed", "bogus"), status(), diagnostic, domain(), date(), Arbitraries.of("rfc822", "utf-8",
                        "x-unknown", "RFC822"), Arbitraries.integers().between(0, 63))
                .as((addr, action, st, diag, mta, d, type, present) -> {
                    StringBuilder sb = new StringBuilder();
                    if ((present & 1) != 0) {
                        sb.append("Original-Recipient: rfc822;").append(addr).append('\n');
                    }
                    sb.append("Final-Recipient: ").append(type).append("; ").append(addr).append('\n');
                    sb.append("Action: ").append(action).append('\n');
                    sb.append("Status: ").append(st).append('\n');
                    if ((present & 2) != 0) {
                        sb.append("Remote-MTA: dns; ").append(mta).append('\n');
                    }
                    if ((present & 4) != 0) {
                        sb.append(diag);
                    }
                    if ((present & 8) != 0) {
                        sb.append("Last-Attempt-Date: ").append(d).append('\n');
                    }
                    if ((present & 16) != 0) {
                        sb.append("Will-Retry-Until: ").append(d).append('\n');
                    }
                    if ((present & 32) != 0) {
                        sb.append("X-Unknown-Field: ").append(addr).append('\n');
                    }
                    return sb.toString();
                });
    }

    static Arbitrary<Part> deliveryStatus() {
        Arbitrary<Integer> recipients = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(1, 3)),
                Tuple.of(1, Arbitraries.integers().between(0, 60)));
        return Combinators.combine(domain(), date(), recipients.flatMap(n -> recipientFields().list().ofSize(n)),
                Arbitraries.of("message/delivery-status", "message/global-delivery-status"))
                .as((mta, d, recips, type) -> new Part(type, "Reporting-MTA: dns; " + mta + "\nArrival-Date: " + d
                        + "\n" + (recips.isEmpty() ? "" : "\n" + String.join("\n", recips))));
    }

    static Arbitrary<Part> feedbackReport() {
        return Combinators.combine(Arbitraries.of("abuse", "fraud", "virus", "other", "not-spam", "auth-failure",
                        "ABUSE", "x-new"), address(), address(), Arbitraries.of("192.0.2.1", "2001:db8::1", "300.1.1.1",
                        ""), date(), domain(), Arbitraries.of("dkim", "spf", "dmarc", "adsp", "bodyhash", "revoked"),
                        Arbitraries.integers().between(0, 15))
                .as((type, from, rcpt, ip, d, dom, auth, present) -> {
                    StringBuilder sb = new StringBuilder("Feedback-Type: ").append(type).append('\n');
                    sb.append("User-Agent: SomeGenerator/1.0\nVersion: ").append((present & 1) != 0 ? "1" : "2")
                            .append('\n');
                    sb.append("Original-Mail-From: <").append(from).append(">\n");
                    sb.append("Original-Rcpt-To: <").append(rcpt).append(">\n");
                    if ((present & 2) != 0) {
                        sb.append("Arrival-Date: ").append(d).append('\n');
                    }
                    sb.append("Source-IP: ").append(ip).append('\n');
                    if ((present & 4) != 0) {
                        sb.append("Reported-Domain: ").append(dom).append('\n');
                        sb.append("Authentication-Results: mx.").append(dom).append("; dkim=fail header.d=")
                                .append(dom).append('\n');
                    }
                    if ((present & 8) != 0) {
                        sb.append("Auth-Failure: ").append(auth).append('\n');
                    }
                    return new Part("message/feedback-report", sb.toString());
                });
    }

    static Arbitrary<String> humanText() {
        Arbitrary<String> postfix = Combinators.combine(address(), domain(), replyLines(), Arbitraries.of("RCPT TO",
                "end of DATA", "MAIL FROM")).as((a, h, lines, cmd) -> "This is the mail system at host " + h
                + ".\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more "
                + "recipients.\n\n<" + a + ">: host " + h + "[192.0.2.7] said: " + String.join(" ", lines)
                + " (in reply to " + cmd + " command)\n");
        Arbitrary<String> exim = Combinators.combine(address(), domain(), replyLines()).as((a, h, lines) ->
                "This message was created automatically by mail delivery software.\n\nA message that you sent could "
                        + "not be delivered to one or more of its\nrecipients. This is a permanent error. "
                        + "The following "
                        + "address(es) failed:\n\n  " + a + "\n    host " + h + " [192.0.2.7]\n    SMTP error from "
                        + "remote mail server after RCPT TO:<" + a + ">:\n    " + String.join("\n    ", lines) + "\n");
        Arbitrary<String> sendmail = Combinators.combine(address(), replyLines()).as((a, lines) ->
                "   ----- The following addresses had permanent fatal errors -----\n<" + a + ">\n    (reason: "
                        + lines.get(0) + ")\n\n   ----- Transcript of session follows -----\n... while talking to "
                        + "mx:\n>>> RCPT To:<" + a + ">\n<<< " + String.join("\n<<< ", lines) + "\n550 5.1.1 <" + a
                        + ">... User unknown\n");
        Arbitrary<String> exchange = Combinators.combine(address(), status(), phrase()).as((a, st, p) ->
                "Delivery has failed to these recipients or groups:\n\n" + a + "\n" + p + "\n\nDiagnostic information "
                        + "for administrators:\n\nGenerating server: mail.example\n\n" + a
                        + "\nRemote Server returned '"
                        + "550 " + st + " " + p + "'\n");
        return Arbitraries.oneOf(postfix, exim, sendmail, exchange, phrase());
    }

    static Arbitrary<Part> originalMessage() {
        return Combinators.combine(address(), address(), Arbitraries.of("message/rfc822", "text/rfc822-headers",
                "message/global", "message/global-headers"), phrase()).as((from, to, type, subject) -> new Part(type,
                "Return-Path: <" + from + ">\nFrom: " + from + "\nTo: " + to + "\nSubject: " + subject
                        + "\nMessage-ID: <1@" + to.substring(to.indexOf('@') + 1) + ">\n"
                        + (type.endsWith("headers") ? "" : "\nThe original body.\n")));
    }

    /** A whole message: a report, an auto-reply or a plain-text bounce, as bytes. */
    static Arbitrary<byte[]> messages() {
        Arbitrary<List<Part>> reportParts = Arbitraries.oneOf(
                Combinators.combine(humanText(), deliveryStatus(), originalMessage()).as((h, ds, om) ->
                        List.of(new Part("text/plain; charset=utf-8", h), ds, om)),
                Combinators.combine(humanText(), feedbackReport(), originalMessage()).as((h, fr, om) ->
                        List.of(new Part("text/plain", h), fr, om)),
                Combinators.combine(deliveryStatus(), deliveryStatus()).as((a, b) -> List.of(a, b)));
        Arbitrary<String> report = Combinators.combine(reportParts, encoding().list().ofSize(3),
                Arbitraries.of("delivery-status", "feedback-report", "disposition-notification", ""),
                Arbitraries.strings().alpha().numeric().withChars("'()+_,-./:=? ").ofMinLength(1).ofMaxLength(70))
                .as((parts, ctes, reportType, boundary) -> {
                    String b = boundary.strip().isEmpty() ? "b" : boundary.strip();
                    StringBuilder sb = new StringBuilder("MIME-Version: 1.0\nContent-Type: multipart/report; "
                            + "report-type=" + reportType + "; boundary=\"" + b + "\"\n\nThis is a MIME message.\n");
                    for (int i = 0; i < parts.size(); i++) {
                        Part p = parts.get(i);
                        String cte = p.type().startsWith("text/plain") ? ctes.get(i) : "";
                        sb.append("--").append(b).append("\nContent-Type: ").append(p.type()).append('\n');
                        if (!cte.isEmpty()) {
                            sb.append("Content-Transfer-Encoding: ").append(cte).append('\n');
                        }
                        sb.append('\n').append(encode(p.text(), cte)).append('\n');
                    }
                    return sb.append("--").append(b).append("--\n").toString();
                });
        Arbitrary<String> plain = Combinators.combine(humanText(), originalMessage(), encoding())
                .as((h, om, cte) -> (cte.isEmpty() ? "" : "Content-Transfer-Encoding: " + cte + "\n") + "\n"
                        + encode(h + "\n------ This is a copy of the message, including all the headers. ------\n"
                        + om.text(), cte));
        Arbitrary<String> autoReply = Combinators.combine(Arbitraries.of("auto-replied", "auto-generated", "no",
                        "auto-notified"), Arbitraries.of("Out of Office: ", "Automatic reply: ", "Re: ", "Vacation: ",
                        ""), phrase()).as((as, prefix, p) -> "Auto-Submitted: " + as + "\nX-Autoreply: yes\n"
                        + "Precedence: bulk\nSubject: " + prefix + p + "\n\nI am away until Monday. " + p + "\n");
        Arbitrary<String> body = Arbitraries.frequencyOf(Tuple.of(5, report), Tuple.of(3, plain),
                Tuple.of(1, autoReply));
        return Combinators.combine(address(), address(), Arbitraries.of("Undelivered Mail Returned to Sender",
                        "Mail delivery failed: returning message to sender", "Returned mail: see transcript for "
                                + "details", "Undeliverable: hello", "Delivery Status Notification (Failure)",
                        "=?utf-8?B?w6ljaGVj?= de remise", "Abuse report", "hello"), date(), body,
                Arbitraries.of("\n", "\r\n"), Arbitraries.of(true, false))
                .as((from, to, subject, d, b, eol, fold) -> {
                    String head = "From: Mail Delivery System <MAILER-DAEMON@" + from.substring(from.indexOf('@') + 1)
                            + ">\nTo: " + to + "\n" + (b.contains("\nSubject: ") && b.startsWith("Auto-") ? ""
                            : "Subject: " + fold(subject + " " + subject, fold, "\n") + "\n") + "Date: " + d + "\n";
                    String all = head + b;
                    return (eol.equals("\n") ? all : all.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
                });
    }

    /** SMTP replies as an MTA logs or forwards them: lines joined by CRLF or LF, or one line, maybe prefixed. */
    static Arbitrary<byte[]> replies() {
        return Combinators.combine(replyLines(), Arbitraries.of("\r\n", "\n", " ", "\r\n "),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("")), Tuple.of(1, Arbitraries.of("smtp; ",
                        "SMTP error from remote mail server after RCPT TO:<a@b>: ", "<<< ", "   ",
                        "host mx.example[192.0.2.1] said: "))))
                .as((lines, sep, prefix) -> (prefix + String.join(sep, lines)).getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------------- runs

    @Example
    void reportParser() {
        Fuzz.Mutator m = new Fuzz.Mutator(ParserFuzzTest.messages(), ParserFuzzTest.MAIL_TOKENS,
                ParserFuzzTest.MAIL_NESTING, 1 << 20);
        Fuzz.Report r = Fuzz.run(ParserFuzzTest.REPORT_PARSER, new Fuzz.Grammar(messages(), m), Fuzz.inputs(),
                Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
        assertEquals(Fuzz.inputs(), r.inputs());
    }

    @Example
    void smtpReply() {
        Fuzz.Mutator m = new Fuzz.Mutator(ParserFuzzTest.replies(ParserFuzzTest.messages()), List.of("550", "-",
                "\r\n", "5.1.1", " "), List.<String[]>of(new String[] {"(", ")"}), 64 << 10);
        Fuzz.Report r = Fuzz.run(ParserFuzzTest.SMTP_REPLY, new Fuzz.Grammar(replies(), m), Fuzz.inputs(),
                Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }
}
