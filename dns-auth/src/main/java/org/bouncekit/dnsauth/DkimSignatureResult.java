package org.bouncekit.dnsauth;

import java.util.List;
import java.util.Objects;

/**
 * What one DKIM signature of a message came to.
 *
 * <p>Immutable; thread-safe.
 *
 * @param domain        the signing domain ({@code d=}), or null when the signature did not say
 * @param selector      the selector ({@code s=}), or null
 * @param algorithm     {@code rsa-sha256}, {@code ed25519-sha256}, {@code rsa-sha1} (as written), or null
 * @param verdict       the result
 * @param reason        why it is not a pass ({@code body hash did not verify}, {@code key revoked}, ...), or null
 * @param identity      the agent or user identifier ({@code i=}, default {@code @domain}), or null
 * @param signedHeaders the header field names signed ({@code h=}), in order, as written
 * @param bodyLength    the {@code l=} limit, or -1 when the whole body is signed
 * @param keyBits       the key's size (RSA modulus bits; 256 for Ed25519), or 0 when no key was read
 * @param testing       whether the key record says the domain is testing DKIM ({@code t=y})
 * @param notes         risks and leniencies worth knowing ({@code l=} signs part of the body, a pass allowed
 *                      only in lenient mode, ...)
 */
public record DkimSignatureResult(String domain, String selector, String algorithm, DkimVerdict verdict,
                                  String reason, String identity, List<String> signedHeaders, long bodyLength,
                                  int keyBits, boolean testing, List<String> notes) {

    /**
     * Creates the value; lists are copied.
     *
     * @param domain        see {@link #domain()}
     * @param selector      see {@link #selector()}
     * @param algorithm     see {@link #algorithm()}
     * @param verdict       see {@link #verdict()}
     * @param reason        see {@link #reason()}
     * @param identity      see {@link #identity()}
     * @param signedHeaders see {@link #signedHeaders()}
     * @param bodyLength    see {@link #bodyLength()}
     * @param keyBits       see {@link #keyBits()}
     * @param testing       see {@link #testing()}
     * @param notes         see {@link #notes()}
     */
    public DkimSignatureResult {
        Objects.requireNonNull(verdict, "verdict");
        signedHeaders = List.copyOf(signedHeaders);
        notes = List.copyOf(notes);
    }
}
