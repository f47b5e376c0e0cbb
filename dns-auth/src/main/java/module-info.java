/**
 * BounceKit DNS authentication: SPF (RFC 7208) on a DNS port of our own, with dnsjava, in-memory and zone-file
 * implementations. DKIM, DMARC, Authentication-Results, domain audit and DNSBL checks follow.
 */
module org.bouncekit.dnsauth {
    requires transitive org.bouncekit.core;
    requires org.dnsjava;

    exports org.bouncekit.dnsauth;
    exports org.bouncekit.dnsauth.spi;
}
