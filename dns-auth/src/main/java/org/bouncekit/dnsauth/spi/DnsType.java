package org.bouncekit.dnsauth.spi;

/**
 * The record types the checkers ask for.
 *
 * <p>Immutable; thread-safe.
 */
public enum DnsType {
    /** IPv4 addresses. */
    A,
    /** IPv6 addresses. */
    AAAA,
    /** Mail exchangers. */
    MX,
    /** Text records (SPF, DKIM keys, DMARC policies). */
    TXT,
    /** Reverse-mapping names. */
    PTR
}
