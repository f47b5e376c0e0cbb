/**
 * BounceKit DNS authentication: SPF, DKIM, DMARC, Authentication-Results, domain audit and DNSBL checks.
 * The module is laid out; its API arrives with the SPF work.
 */
module org.bouncekit.dnsauth {
    requires transitive org.bouncekit.core;
}
