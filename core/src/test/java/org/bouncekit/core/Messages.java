package org.bouncekit.core;

import java.nio.charset.StandardCharsets;

/** Builds test messages with a chosen line end. */
final class Messages {

    private Messages() {
    }

    /** Joins lines with CRLF. */
    static byte[] crlf(String... lines) {
        return (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String dsn(String statusFields, String original) {
        return String.join("\n",
                "Return-Path: <>",
                "From: MAILER-DAEMON@mx.sender.test (Mail Delivery System)",
                "To: bounces+alice=example.com@sender.test",
                "Subject: Undelivered Mail Returned to Sender",
                "Auto-Submitted: auto-replied",
                "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=delivery-status;",
                "\tboundary=\"B0UND\"",
                "",
                "This is a MIME-encapsulated message.",
                "",
                "--B0UND",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                "I'm sorry to have to inform you that your message could not be delivered.",
                "",
                "--B0UND",
                "Content-Type: message/delivery-status",
                "",
                statusFields,
                "",
                "--B0UND",
                "Content-Type: text/rfc822-headers",
                "",
                original,
                "",
                "--B0UND--",
                "");
    }
}
