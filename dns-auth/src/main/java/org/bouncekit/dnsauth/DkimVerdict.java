package org.bouncekit.dnsauth;

import java.util.Locale;

/**
 * The result of verifying a DKIM signature, as RFC 8601 names them.
 *
 * <p>Immutable; thread-safe.
 */
public enum DkimVerdict {
    /** The signature verifies. */
    PASS,
    /** The signature could be checked and does not verify (body hash or signature). */
    FAIL,
    /** The signature verifies, or could, but is not acceptable: rsa-sha1, a short RSA key (RFC 8301), expiry. */
    POLICY,
    /** The signature is malformed or cannot be processed (its tags). */
    NEUTRAL,
    /** The key could not be fetched now (DNS). */
    TEMPERROR,
    /** The key is missing, revoked or unusable, or the signature can never verify. */
    PERMERROR,
    /** The message carries no DKIM signature (only as a message's verdict). */
    NONE;

    /** @return the name as RFC 8601 writes it ({@code pass}, {@code permerror}, ...) */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
