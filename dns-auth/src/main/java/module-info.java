/**
 * BounceKit DNS authentication: SPF (RFC 7208) and DKIM (RFC 6376, RFC 8463, RFC 8301) on a DNS port of our own,
 * with dnsjava, in-memory and zone-file implementations. DMARC, Authentication-Results, domain audit and DNSBL
 * checks follow.
 */
module org.bouncekit.dnsauth {
    requires transitive org.bouncekit.core;
    requires org.dnsjava;
    // Optional: only DkimMimeMessages uses it, and its callers already have Jakarta Mail.
    requires static jakarta.mail;

    exports org.bouncekit.dnsauth;
    exports org.bouncekit.dnsauth.spi;
}
