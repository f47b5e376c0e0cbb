package org.bouncekit.dnsauth;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bouncekit.dnsauth.internal.BoundedDns;
import org.bouncekit.dnsauth.internal.Checks;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;

/**
 * Checks an IPv4 or IPv6 address against DNSBL zones (RFC 5782): the address reversed (its octets, or for IPv6
 * its 32 nibbles) under each zone is queried for A records, whose {@code 127.0.0.0/8} return codes say that and
 * why it is listed; for a listing the TXT records of the same name give the zone's reason. Each zone's answer is
 * one of {@link DnsblStatus}: NXDOMAIN is {@code NOT_LISTED}; a code in {@code 127.255.255.0/24} is
 * {@code REFUSED} (the zone would not answer this resolver, never a listing); SERVFAIL, a timeout or an answer
 * outside {@code 127.0.0.0/8} (a resolver rewriting NXDOMAIN) is {@code ERROR}.
 *
 * <p>Immutable and thread-safe: build one and share it. Zones are queried concurrently.
 *
 * <pre>{@code
 * DnsblChecker dnsbl = DnsblChecker.builder(dns)
 *         .zone("zen.spamhaus.org")                                   // with Spamhaus's return codes
 *         .zone("bl.example.net", Map.of("127.0.0.2", "spam trap hit"))
 *         .build();
 * DnsblResult r = dnsbl.check("192.0.2.99");
 * for (DnsblZoneResult z : r.listings()) {
 *     System.out.println(z.zone() + " " + z.meanings() + " " + z.reasons());
 * }
 * }</pre>
 */
public final class DnsblChecker {

    /** Zones one checker may query per address. */
    public static final int MAX_ZONES = 50;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final BoundedDns dns;
    private final List<DnsblZone> zones;
    private final boolean reasons;

    private DnsblChecker(Builder b) {
        this.dns = new BoundedDns(b.dns, b.timeout.toMillis());
        this.zones = List.copyOf(b.zones);
        this.reasons = b.reasons;
    }

    /**
     * @param dns the DNS port every check queries
     * @return a builder without zones
     */
    public static Builder builder(DnsClient dns) {
        return new Builder(dns);
    }

    /** @return the zones checked, in order */
    public List<DnsblZone> zones() {
        return zones;
    }

    /**
     * Checks an address given as a literal, blocking until every zone has answered or timed out.
     *
     * @param ip an IPv4 or IPv6 literal (never resolved as a name)
     * @return one result per zone
     * @throws IllegalArgumentException when {@code ip} is not an address literal
     */
    public DnsblResult check(String ip) {
        return check(IpLiterals.parse(Objects.requireNonNull(ip, "ip").strip()));
    }

    /**
     * Checks an address, blocking until every zone has answered or timed out.
     *
     * @param ip the address (an IPv4-mapped IPv6 address is checked as IPv4)
     * @return one result per zone
     */
    public DnsblResult check(InetAddress ip) {
        return checkAsync(ip).toCompletableFuture().join();
    }

