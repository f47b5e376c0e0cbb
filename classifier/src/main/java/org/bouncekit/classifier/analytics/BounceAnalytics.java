package org.bouncekit.classifier.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.bouncekit.classifier.BounceType;
import org.bouncekit.classifier.Classification;

/**
 * Streaming bounce analytics: counts and rates by recipient domain, provider, reason, type, decision, sending IP,
 * campaign and time bucket, with the crossings a report needs (time × type, time × reason, domain × type, domain ×
 * reason), suppression candidates (addresses with a hard bounce or a complaint), sent volumes for bounce rates, and
 * DMARC aggregate report rows. {@link #snapshot()} gives an immutable {@link AnalyticsSnapshot} of the numbers, which
 * renders itself as JSON or as a self-contained HTML report.
 *
 * <p>Memory is bounded: each dimension keeps at most {@link Builder#maxKeys(int)} distinct keys (10,000 by default)
 * and counts the rest under {@link #OTHER}; totals stay exact. Thread-safe: any number of threads may add at once,
 * and the counts are exact under contention (a snapshot taken while others add sees each event whole or not at
 * all per counter).
 *
 * <pre>{@code
 * BounceAnalytics analytics = BounceAnalytics.builder().bucket(Duration.ofHours(1)).build();
 * analytics.add(new BounceEvent(at, "bob@example.com", classification, "192.0.2.1", "spring-sale"));
 * AnalyticsSnapshot s = analytics.snapshot();
 * Files.writeString(Path.of("report.html"), s.toHtml("Bounces"));
 * }</pre>
 */
public final class BounceAnalytics {

    /** The key under which events beyond a dimension's capacity, or without a value, are counted. */
    public static final String OTHER = "(other)";
    /** The key for events without a value in a dimension (no recipient domain, provider, IP or campaign). */
    public static final String UNKNOWN = "(unknown)";

    /** The dimensions counted alone. */
    enum Dimension { DOMAIN, PROVIDER, REASON, TYPE, DECISION, SENDING_IP, CAMPAIGN }

    /** A pair of keys, for the crossings. */
    record Pair(String a, String b) {
    }

    private static final Pair OTHER_PAIR = new Pair(OTHER, OTHER);
    private static final long OTHER_BUCKET = Long.MIN_VALUE;

    private final Duration bucket;
    private final long bucketSeconds;
    private final int maxKeys;
    private final LongAdder total = new LongAdder();
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    private final Map<Dimension, BoundedCounter<String>> dimensions = new HashMap<>();
    private final BoundedCounter<Long> buckets;
    private final BoundedCounter<Pair> bucketType;
    private final BoundedCounter<Pair> bucketReason;
    private final BoundedCounter<Pair> domainType;
    private final BoundedCounter<Pair> domainReason;
    private final BoundedCounter<Pair> candidates;
    private final BoundedCounter<String> sent;
    private final BoundedCounter<Pair> auth;
    private final BoundedCounter<Pair> authPass;
    private final BoundedCounter<String> dispositions;

    private BounceAnalytics(Builder b) {
        this.bucket = b.bucket;
        this.bucketSeconds = b.bucket.getSeconds();
        this.maxKeys = b.maxKeys;
        for (Dimension d : Dimension.values()) {
            dimensions.put(d, new BoundedCounter<>(maxKeys, OTHER));
        }
        this.buckets = new BoundedCounter<>(b.maxBuckets, OTHER_BUCKET);
        this.bucketType = new BoundedCounter<>(b.maxBuckets * BounceType.values().length, OTHER_PAIR);
        this.bucketReason = new BoundedCounter<>((int) Math.min(10_000_000L, Math.max(maxKeys, b.maxBuckets * 16L)),
                OTHER_PAIR);
        this.domainType = new BoundedCounter<>(maxKeys, OTHER_PAIR);
        this.domainReason = new BoundedCounter<>(maxKeys, OTHER_PAIR);
        this.candidates = new BoundedCounter<>(maxKeys, OTHER_PAIR);
        this.sent = new BoundedCounter<>(maxKeys, OTHER);
        this.auth = new BoundedCounter<>(maxKeys, OTHER_PAIR);
        this.authPass = new BoundedCounter<>(maxKeys, OTHER_PAIR);
        // the dispositions are a handful of words (none, quarantine, reject, pass); a few more are kept
        this.dispositions = new BoundedCounter<>(64, OTHER);
    }

