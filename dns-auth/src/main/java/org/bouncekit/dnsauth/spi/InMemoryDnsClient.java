package org.bouncekit.dnsauth.spi;

import java.net.InetAddress;
import org.bouncekit.dnsauth.internal.DomainNames;
import org.bouncekit.dnsauth.internal.IpLiterals;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DNS data held in memory: for tests, and for checking records before they are published. It fails closed: a name
 * it does not know is NXDOMAIN, never a query to the network. A wildcard owner ({@code *.example.org}) answers for
 * the names under its parent that do not exist (RFC 4592). Names are case-insensitive; CNAMEs are followed (a
 * loop, or a chain longer than 8, is a server failure); a name with an empty label or a label over 63 octets is a
 * server failure, as a resolver refuses it, and so is a CNAME pointing to one.
 *
 * <p>Immutable once built; thread-safe. Answers complete at once.
 *
 * <pre>{@code
 * DnsClient dns = InMemoryDnsClient.builder()
 *         .txt("example.org", "v=spf1 mx -all")
 *         .mx("example.org", 10, "mx.example.org")
 *         .a("mx.example.org", "192.0.2.10")
 *         .fail("broken.example.org", DnsType.TXT, DnsAnswer.Outcome.TIMEOUT)
 *         .build();
 * }</pre>
 */
public final class InMemoryDnsClient implements DnsClient {

    private static final int MAX_CNAME_CHAIN = 8;

    private final Map<String, Map<DnsType, List<DnsRecord>>> records;
    private final Map<String, String> cnames;
    private final Map<String, Map<DnsType, DnsAnswer.Outcome>> failures;
    private final Map<String, Map<DnsType, Long>> ttls;
    private final long ttlSeconds;

    private InMemoryDnsClient(Builder b) {
        Map<String, Map<DnsType, List<DnsRecord>>> copy = new HashMap<>();
        b.records.forEach((name, byType) -> {
            Map<DnsType, List<DnsRecord>> m = new EnumMap<>(DnsType.class);
            byType.forEach((t, list) -> m.put(t, List.copyOf(list)));
            copy.put(name, m);
        });
        this.records = copy;
        this.cnames = Map.copyOf(b.cnames);
        Map<String, Map<DnsType, DnsAnswer.Outcome>> f = new HashMap<>();
        b.failures.forEach((name, byType) -> f.put(name, new EnumMap<>(byType)));
        this.failures = f;
        Map<String, Map<DnsType, Long>> t = new HashMap<>();
        b.ttls.forEach((name, byType) -> t.put(name, new EnumMap<>(byType)));
        this.ttls = t;
        this.ttlSeconds = b.ttlSeconds;
    }

    /** @return a builder of an empty zone */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<DnsAnswer> query(String name, DnsType type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        return CompletableFuture.completedFuture(answer(name, type));
    }

