package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AutoReplyTest {

    @Test
    void rfc3834AutoSubmittedIsAnAutoReply() {
        AutoReply a = assertInstanceOf(AutoReply.class, ReportParser.defaults().parse(Messages.crlf(
                "From: Alice <alice@example.com>",
                "To: news@sender.test",
                "Subject: Away until Monday",
                "Auto-Submitted: auto-replied",
                "",
                "I am away.")));
        assertEquals("alice@example.com", a.responder());
        assertEquals("auto-replied", a.autoSubmitted());
        assertEquals("rfc3834", a.format());
    }

    @Test
    void outlookSubjectWithoutHeadersIsAnAutoReply() {
        AutoReply a = assertInstanceOf(AutoReply.class, ReportParser.defaults().parse(Messages.crlf(
                "From: bob@example.net",
                "To: news@sender.test",
                "Subject: =?utf-8?Q?Automatic_reply:_Offer?=",
                "",
                "Out of office.")));
        assertEquals("subject: Automatic reply: Offer", a.evidence());
    }

    @Test
    void dsnWithAutoSubmittedIsStillADeliveryReport() {
        String fields = "Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; a@example.com\n"
                + "Action: failed\nStatus: 5.1.1\n";
        Report r = ReportParser.defaults().parse(Messages.dsn(fields, "Subject: x").getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(DeliveryReport.class, r);
    }

    @Test
    void ordinaryMessageIsNotAReport() {
        assertInstanceOf(NotAReport.class, ReportParser.defaults().parse(Messages.crlf(
                "From: carol@example.org", "To: news@sender.test", "Subject: Lunch?", "", "Noon?")));
    }
}