    /** @return a builder with the defaults: daily buckets, 10,000 keys per dimension, 10,000 buckets */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Counts one event.
     *
     * @param event the event
     */
    public void add(BounceEvent event) {
        Objects.requireNonNull(event, "event");
        Classification c = event.classification();
        String domain = orUnknown(event.recipientDomain());
        String reason = c.reason().token();
        String type = c.type().token();
        long epoch = event.at().getEpochSecond();
        long start = epoch - Math.floorMod(epoch, bucketSeconds);
        String bucketKey = Long.toString(start);

        total.increment();
        first.accumulateAndGet(epoch, Math::min);
        last.accumulateAndGet(epoch, Math::max);
        dimensions.get(Dimension.DOMAIN).add(domain, 1);
        dimensions.get(Dimension.PROVIDER).add(orUnknown(c.provider()), 1);
        dimensions.get(Dimension.REASON).add(reason, 1);
        dimensions.get(Dimension.TYPE).add(type, 1);
        dimensions.get(Dimension.DECISION).add(c.decision().token(), 1);
        dimensions.get(Dimension.SENDING_IP).add(orUnknown(event.sendingIp()), 1);
        dimensions.get(Dimension.CAMPAIGN).add(orUnknown(event.campaign()), 1);
        buckets.add(start, 1);
        bucketType.add(new Pair(bucketKey, type), 1);
        bucketReason.add(new Pair(bucketKey, reason), 1);
        domainType.add(new Pair(domain, type), 1);
        domainReason.add(new Pair(domain, reason), 1);
        if ((c.type() == BounceType.HARD || c.type() == BounceType.COMPLAINT) && event.recipient() != null) {
            candidates.add(new Pair(event.recipient().strip().toLowerCase(Locale.ROOT), reason), 1);
        }
    }

    /**
     * Counts messages sent to a domain, so that the snapshot can give bounce rates.
     *
     * @param domain the recipient domain
     * @param count  how many messages were sent to it
     * @throws IllegalArgumentException when the count is negative
     */
    public void addSent(String domain, long count) {
        Objects.requireNonNull(domain, "domain");
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
        sent.add(domain.strip().toLowerCase(Locale.ROOT), count);
    }

    /**
     * Counts one row of a DMARC aggregate report.
     *
     * @param row the row
     */
    public void addAuthRow(AuthReportRow row) {
        Objects.requireNonNull(row, "row");
        Pair key = new Pair(row.sourceIp(), orUnknown(row.headerFrom()));
        auth.add(key, row.count());
        if (row.dmarcPass()) {
            authPass.add(key, row.count());
        }
        dispositions.add(orUnknown(row.disposition()), row.count());
    }

    /** @return the numbers now, as an immutable value */
    public AnalyticsSnapshot snapshot() {
        long n = total.sum();
        Map<Dimension, List<AnalyticsSnapshot.Count>> dims = new HashMap<>();
        boolean truncated = false;
        for (Dimension d : Dimension.values()) {
            BoundedCounter<String> counter = dimensions.get(d);
            truncated |= counter.overflowed();
            List<AnalyticsSnapshot.Count> l = new ArrayList<>();
            for (Map.Entry<String, Long> e : counter.sorted()) {
                l.add(new AnalyticsSnapshot.Count(e.getKey(), e.getValue(), n == 0 ? 0 : (double) e.getValue() / n));
            }
            dims.put(d, l);
        }
        // time buckets in order, with their breakdowns
        TreeMap<Long, Map<String, Long>> typesByBucket = new TreeMap<>();
        TreeMap<Long, Map<String, Long>> reasonsByBucket = new TreeMap<>();
        for (Map.Entry<Long, Long> e : buckets.sorted()) {
            if (e.getKey() != OTHER_BUCKET) {
                typesByBucket.put(e.getKey(), new TreeMap<>());
                reasonsByBucket.put(e.getKey(), new TreeMap<>());
            }
        }
        for (Map.Entry<Pair, Long> e : bucketType.sorted()) {
            Map<String, Long> m = OTHER_PAIR.equals(e.getKey()) ? null
                    : typesByBucket.get(Long.parseLong(e.getKey().a()));
            if (m != null) {
                m.put(e.getKey().b(), e.getValue());
            }
        }
        for (Map.Entry<Pair, Long> e : bucketReason.sorted()) {
            Map<String, Long> m = OTHER_PAIR.equals(e.getKey()) ? null
                    : reasonsByBucket.get(Long.parseLong(e.getKey().a()));
            if (m != null) {
                m.put(e.getKey().b(), e.getValue());
            }
        }
        List<AnalyticsSnapshot.Bucket> bucketList = new ArrayList<>();
        for (Map.Entry<Long, Map<String, Long>> e : typesByBucket.entrySet()) {
            bucketList.add(new AnalyticsSnapshot.Bucket(Instant.ofEpochSecond(e.getKey()), buckets.get(e.getKey()),
                    e.getValue(), reasonsByBucket.get(e.getKey())));
        }
        truncated |= buckets.overflowed() || bucketType.overflowed() || bucketReason.overflowed()
                || domainType.overflowed() || domainReason.overflowed() || candidates.overflowed() || sent.overflowed()
                || auth.overflowed() || authPass.overflowed() || dispositions.overflowed();
        // domains with their breakdown by type, their most frequent reason and the bounce rate
        Map<String, Map<String, Long>> typesByDomain = new HashMap<>();
        for (Map.Entry<Pair, Long> e : domainType.sorted()) {
            typesByDomain.computeIfAbsent(e.getKey().a(), k -> new TreeMap<>()).put(e.getKey().b(), e.getValue());
        }
        Map<String, String> topReason = new HashMap<>();
        for (Map.Entry<Pair, Long> e : domainReason.sorted()) { // largest first: the first seen is the top
            topReason.putIfAbsent(e.getKey().a(), e.getKey().b());
        }
        List<AnalyticsSnapshot.DomainRow> domainRows = new ArrayList<>();
        for (AnalyticsSnapshot.Count c : dims.get(Dimension.DOMAIN)) {
            Map<String, Long> types = typesByDomain.getOrDefault(c.key(), Map.of());
            long sentTo = sent.get(c.key());
            domainRows.add(new AnalyticsSnapshot.DomainRow(c.key(), c.count(), types, sentTo,
                    topReason.get(c.key())));
        }
        // suppression candidates: one row per address, its reasons
        Map<String, AnalyticsSnapshot.Candidate> byAddress = new java.util.LinkedHashMap<>();
        for (Map.Entry<Pair, Long> e : candidates.sorted()) {
            if (OTHER_PAIR.equals(e.getKey())) {
                continue;
            }
            byAddress.merge(e.getKey().a(), new AnalyticsSnapshot.Candidate(e.getKey().a(), e.getKey().b(),
                    e.getValue()), (x, y) -> new AnalyticsSnapshot.Candidate(x.address(), x.reason(),
                    x.events() + y.events()));
        }
        List<AnalyticsSnapshot.AuthSource> authRows = new ArrayList<>();
        for (Map.Entry<Pair, Long> e : auth.sorted()) {
            if (!OTHER_PAIR.equals(e.getKey())) {
                authRows.add(new AnalyticsSnapshot.AuthSource(e.getKey().a(), e.getKey().b(), e.getValue(),
                        authPass.get(e.getKey())));
            }
        }
        Map<String, Long> byDisposition = new TreeMap<>();
        for (Map.Entry<String, Long> e : dispositions.sorted()) {
            byDisposition.put(e.getKey(), e.getValue());
        }
        return new AnalyticsSnapshot(n, n == 0 ? null : Instant.ofEpochSecond(first.get()),
                n == 0 ? null : Instant.ofEpochSecond(last.get()), bucket, dims.get(Dimension.DOMAIN),
                dims.get(Dimension.PROVIDER), dims.get(Dimension.REASON), dims.get(Dimension.TYPE),
                dims.get(Dimension.DECISION), dims.get(Dimension.SENDING_IP), dims.get(Dimension.CAMPAIGN),
                bucketList, domainRows, new ArrayList<>(byAddress.values()), authRows, byDisposition, truncated);
    }

