/**
 * BounceKit core: reads raw messages into delivery reports (RFC 3464, RFC 6533, MTA formats), feedback reports
 * (RFC 5965, RFC 6591), SMTP replies (RFC 5321, RFC 3463) and auto-replies (RFC 3834).
 *
 * <p>Start with {@link org.bouncekit.core.ReportParser}.
 */
module org.bouncekit.core {
    // Optional: only MimeMessageReports uses it, and callers of that class already have Jakarta Mail.
    requires static jakarta.mail;

    exports org.bouncekit.core;
}