    /**
     * The answer, synchronously.
     *
     * @param name a name
     * @param type a type
     * @return the answer
     */
    public DnsAnswer answer(String name, DnsType type) {
        String n = DnsNames.relative(name);
        String invalid = invalidName(n);
        if (invalid != null) {
            return DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, invalid + ": " + name);
        }
        Set<String> seen = new HashSet<>();
        for (int hops = 0; ; hops++) {
            Map<DnsType, DnsAnswer.Outcome> failing = failures.get(n);
            if (failing != null && failing.containsKey(type)) {
                return DnsAnswer.failed(failing.get(type), n);
            }
            String target = cnames.get(n);
            if (target == null) {
                break;
            }
            if (!seen.add(n) || hops >= MAX_CNAME_CHAIN) {
                return DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, "CNAME loop at " + n);
            }
            n = target;
            // a target no resolver would accept is refused like a query for it (and a target of thousands of
            // labels is not walked label by label for a wildcard)
            invalid = invalidName(n);
            if (invalid != null) {
                return DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, invalid + ": CNAME target " + n);
            }
        }
        Map<DnsType, List<DnsRecord>> byType = records.get(n);
        if (byType == null) {
            if (known(n)) {
                return DnsAnswer.of(List.of(), ttlSeconds);
            }
            String wildcard = wildcardFor(n);
            if (wildcard == null) {
                return new DnsAnswer(DnsAnswer.Outcome.NXDOMAIN, List.of(), ttlSeconds, n);
            }
            n = wildcard;
            byType = records.get(n);
        }
        Map<DnsType, Long> own = ttls.get(n);
        return DnsAnswer.of(byType.getOrDefault(type, List.of()),
                own == null ? ttlSeconds : own.getOrDefault(type, ttlSeconds));
    }

    /**
     * The wildcard that answers for a name that does not exist (RFC 4592): {@code *.} its closest existing
     * ancestor, when that wildcard holds records; else null.
     */
    private String wildcardFor(String n) {
        for (int dot = n.indexOf('.'); dot >= 0; dot = n.indexOf('.', dot + 1)) {
            String ancestor = n.substring(dot + 1);
            if (records.containsKey(ancestor) || known(ancestor)) {
                String wildcard = "*." + ancestor;
                return records.containsKey(wildcard) ? wildcard : null;
            }
        }
        return null;
    }

    /** A name that exists without records: one with failures configured, or an empty non-terminal. */
    private boolean known(String n) {
        if (failures.containsKey(n)) {
            return true;
        }
        String suffix = "." + n;
        for (String r : records.keySet()) {
            if (r.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** Why a resolver would refuse the name, or null. */
    static String invalidName(String n) {
        return n.length() > 253 ? "name over 253 octets" : DomainNames.invalidLabels(n);
    }

    /**
     * Builds an {@link InMemoryDnsClient}. Not thread-safe; {@link #build()} copies.
     */
    public static final class Builder {
        private final Map<String, Map<DnsType, List<DnsRecord>>> records = new HashMap<>();
        private final Map<String, String> cnames = new HashMap<>();
        private final Map<String, Map<DnsType, DnsAnswer.Outcome>> failures = new HashMap<>();
        private final Map<String, Map<DnsType, Long>> ttls = new HashMap<>();
        private long ttlSeconds = 3600;

        private Builder() {
        }

        /**
         * Adds a record.
         *
         * @param name   the owner name
         * @param type   its type
         * @param record the record (its kind must suit the type)
         * @return this builder
         */
        public Builder add(String name, DnsType type, DnsRecord record) {
            Objects.requireNonNull(record, "record");
            boolean fits = switch (type) {
                case A, AAAA -> record instanceof DnsRecord.Address a
                        && (type == DnsType.A) == (a.address().getAddress().length == 4);
                case MX -> record instanceof DnsRecord.Mx;
                case TXT -> record instanceof DnsRecord.Txt;
                case PTR -> record instanceof DnsRecord.Ptr;
            };
            if (!fits) {
                throw new IllegalArgumentException(record + " is not a " + type + " record");
            }
            String n = DnsNames.relative(name);
            if (cnames.containsKey(n)) {
                throw new IllegalStateException(n + " is a CNAME; it can hold no other record");
            }
            records.computeIfAbsent(n, k -> new EnumMap<>(DnsType.class))
                    .computeIfAbsent(type, k -> new ArrayList<>()).add(record);
            return this;
        }

        /**
         * Adds a record with its own TTL; an answer reports the smallest TTL of its records.
         *
         * @param name       the owner name
         * @param type       its type
         * @param record     the record
         * @param ttlSeconds the record's TTL
         * @return this builder
         */
        public Builder add(String name, DnsType type, DnsRecord record, long ttlSeconds) {
            if (ttlSeconds < 0) {
                throw new IllegalArgumentException("negative ttl " + ttlSeconds);
            }
            add(name, type, record);
            ttls.computeIfAbsent(DnsNames.relative(name), k -> new EnumMap<>(DnsType.class))
                    .merge(type, ttlSeconds, Math::min);
            return this;
        }

        /**
         * Marks a name as existing, with no records of its own (NODATA for every type).
         *
         * @param name the name
         * @return this builder
         */
        public Builder exists(String name) {
            records.computeIfAbsent(DnsNames.relative(name), k -> new EnumMap<>(DnsType.class));
            return this;
        }

        /**
         * @param name      the owner
         * @param addresses IPv4 or IPv6 literals (each goes to A or AAAA by its family)
         * @return this builder
         */
        public Builder a(String name, String... addresses) {
            for (String a : addresses) {
                InetAddress address = IpLiterals.parse(a);
                add(name, address.getAddress().length == 4 ? DnsType.A : DnsType.AAAA,
                        new DnsRecord.Address(address));
            }
            return this;
        }

        /**
         * @param name       the owner
         * @param preference the preference
         * @param exchange   the exchanger
         * @return this builder
         */
        public Builder mx(String name, int preference, String exchange) {
            return add(name, DnsType.MX, new DnsRecord.Mx(preference, exchange));
        }

        /**
         * Adds one TXT record made of the given character-strings (joined without separator).
         *
         * @param name    the owner
         * @param strings the character-strings of one record
         * @return this builder
         */
        public Builder txt(String name, String... strings) {
            return add(name, DnsType.TXT, new DnsRecord.Txt(String.join("", strings)));
        }

        /**
         * @param name   the owner (a reverse name such as {@code 1.2.0.192.in-addr.arpa})
         * @param target the name it points to
         * @return this builder
         */
        public Builder ptr(String name, String target) {
            return add(name, DnsType.PTR, new DnsRecord.Ptr(target));
        }

        /**
         * @param name   the alias
         * @param target the canonical name
         * @return this builder
         */
        public Builder cname(String name, String target) {
            String n = DnsNames.relative(name);
            if (records.containsKey(n)) {
                throw new IllegalStateException(n + " holds records; it cannot be a CNAME");
            }
            cnames.put(n, DnsNames.relative(target));
            return this;
        }

        /**
         * Makes queries of a name and type fail.
         *
         * @param name    the name
         * @param type    the type
         * @param outcome {@code SERVFAIL}, {@code TIMEOUT}, {@code NXDOMAIN} or {@code NODATA}
         * @return this builder
         */
        public Builder fail(String name, DnsType type, DnsAnswer.Outcome outcome) {
            if (outcome == DnsAnswer.Outcome.ANSWER) {
                throw new IllegalArgumentException("ANSWER is not a failure");
            }
            failures.computeIfAbsent(DnsNames.relative(name), k -> new EnumMap<>(DnsType.class))
                    .put(Objects.requireNonNull(type, "type"), outcome);
            return this;
        }

        /**
         * @param seconds the TTL reported with every answer (default 3600)
         * @return this builder
         */
        public Builder ttl(long seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("negative ttl " + seconds);
            }
            this.ttlSeconds = seconds;
            return this;
        }

        /** @return the client */
        public InMemoryDnsClient build() {
            return new InMemoryDnsClient(this);
        }
    }
}