    /**
     * A value as a key: {@link #UNKNOWN} for none; a value that is itself one of the two reserved keys is quoted
     * ({@code "(other)"}), so that it is never taken for them.
     */
    private static String orUnknown(String s) {
        if (s == null || s.isBlank()) {
            return UNKNOWN;
        }
        String v = s.strip();
        return v.equals(OTHER) || v.equals(UNKNOWN) ? '"' + v + '"' : v;
    }

    /**
     * Builds a {@link BounceAnalytics}. Setters validate at once; not thread-safe.
     */
    public static final class Builder {
        private Duration bucket = Duration.ofDays(1);
        private int maxKeys = 10_000;
        private int maxBuckets = 10_000;

        private Builder() {
        }

        /**
         * @param bucket the width of a time bucket (default one day), from one minute to 31 days in whole seconds;
         *               buckets start at multiples of it from the epoch (UTC)
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder bucket(Duration bucket) {
            Objects.requireNonNull(bucket, "bucket");
            if (bucket.compareTo(Duration.ofMinutes(1)) < 0 || bucket.compareTo(Duration.ofDays(31)) > 0
                    || bucket.getNano() != 0) {
                throw new IllegalArgumentException("bucket must be whole seconds from 1 minute to 31 days: " + bucket);
            }
            this.bucket = bucket;
            return this;
        }

        /**
         * @param maxKeys the distinct keys kept per dimension and per crossing (default 10,000); the rest are counted
         *                under {@link #OTHER}
         * @return this builder
         * @throws IllegalArgumentException when below 1 or above 10,000,000
         */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1 || maxKeys > 10_000_000) {
                throw new IllegalArgumentException("maxKeys must be from 1 to 10,000,000: " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /**
         * @param maxBuckets the time buckets kept (default 10,000: 27 years of days, 416 days of hours); events in
         *                   later new buckets count in the totals only
         * @return this builder
         * @throws IllegalArgumentException when below 1 or above 1,000,000
         */
        public Builder maxBuckets(int maxBuckets) {
            if (maxBuckets < 1 || maxBuckets > 1_000_000) {
                throw new IllegalArgumentException("maxBuckets must be from 1 to 1,000,000: " + maxBuckets);
            }
            this.maxBuckets = maxBuckets;
            return this;
        }

        /** @return the aggregator */
        public BounceAnalytics build() {
            return new BounceAnalytics(this);
        }
    }
}
