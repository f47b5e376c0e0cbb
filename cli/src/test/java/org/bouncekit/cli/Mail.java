package org.bouncekit.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small synthetic messages for the tests. */
final class Mail {

    private Mail() {
    }

    static byte[] bytes(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A multipart/report DSN with the given recipient blocks (each a few "Field: value" lines). */
    static String dsn(List<String> recipientBlocks) {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
                To: sender@example.com
                Subject: Undelivered Mail Returned to Sender
                Date: Mon, 2 Jun 2025 10:00:00 +0000
                Message-ID: <dsn-1@mx.example.net>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

                --BOUNDARY
                Content-Type: text/plain; charset=us-ascii

                Your message could not be delivered to some recipients.

                --BOUNDARY
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net
                Arrival-Date: Mon, 2 Jun 2025 09:59:58 +0000
                """);
        for (String block : recipientBlocks) {
            sb.append('\n').append(block);
            if (!block.endsWith("\n")) {
                sb.append('\n');
            }
        }
        sb.append("""

                --BOUNDARY
                Content-Type: text/rfc822-headers

                From: sender@example.com
                To: alice@example.org, bob@example.org
                Subject: hello
                Date: Mon, 2 Jun 2025 09:59:57 +0000
                Message-ID: <orig-1@example.com>

                --BOUNDARY--
                """);
        return sb.toString();
    }

    /** A DSN with two recipients: alice failed (5.1.1, 550), bob delayed (4.4.1). */
    static String twoRecipientDsn() {
        return dsn(List.of("""
                Final-Recipient: rfc822; alice@example.org
                Action: failed
                Status: 5.1.1
                Remote-MTA: dns; mail.example.org
                Diagnostic-Code: smtp; 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown
                """, """
                Final-Recipient: rfc822; bob@example.org
                Action: delayed
                Status: 4.4.1
                Diagnostic-Code: smtp; 421 4.4.1 Connection timed out
                """));
    }

    static String arf() {
        return """
                From: abuse-reports@isp.example
                To: abuse@example.com
                Subject: FW: Spam report
                Date: Mon, 2 Jun 2025 11:00:00 +0000
                Message-ID: <arf-1@isp.example>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"

                --ARF
                Content-Type: text/plain; charset=us-ascii

                This is an email abuse report for an email message received from IP 192.0.2.1.

                --ARF
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: SomeGenerator/1.0
                Version: 1
                Original-Mail-From: <sender@example.com>
                Original-Rcpt-To: <carol@isp.example>
                Source-IP: 192.0.2.1

                --ARF
                Content-Type: message/rfc822

                From: sender@example.com
                To: carol@isp.example
                Subject: Buy now
                Date: Mon, 2 Jun 2025 10:30:00 +0000
                Message-ID: <spam-1@example.com>

                Cheap things.

                --ARF--
                """;
    }

    static String autoReply() {
        return """
                From: Dave Example <dave@example.org>
                To: sender@example.com
                Subject: Out of office: hello
                Date: Mon, 2 Jun 2025 12:00:00 +0000
                Message-ID: <ooo-1@example.org>
                Auto-Submitted: auto-replied

                I am away until Monday.
                """;
    }

    static String plain() {
        return """
                From: Erin <erin@example.org>
                To: frank@example.com
                Subject: lunch?
                Date: Mon, 2 Jun 2025 12:30:00 +0000
                Message-ID: <lunch@example.org>

                Noon at the usual place?
                """;
    }
}