    /**
     * Checks without blocking: the stage completes when the last zone has answered (on the thread that delivers
     * that answer) or timed out (on the JDK's timer thread). It never completes exceptionally; a zone whose query
     * fails or times out is {@link DnsblStatus#ERROR}.
     *
     * @param ip the address
     * @return the result to come
     */
    public CompletionStage<DnsblResult> checkAsync(InetAddress ip) {
        InetAddress address = unmapped(Objects.requireNonNull(ip, "ip"));
        String reversed = reversed(address);
        List<CompletableFuture<DnsblZoneResult>> each = new ArrayList<>(zones.size());
        for (DnsblZone zone : zones) {
            each.add(checkZone(zone, reversed + "." + zone.name()));
        }
        return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> new DnsblResult(address, each.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<DnsblZoneResult> checkZone(DnsblZone zone, String query) {
        return dns.query(query, DnsType.A).thenCompose(a -> {
            DnsblZoneResult r = classify(zone, query, a);
            if (r.status() != DnsblStatus.LISTED || !reasons) {
                return CompletableFuture.completedFuture(r);
            }
            return dns.query(query, DnsType.TXT).thenApply(t -> {
                List<String> texts = new ArrayList<>();
                String detail = null;
                if (t.outcome() == DnsAnswer.Outcome.ANSWER) {
                    for (DnsRecord rec : t.records()) {
                        if (rec instanceof DnsRecord.Txt txt) {
                            texts.add(txt.text());
                        }
                    }
                } else if (t.isTemporaryFailure()) {
                    detail = "TXT query failed: " + failure(t);
                }
                return new DnsblZoneResult(r.zone(), query, r.status(), r.codes(), r.meanings(), texts, detail);
            });
        });
    }

    private static DnsblZoneResult classify(DnsblZone zone, String query, DnsAnswer a) {
        switch (a.outcome()) {
            case NXDOMAIN, NODATA -> {
                return new DnsblZoneResult(zone.name(), query, DnsblStatus.NOT_LISTED, List.of(), List.of(),
                        List.of(), null);
            }
            case SERVFAIL, TIMEOUT -> {
                return new DnsblZoneResult(zone.name(), query, DnsblStatus.ERROR, List.of(), List.of(),
                        List.of(), failure(a));
            }
            default -> {
                // records follow
            }
        }
        Set<String> codes = new LinkedHashSet<>();
        for (DnsRecord r : a.records()) {
            if (r instanceof DnsRecord.Address addr && addr.address() instanceof Inet4Address) {
                byte[] b = addr.address().getAddress();
                codes.add((b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff));
            }
        }
        List<String> meanings = new ArrayList<>(codes.size());
        boolean listing = false;
        boolean refusal = false;
        for (String code : codes) {
            boolean loopback = code.startsWith("127.");
            boolean refused = DnsblZone.refusal(code);
            listing |= loopback && !refused;
            refusal |= refused;
            String meaning = zone.meaning(code);
            meanings.add(meaning != null ? meaning
                    : loopback ? "unknown return code" : "not a DNSBL return code (outside 127.0.0.0/8)");
        }
        DnsblStatus status;
        String detail = null;
        if (codes.isEmpty()) {
            status = DnsblStatus.NOT_LISTED;
        } else if (listing) {
            status = DnsblStatus.LISTED;
        } else if (refusal) {
            status = DnsblStatus.REFUSED;
        } else {
            status = DnsblStatus.ERROR;
            detail = "answer outside 127.0.0.0/8 " + codes + ": not a DNSBL answer (a resolver that rewrites "
                    + "NXDOMAIN, or a zone that no longer exists)";
        }
        return new DnsblZoneResult(zone.name(), query, status, List.copyOf(codes), meanings, List.of(), detail);
    }

    private static String failure(DnsAnswer a) {
        return a.outcome() + (a.detail() == null ? "" : ": " + a.detail());
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) as the IPv4 address it maps. */
    private static InetAddress unmapped(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length != 16) {
            return ip;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return ip;
            }
        }
        if ((b[10] & 0xff) != 0xff || (b[11] & 0xff) != 0xff) {
            return ip;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** The query's prefix: {@code 4.3.2.1} for 1.2.3.4, the 32 nibbles lowest first for IPv6 (RFC 5782 §2.4). */
    private static String reversed(InetAddress ip) {
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder(63);
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append(i > 0 ? "." : "");
            }
            return sb.toString();
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(HEX[b[i] & 15]).append('.').append(HEX[(b[i] >> 4) & 15]);
            if (i > 0) {
                sb.append('.');
            }
        }
        return sb.toString();
    }

    /**
     * Builds a {@link DnsblChecker}. Setters validate at once; not thread-safe.
     */
    public static final class Builder {
        private final DnsClient dns;
        private final List<DnsblZone> zones = new ArrayList<>();
        private boolean reasons = true;
        private Duration timeout = Duration.ofSeconds(5);

        private Builder(DnsClient dns) {
            this.dns = Objects.requireNonNull(dns, "dns");
        }

        /**
         * Adds a zone with its built-in return codes, if any ({@link DnsblZone#of(String)}).
         *
         * @param name the zone ({@code zen.spamhaus.org})
         * @return this builder
         * @throws IllegalArgumentException when the name is invalid, already added, or one zone too many
         */
        public Builder zone(String name) {
            return zone(DnsblZone.of(name));
        }

        /**
         * Adds a zone with meanings of its return codes, over its built-in ones.
         *
         * @param name     the zone
         * @param meanings meaning by return code ({@code "127.0.0.2" -> "spam source"})
         * @return this builder
         * @throws IllegalArgumentException when the name or a code is invalid, the zone is already added, or one
         *                                  zone too many
         */
        public Builder zone(String name, Map<String, String> meanings) {
            return zone(DnsblZone.of(name, meanings));
        }

        /**
         * @param zone a zone
         * @return this builder
         * @throws IllegalArgumentException when the zone is already added, or there would be more than
         *                                  {@link #MAX_ZONES}
         */
        public Builder zone(DnsblZone zone) {
            Objects.requireNonNull(zone, "zone");
            for (DnsblZone z : zones) {
                if (z.name().equals(zone.name())) {
                    throw new IllegalArgumentException("DNSBL zone added twice: " + zone.name());
                }
            }
            if (zones.size() >= MAX_ZONES) {
                throw new IllegalArgumentException("at most " + MAX_ZONES + " DNSBL zones (MAX_ZONES)");
            }
            zones.add(zone);
            return this;
        }

        /**
         * @param query whether a listed address's TXT records are queried for the reason (default true)
         * @return this builder
         */
        public Builder reasons(boolean query) {
            this.reasons = query;
            return this;
        }

        /**
         * @param timeout how long each query may take (default 5 s); a zone makes at most two (A, then TXT for
         *                a listing), and one whose A query times out is {@link DnsblStatus#ERROR}
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        /**
         * @return the checker
         * @throws IllegalStateException when no zone was added
         */
        public DnsblChecker build() {
            if (zones.isEmpty()) {
                throw new IllegalStateException("no DNSBL zone: add one with zone(...)");
            }
            return new DnsblChecker(this);
        }
    }
}
