package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limits on reading a bounce's text for its recipients, found missing or silent in review: addresses past
 * {@link Limits#maxRecipients()} on later lines, and in the text of a delivery status without recipient fields, are
 * reported; the searches for where recipients are mentioned stop at their budget (64 times the text plus 4 MiB) and
 * say so, however many recipients a report lists.
 */
class SearchLimitsTest {

    private static final ReportParser TWO = ReportParser.builder().limits(Limits.builder().maxRecipients(2).build())
            .build();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> limitProblems(Report r) {
        return r.problems().stream().filter(p -> p.kind() == Problem.Kind.LIMIT_EXCEEDED).map(Problem::message)
                .toList();
    }

    private static String postfixLine(String address) {
        return "<" + address + ">: host mx.example.org[192.0.2.1] said: 550 5.1.1 <" + address + ">: Recipient "
                + "address rejected: User unknown (in reply to RCPT TO command)\n\n";
    }

    @Test
    void addressesPastTheLimitOnLaterLinesAreReported() {
        byte[] in = bytes("From: MAILER-DAEMON@example.org (Mail Delivery System)\nSubject: Undelivered Mail Returned "
                + "to Sender\n\nThis is the mail system at host example.org.\n\n" + postfixLine("a@example.com")
                + postfixLine("b@example.com") + postfixLine("c@example.com"));
        DeliveryReport r = assertInstanceOf(DeliveryReport.class, TWO.parse(in));
        assertEquals(List.of("a@example.com", "b@example.com"), r.recipients().stream()
                .map(RecipientStatus::recipient).toList());
        assertEquals(List.of("more than 2 addresses in the text; the rest not read (limit maxRecipients)"),
                limitProblems(r));
        // at the limit exactly, nothing is said
        byte[] two = bytes(new String(in, StandardCharsets.ISO_8859_1).replace(postfixLine("c@example.com"), ""));
        assertEquals(List.of(), limitProblems(TWO.parse(two)));
    }

    @Test
    void addressesPastTheLimitInTheTextOfADeliveryStatusWithoutRecipientsAreReported() {
        byte[] in = bytes("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n"
                + "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
                + "--B\nContent-Type: text/plain\n\n" + postfixLine("a@example.com") + postfixLine("b@example.com")
                + postfixLine("c@example.com") + "--B\nContent-Type: message/delivery-status\n\n"
                + "Reporting-MTA: dns; example.org\n\n--B--\n");
        DeliveryReport r = assertInstanceOf(DeliveryReport.class, TWO.parse(in));
        assertEquals(2, r.recipients().size());
        assertEquals(List.of("more than 2 addresses in the text; the rest not read (limit maxRecipients)"),
                limitProblems(r));
    }

    /** A DSN of {@code n} recipients with the given per-recipient fields, and a text part. */
    private static byte[] dsn(int n, String fields, String text) {
        StringBuilder status = new StringBuilder("Reporting-MTA: dns; example.org\n");
        for (int i = 0; i < n; i++) {
            status.append("\nFinal-Recipient: rfc822; nobody").append(i).append("@example.jp\nAction: failed\n")
                    .append(fields);
        }
        return bytes("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n"
                + "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
                + "--B\nContent-Type: text/plain\n\n" + text + "\n--B\nContent-Type: message/delivery-status\n\n"
                + status + "\n--B--\n");
    }

    @Test
    void theSearchForRecipientsCommandsStopsAtItsBudgetAndSaysSo() {
        // every recipient has its reply, so only its command is looked for: a text of 600,000 '@' was read whole
        // for each of them (20 s for a thousand)
        String fields = "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n";
        Report r = ReportParser.defaults().parse(dsn(200, fields, "@".repeat(600_000)));
        assertEquals(List.of("the search for recipients' commands in the text stopped after reading 64 times its "
                + "length (limit SEARCH_FACTOR)"), limitProblems(r));
        // a text of ordinary length is searched for every recipient, and nothing is said
        Report small = ReportParser.defaults().parse(dsn(200, fields, "Delivery to the following recipients "
                + "failed.\n>>> RCPT TO:<nobody199@example.jp>\n<<< 550 5.1.1 no such user"));
        assertEquals(List.of(), limitProblems(small));
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, small);
        assertEquals("RCPT", d.recipients().get(199).smtpCommand());
    }

    @Test
    void theSearchForRecipientsMentionsStopsAtItsBudgetAndSaysSo() {
        // without replies, each recipient's words and command are looked for in a text that names none of them
        Report r = ReportParser.defaults().parse(dsn(200, "Status: 5.1.1\n", "n".repeat(1_000_000)));
        assertTrue(limitProblems(r).contains("the search for recipients in the text stopped after reading 64 times "
                + "its length and 4 MiB (limit SEARCH_FACTOR)"), () -> limitProblems(r).toString());
        Report small = ReportParser.defaults().parse(dsn(200, "Status: 5.1.1\n", "n".repeat(1_000)));
        assertEquals(List.of(), limitProblems(small));
    }
}
