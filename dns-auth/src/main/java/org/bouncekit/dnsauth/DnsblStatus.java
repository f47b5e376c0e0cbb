package org.bouncekit.dnsauth;

/**
 * What a DNSBL zone said about an address.
 *
 * <p>Immutable; thread-safe.
 */
public enum DnsblStatus {
    /** The zone lists the address: it answered with return codes in {@code 127.0.0.0/8}. */
    LISTED("listed"),
    /** The zone does not list the address (NXDOMAIN, or a name without A records). */
    NOT_LISTED("not-listed"),
    /**
     * The zone refused to answer: a return code in {@code 127.255.255.0/24} (Spamhaus: {@code .252} typing error,
     * {@code .254} query through a public or open resolver, {@code .255} too many queries). Not a listing; the
     * address's status is unknown.
     */
    REFUSED("refused"),
    /** No usable answer (SERVFAIL, timeout, an answer outside {@code 127.0.0.0/8}): the status is unknown. */
    ERROR("error");

    private final String token;

    DnsblStatus(String token) {
        this.token = token;
    }

    /** @return the status in lower case with a hyphen ({@code not-listed}), for output */
    public String token() {
        return token;
    }
}
