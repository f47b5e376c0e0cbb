package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryReportTest {

    private static final String ORIGINAL = String.join("\n",
            "Message-ID: <abc.123@sender.test>",
            "From: Sender <news@sender.test>",
            "To: alice@example.com",
            "Subject: =?UTF-8?Q?Caf=C3=A9_news?=",
            "Date: Thu, 29 Apr 2010 23:34:45 +0900",
            "List-Id: News <news.sender.test>",
            "X-Campaign-ID: spring-42");

    private static final String FIELDS = String.join("\n",
            "Original-Envelope-Id: ENV-1",
            "Reporting-MTA: dns; mx.sender.test",
            "DSN-Gateway: dns; gw.sender.test",
            "Received-From-MTA: dns; client.sender.test",
            "X-Postfix-Queue-ID: 4F2A1",
            "Arrival-Date: Thu, 29 Apr 2010 23:34:45 +0900 (JST)",
            "",
            "Original-Recipient: rfc822;alice@example.com",
            "Final-Recipient: rfc822; <alice@example.com>",
            "Action: failed",
            "Status: 5.1.1 (bad destination mailbox)",
            "Remote-MTA: dns; mx.example.com",
            "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does",
            "    not exist. 550 5.1.1 Please check. - gsmtp",
            "Last-Attempt-Date: Thu, 29 Apr 2010 23:35:00 +0900",
            "Final-Log-ID: 4F2A1.42",
            "X-Actual-Recipient: rfc822; alice@example.com",
            "",
            "Final-Recipient: rfc822; bob@example.net",
            "Action: delayed",
            "Status: 4.2.2",
            "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full",
            "Will-Retry-Until: Sun, 2 May 2010 23:34:45 +0900");

    @Test
    void readsEveryStandardField() {
        Report r = ReportParser.defaults().parse(Messages.dsn(FIELDS, ORIGINAL).getBytes(StandardCharsets.UTF_8));
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, r);
        assertEquals("rfc3464", d.format());
        assertEquals(new TypedValue("dns", "mx.sender.test"), d.reportingMta());
        assertEquals("gw.sender.test", d.dsnGateway().value());
        assertEquals("client.sender.test", d.receivedFromMta().value());
        assertEquals("ENV-1", d.originalEnvelopeId());
        assertEquals(OffsetDateTime.of(2010, 4, 29, 23, 34, 45, 0, ZoneOffset.ofHours(9)), d.arrivalDate());
        assertEquals("4F2A1", d.messageField("X-Postfix-Queue-ID"));
        assertEquals(2, d.recipients().size());

        RecipientStatus alice = d.recipients().get(0);
        assertEquals("alice@example.com", alice.recipient());
        assertEquals(new TypedValue("rfc822", "alice@example.com"), alice.originalRecipient());
        assertEquals(Action.FAILED, alice.action());
        assertEquals("5.1.1", alice.status().toString());
        assertEquals("mx.example.com", alice.remoteMta().value());
        assertEquals("smtp", alice.diagnosticCode().type());
        assertEquals("550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 Please check."
                + " - gsmtp", alice.diagnosticCode().value());
        assertEquals(550, alice.reply().code());
        assertEquals("The email account that you tried to reach does not exist. Please check. - gsmtp",
                alice.reply().text());
        assertEquals(OffsetDateTime.of(2010, 4, 29, 23, 35, 0, 0, ZoneOffset.ofHours(9)), alice.lastAttemptDate());
        assertEquals("4F2A1.42", alice.finalLogId());
        assertEquals(List.of(new Header("X-Actual-Recipient", "rfc822; alice@example.com")),
                alice.extensionFields());

        RecipientStatus bob = d.recipients().get(1);
        assertEquals("bob@example.net", bob.recipient());
        assertEquals(Action.DELAYED, bob.action());
        assertEquals(452, bob.reply().code());
        assertEquals(OffsetDateTime.of(2010, 5, 2, 23, 34, 45, 0, ZoneOffset.ofHours(9)), bob.willRetryUntil());

        OriginalMessage o = d.original();
        assertEquals("abc.123@sender.test", o.messageId());
        assertEquals("Café news", o.subject());
        assertEquals("alice@example.com", o.to());
        assertEquals("News <news.sender.test>", o.listId());
        assertEquals(List.of(new Header("X-Campaign-ID", "spring-42")), o.correlationHeaders());
        assertTrue(o.headersOnly());
        assertEquals("alice@example.com", d.verpRecipient());
        assertEquals(List.of(), d.problems());
    }

    @Test
    void recipientsWithoutBlankLinesBetweenThemAreSplit() {
        String fields = "Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; a@example.com\n"
                + "Action: failed\nStatus: 5.1.1\nFinal-Recipient: rfc822; b@example.com\nAction: failed\n"
                + "Status: 5.2.2\n";
        DeliveryReport d = (DeliveryReport) ReportParser.defaults().parse(
                Messages.dsn(fields, ORIGINAL).getBytes(StandardCharsets.UTF_8));
        assertEquals(2, d.recipients().size());
        assertEquals("b@example.com", d.recipients().get(1).recipient());
        assertEquals("5.2.2", d.recipients().get(1).status().toString());
    }

    @Test
    void globalDsnDecodesUtf8Addresses() {
        String fields = "Reporting-MTA: dns; mx.sender.test\n\n"
                + "Original-Recipient: utf-8; j\\x{00F6}rg@b\\x{00FC}cher.example\n"
                + "Final-Recipient: utf-8; jörg@bücher.example\nAction: failed\nStatus: 5.1.1\n";
        String msg = Messages.dsn(fields, ORIGINAL).replace("message/delivery-status",
                "message/global-delivery-status");
        DeliveryReport d = (DeliveryReport) ReportParser.defaults().parse(msg.getBytes(StandardCharsets.UTF_8));
        assertEquals("rfc6533", d.format());
        assertEquals("jörg@bücher.example", d.recipients().get(0).recipient());
        assertEquals("jörg@bücher.example", d.recipients().get(0).originalRecipient().value());
    }

    @Test
    void base64EncodedStatusPartIsDecoded() {
        String fields = "Reporting-MTA: dns; mx.sender.test\r\n\r\nFinal-Recipient: rfc822; a@example.com\r\n"
                + "Action: failed\r\nStatus: 5.7.1\r\n";
        String encoded = Base64.getMimeEncoder().encodeToString(fields.getBytes(StandardCharsets.US_ASCII));
        String msg = Messages.dsn(encoded, ORIGINAL).replace("Content-Type: message/delivery-status\n",
                "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n");
        DeliveryReport d = (DeliveryReport) ReportParser.defaults().parse(msg.getBytes(StandardCharsets.UTF_8));
        assertEquals("5.7.1", d.recipients().get(0).status().toString());
    }

    @Test
    void damagedFieldsBecomeProblemsNotExceptions() {
        String fields = "Final-Recipient: a@example.com\nAction: exploded\nStatus: five\n"
                + "Last-Attempt-Date: yesterday\n";
        DeliveryReport d = (DeliveryReport) ReportParser.defaults().parse(
                Messages.dsn(fields, ORIGINAL).getBytes(StandardCharsets.UTF_8));
        RecipientStatus r = d.recipients().get(0);
        assertEquals("a@example.com", r.recipient());
        assertNull(r.action());
        assertNull(r.status());
        assertNull(r.lastAttemptDate());
        List<Problem.Kind> kinds = d.problems().stream().map(Problem::kind).toList();
        assertTrue(kinds.contains(Problem.Kind.MALFORMED_FIELD), kinds.toString());
        assertTrue(kinds.contains(Problem.Kind.INCOMPLETE_REPORT), kinds.toString());
        assertTrue(d.problems().stream().allMatch(p -> p.offset() >= -1));
    }

    @Test
    void effectiveStatusPrefersTheRemoteReply() {
        String fields = "Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; a@example.com\n"
                + "Action: failed\nStatus: 5.0.0\nDiagnostic-Code: X-Postfix; host mx.example.com[192.0.2.1] said:"
                + " 554\n    5.6.0 Message scored as spam (in reply to end of DATA command)\n";
        DeliveryReport d = (DeliveryReport) ReportParser.defaults().parse(
                Messages.dsn(fields, ORIGINAL).getBytes(StandardCharsets.UTF_8));
        RecipientStatus r = d.recipients().get(0);
        assertEquals("5.0.0", r.status().toString());
        assertEquals(554, r.reply().code());
        assertEquals("5.6.0", r.effectiveStatus().toString());
    }

    @Test
    void nonStandardBounceIsReadFromItsText() {
        byte[] msg = String.join("\n",
                "From: MAILER-DAEMON@mx.sender.test",
                "To: news@sender.test",
                "Subject: failure notice",
                "",
                "Hi. This is the qmail-send program at mx.sender.test.",
                "I'm afraid I wasn't able to deliver your message to the following addresses.",
                "",
                "<bob@example.net>:",
                "192.0.2.25 does not like recipient.",
                "Remote host said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown",
                "",
                "--- Below this line is a copy of the message.",
                "",
                "To: carol@example.org",
                "").getBytes(StandardCharsets.UTF_8);
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, ReportParser.defaults().parse(msg));
        assertEquals("qmail", d.format()); // "This is the qmail-send program"
        assertEquals(1, d.recipients().size());
        assertEquals("bob@example.net", d.recipients().get(0).recipient());
        assertEquals(550, d.recipients().get(0).reply().code());
        assertEquals("5.1.1", d.recipients().get(0).status().toString());
    }
    @Test
    void theNotificationKeepsTheBouncesOwnWords() {
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, ReportParser.defaults().parse(
                Messages.dsn(FIELDS, ORIGINAL).getBytes(StandardCharsets.UTF_8)));
        assertEquals("I'm sorry to have to inform you that your message could not be delivered.", d.notification());
    }

    @Test
    void aReplyWrappedAfterItsCodeKeepsItsText() {
        byte[] msg = String.join("\n",
                "From: MAILER-DAEMON@mx.sender.test (Mail Delivery System)",
                "To: news@sender.test",
                "Subject: Undelivered Mail Returned to Sender",
                "",
                "This is the Postfix program at host mx.sender.test.",
                "",
                "<kim@example.or.jp>: host",
                "    mx.example.or.jp[192.0.2.22] said: 550",
                "    <kim@example.or.jp>: User unknown",
                "").getBytes(StandardCharsets.UTF_8);
        RecipientStatus r = assertInstanceOf(DeliveryReport.class, ReportParser.defaults().parse(msg))
                .recipients().get(0);
        assertEquals(550, r.reply().code());
        assertEquals("<kim@example.or.jp>: User unknown", r.reply().text());
    }

    @Test
    void eachRecipientOfAListKeepsOnlyItsOwnWords() {
        byte[] msg = String.join("\n",
                "From: MAILER-DAEMON@mx.sender.test",
                "To: news@sender.test",
                "Subject: failure notice",
                "",
                "Unable to deliver message to the following address(es).",
                "",
                "<ann@example.com>:",
                "This user doesn't have a example.com account (ann@example.com) [0]",
                "",
                "<bob@example.com>:",
                "This account has been disabled or discontinued [#102].",
                "<cat@example.com>:",
                "This user doesn't have a example.com account (cat@example.com) [0]",
                "").getBytes(StandardCharsets.UTF_8);
        List<RecipientStatus> rs = assertInstanceOf(DeliveryReport.class, ReportParser.defaults().parse(msg))
                .recipients();
        assertEquals(List.of("ann@example.com", "bob@example.com", "cat@example.com"),
                rs.stream().map(RecipientStatus::recipient).toList());
        assertTrue(rs.get(1).diagnosticCode().value().contains("disabled"));
        assertEquals("<cat@example.com>: This user doesn't have a example.com account (cat@example.com) [0]",
                rs.get(2).diagnosticCode().value());
    }

    @Test
    void interScanReturningTheDownstreamBounceLendsItsReply() {
        byte[] msg = String.join("\n",
                "From: postmaster@gw.example.jp",
                "To: news@sender.test",
                "Subject: Mail could not be delivered",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"gw\"",
                "",
                "--gw",
                "Content-Type: text/plain",
                "",
                "****** Message from InterScan Messaging Security Suite ******",
                "The following mail could not be delivered.",
                "Reason: Unable to deliver message to <kim@example.jp>.",
                "",
                "--gw",
                "Content-Type: message/rfc822",
                "",
                "From: news@sender.test",
                "To: kim@example.jp",
                "Subject: Returned mail",
                "",
                "----- Transcript of the session follows -----",
                "... while talking to 192.0.2.1:",
                ">>> RCPT To:<kim@example.jp>",
                "<<< 550 5.1.1 <kim@example.jp>... Invalid recipient",
                "--gw--",
                "").getBytes(StandardCharsets.UTF_8);
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, ReportParser.defaults().parse(msg));
        assertEquals("trendmicro", d.format());
        RecipientStatus r = d.recipients().get(0);
        assertEquals("kim@example.jp", r.recipient());
        assertEquals(550, r.reply().code());
        assertEquals("5.1.1", r.status().toString());
        assertEquals("RCPT", r.smtpCommand());
    }
}
