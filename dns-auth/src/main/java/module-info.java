/**
 * BounceKit DNS authentication: SPF (RFC 7208), DKIM (RFC 6376, RFC 8463, RFC 8301), DMARC (RFC 9989, RFC 7489),
 * Authentication-Results (RFC 8601), DMARC aggregate reports (RFC 7489 appendix C, RFC 9990) and DNSBL checks, on a
 * DNS port of our own with dnsjava, in-memory and zone-file implementations; and the posture audit of a sending
 * domain (SPF, DMARC, DKIM keys, MX, MTA-STS, TLS-RPT).
 */
module org.bouncekit.dnsauth {
    requires transitive org.bouncekit.core;
    requires org.dnsjava;
    // StAX, for DMARC aggregate reports
    requires java.xml;
    // Optional: only DkimMimeMessages uses it, and its callers already have Jakarta Mail.
    requires static jakarta.mail;

    exports org.bouncekit.dnsauth;
    exports org.bouncekit.dnsauth.spi;
}
