package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.bouncekit.dnsauth.spi.ZoneFileDnsClient;
import org.bouncekit.testing.Concurrently;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every checker and parser of this module, shared by {@value Concurrently#THREADS} threads started together, gives
 * exactly the results it gives on one thread, round after round with each thread in another order: SPF over the
 * RFC 7208 suite (sync, and async with DNS answers arriving on other threads), DKIM over the RFC 8463 and RFC 6376
 * vectors and the Mail::DKIM corpus (sync and async, strict and lenient), DMARC (RFC 9989 and RFC 7489 with the
 * bundled Public Suffix List), {@code Authentication-Results} of the bounce corpus, DMARC aggregate reports (plain,
 * compressed, damaged, refused), the domain posture audit, and DNSBL checks (sync and async). The shared objects are
 * fresh when the first round starts, so anything built lazily is built under contention.
 */
class ConcurrencyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    // ---- SPF

    private static SpfChecker spf(DnsClient dns) {
        return SpfChecker.builder(dns).clock(SpfSuiteTest.CLOCK).receiver("receiver.test").build();
    }

    @Test
    void spfOverTheRfc7208Suite() throws Exception {
        List<SpfSuite.Case> suite = SpfSuiteTest.load("rfc7208-tests.yml");
        Map<SuiteDns, SpfChecker> one = new IdentityHashMap<>();
        Map<SuiteDns, SpfChecker> shared = new IdentityHashMap<>();
        for (SpfSuite.Case c : suite) {
            one.computeIfAbsent(c.dns(), ConcurrencyTest::spf);
            shared.computeIfAbsent(c.dns(), ConcurrencyTest::spf); // one checker per scenario, shared by all
        }
        long n = Concurrently.agreeWithOneThread("SPF", suite, 10,
                c -> one.get(c.dns()).check(c.host(), c.mailfrom(), c.helo()),
                c -> shared.get(c.dns()).check(c.host(), c.mailfrom(), c.helo()));
        assertEquals(203L * Concurrently.THREADS * 10, n);
    }

    @Test
    void spfAsyncWithAnswersOnOtherThreads() throws Exception {
        List<SpfSuite.Case> suite = SpfSuiteTest.load("rfc7208-tests.yml");
        ExecutorService answering = Executors.newFixedThreadPool(3);
        try {
            Map<SuiteDns, SpfChecker> one = new IdentityHashMap<>();
            Map<SuiteDns, SpfChecker> shared = new IdentityHashMap<>();
            for (SpfSuite.Case c : suite) {
                DnsClient later = (name, type) -> c.dns().query(name, type).toCompletableFuture()
                        .thenApplyAsync(a -> a, answering);
                one.computeIfAbsent(c.dns(), d -> spf(later));
                shared.computeIfAbsent(c.dns(), d -> spf(later));
            }
            Concurrently.agreeWithOneThread("SPF async", suite, 5,
                    c -> one.get(c.dns()).checkAsync(IpLiterals.parse(c.host()), c.mailfrom(), c.helo())
                            .toCompletableFuture().get(30, TimeUnit.SECONDS),
                    c -> shared.get(c.dns()).checkAsync(IpLiterals.parse(c.host()), c.mailfrom(), c.helo())
                            .toCompletableFuture().get(30, TimeUnit.SECONDS));
        } finally {
            answering.shutdownNow();
        }
    }

    // ---- DKIM

    /** A message of one of the DKIM sets, by its set and file name (the bytes are not printed). */
    record Signed(String set, String file, byte[] message) {
        @Override
        public String toString() {
            return set + "/" + file;
        }
    }

    @Test
    void dkimOverTheVectorsAndTheCorpus() throws Exception {
        List<Signed> messages = new ArrayList<>();
        for (String f : List.of("signed-ed25519-and-rsa.eml", "signed-ed25519-and-rsa.crlf.eml")) {
            messages.add(new Signed("rfc8463", f, Files.readAllBytes(DkimVectorsTest.dir("rfc8463").resolve(f))));
        }
        for (String f : List.of("appendixA-errata-corrected.eml", "appendixA-errata-corrected.crlf.eml",
                "appendixA-as-printed-double-space.crlf.eml")) {
            messages.add(new Signed("rfc6376", f, Files.readAllBytes(DkimVectorsTest.dir("rfc6376").resolve(f))));
        }
        for (DkimCorpusTest.Row r : DkimCorpusTest.rows()) {
            byte[] m = Files.readAllBytes(DkimCorpusTest.base().resolve("corpus").resolve(r.file()));
            messages.add(new Signed("corpus", r.file(), m));
            messages.add(new Signed("corpus-lenient", r.file(), m));
        }
        assertEquals(5 + 2 * 79, messages.size());
        Map<String, DkimVerifier> one = dkimVerifiers();
        Map<String, DkimVerifier> shared = dkimVerifiers();
        Concurrently.agreeWithOneThread("DKIM", messages, 4, s -> one.get(s.set()).verify(s.message()),
                s -> shared.get(s.set()).verify(s.message()));
        Map<String, DkimVerifier> sharedAsync = dkimVerifiers();
        Concurrently.agreeWithOneThread("DKIM async", messages, 2, s -> one.get(s.set()).verify(s.message()),
                s -> sharedAsync.get(s.set()).verifyAsync(s.message()).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
    }

    private static Map<String, DkimVerifier> dkimVerifiers() throws IOException {
        DnsClient corpus = DkimCorpusTest.dns();
        return Map.of(
                "rfc8463", DkimVerifier.builder(DkimVectorsTest.dns(DkimVectorsTest.dir("rfc8463")
                        .resolve("dns.json"))).clock(CLOCK).build(),
                "rfc6376", DkimVerifier.builder(DkimVectorsTest.dns(DkimVectorsTest.dir("rfc6376")
                        .resolve("dns.json"))).clock(CLOCK).build(),
                "corpus", DkimVerifier.builder(corpus).clock(CLOCK).build(),
                "corpus-lenient", DkimVerifier.builder(corpus).clock(CLOCK).lenient().build());
    }

    // ---- DMARC

    /** One evaluation: an author domain (as itself, or in the From field of a message) with SPF and DKIM results. */
    record Evaluation(boolean rfc7489, String author, boolean asMessage, SpfResult spf, DkimResult dkim) {
        @Override
        public String toString() {
            return (rfc7489 ? "RFC 7489 " : "RFC 9989 ") + (asMessage ? "From: " : "") + author + ", SPF "
                    + (spf == null ? null : spf.verdict() + " " + spf.domain()) + ", DKIM "
                    + (dkim == null ? null : dkim.verdict() + " " + dkim.signatures().get(0).domain());
        }
    }

    @Test
    void dmarcOverEveryPath() throws Exception {
        Path zone = dir.resolve("dmarc.zone");
        Files.writeString(zone, DmarcEvaluatorTest.ZONE);
        ZoneFileDnsClient dns = ZoneFileDnsClient.read(zone);
        List<String> authors = List.of("example.org", "mail.example.org", "news.example.org", "ghost.example.org",
                "strict.example.com", "bounce.strict.example.com", "agency.gov.example", "mail.agency.gov.example",
                "dept.example.net", "x.dept.example.net", "testing.example", "nopolicy.example", "no.such.example",
                "bad..example");
        List<SpfResult> spfs = new ArrayList<>();
        spfs.add(null);
        for (String d : List.of("example.org", "mail.example.org", "bounce.strict.example.com", "other.example")) {
            spfs.add(DmarcEvaluatorTest.spf(SpfVerdict.PASS, d));
        }
        spfs.add(DmarcEvaluatorTest.spf(SpfVerdict.FAIL, "example.org"));
        List<DkimResult> dkims = new ArrayList<>();
        dkims.add(null);
        for (String d : List.of("example.org", "agency.gov.example", "other.example")) {
            dkims.add(DmarcEvaluatorTest.dkim(DkimVerdict.PASS, d));
        }
        dkims.add(DmarcEvaluatorTest.dkim(DkimVerdict.FAIL, "example.org"));
        List<Evaluation> inputs = new ArrayList<>();
        for (boolean rfc7489 : new boolean[] {false, true}) {
            for (String a : authors) {
                for (int s = 0; s < spfs.size(); s++) {
                    for (int k = 0; k < dkims.size(); k++) {
                        inputs.add(new Evaluation(rfc7489, a, (s + k) % 3 == 0, spfs.get(s), dkims.get(k)));
                    }
                }
            }
        }
        DmarcEvaluator[] one = {DmarcEvaluator.builder(dns).build(), DmarcEvaluator.builder(dns).rfc7489().build()};
        DmarcEvaluator[] shared = {DmarcEvaluator.builder(dns).build(),
            DmarcEvaluator.builder(dns).rfc7489().build()};
        Concurrently.agreeWithOneThread("DMARC", inputs, 5, e -> evaluate(one, e), e -> evaluate(shared, e));
    }

    private static DmarcResult evaluate(DmarcEvaluator[] evaluators, Evaluation e) {
        DmarcEvaluator d = evaluators[e.rfc7489() ? 1 : 0];
        if (!e.asMessage()) {
            return d.evaluate(e.author(), e.spf(), e.dkim());
        }
        byte[] message = ("From: Someone <someone@" + e.author() + ">\r\nTo: a@example.net\r\nSubject: hi\r\n\r\n"
                + "Hello.\r\n").getBytes(StandardCharsets.US_ASCII);
        return d.evaluate(message, e.spf(), e.dkim());
    }

    // ---- Authentication-Results, aggregate reports

    @Test
    void authenticationResultsOfTheCorpus() throws Exception {
        List<AuthenticationResultsCorpusTest.Field> fields = AuthenticationResultsCorpusTest.fields();
        assertTrue(fields.size() > 200, "fields: " + fields.size());
        Concurrently.agreeWithOneThread("Authentication-Results", fields, 10, f -> {
            AuthenticationResults ar = AuthenticationResults.parse(f.value());
            return List.of(ar, ar.toHeaderValue(), AuthenticationResults.parse(ar.toHeaderValue()));
        });
    }

    /** A report input, by name (the bytes are not printed). */
    record ReportInput(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void aggregateReportsPlainCompressedDamagedAndRefused() throws Exception {
        byte[] full = AggregateReportParserTest.bytes(AggregateReportParserTest.FULL);
        byte[] gz = AggregateReportParserTest.gzip(full);
        List<ReportInput> inputs = List.of(
                new ReportInput("full", full),
                new ReportInput("minimal", AggregateReportParserTest.bytes(AggregateReportParserTest.MINIMAL)),
                new ReportInput("rfc9990", AggregateReportParserTest.bytes(AggregateReportParserTest.RFC9990)),
                new ReportInput("gzip", gz),
                new ReportInput("zip", AggregateReportParserTest.zip("r.xml", full)),
                new ReportInput("mail-dmarc sample",
                        Files.readAllBytes(TestData.root().resolve("auth/dmarc/mail-dmarc/test_dmarc.xml"))),
                new ReportInput("bad values", AggregateReportParserTest.bytes(AggregateReportParserTest.MINIMAL
                        .replace("<count>1</count>", "<count>many</count>")
                        .replace("<pct>100</pct>", "<pct>150</pct>"))),
                new ReportInput("XML broken off", Arrays.copyOf(full, full.length / 2)),
                new ReportInput("gzip broken off", Arrays.copyOf(gz, gz.length * 3 / 4)),
                new ReportInput("not a report", AggregateReportParserTest.bytes(
                        "From: a@example.org\nSubject: hello\nContent-Type: text/plain\n\nJust text.\n")),
                new ReportInput("other root", AggregateReportParserTest.bytes("<?xml version=\"1.0\"?><other/>")),
                new ReportInput("entity", AggregateReportParserTest.bytes("<?xml version=\"1.0\"?><!DOCTYPE f ["
                        + "<!ENTITY x \"y\">]><feedback>&x;</feedback>")));
        AggregateReportParser shared = AggregateReportParser.builder().build();
        Concurrently.agreeWithOneThread("aggregate report", inputs, 20,
                in -> parse(AggregateReportParser.defaults(), in), in -> parse(shared, in));
    }

    /** The report, or the refusal (its kind, limit and message). */
    private static Object parse(AggregateReportParser parser, ReportInput in) {
        try {
            return parser.parse(in.bytes());
        } catch (AggregateReportException e) {
            return List.of(e.kind(), String.valueOf(e.limit()), e.getMessage());
        }
    }

    // ---- the posture audit, DNSBL

    @Test
    void domainAuditOfEveryFindingKind() throws Exception {
        Path zone = dir.resolve("audit.zone");
        Files.writeString(zone, DomainAuditorTest.zoneText());
        ZoneFileDnsClient dns = ZoneFileDnsClient.read(zone);
        List<List<String>> inputs = new ArrayList<>(); // a domain and its selectors
        inputs.add(List.of("clean.example", "s1"));
        inputs.add(List.of("dmarcauthorized.example", "s1"));
        for (DomainAuditorTest.Case c : DomainAuditorTest.cases()) {
            List<String> in = new ArrayList<>();
            in.add(c.domain());
            in.addAll(c.selectors());
            inputs.add(in);
        }
        DomainAuditor one = DomainAuditor.builder(dns).build();
        DomainAuditor shared = DomainAuditor.builder(dns).build();
        Concurrently.agreeWithOneThread("audit", inputs, 5, in -> one.audit(in.get(0), in.subList(1, in.size())),
                in -> shared.audit(in.get(0), in.subList(1, in.size())));
    }

    @Test
    void dnsblChecksSyncAndAsync() throws Exception {
        InMemoryDnsClient.Builder b = DnsblCheckerTest.zone();
        for (int i = 20; i < 60; i += 3) {
            b.a(i + ".2.0.192.bl.example.net", "127.0.0." + (i % 7 + 2));
            b.txt(i + ".2.0.192.bl.example.net", "listed since " + i);
        }
        InMemoryDnsClient dns = b.build();
        List<String> ips = new ArrayList<>(List.of("127.0.0.2", "192.0.2.1", "192.0.2.10", "192.0.2.11",
                "192.0.2.13", "192.0.2.14", "192.0.2.15", "2001:db8::1", "2001:db8::2", "::ffff:127.0.0.2"));
        for (int i = 20; i < 60; i++) {
            ips.add("192.0.2." + i);
        }
        DnsblChecker one = dnsbl(dns);
        DnsblChecker shared = dnsbl(dns);
        Concurrently.agreeWithOneThread("DNSBL", ips, 10, one::check, shared::check);
        DnsblChecker sharedAsync = dnsbl(dns);
        Concurrently.agreeWithOneThread("DNSBL async", ips, 10, one::check,
                ip -> sharedAsync.checkAsync(IpLiterals.parse(ip)).toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    private static DnsblChecker dnsbl(DnsClient dns) {
        return DnsblChecker.builder(dns).zone("zen.spamhaus.org").zone("bl.example.net").zone("dnsbl.example.org")
                .build();
    }
}
