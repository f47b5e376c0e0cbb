package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Header decoding, transfer encodings, charsets and MIME nesting, seen through the returned original message. */
class MessageReadingTest {

    private static OriginalMessage originalOf(String originalPart, String partHeaders) {
        String msg = String.join("\n",
                "From: MAILER-DAEMON@mx.sender.test",
                "Content-Type: multipart/mixed; boundary=outer",
                "",
                "--outer",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"inner\"",
                "",
                "--inner",
                "Content-Type: message/delivery-status",
                "",
                "Reporting-MTA: dns; mx.sender.test",
                "",
                "Final-Recipient: rfc822; a@example.com",
                "Action: failed",
                "Status: 5.1.1",
                "",
                "--inner",
                partHeaders,
                "",
                originalPart,
                "--inner--",
                "--outer--",
                "");
        DeliveryReport d = assertInstanceOf(DeliveryReport.class,
                ReportParser.defaults().parse(msg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("a@example.com", d.recipients().get(0).recipient());
        return d.original();
    }

    @Test
    void encodedWordsInSeveralCharsetsAndFolding() {
        OriginalMessage o = originalOf("Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=\n =?UTF-8?B?IOKcjCBkb25l?=\n"
                + "Message-ID: <x@y>\n", "Content-Type: text/rfc822-headers");
        assertEquals("Grüße ✌ done", o.subject());
    }

    @Test
    void eightBitUtf8Headers() {
        OriginalMessage o = originalOf("Subject: Ünïcödé ✓\nFrom: Jörg <jörg@bücher.example>\n",
                "Content-Type: message/global-headers");
        assertEquals("Ünïcödé ✓", o.subject());
        assertEquals("Jörg <jörg@bücher.example>", o.from());
    }

    @Test
    void base64EnclosedMessage() {
        String inner = "Message-ID: <b64@sender.test>\r\nSubject: hidden\r\n\r\nbody\r\n";
        String b64 = Base64.getMimeEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII));
        OriginalMessage o = originalOf(b64, "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64");
        assertEquals("b64@sender.test", o.messageId());
        assertEquals("hidden", o.subject());
    }

    @Test
    void quotedPrintableHeaderPart() {
        OriginalMessage o = originalOf("Subject: caf=C3=A9 =\n  au lait\nMessage-ID: <qp@x>\n",
                "Content-Type: text/rfc822-headers\nContent-Transfer-Encoding: quoted-printable");
        assertEquals("café   au lait", o.subject());
        assertEquals("qp@x", o.messageId());
    }

    @Test
    void rfc2231ParametersAndDefaultCharset() {
        String msg = String.join("\r\n",
                "From: MAILER-DAEMON@mx.sender.test",
                "Content-Type: multipart/report; report-type=delivery-status;",
                " boundary*0=\"ab\"; boundary*1=\"cd\"",
                "",
                "--abcd",
                "Content-Type: message/delivery-status",
                "",
                "Final-Recipient: rfc822; a@example.com",
                "Status: 4.2.2",
                "--abcd--",
                "");
        DeliveryReport d = assertInstanceOf(DeliveryReport.class,
                ReportParser.defaults().parse(msg.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("4.2.2", d.recipients().get(0).status().toString());
    }

    @Test
    void crOnlyLfAndCrlfGiveTheSameResult() {
        String fields = "Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; a@example.com\n"
                + "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550-5.1.1 no such\n 550 5.1.1 user\n";
        String lf = Messages.dsn(fields, "Subject: s\nMessage-ID: <m@x>");
        String a = Summary.of(ReportParser.defaults().parse(lf.getBytes(StandardCharsets.UTF_8)));
        String b = Summary.of(ReportParser.defaults().parse(lf.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
        String c = Summary.of(ReportParser.defaults().parse(lf.replace("\n", "\r").getBytes(StandardCharsets.UTF_8)));
        assertEquals(a, b);
        assertEquals(a, c);
        assertTrue(a.contains("no such user"), a);
    }

    @Test
    void unknownCharsetFallsBackWithoutLoss() {
        String msg = "From: x@example.com\nSubject: =?x-no-such-charset?Q?caf=E9?=\n\nbody\n";
        Report r = ReportParser.defaults().parse(msg.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("café", Header.first(r.headers(), "Subject"));
    }

    @Test
    void iso2022jpBodyAndShiftJisHeaderAreDecoded() {
        byte[] subject = "件名".getBytes(java.nio.charset.Charset.forName("ISO-2022-JP"));
        String encoded = "=?ISO-2022-JP?B?" + Base64.getEncoder().encodeToString(subject) + "?=";
        Report r = ReportParser.defaults().parse(("From: x@example.jp\nSubject: " + encoded + "\n\nhi\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals("件名", Header.first(r.headers(), "Subject"));
    }
}
