package org.bouncekit.dnsauth.spi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;
import org.bouncekit.dnsauth.internal.Checks;

/**
 * The network, through dnsjava's asynchronous {@link LookupSession}: absolute names only (no search list), CNAMEs
 * followed, UDP with a retry over TCP when an answer is truncated, a time limit per query, and a cache whose
 * entries expire by the records' TTLs read from an injected clock. No dnsjava type appears in this class's API.
 *
 * <p>Thread-safe; one instance can serve every checker of an application.
 *
 * <pre>{@code
 * DnsClient dns = DnsJavaClient.builder()
 *         .servers(new InetSocketAddress("192.0.2.53", 53))
 *         .timeout(Duration.ofSeconds(3))
 *         .build();
 * }</pre>
 */
public final class DnsJavaClient implements DnsClient {

    /** Answers larger than this are not cached: the cache stays under maxCacheEntries × 4 KB. */
    private static final int MAX_CACHED_ANSWER_BYTES = 4096;

    private final LookupSession session;
    private final Clock clock;
    private final int maxCacheEntries;
    private final long negativeTtlSeconds;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(DnsAnswer answer, long expiresAtMillis) {
    }

    private DnsJavaClient(Builder b) {
        Resolver resolver;
        if (b.servers.isEmpty()) {
            resolver = new ExtendedResolver();
        } else {
            List<Resolver> list = new ArrayList<>();
            for (InetSocketAddress a : b.servers) {
                SimpleResolver r = new SimpleResolver(a);
                list.add(r);
            }
            resolver = list.size() == 1 ? list.get(0) : new ExtendedResolver(list);
        }
        resolver.setTimeout(b.timeout);
        this.session = LookupSession.builder().resolver(resolver).clearCaches().clearSearchPath().ndots(1)
                .build();
        this.clock = b.clock;
        this.maxCacheEntries = b.maxCacheEntries;
        this.negativeTtlSeconds = b.negativeTtlSeconds;
    }

