package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the parser does with the inputs the fuzzer ({@link ParserFuzzTest}) found wrong, beyond the time and
 * allocation bounds that the replay of {@code src/test/resources/fuzz/ReportParser/} checks: problem offsets lie in
 * the input, a tentative reading of the text leaves no problems behind, and recipients named on one long line get
 * the same answers as before, sharing their diagnostic.
 */
class FuzzFindingsTest {

    private static final ReportParser PARSER = ReportParser.defaults();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Found by the fuzzer: fields read from decoded text were reported at positions of that text (58 of 57). */
    @Test
    void aTextThatHoldsNoReportLeavesNoProblemsBehind() {
        byte[] in = bytes("Subject:Undeliver\n\nReporting-MTA:" + "\u00dc".repeat(20) + "\n\n-");
        Report r = PARSER.parse(in);
        assertInstanceOf(NotAReport.class, r);
        assertEquals(List.of(), r.problems());
    }

    @Test
    void problemsOfReportFieldsInTextHaveNoPosition() {
        byte[] in = bytes("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n\n"
                + "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: a@example.com \u00dc\u00dc\n"
                + "Status: 5.1.1\nnot a field \u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\n");
        Report r = PARSER.parse(in);
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, r);
        assertEquals("a@example.com", d.recipients().get(0).recipient());
        assertTrue(r.problems().stream().anyMatch(p -> p.message().startsWith("Final-Recipient has no type")));
        for (Problem p : r.problems()) {
            assertTrue(p.offset() >= -1 && p.offset() <= in.length, p::toString);
            if (p.message().startsWith("Final-Recipient") || p.message().equals("line is not a field")) {
                assertEquals(-1, p.offset(), p::toString);
            }
        }
    }

    @Test
    void problemsOfFieldsInABase64DeliveryStatusPointAtThePart() {
        String fields = "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: a@example.com\nAction: failed\n"
                + "Status: 5.1.1\n";
        String message = Messages.dsn("", "Subject: s").replace("Content-Type: message/delivery-status\n\n\n",
                "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
                        + Base64.getMimeEncoder().encodeToString(bytes(fields)) + "\n");
        byte[] in = bytes(message);
        int partBody = message.indexOf("\n\n", message.indexOf("Content-Transfer-Encoding: base64")) + 2;
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, PARSER.parse(in));
        assertEquals("a@example.com", d.recipients().get(0).recipient());
        Problem noType = d.problems().stream().filter(p -> p.message().startsWith("Final-Recipient has no type"))
                .findFirst().orElseThrow();
        assertEquals(partBody, noType.offset(), "the encoded part's body, not a position in the decoded bytes");
    }

    /** Found by the fuzzer: thousands of '<' in a recipient field were copied once per bracket. */
    @Test
    void aRecipientOfAngleBracketsOnlyIsEmpty() {
        byte[] in = bytes("--jp\nContent-Type:message/delivery-status\n\nFinal-Recipient:" + "<".repeat(5000)
                + "a@b" + ">".repeat(5000) + "\n");
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, PARSER.parse(in));
        assertEquals("a@b", d.recipients().get(0).recipient());
    }

    /**
     * Found by the fuzzer: a line of many addresses was copied, searched and its reply joined once per address.
     * Each recipient still gets the line's reply; the diagnostic is one value shared by all of them.
     */
    @Test
    void recipientsOfOneLongLineShareItsReply() {
        StringBuilder line = new StringBuilder("550 5.2.2 ");
        for (int i = 0; i < 300; i++) {
            line.append("u").append(i).append("@example.jp>... Mailbox full ");
        }
        byte[] in = bytes("From: MAILER-DAEMON@example.org\nSubject: Mail failure\n\n" + line + "\n");
        DeliveryReport d = assertInstanceOf(DeliveryReport.class, PARSER.parse(in));
        assertEquals(300, d.recipients().size());
        RecipientStatus first = d.recipients().get(0);
        assertEquals("u0@example.jp", first.recipient());
        assertEquals(new EnhancedStatus(5, 2, 2), first.status());
        for (RecipientStatus r : d.recipients()) {
            assertEquals(550, r.reply().code());
            assertTrue(r.diagnosticCode() == first.diagnosticCode(), "one diagnostic value for the line");
        }
    }
}
