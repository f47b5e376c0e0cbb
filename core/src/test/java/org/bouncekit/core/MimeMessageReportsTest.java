package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MimeMessageReportsTest {

    @Test
    void readsAJakartaMailMessage() throws Exception {
        String fields = "Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; a@example.com\n"
                + "Action: failed\nStatus: 5.1.1\n";
        byte[] raw = Messages.dsn(fields, "Message-ID: <m@x>").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        DeliveryReport d = assertInstanceOf(DeliveryReport.class,
                MimeMessageReports.parse(ReportParser.defaults(), message));
        assertEquals("a@example.com", d.recipients().get(0).recipient());
        assertEquals("m@x", d.original().messageId());
    }

    @Test
    void largeMessageIsCutAtTheLimit() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setSubject("big");
        message.setText("z".repeat(50_000));
        message.saveChanges();
        ReportParser parser = ReportParser.builder().limits(Limits.builder().maxInputBytes(2_000).build()).build();
        Report r = MimeMessageReports.parse(parser, message);
        assertEquals("big", Header.first(r.headers(), "Subject"));
        assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("maxInputBytes")));
    }
}
