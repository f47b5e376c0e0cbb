package org.bouncekit.dnsauth;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.bouncekit.dnsauth.internal.IpText;
import org.bouncekit.dnsauth.spi.DnsNames;

/**
 * The DNSBL check of one address: one result per configured zone, in the checker's order.
 *
 * <p>Immutable; thread-safe.
 *
 * @param ip    the address checked (an IPv4-mapped IPv6 address is checked, and given here, as IPv4)
 * @param zones each zone's result
 */
public record DnsblResult(InetAddress ip, List<DnsblZoneResult> zones) {

    /**
     * Creates the value; the list is copied.
     *
     * @param ip    see {@link #ip()}
     * @param zones see {@link #zones()}
     */
    public DnsblResult {
        Objects.requireNonNull(ip, "ip");
        zones = List.copyOf(zones);
    }

    /** @return whether any zone lists the address */
    public boolean listed() {
        return zones.stream().anyMatch(DnsblZoneResult::listed);
    }

    /** @return the results of the zones that list the address */
    public List<DnsblZoneResult> listings() {
        return zones.stream().filter(DnsblZoneResult::listed).toList();
    }

    /**
     * @return whether some zone gave no verdict ({@link DnsblStatus#REFUSED} or {@link DnsblStatus#ERROR}), so
     *         that "not listed" cannot be concluded from it
     */
    public boolean incomplete() {
        return zones.stream().anyMatch(z -> z.status() == DnsblStatus.REFUSED || z.status() == DnsblStatus.ERROR);
    }

    /**
     * @param zone a zone's name
     * @return its result, or null when it was not checked
     */
    public DnsblZoneResult zone(String zone) {
        String z = DnsNames.relative(Objects.requireNonNull(zone, "zone").strip());
        return zones.stream().filter(r -> r.zone().equals(z)).findFirst().orElse(null);
    }

    /** @return the address as text (IPv6 in RFC 5952's compressed form) */
    public String ipText() {
        return IpText.readable(ip);
    }
}
