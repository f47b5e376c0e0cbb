package org.bouncekit.classifier.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bouncekit.classifier.BounceType;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.Decision;
import org.bouncekit.classifier.Evidence;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.TestData;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
import org.bouncekit.core.SmtpReply;
import org.bouncekit.testing.Concurrently;
import org.junit.jupiter.api.Test;

/** The aggregator's counts: over the shared corpus against counts made here, bounded, exact under contention. */
class BounceAnalyticsTest {

    static final Instant FALLBACK = Instant.parse("2026-01-01T00:00:00Z");
    static final Classifier CLASSIFIER = Classifier.defaults();

    /** The events of every {@code maildir/bsd} file of the shared corpus. */
    static List<BounceEvent> corpusEvents() throws IOException {
        Path dir = TestData.root().resolve("bounces/set-of-emails/maildir/bsd");
        ReportParser parser = ReportParser.builder().correlationHeaders(BounceEvents.FIELDS.toArray(String[]::new)).build();
        List<BounceEvent> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                Report r = parser.parse(f);
                events.addAll(BounceEvents.of(r, CLASSIFIER.classify(r), FALLBACK));
            }
        }
        return events;
    }

    static Map<String, Long> asMap(List<AnalyticsSnapshot.Count> counts) {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach(c -> m.put(c.key(), c.count()));
        return m;
    }

    static void count(Map<String, Long> m, String key) {
        m.merge(key == null || key.isBlank() ? BounceAnalytics.UNKNOWN : key, 1L, Long::sum);
    }

    @Test
    void overTheSharedCorpusTheCountsEqualCountsMadeIndependently() throws IOException {
        List<BounceEvent> events = corpusEvents();
        assertTrue(events.size() > 600, () -> events.size() + " events");
        BounceAnalytics analytics = BounceAnalytics.builder().build();
        events.forEach(analytics::add);
        AnalyticsSnapshot s = analytics.snapshot();

        Map<String, Long> domains = new TreeMap<>();
        Map<String, Long> reasons = new TreeMap<>();
        Map<String, Long> types = new TreeMap<>();
        Map<String, Long> decisions = new TreeMap<>();
        Map<String, Long> providers = new TreeMap<>();
        Map<String, Long> ips = new TreeMap<>();
        Map<String, Long> days = new TreeMap<>();
        Map<String, Map<String, Long>> dayTypes = new TreeMap<>();
        Set<String> candidates = new HashSet<>();
        for (BounceEvent e : events) {
            String at = e.recipient() == null ? null : e.recipient();
            String domain = at == null || at.lastIndexOf('@') < 0 ? null
                    : at.substring(at.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT).replace(">", "");
            count(domains, domain);
            count(reasons, e.classification().reason().token());
            count(types, e.classification().type().token());
            count(decisions, e.classification().decision().token());
            count(providers, e.classification().provider());
            count(ips, e.sendingIp());
            String day = e.at().toString().substring(0, 10) + "T00:00:00Z";
            count(days, day);
            count(dayTypes.computeIfAbsent(day, k -> new TreeMap<>()), e.classification().type().token());
            if ((e.classification().type() == BounceType.HARD || e.classification().type() == BounceType.COMPLAINT)
                    && e.recipient() != null) {
                candidates.add(e.recipient().strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
        assertEquals(events.size(), s.total());
        assertEquals(domains, asMap(s.domains()));
        assertEquals(reasons, asMap(s.reasons()));
        assertEquals(types, asMap(s.types()));
        assertEquals(decisions, asMap(s.decisions()));
        assertEquals(providers, asMap(s.providers()));
        assertEquals(ips, asMap(s.sendingIps()));
        Map<String, Long> snapshotDays = new TreeMap<>();
        Map<String, Map<String, Long>> snapshotDayTypes = new TreeMap<>();
        for (AnalyticsSnapshot.Bucket b : s.buckets()) {
            snapshotDays.put(b.start().toString(), b.total());
            snapshotDayTypes.put(b.start().toString(), new TreeMap<>(b.types()));
        }
        assertEquals(days, snapshotDays);
        assertEquals(dayTypes, snapshotDayTypes);
        Set<String> snapshotCandidates = new HashSet<>();
        s.candidates().forEach(c -> snapshotCandidates.add(c.address()));
        assertEquals(candidates, snapshotCandidates);
        assertFalse(s.truncated());
        // the corpus spans years and names the client in some replies
        assertTrue(s.buckets().size() > 100, () -> s.buckets().size() + " days");
        assertTrue(ips.size() > 10, ips::toString);
    }

    static BounceEvent event(String at, String recipient, Reason reason, BounceType type, String provider,
                             String ip, String campaign) {
        Classification c = new Classification(recipient, reason, type, type == BounceType.HARD ? Decision.SUPPRESS
                : Decision.RETRY, type == BounceType.SOFT, provider, new Evidence("test", "t", "text", null));
        return new BounceEvent(Instant.parse(at), recipient, c, ip, campaign);
    }

    @Test
    void aFullDimensionCountsTheRestAsOtherAndTotalsStayExact() {
        BounceAnalytics a = BounceAnalytics.builder().maxKeys(3).build();
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j <= i; j++) {
                a.add(event("2026-11-01T10:00:00Z", "u@d" + i + ".example", Reason.USERUNKNOWN, BounceType.HARD,
                        null, null, null));
            }
        }
        AnalyticsSnapshot s = a.snapshot();
        assertEquals(55, s.total());
        assertEquals(4, s.domains().size()); // three domains and (other)
        assertEquals(55, s.domains().stream().mapToLong(AnalyticsSnapshot.Count::count).sum());
        assertTrue(asMap(s.domains()).containsKey(BounceAnalytics.OTHER));
        assertTrue(s.truncated());
    }

    /**
     * Events, sent volumes and DMARC rows, each added once, by 8 threads started together (the work shuffled anew
     * each of three rounds, a snapshot taken now and then while others add): the snapshot equals one thread's.
     */
    @Test
    void eightThreadsCountExactlyWhatOneThreadCounts() throws Exception {
        List<BounceEvent> events = new ArrayList<>();
        Reason[] reasons = {Reason.USERUNKNOWN, Reason.MAILBOXFULL, Reason.BLOCKED, Reason.SPEEDING};
        BounceType[] types = {BounceType.HARD, BounceType.SOFT, BounceType.BLOCK, BounceType.SOFT};
        for (int i = 0; i < 20_000; i++) {
            events.add(event(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i * 37L).toString(),
                    "user" + (i % 500) + "@d" + (i % 37) + ".example", reasons[i % 4], types[i % 4], "p" + (i % 5),
                    "192.0.2." + (i % 7), "c" + (i % 3)));
        }
        List<AuthReportRow> rows = authRows(500, 20);
        BounceAnalytics one = BounceAnalytics.builder().bucket(Duration.ofHours(1)).build();
        events.forEach(one::add);
        rows.forEach(one::addAuthRow);
        for (int d = 0; d < 37; d++) {
            one.addSent("d" + d + ".example", 1_000 + d);
        }
        AnalyticsSnapshot alone = one.snapshot();
        for (int round = 0; round < 3; round++) {
            BounceAnalytics eight = BounceAnalytics.builder().bucket(Duration.ofHours(1)).build();
            addTogether(eight, events, rows, 37, round);
            assertEquals(alone.toJson(), eight.snapshot().toJson(), "round " + round);
            assertEquals(alone, eight.snapshot(), "round " + round);
        }
    }

    /**
     * As above with room for 64 keys per dimension and more keys than that in the domains, sending IPs, campaigns,
     * suppression candidates and DMARC sources: which keys are kept depends on the interleaving, but exactly 64 are
     * kept, each kept key has its exact count, {@code (other)} has the rest, and the dimensions that do not
     * overflow (reasons, types, decisions, providers, time buckets, dispositions) equal one thread's.
     */
    @Test
    void eightThreadsCountExactlyWhenKeysOverflowIntoOther() throws Exception {
        int maxKeys = 64;
        Reason[] reasons = {Reason.USERUNKNOWN, Reason.MAILBOXFULL, Reason.BLOCKED, Reason.SPEEDING};
        BounceType[] types = {BounceType.HARD, BounceType.SOFT, BounceType.BLOCK, BounceType.SOFT};
        List<BounceEvent> events = new ArrayList<>();
        Map<String, Long> byDomain = new HashMap<>();
        Map<String, Long> byIp = new HashMap<>();
        Map<String, Long> byCampaign = new HashMap<>();
        Map<String, Long> byCandidate = new HashMap<>();
        for (int i = 0; i < 12_000; i++) {
            int r = i % 1_000; // a recipient: always the same domain, reason and type
            String domain = "d" + (r % 300) + ".example";
            String recipient = "user" + r + "@" + domain;
            String ip = "192.0.2." + (i % 100);
            String campaign = "c" + (i % 97);
            events.add(event(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i * 23L).toString(), recipient,
                    reasons[r % 4], types[r % 4], "p" + (i % 5), ip, campaign));
            byDomain.merge(domain, 1L, Long::sum);
            byIp.merge(ip, 1L, Long::sum);
            byCampaign.merge(campaign, 1L, Long::sum);
            if (types[r % 4] == BounceType.HARD) {
                byCandidate.merge(recipient, 1L, Long::sum);
            }
        }
        List<AuthReportRow> rows = authRows(2_000, 150);
        Map<String, Long> bySource = new HashMap<>();
        rows.forEach(row -> bySource.merge(row.sourceIp() + " " + row.headerFrom(), row.count(), Long::sum));
        assertTrue(byCandidate.size() > maxKeys && bySource.size() > maxKeys);

        BounceAnalytics one = BounceAnalytics.builder().maxKeys(maxKeys).bucket(Duration.ofHours(1)).build();
        events.forEach(one::add);
        rows.forEach(one::addAuthRow);
        AnalyticsSnapshot alone = one.snapshot();
        for (int round = 0; round < 5; round++) {
            BounceAnalytics eight = BounceAnalytics.builder().maxKeys(maxKeys).bucket(Duration.ofHours(1)).build();
            addTogether(eight, events, rows, 0, round);
            AnalyticsSnapshot s = eight.snapshot();
            String at = "round " + round;
            assertEquals(events.size(), s.total(), at);
            assertEquals(alone.first(), s.first(), at);
            assertEquals(alone.last(), s.last(), at);
            assertTrue(s.truncated(), at);
            assertEquals(alone.reasons(), s.reasons(), at);
            assertEquals(alone.types(), s.types(), at);
            assertEquals(alone.decisions(), s.decisions(), at);
            assertEquals(alone.providers(), s.providers(), at);
            assertEquals(alone.buckets(), s.buckets(), at);
            assertEquals(alone.dispositions(), s.dispositions(), at);
            keptExactlyAndTheRestAsOther(at + ", domains", s.domains(), byDomain, maxKeys, s.total());
            keptExactlyAndTheRestAsOther(at + ", sending IPs", s.sendingIps(), byIp, maxKeys, s.total());
            keptExactlyAndTheRestAsOther(at + ", campaigns", s.campaigns(), byCampaign, maxKeys, s.total());
            for (AnalyticsSnapshot.DomainRow row : s.domainRows()) {
                assertEquals(asMap(s.domains()).get(row.domain()), row.total(), at);
            }
            assertEquals(maxKeys, s.candidates().size(), at);
            for (AnalyticsSnapshot.Candidate c : s.candidates()) {
                assertEquals(byCandidate.get(c.address()), c.events(), at + ": " + c);
            }
            assertEquals(maxKeys, s.authSources().size(), at);
            for (AnalyticsSnapshot.AuthSource a : s.authSources()) {
                assertEquals(bySource.get(a.sourceIp() + " " + a.headerFrom()), a.messages(), at + ": " + a);
            }
        }
    }

    /** Exactly {@code maxKeys} keys kept, each with its true count; {@code (other)} counts the rest. */
    private static void keptExactlyAndTheRestAsOther(String what, List<AnalyticsSnapshot.Count> counts,
                                                     Map<String, Long> truth, int maxKeys, long total) {
        Map<String, Long> kept = asMap(counts);
        Long other = kept.remove(BounceAnalytics.OTHER);
        assertEquals(maxKeys, kept.size(), what);
        kept.forEach((k, n) -> assertEquals(truth.get(k), n, what + ": " + k));
        assertEquals(total - kept.values().stream().mapToLong(Long::longValue).sum(), other, what + ": (other)");
    }

    /** DMARC rows from {@code sources} addresses, with counts, dispositions and results that vary. */
    private static List<AuthReportRow> authRows(int n, int sources) {
        List<AuthReportRow> rows = new ArrayList<>();
        String[] dispositions = {"none", "quarantine", "reject"};
        for (int i = 0; i < n; i++) {
            rows.add(new AuthReportRow(Instant.parse("2026-11-01T00:00:00Z"), "receiver.example",
                    "198.51.100." + (i % sources), 1 + i % 13, "example.org", dispositions[i % 3],
                    i % 2 == 0 ? "pass" : "fail", i % 5 == 0 ? "pass" : "fail"));
        }
        return rows;
    }

    /**
     * Adds every event and row once, and {@code domains} sent volumes, spread over 8 threads started together in an
     * order shuffled by the round; the first thread also takes a snapshot every 1,000 items, while others add.
     */
    private static void addTogether(BounceAnalytics a, List<BounceEvent> events, List<AuthReportRow> rows,
                                    int domains, int round) throws Exception {
        int n = events.size() + rows.size() + domains;
        List<Integer> order = Concurrently.shuffled(n, round);
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < Concurrently.THREADS; t++) {
            int thread = t;
            work.add(() -> {
                for (int k = thread; k < n; k += Concurrently.THREADS) {
                    int i = order.get(k);
                    if (i < events.size()) {
                        a.add(events.get(i));
                    } else if (i < events.size() + rows.size()) {
                        a.addAuthRow(rows.get(i - events.size()));
                    } else {
                        int d = i - events.size() - rows.size();
                        a.addSent("d" + d + ".example", 1_000 + d);
                    }
                    if (thread == 0 && k % 1_000 == 0) {
                        assertTrue(a.snapshot().total() <= events.size());
                    }
                }
                return null;
            });
        }
        Concurrently.together(work);
    }

    @Test
    void topRejectingDomainsTrendsAndBounceRates() {
        BounceAnalytics a = BounceAnalytics.builder().build();
        for (int i = 0; i < 5; i++) {
            a.add(event("2026-11-02T10:00:00Z", "a" + i + "@reject.example", Reason.BLOCKED, BounceType.BLOCK, null,
                    null, null));
        }
        a.add(event("2026-11-01T10:00:00Z", "x@soft.example", Reason.MAILBOXFULL, BounceType.SOFT, null, null,
                null));
        a.add(event("2026-11-01T11:00:00Z", "y@soft.example", Reason.MAILBOXFULL, BounceType.SOFT, null, null,
                null));
        a.add(event("2026-11-02T12:00:00Z", "gone@hard.example", Reason.USERUNKNOWN, BounceType.HARD, null, null,
                null));
        a.addSent("reject.example", 50);
        AnalyticsSnapshot s = a.snapshot();
        assertEquals(List.of("reject.example", "hard.example"),
                s.topRejectingDomains(10).stream().map(AnalyticsSnapshot.DomainRow::domain).toList());
        AnalyticsSnapshot.DomainRow reject = s.domainRows().get(0);
        assertEquals(0.1, reject.bounceRate(), 1e-9);
        assertEquals("blocked", reject.topReason());
        assertNull(s.domainRows().get(1).bounceRate());
        List<AnalyticsSnapshot.Trend> trend = s.trend(Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"),
                Instant.parse("2026-11-03T00:00:00Z"));
        assertEquals(new AnalyticsSnapshot.Trend("blocked", 0, 5), trend.get(0));
        assertEquals(new AnalyticsSnapshot.Trend("mailboxfull", 2, 0), trend.get(1));
        assertEquals(-1.0, trend.get(1).ratio(), 1e-9);
        assertEquals(List.of(new AnalyticsSnapshot.Candidate("gone@hard.example", "userunknown", 1)),
                s.candidates());
    }

    @Test
    void dmarcAggregateRowsAreCountedBySourceAndDisposition() {
        BounceAnalytics a = BounceAnalytics.builder().build();
        Instant begin = Instant.parse("2026-11-01T00:00:00Z");
        a.addAuthRow(new AuthReportRow(begin, "google.com", "192.0.2.1", 10, "example.com", "none", "pass", "fail"));
        a.addAuthRow(new AuthReportRow(begin, "yahoo.com", "192.0.2.1", 4, "example.com", "reject", "fail",
                "fail"));
        a.addAuthRow(new AuthReportRow(begin, "google.com", "203.0.113.9", 3, "example.com", "quarantine", "fail",
                null));
        AnalyticsSnapshot s = a.snapshot();
        assertEquals(List.of(new AnalyticsSnapshot.AuthSource("192.0.2.1", "example.com", 14, 10),
                new AnalyticsSnapshot.AuthSource("203.0.113.9", "example.com", 3, 0)), s.authSources());
        assertEquals(Map.of("none", 10L, "reject", 4L, "quarantine", 3L), s.dispositions());
        assertThrows(IllegalArgumentException.class, () -> new AuthReportRow(begin, null, "192.0.2.1", -1, null,
                null, null, null));
    }

    @Test
    void theHtmlIsSelfContainedAndEscapesWhatItShows() {
        BounceAnalytics a = BounceAnalytics.builder().build();
        a.add(event("2026-11-01T10:00:00Z", "x@<script>alert(1)</script>.example", Reason.USERUNKNOWN,
                BounceType.HARD, "\"quoted\"", null, "<b>camp</b>"));
        String html = a.snapshot().toHtml("Report & <test>");
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("<script"), "no script, and the domain is escaped");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example"));
        assertTrue(html.contains("<title>Report &amp; &lt;test&gt;</title>"));
        assertFalse(html.contains("<b>camp</b>"));
        // nothing is fetched: no src or href attributes, no url() in the style, no @import
        for (String fetch : List.of(" src=", " href=", "url(", "@import", "<link", "<img", "<iframe")) {
            assertFalse(html.contains(fetch), fetch);
        }
        assertTrue(html.contains("<svg class=\"chart\" id=\"chart-time\""));
    }

    @Test
    void theJsonHasEveryComponent() {
        BounceAnalytics a = BounceAnalytics.builder().build();
        a.add(event("2026-11-01T10:00:00Z", "x@a.example", Reason.USERUNKNOWN, BounceType.HARD, "gmail",
                "192.0.2.1", "spring\"sale"));
        String json = a.snapshot().toJson();
        for (String member : List.of("\"total\":1", "\"first\":\"2026-11-01T10:00:00Z\"", "\"bucketSeconds\":86400",
                "\"domains\":[{\"key\":\"a.example\",\"count\":1,\"share\":1.0}]", "\"campaigns\":[{\"key\":"
                        + "\"spring\\\"sale\"", "\"buckets\":[{\"start\":\"2026-11-01T00:00:00Z\",\"total\":1,"
                        + "\"types\":{\"hard\":1}", "\"suppressionCandidates\":[{\"address\":\"x@a.example\"",
                "\"topRejectingDomains\":[{\"domain\":\"a.example\",\"rejections\":1}]", "\"dmarcSources\":[]")) {
            assertTrue(json.contains(member), () -> member + " in " + json);
        }
    }

    @Test
    void eventsTakeTheTimeIpAndCampaignFromTheReport() {
        String dsn = """
                From: MAILER-DAEMON@mx.example.net
                To: sender@example.com
                Subject: Undelivered Mail Returned to Sender
                Date: Tue, 03 Nov 2026 10:00:00 +0000
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b"

                --b
                Content-Type: text/plain

                Delivery failed.
                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net
                Arrival-Date: Tue, 03 Nov 2026 09:00:00 +0000

                Final-Recipient: rfc822; bob@example.org
                Action: failed
                Status: 5.7.1
                Remote-MTA: dns; mx.example.org [198.51.100.5]
                Diagnostic-Code: smtp; 550 5.7.1 Service unavailable; Client host [192.0.2.44] blocked using \
                zen.spamhaus.org
                Last-Attempt-Date: Tue, 03 Nov 2026 09:30:00 +0000

                --b
                Content-Type: text/rfc822-headers

                From: news@example.com
                To: bob@example.org
                Subject: News
                X-Campaign: november-news
                List-Id: <news.example.com>

                --b--
                """.replace("\n", "\r\n");
        ReportParser parser = ReportParser.builder().correlationHeaders(BounceEvents.FIELDS.toArray(String[]::new)).build();
        Report r = parser.parse(dsn.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        List<BounceEvent> events = BounceEvents.of(r, CLASSIFIER.classify(r), FALLBACK);
        assertEquals(1, events.size());
        BounceEvent e = events.get(0);
        assertEquals(Instant.parse("2026-11-03T09:30:00Z"), e.at());
        assertEquals("192.0.2.44", e.sendingIp());
        assertEquals("november-news", e.campaign());
        assertEquals("example.org", e.recipientDomain());
        assertEquals(Reason.BLOCKED, e.classification().reason());
        // a bare reply has no report around it: the fallback time, no recipient
        Classification c = CLASSIFIER.classify(SmtpReply.parse("421 4.7.0 try later").orElseThrow());
        assertNull(new BounceEvent(FALLBACK, null, c, null, null).recipientDomain());
    }

    @Test
    void builderValidatesAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> BounceAnalytics.builder().bucket(Duration.ofSeconds(30)));
        assertThrows(IllegalArgumentException.class, () -> BounceAnalytics.builder().bucket(Duration.ofMillis(90_500)));
        assertThrows(IllegalArgumentException.class, () -> BounceAnalytics.builder().maxKeys(0));
        assertThrows(IllegalArgumentException.class, () -> BounceAnalytics.builder().maxBuckets(0));
        assertThrows(NullPointerException.class, () -> BounceAnalytics.builder().build().add(null));
        assertThrows(IllegalArgumentException.class, () -> BounceAnalytics.builder().build().addSent("a.example", -1));
    }

    @Test
    void dispositionsAndSentCountsAreKeptOrSaidToBeTruncated() {
        BounceAnalytics a = BounceAnalytics.builder().maxKeys(1).build();
        Instant begin = Instant.parse("2026-11-01T00:00:00Z");
        a.addAuthRow(new AuthReportRow(begin, null, "192.0.2.1", 2, "a.example", "none", "pass", null));
        a.addAuthRow(new AuthReportRow(begin, null, "192.0.2.2", 3, "b.example", "reject", "fail", "fail"));
        AnalyticsSnapshot s = a.snapshot();
        assertEquals(Map.of("none", 2L, "reject", 3L), s.dispositions(), "dispositions have their own counter");
        assertTrue(s.truncated(), "the second source went to (other): said");
        BounceAnalytics sent = BounceAnalytics.builder().maxKeys(1).build();
        sent.addSent("a.example", 10);
        sent.addSent("b.example", 10);
        assertTrue(sent.snapshot().truncated(), "a sent count that found no room is said");
    }

    @Test
    void valuesThatLookLikeTheReservedKeysAreQuoted() {
        BounceAnalytics a = BounceAnalytics.builder().build();
        a.add(event("2026-11-01T10:00:00Z", "x@a.example", Reason.USERUNKNOWN, BounceType.HARD, "(other)", null,
                "(unknown)"));
        AnalyticsSnapshot s = a.snapshot();
        assertEquals(Map.of("\"(other)\"", 1L), asMap(s.providers()));
        assertEquals(Map.of("\"(unknown)\"", 1L), asMap(s.campaigns()));
        assertFalse(s.truncated());
    }

    @Test
    void timesOutsideFourDigitYearsAreRefusedAndReportsFallBack() {
        Classification c = CLASSIFIER.classify(SmtpReply.parse("550 5.1.1 no such user").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> new BounceEvent(Instant.MAX, "a@b.example", c, null,
                null));
        BounceAnalytics a = BounceAnalytics.builder().build();
        a.add(new BounceEvent(BounceEvent.LATEST, "a@b.example", c, null, null));
        a.add(new BounceEvent(BounceEvent.EARLIEST, "a@b.example", c, null, null));
        String html = a.snapshot().toHtml("edge");
        assertTrue(html.contains("0001-01-01") && html.contains("9999-12-31"), "both ends render");
    }

    @Test
    void theClientAddressIsTheBracketedOneThatIsNotTheRemoteHostsOwn() {
        String dsn = """
                From: MAILER-DAEMON@mx.example.net
                To: sender@example.com
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b"

                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net

                Final-Recipient: rfc822; bob@example.org
                Action: failed
                Status: 5.7.1
                Remote-MTA: dns; [192.0.2.10]
                Diagnostic-Code: smtp; 550 5.7.1 [192.0.2.10] at [12:30:45] refused [192.0.2.1]: listed

                --b--
                """.replace("\n", "\r\n");
        Report r = ReportParser.defaults().parse(dsn.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        List<BounceEvent> events = BounceEvents.of(r, CLASSIFIER.classify(r), FALLBACK);
        assertEquals("192.0.2.1", events.get(0).sendingIp(), "not the remote's 192.0.2.10, not a time");
        assertTrue(BounceEvents.literal("2001:db8::1"));
        assertTrue(BounceEvents.literal("2001:db8:0:0:0:0:0:1"));
        assertFalse(BounceEvents.literal("12:30:45"));
        assertFalse(BounceEvents.literal("300.1.1.1"));
    }
}
