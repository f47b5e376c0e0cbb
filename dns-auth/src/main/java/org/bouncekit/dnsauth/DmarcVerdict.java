package org.bouncekit.dnsauth;

import java.util.Locale;

/**
 * The result of a DMARC evaluation (RFC 9989, RFC 8601's names).
 *
 * <p>Immutable; thread-safe.
 */
public enum DmarcVerdict {
    /** An aligned SPF or DKIM pass. */
    PASS,
    /** A policy was found and nothing aligned passed. */
    FAIL,
    /** No DMARC policy applies (no record, or no usable author domain). */
    NONE,
    /** The policy could not be looked up now (DNS). */
    TEMPERROR,
    /** The author domain cannot be evaluated (no From, several From domains that disagree). */
    PERMERROR;

    /** @return the name as RFC 8601 writes it */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
