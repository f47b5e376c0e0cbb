package org.bouncekit.dnsauth;

import java.util.List;
import java.util.Objects;

/**
 * What one DNSBL zone said about an address.
 *
 * <p>Immutable; thread-safe.
 *
 * @param zone     the zone ({@code zen.spamhaus.org})
 * @param query    the name queried: the address reversed (octets, or nibbles for IPv6) under the zone
 * @param status   listed, not listed, refused or error
 * @param codes    the A records answered, as dotted text, in the order received ({@code 127.0.0.2}); empty when
 *                 nothing was answered
 * @param meanings what each code means, in the order of {@code codes} (the zone's table, or
 *                 {@code unknown return code})
 * @param reasons  for a listing: the zone's TXT records for the name (usually a reason and a lookup URL)
 * @param detail   why the status is {@link DnsblStatus#ERROR}, or what went wrong beside a listing (a TXT query
 *                 that failed); otherwise null
 */
public record DnsblZoneResult(String zone, String query, DnsblStatus status, List<String> codes,
                              List<String> meanings, List<String> reasons, String detail) {

    /**
     * Creates the value; lists are copied.
     *
     * @param zone     see {@link #zone()}
     * @param query    see {@link #query()}
     * @param status   see {@link #status()}
     * @param codes    see {@link #codes()}
     * @param meanings see {@link #meanings()}
     * @param reasons  see {@link #reasons()}
     * @param detail   see {@link #detail()}
     * @throws IllegalArgumentException when {@code codes} and {@code meanings} differ in length
     */
    public DnsblZoneResult {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(status, "status");
        codes = List.copyOf(codes);
        meanings = List.copyOf(meanings);
        reasons = List.copyOf(reasons);
        if (codes.size() != meanings.size()) {
            throw new IllegalArgumentException("one meaning per code: " + codes + " " + meanings);
        }
    }

    /** @return whether the zone lists the address */
    public boolean listed() {
        return status == DnsblStatus.LISTED;
    }
}