    /** @return a builder (the system's resolvers, 5-second queries, a 10,000-entry cache) */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<DnsAnswer> query(String name, DnsType type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        String n = DnsNames.relative(name);
        String key = type.ordinal() + n;
        long now = clock.millis();
        Cached hit = cache.get(key);
        if (hit != null) {
            if (hit.expiresAtMillis() > now) {
                return CompletableFuture.completedFuture(hit.answer());
            }
            cache.remove(key, hit);
        }
        Name absolute;
        try {
            absolute = Name.fromString(n + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL,
                    "invalid name " + name + ": " + e.getMessage()));
        }
        return session.lookupAsync(absolute, code(type)).handle((result, error) -> {
            DnsAnswer answer = error == null ? answer(result, type) : failure(error, n);
            store(key, answer);
            return answer;
        });
    }

    /** About how many bytes an answer holds. */
    private static int size(DnsAnswer answer) {
        int n = 0;
        for (DnsRecord r : answer.records()) {
            n += r instanceof DnsRecord.Txt t ? t.text().length() : r instanceof DnsRecord.Mx mx
                    ? mx.exchange().length() + 4 : r instanceof DnsRecord.Ptr p ? p.name().length() : 16;
        }
        return n;
    }

    private static int code(DnsType type) {
        switch (type) {
            case A:
                return Type.A;
            case AAAA:
                return Type.AAAA;
            case MX:
                return Type.MX;
            case TXT:
                return Type.TXT;
            default:
                return Type.PTR;
        }
    }

    private static DnsAnswer answer(LookupResult result, DnsType type) {
        List<DnsRecord> out = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : result.getRecords()) {
            DnsRecord converted = convert(r, type);
            if (converted != null) {
                out.add(converted);
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        return DnsAnswer.of(out, ttl == Long.MAX_VALUE ? 0 : ttl);
    }

    private static DnsRecord convert(Record r, DnsType type) {
        if (type == DnsType.A && r instanceof ARecord a) {
            return new DnsRecord.Address(a.getAddress());
        }
        if (type == DnsType.AAAA && r instanceof AAAARecord a) {
            return new DnsRecord.Address(a.getAddress());
        }
        if (type == DnsType.MX && r instanceof MXRecord mx) {
            return new DnsRecord.Mx(mx.getPriority(), mx.getTarget().toString());
        }
        if (type == DnsType.TXT && r instanceof TXTRecord txt) {
            StringBuilder sb = new StringBuilder();
            for (byte[] s : txt.getStringsAsByteArrays()) {
                sb.append(new String(s, StandardCharsets.UTF_8)); // character-strings joined without separator
            }
            return new DnsRecord.Txt(sb.toString());
        }
        if (type == DnsType.PTR && r instanceof PTRRecord ptr) {
            return new DnsRecord.Ptr(ptr.getTarget().toString());
        }
        return null;
    }

    private DnsAnswer failure(Throwable error, String name) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof NoSuchDomainException) {
            return new DnsAnswer(DnsAnswer.Outcome.NXDOMAIN, List.of(), negativeTtlSeconds, name);
        }
        if (e instanceof NoSuchRRSetException) {
            return new DnsAnswer(DnsAnswer.Outcome.NODATA, List.of(), negativeTtlSeconds, name);
        }
        if (e instanceof TimeoutException || e instanceof InterruptedIOException) {
            return DnsAnswer.failed(DnsAnswer.Outcome.TIMEOUT, name + ": " + e.getMessage());
        }
        if (e instanceof ServerFailedException || e instanceof IOException || e instanceof UnknownHostException) {
            return DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, name + ": " + e);
        }
        return DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, name + ": " + e);
    }

    /** Answers are cached for their TTL (a day at most); failures, and answers over 4 KB, are not. */
    private void store(String key, DnsAnswer answer) {
        if (answer.isTemporaryFailure() || answer.ttlSeconds() == 0 || maxCacheEntries == 0
                || size(answer) > MAX_CACHED_ANSWER_BYTES) {
            return;
        }
        long now = clock.millis();
        if (cache.size() >= maxCacheEntries) {
            for (Iterator<Cached> it = cache.values().iterator(); it.hasNext(); ) {
                if (it.next().expiresAtMillis() <= now) {
                    it.remove();
                }
            }
            if (cache.size() >= maxCacheEntries) {
                cache.clear(); // a crude bound: memory first, hit rate second
            }
        }
        cache.put(key, new Cached(answer, now + Math.min(answer.ttlSeconds(), 24 * 3600L) * 1000));
    }

    /**
     * Builds a {@link DnsJavaClient}. Setters validate at once; not thread-safe.
     */
    public static final class Builder {
        private final List<InetSocketAddress> servers = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private int maxCacheEntries = 10_000;
        private long negativeTtlSeconds = 60;

        private Builder() {
        }

        /**
         * @param servers the recursive resolvers to ask, in order (default: the system's)
         * @return this builder
         */
        public Builder servers(InetSocketAddress... servers) {
            for (InetSocketAddress s : servers) {
                this.servers.add(Objects.requireNonNull(s, "server"));
            }
            return this;
        }

        /**
         * @param timeout the time limit of one query (default 5 s); a query past it is {@code TIMEOUT}
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        /**
         * @param clock the clock cache entries expire by (default the system's UTC clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param entries answers kept at most (default 10,000, so about 40 MB at worst: answers over 4 KB are not
         *                kept; 0 disables the cache)
         * @return this builder
         */
        public Builder maxCacheEntries(int entries) {
            this.maxCacheEntries = (int) Checks.range("maxCacheEntries", entries, 0, 10_000_000);
            return this;
        }

        /**
         * @param seconds how long NXDOMAIN and NODATA answers are kept (default 60 s; the SOA minimum is not read)
         * @return this builder
         */
        public Builder negativeTtl(long seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("negative ttl " + seconds);
            }
            this.negativeTtlSeconds = seconds;
            return this;
        }

        /** @return the client */
        public DnsJavaClient build() {
            return new DnsJavaClient(this);
        }
    }
}
