package org.bouncekit.dnsauth;

import java.util.Locale;

/**
 * The seven results of an SPF check (RFC 7208 §2.6).
 *
 * <p>Immutable; thread-safe.
 */
public enum SpfVerdict {
    /** No SPF record, or no valid domain to check. */
    NONE,
    /** The domain states nothing about the address ({@code ?}, or no mechanism matched). */
    NEUTRAL,
    /** The address is authorised. */
    PASS,
    /** The address is not authorised ({@code -}). */
    FAIL,
    /** The address is probably not authorised ({@code ~}). */
    SOFTFAIL,
    /** A transient DNS error; a later check may succeed. */
    TEMPERROR,
    /** The domain's records cannot be interpreted (syntax, limits). */
    PERMERROR;

    /** @return the result's name as RFC 7208 writes it ({@code pass}, {@code softfail}, ...) */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
