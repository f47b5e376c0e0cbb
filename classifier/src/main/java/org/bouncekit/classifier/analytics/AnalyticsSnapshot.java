package org.bouncekit.classifier.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The numbers of a {@link BounceAnalytics} at one moment. Counts are listed largest first (ties by key); the keys
 * are the tokens of the classifier's enums ({@code userunknown}, {@code hard}, {@code suppress}), domains and
 * addresses in lower case, and {@link BounceAnalytics#UNKNOWN} or {@link BounceAnalytics#OTHER} where an event had
 * no value or a dimension was full.
 *
 * <p>Immutable; thread-safe.
 *
 * @param total          events counted
 * @param first          the earliest event's time (to the second), or null when there is none
 * @param last           the latest event's time (to the second), or null when there is none
 * @param bucket         the width of a time bucket
 * @param domains        events by recipient domain
 * @param providers      events by provider ({@code gmail}, {@code microsoft}, ...)
 * @param reasons        events by reason
 * @param types          events by type ({@code hard}, {@code soft}, {@code block}, ...)
 * @param decisions      events by decision
 * @param sendingIps     events by sending IP or pool
 * @param campaigns      events by campaign
 * @param buckets        events by time bucket, in time order, each with its types and reasons
 * @param domainRows     per recipient domain: events by type, messages sent (when given), the top reason
 * @param candidates     addresses with a hard bounce or a complaint: suppression candidates
 * @param authSources    DMARC aggregate report rows by source IP and From domain
 * @param dispositions   DMARC aggregate report messages by disposition
 * @param truncated      whether some dimension was full, so that some events are counted under {@code (other)}
 */
public record AnalyticsSnapshot(long total, Instant first, Instant last, Duration bucket, List<Count> domains,
                                List<Count> providers, List<Count> reasons, List<Count> types,
                                List<Count> decisions, List<Count> sendingIps, List<Count> campaigns,
                                List<Bucket> buckets, List<DomainRow> domainRows, List<Candidate> candidates,
                                List<AuthSource> authSources, Map<String, Long> dispositions,
                                boolean truncated) {

    /**
     * Creates the value; lists and maps are copied.
     *
     * @param total        see {@link #total()}
     * @param first        see {@link #first()}
     * @param last         see {@link #last()}
     * @param bucket       see {@link #bucket()}
     * @param domains      see {@link #domains()}
     * @param providers    see {@link #providers()}
     * @param reasons      see {@link #reasons()}
     * @param types        see {@link #types()}
     * @param decisions    see {@link #decisions()}
     * @param sendingIps   see {@link #sendingIps()}
     * @param campaigns    see {@link #campaigns()}
     * @param buckets      see {@link #buckets()}
     * @param domainRows   see {@link #domainRows()}
     * @param candidates   see {@link #candidates()}
     * @param authSources  see {@link #authSources()}
     * @param dispositions see {@link #dispositions()}
     * @param truncated    see {@link #truncated()}
     */
    public AnalyticsSnapshot {
        Objects.requireNonNull(bucket, "bucket");
        domains = List.copyOf(domains);
        providers = List.copyOf(providers);
        reasons = List.copyOf(reasons);
        types = List.copyOf(types);
        decisions = List.copyOf(decisions);
        sendingIps = List.copyOf(sendingIps);
        campaigns = List.copyOf(campaigns);
        buckets = List.copyOf(buckets);
        domainRows = List.copyOf(domainRows);
        candidates = List.copyOf(candidates);
        authSources = List.copyOf(authSources);
        dispositions = Map.copyOf(dispositions);
    }

    /**
     * A count of events with one key.
     *
     * @param key   the key
     * @param count the events
     * @param share the events' fraction of all events, from 0 to 1
     */
    public record Count(String key, long count, double share) {
    }

    /**
     * The events of one time bucket.
     *
     * @param start   the bucket's start
     * @param total   its events
     * @param types   its events by type
     * @param reasons its events by reason
     */
    public record Bucket(Instant start, long total, Map<String, Long> types, Map<String, Long> reasons) {
        /**
         * @param start   see {@link #start()}
         * @param total   see {@link #total()}
         * @param types   see {@link #types()}
         * @param reasons see {@link #reasons()}
         */
        public Bucket {
            types = Map.copyOf(types);
            reasons = Map.copyOf(reasons);
        }

        /**
         * @param type a type token
         * @return its events in this bucket
         */
        public long type(String type) {
            return types.getOrDefault(type, 0L);
        }
    }

    /**
     * One recipient domain.
     *
     * @param domain    the domain
     * @param total     its events
     * @param types     its events by type
     * @param sent      the messages sent to it, as given to {@link BounceAnalytics#addSent}; 0 when not given
     * @param topReason its most frequent reason, or null
     */
    public record DomainRow(String domain, long total, Map<String, Long> types, long sent, String topReason) {
        /**
         * @param domain    see {@link #domain()}
         * @param total     see {@link #total()}
         * @param types     see {@link #types()}
         * @param sent      see {@link #sent()}
         * @param topReason see {@link #topReason()}
         */
        public DomainRow {
            types = Map.copyOf(types);
        }

        /**
         * @param type a type token
         * @return its events of that type
         */
        public long type(String type) {
            return types.getOrDefault(type, 0L);
        }

        /** @return events that are rejections: hard bounces and blocks */
        public long rejections() {
            return type("hard") + type("block");
        }

        /** @return the events per message sent, or null when no sent count was given */
        public Double bounceRate() {
            return sent == 0 ? null : (double) total / sent;
        }
    }

    /**
     * An address to consider suppressing.
     *
     * @param address the address, lower case
     * @param reason  its reason (several rows are merged: the reason of the most frequent)
     * @param events  its hard bounces and complaints
     */
    public record Candidate(String address, String reason, long events) {
    }

    /**
     * The DMARC aggregate report rows of one source IP sending as one From domain.
     *
     * @param sourceIp   the source address
     * @param headerFrom the From domain
     * @param messages   the messages reported
     * @param dmarcPass  how many of them passed DMARC (aligned DKIM or SPF)
     */
    public record AuthSource(String sourceIp, String headerFrom, long messages, long dmarcPass) {
    }

    /**
     * How one reason's events changed between two periods.
     *
     * @param reason the reason
     * @param before its events in the first period
     * @param after  its events in the second period
     */
    public record Trend(String reason, long before, long after) {
        /** @return the change, after minus before */
        public long change() {
            return after - before;
        }

        /** @return the relative change (0.5 for +50%), or null when there were none before */
        public Double ratio() {
            return before == 0 ? null : (double) (after - before) / before;
        }
    }

    /**
     * @param n how many
     * @return the domains that reject most (hard bounces and blocks), most first, only those with some
     */
    public List<DomainRow> topRejectingDomains(int n) {
        List<DomainRow> l = new ArrayList<>();
        for (DomainRow d : domainRows) {
            if (d.rejections() > 0) {
                l.add(d);
            }
        }
        l.sort(Comparator.comparingLong(DomainRow::rejections).reversed().thenComparing(DomainRow::domain));
        return List.copyOf(l.subList(0, Math.min(n, l.size())));
    }

    /**
     * Compares two periods, reason by reason, by the buckets that start within each.
     *
     * @param from1 the first period's start (inclusive)
     * @param to1   its end (exclusive)
     * @param from2 the second period's start (inclusive)
     * @param to2   its end (exclusive)
     * @return one row per reason seen in either, largest change in absolute value first
     */
    public List<Trend> trend(Instant from1, Instant to1, Instant from2, Instant to2) {
        Map<String, long[]> counts = new TreeMap<>();
        for (Bucket b : buckets) {
            int period = !b.start().isBefore(from1) && b.start().isBefore(to1) ? 0
                    : !b.start().isBefore(from2) && b.start().isBefore(to2) ? 1 : -1;
            if (period >= 0) {
                b.reasons().forEach((r, c) -> counts.computeIfAbsent(r, k -> new long[2])[period] += c);
            }
        }
        List<Trend> l = new ArrayList<>();
        counts.forEach((r, c) -> l.add(new Trend(r, c[0], c[1])));
        l.sort(Comparator.comparingLong((Trend t) -> -Math.abs(t.change())).thenComparing(Trend::reason));
        return List.copyOf(l);
    }

    /** @return the type tokens seen, in a fixed order: hard, soft, block, then the rest by name */
    List<String> typeOrder() {
        Set<String> rest = new TreeSet<>();
        for (Count c : types) {
            rest.add(c.key());
        }
        List<String> l = new ArrayList<>();
        for (String t : List.of("hard", "soft", "block")) {
            l.add(t);
            rest.remove(t);
        }
        l.addAll(rest);
        return l;
    }

    /** @return the numbers as one JSON object (UTF-8 text, no line breaks) */
    public String toJson() {
        return AnalyticsJson.write(this);
    }

    /**
     * Renders a self-contained HTML report: charts as inline SVG (bounces over time by type, reasons, domains by
     * type, providers, hard vs soft vs block), the top rejecting domains, the change between the two halves of the
     * period, suppression candidates, sending IPs, campaigns and DMARC sources. Nothing is fetched from the
     * network; the page has no script.
     *
     * @param title the report's title
     * @return the HTML document
     */
    public String toHtml(String title) {
        return AnalyticsHtml.render(this, Objects.requireNonNull(title, "title"));
    }
}
