package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Amazon SES notifications sent by e-mail through SNS: JSON instead of a DSN. */
class AmazonSesNotificationTest {

    private static Report parse(String body) {
        return ReportParser.defaults().parse(("From: SES <no-reply@sns.amazonaws.com>\nSubject: AWS Notification "
                + "Message\nContent-Type: text/plain; charset=UTF-8\n\n" + body + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bounceWithSesLineFolding() {
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, parse("{\"notificationType\":\"Bounce\",\"bounce\":"
                + "{\"bounceType\":\"Permanent\",\"bouncedRecipients\":[{\"emailAddress\":\"a@example.com\",\"action\":"
                + "\"failed\",\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}],\"timestamp\":"
                + "\"2016-10-21T00:06:40.502Z\",\"reportingMTA\":\"dsn; a1.smtp-out.example.com\"},\"mail\":{\"commonH!\n"
                + " eaders\":{\"from\":[\"news@sender.test\"],\"to\":[\"a@example.com\"],\"subject\":\"hi\"}}}"));
        assertEquals("amazonses", d.format());
        RecipientStatus r = d.recipients().get(0);
        assertEquals("a@example.com", r.recipient());
        assertEquals(Action.FAILED, r.action());
        assertEquals(550, r.reply().code());
        assertEquals("5.1.1", r.effectiveStatus().toString());
        assertEquals("a1.smtp-out.example.com", d.reportingMta().value());
        assertEquals("hi", d.original().subject());
    }

    @Test
    void snsEnvelopeAroundADelivery() {
        String event = "{\\\"notificationType\\\":\\\"Delivery\\\",\\\"delivery\\\":{\\\"recipients\\\":[\\\"b@example.com"
                + "\\\"],\\\"smtpResponse\\\":\\\"250 2.6.0 Message received\\\"}}";
        DeliveryReport d = assertInstanceOf(DeliveryReport.class,
                parse("{\n  \"Type\" : \"Notification\",\n  \"Message\" : \"" + event + "\"\n}"));
        assertEquals(Action.DELIVERED, d.recipients().get(0).action());
        assertEquals("2.6.0", d.recipients().get(0).status().toString());
    }

    @Test
    void complaintIsAFeedbackReport() {
        FeedbackReport f = assertInstanceOf(FeedbackReport.class, parse("{\"notificationType\":\"Complaint\","
                + "\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\"c@example.com\"}],"
                + "\"complaintFeedbackType\":\"abuse\",\"userAgent\":\"Mozilla\"},\"mail\":{\"source\":\"news@sender.test\"}}"));
        assertEquals(List.of("c@example.com"), f.recipients());
        assertEquals("abuse", f.feedbackType());
        assertEquals("news@sender.test", f.originalMailFrom());
    }

    @Test
    void brokenJsonIsNotAReport() {
        assertInstanceOf(NotAReport.class, parse("{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":["));
        assertInstanceOf(NotAReport.class, parse("[".repeat(10_000)));
    }
}
