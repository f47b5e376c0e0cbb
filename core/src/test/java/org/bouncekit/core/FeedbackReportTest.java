package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackReportTest {

    private static byte[] arf(String fields, String reportedType, String reported) {
        return Messages.crlf(
                "From: abuse@isp.example",
                "To: fbl@sender.test",
                "Subject: FW: complaint",
                "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=feedback-report; boundary=\"frontier\"",
                "",
                "--frontier",
                "Content-Type: text/plain",
                "",
                "This is an email abuse report.",
                "--frontier",
                "Content-Type: message/feedback-report",
                "",
                fields,
                "",
                "--frontier",
                "Content-Type: " + reportedType,
                "",
                reported,
                "--frontier--");
    }

    @Test
    void readsEveryArfField() {
        String fields = String.join("\r\n",
                "Feedback-Type: auth-failure",
                "User-Agent: SomeGenerator/1.0",
                "Version: 1",
                "Original-Mail-From: <news@sender.test>",
                "Original-Rcpt-To: <alice@example.com>",
                "Original-Rcpt-To: <bob@example.com>",
                "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT",
                "Source-IP: 192.0.2.1",
                "Reported-Domain: sender.test",
                "Reported-URI: http://sender.test/offer",
                "Authentication-Results: mail.isp.example; dkim=fail header.d=sender.test",
                "Auth-Failure: signature",
                "DKIM-Domain: sender.test",
                "DKIM-Identity: @sender.test",
                "DKIM-Selector: s2026",
                "SPF-DNS: txt : sender.test : \"v=spf1 -all\"",
                "Delivery-Result: reject",
                "Incidents: 3");
        String reported = "From: <news@sender.test>\r\nTo: <alice@example.com>\r\nSubject: Offer\r\n"
                + "Message-ID: <m1@sender.test>\r\n\r\nBuy now.\r\n";
        FeedbackReport f = assertInstanceOf(FeedbackReport.class,
                ReportParser.defaults().parse(arf(fields, "message/rfc822", reported)));
        assertEquals("arf", f.format());
        assertEquals("auth-failure", f.feedbackType());
        assertEquals("SomeGenerator/1.0", f.userAgent());
        assertEquals("1", f.version());
        assertEquals("news@sender.test", f.originalMailFrom());
        assertEquals(List.of("alice@example.com", "bob@example.com"), f.originalRcptTo());
        assertEquals(List.of("alice@example.com", "bob@example.com"), f.recipients());
        assertEquals(OffsetDateTime.of(2005, 3, 8, 14, 0, 0, 0, ZoneOffset.ofHours(-4)), f.arrivalDate());
        assertEquals("192.0.2.1", f.sourceIp());
        assertEquals(List.of("sender.test"), f.reportedDomain());
        assertEquals(List.of("http://sender.test/offer"), f.reportedUri());
        assertEquals(List.of("mail.isp.example; dkim=fail header.d=sender.test"), f.authenticationResults());
        assertEquals("signature", f.authFailure());
        assertEquals("sender.test", f.dkimDomain());
        assertEquals("@sender.test", f.dkimIdentity());
        assertEquals("s2026", f.dkimSelector());
        assertEquals(List.of("txt : sender.test : \"v=spf1 -all\""), f.spfDns());
        assertEquals("reject", f.deliveryResult());
        assertEquals(3, f.incidents());
        assertEquals("Offer", Header.first(f.reportedHeaders(), "subject"));
        assertEquals("m1@sender.test", f.original().messageId());
        assertEquals(List.of(), f.problems());
    }

    @Test
    void recipientsFallBackToTheReportedMessage() {
        String reported = "From: news@sender.test\r\nTo: Carol <carol@example.org>\r\nSubject: x\r\n";
        FeedbackReport f = (FeedbackReport) ReportParser.defaults().parse(
                arf("Feedback-Type: abuse\r\nUser-Agent: x/1\r\nVersion: 1", "text/rfc822-headers", reported));
        assertEquals(List.of("carol@example.org"), f.recipients());
        assertEquals("abuse", f.feedbackType());
    }
}
