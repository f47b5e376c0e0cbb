package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.spi.ZoneFileDnsClient;
import org.bouncekit.testing.Concurrently;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every DMARC path on zone files: the tree walk, alignment, np/psd/t, several From, RFC 7489 with the PSL. */
class DmarcEvaluatorTest {

    @TempDir
    static Path dir;
    static ZoneFileDnsClient dns;

    /** Policies for every path: an organization with sp and np, a strict one, psd=y and psd=n, testing, none. */
    static final String ZONE = String.join("\n",
            "$TTL 300",
            // an organization with a policy at its apex; a subdomain policy; a strict one
            "_dmarc.example.org.        TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject\"",
            "example.org.               A   192.0.2.1",
            "mail.example.org.          A   192.0.2.2",
            "news.example.org.          A   192.0.2.3",
            "_dmarc.strict.example.com. TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"",
            "strict.example.com.        A   192.0.2.4",
            "bounce.strict.example.com. A   192.0.2.5",
            // a public suffix operator (psd=y) above an organization without a record of its own
            "_dmarc.gov.example.        TXT \"v=DMARC1; p=reject; psd=y\"",
            "agency.gov.example.        A   192.0.2.6",
            "mail.agency.gov.example.   A   192.0.2.7",
            // a record with psd=n making its own domain the Organizational Domain
            "_dmarc.dept.example.net.   TXT \"v=DMARC1; p=quarantine; psd=n\"",
            "_dmarc.example.net.        TXT \"v=DMARC1; p=none\"",
            "x.dept.example.net.        A   192.0.2.8",
            // testing mode
            "_dmarc.testing.example.    TXT \"v=DMARC1; p=reject; t=y\"",
            "testing.example.           A   192.0.2.9",
            // no policy anywhere
            "nopolicy.example.          A   192.0.2.10",
            "");

    @BeforeAll
    static void zone() throws IOException {
        Path zone = dir.resolve("test.zone");
        Files.writeString(zone, ZONE);
        dns = ZoneFileDnsClient.read(zone);
    }

    static SpfResult spf(SpfVerdict v, String domain) {
        return new SpfResult(v, v == SpfVerdict.PASS ? "+all" : "-all", null, "mailfrom", domain,
                IpLiterals.parse("192.0.2.99"), "bounce@" + domain, null, 0, 0, List.of(), List.of());
    }

    static DkimResult dkim(DkimVerdict v, String domain) {
        return new DkimResult(List.of(new DkimSignatureResult(domain, "s1", "rsa-sha256", v, null, "@" + domain,
                List.of("from"), -1, 2048, false, List.of())), List.of());
    }

    static DmarcEvaluator rfc9989() {
        return DmarcEvaluator.builder(dns).build();
    }

    @Test
    void thePolicyAtTheAuthorDomainAndRelaxedAlignment() {
        DmarcResult pass = rfc9989().evaluate("example.org", spf(SpfVerdict.PASS, "mail.example.org"), null);
        assertEquals(DmarcVerdict.PASS, pass.verdict());
        assertTrue(pass.spfAligned());
        assertEquals("example.org", pass.organizationalDomain());
        assertEquals("none", pass.disposition());

        DmarcResult fail = rfc9989().evaluate("example.org", spf(SpfVerdict.PASS, "other.example"),
                dkim(DkimVerdict.FAIL, "example.org"));
        assertEquals(DmarcVerdict.FAIL, fail.verdict());
        assertEquals("reject", fail.requestedPolicy());
        assertEquals("reject", fail.disposition());
        assertEquals("example.org", fail.policyDomain());
    }

    @Test
    void aSubdomainTakesSpAndANonExistentOneNp() {
        DmarcResult sub = rfc9989().evaluate("news.example.org", null, dkim(DkimVerdict.PASS, "other.example"));
        assertEquals(DmarcVerdict.FAIL, sub.verdict());
        assertEquals("example.org", sub.policyDomain()); // found by the tree walk
        assertEquals("quarantine", sub.requestedPolicy());
        DmarcResult ghost = rfc9989().evaluate("ghost.example.org", null, null);
        assertEquals("reject", ghost.requestedPolicy()); // np= for a name that does not exist
        DmarcResult aligned = rfc9989().evaluate("news.example.org", null, dkim(DkimVerdict.PASS, "example.org"));
        assertEquals(DmarcVerdict.PASS, aligned.verdict());
        assertEquals("example.org", aligned.alignedDkimDomain());
    }

    @Test
    void strictAlignmentWantsTheSameDomain() {
        DmarcResult r = rfc9989().evaluate("strict.example.com", spf(SpfVerdict.PASS, "bounce.strict.example.com"),
                dkim(DkimVerdict.PASS, "bounce.strict.example.com"));
        assertEquals(DmarcVerdict.FAIL, r.verdict());
        assertFalse(r.spfAligned());
        assertFalse(r.dkimAligned());
        DmarcResult exact = rfc9989().evaluate("strict.example.com", null, dkim(DkimVerdict.PASS,
                "strict.example.com"));
        assertEquals(DmarcVerdict.PASS, exact.verdict());
    }

    @Test
    void aPublicSuffixDomainsPolicyAndItsOrganizationalDomains() {
        DmarcResult r = rfc9989().evaluate("mail.agency.gov.example", spf(SpfVerdict.PASS, "agency.gov.example"),
                null);
        assertEquals("gov.example", r.policyDomain()); // the PSD's policy applies
        assertEquals("agency.gov.example", r.organizationalDomain()); // psd=y: the name below it
        assertEquals(DmarcVerdict.PASS, r.verdict());
        DmarcResult other = rfc9989().evaluate("mail.agency.gov.example", spf(SpfVerdict.PASS,
                "other.gov.example"), null);
        assertEquals(DmarcVerdict.FAIL, other.verdict()); // siblings under a PSD do not align

        DmarcResult dept = rfc9989().evaluate("x.dept.example.net", spf(SpfVerdict.PASS, "example.net"), null);
        assertEquals("dept.example.net", dept.organizationalDomain()); // psd=n stops the walk
        assertEquals(DmarcVerdict.FAIL, dept.verdict());
    }

    @Test
    void testingModeLowersTheDispositionAndNoPolicyIsNone() {
        DmarcResult t = rfc9989().evaluate("testing.example", null, null);
        assertTrue(t.testing());
        assertEquals("reject", t.requestedPolicy());
        assertEquals("quarantine", t.disposition());
        DmarcResult none = rfc9989().evaluate("nopolicy.example", null, null);
        assertEquals(DmarcVerdict.NONE, none.verdict());
        assertNull(none.policyDomain());
        assertTrue(none.trace().contains("TXT _dmarc.nopolicy.example: NXDOMAIN"), none.trace().toString());
    }

    @Test
    void fromFieldsOneOrNoneOrSeveral() {
        byte[] one = "From: \"A\" <a@example.org>, b@example.org\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(DmarcVerdict.FAIL, rfc9989().evaluate(one, null, null).verdict());
        byte[] two = "From: a@example.org, b@example.com\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        DmarcResult r = rfc9989().evaluate(two, null, null);
        assertEquals(DmarcVerdict.PERMERROR, r.verdict());
        assertTrue(r.problems().get(0).contains("2 domains"), r.problems().toString());
        byte[] none = "To: a@example.org\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("no From address", rfc9989().evaluate(none, null, null).problems().get(0));
    }

    @Test
    void rfc7489ModeUsesThePublicSuffixListAndPct() throws IOException {
        String psl = "// test list\nexample\ngov.example\nnet\norg\ncom\n*.wild.example\n!keep.wild.example\n";
        DmarcEvaluator old = DmarcEvaluator.builder(dns).rfc7489(new StringReader(psl)).build();
        DmarcResult r = old.evaluate("mail.agency.gov.example", spf(SpfVerdict.PASS, "other.agency.gov.example"),
                null);
        assertEquals("agency.gov.example", r.organizationalDomain());
        assertEquals(DmarcVerdict.PASS, r.verdict());
        // pct: a sampled-out failure is handled one step lower; the random source decides
        Files.writeString(dir.resolve("pct.zone"), "_dmarc.pct.example. 300 TXT \"v=DMARC1; p=reject; pct=25\"\n"
                + "pct.example. 300 A 192.0.2.11\n");
        ZoneFileDnsClient pctDns = ZoneFileDnsClient.read(dir.resolve("pct.zone"));
        RandomGenerator low = fixed(0); // sampled
        RandomGenerator high = fixed(99); // not sampled
        assertEquals("reject", DmarcEvaluator.builder(pctDns).rfc7489(new StringReader(psl)).random(low).build()
                .evaluate("pct.example", null, null).disposition());
        assertEquals("quarantine", DmarcEvaluator.builder(pctDns).rfc7489(new StringReader(psl)).random(high)
                .build().evaluate("pct.example", null, null).disposition());
    }

    @Test
    void rfc7489ModeWithTheBundledListOrAListFile() throws IOException {
        // the bundled snapshot knows the multi-label ICANN suffixes and the private section (github.io)
        Files.writeString(dir.resolve("uk.zone"), String.join("\n",
                "_dmarc.shop.co.uk. 300 TXT \"v=DMARC1; p=reject\"",
                "mail.shop.co.uk. 300 A 192.0.2.12",
                "_dmarc.alice.github.io. 300 TXT \"v=DMARC1; p=reject\"",
                ""));
        ZoneFileDnsClient uk = ZoneFileDnsClient.read(dir.resolve("uk.zone"));
        DmarcEvaluator bundled = DmarcEvaluator.builder(uk).rfc7489().build();
        DmarcResult r = bundled.evaluate("mail.shop.co.uk", spf(SpfVerdict.PASS, "bounce.shop.co.uk"), null);
        assertEquals("shop.co.uk", r.organizationalDomain());
        assertEquals(DmarcVerdict.PASS, r.verdict());
        // two sites under one private suffix are different organizations: no relaxed alignment between them
        assertEquals(DmarcVerdict.FAIL, bundled.evaluate("alice.github.io", spf(SpfVerdict.PASS, "bob.github.io"),
                null).verdict());
        assertTrue(org.bouncekit.dnsauth.internal.PublicSuffixes.bundled().version().startsWith("20"));

        // a list file of one's own replaces the bundled one: here co.uk is not a suffix, so uk is the suffix
        Path file = dir.resolve("my.dat");
        Files.writeString(file, "// VERSION: test\nuk\n");
        DmarcResult own = DmarcEvaluator.builder(uk).rfc7489(file).build()
                .evaluate("mail.shop.co.uk", spf(SpfVerdict.PASS, "bounce.shop.co.uk"), null);
        assertEquals("co.uk", own.organizationalDomain());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DmarcEvaluator.builder(uk).rfc7489(new StringReader("// nothing\n")));
    }

    @Test
    void aServerThatNeverAnswersOrAClientThatThrowsIsATemporaryError() {
        org.bouncekit.dnsauth.spi.DnsClient silent = (name, type) -> new java.util.concurrent.CompletableFuture<>();
        DmarcResult r = DmarcEvaluator.builder(silent).timeout(java.time.Duration.ofMillis(20)).build()
                .evaluate("example.org", spf(SpfVerdict.PASS, "example.org"), null);
        assertEquals(DmarcVerdict.TEMPERROR, r.verdict());
        assertTrue(r.problems().get(0).startsWith("DNS TIMEOUT for TXT _dmarc.example.org"), r.problems().toString());
        org.bouncekit.dnsauth.spi.DnsClient throwing = (name, type) -> {
            throw new IllegalStateException("resolver broken");
        };
        assertEquals(DmarcVerdict.TEMPERROR, DmarcEvaluator.builder(throwing).build()
                .evaluate("example.org", null, null).verdict());
    }

    @Test
    void aFailedParentQueryDoesNotHideAnAlignedPassButLeavesAFailUndecided() {
        // the author domain's record answers; the walk's query at the parent fails
        org.bouncekit.dnsauth.spi.DnsClient parentFails = (name, type) -> name.equals("_dmarc.org")
                ? java.util.concurrent.CompletableFuture.completedFuture(org.bouncekit.dnsauth.spi.DnsAnswer.failed(
                        org.bouncekit.dnsauth.spi.DnsAnswer.Outcome.SERVFAIL, "test"))
                : dns.query(name, type);
        DmarcEvaluator e = DmarcEvaluator.builder(parentFails).build();
        assertEquals(DmarcVerdict.PASS, e.evaluate("example.org", null, dkim(DkimVerdict.PASS, "example.org"))
                .verdict(), "d= equal to the author domain aligns without the Organizational Domain");
        // mail.example.org and example.org meet below the failed name whatever it holds
        assertEquals(DmarcVerdict.PASS, e.evaluate("example.org", null, dkim(DkimVerdict.PASS,
                "mail.example.org")).verdict());
        // without an aligned pass, the policy cannot be applied on a guess
        assertEquals(DmarcVerdict.TEMPERROR, e.evaluate("example.org", null, dkim(DkimVerdict.PASS,
                "other.example")).verdict());
    }

    /** A random source whose every draw below a bound is {@code value}. */
    /**
     * Regression: the evaluator, documented as shareable across threads, drew its {@code pct} samples without
     * holding any lock, so threads sharing it raced on a random source that is not thread-safe (the default one, or
     * a seeded {@code SplittableRandom}). 8 threads started together sharing one evaluator now never draw at once,
     * and their dispositions are those of one thread with the same seed: each draw taken once.
     */
    @Test
    void sharedAcrossThreadsPctDrawsAreTakenOneAtATime() throws Exception {
        Files.writeString(dir.resolve("pct50.zone"), "_dmarc.pct50.example. 300 TXT \"v=DMARC1; p=reject; pct=50\"\n"
                + "pct50.example. 300 A 192.0.2.12\n");
        ZoneFileDnsClient pctDns = ZoneFileDnsClient.read(dir.resolve("pct50.zone"));
        int each = 250;
        DmarcEvaluator alone = DmarcEvaluator.builder(pctDns).rfc7489(new StringReader("example\n"))
                .random(new OneAtATime(11)).build();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < Concurrently.THREADS * each; i++) {
            expected.add(alone.evaluate("pct50.example", null, null).disposition());
        }
        OneAtATime random = new OneAtATime(11);
        DmarcEvaluator shared = DmarcEvaluator.builder(pctDns).rfc7489(new StringReader("example\n"))
                .random(random).build();
        List<Callable<List<String>>> work = new ArrayList<>();
        for (int t = 0; t < Concurrently.THREADS; t++) {
            work.add(() -> {
                List<String> got = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    got.add(shared.evaluate("pct50.example", null, null).disposition());
                }
                return got;
            });
        }
        List<String> all = new ArrayList<>();
        Concurrently.together(work).forEach(all::addAll);

        assertEquals(0, random.overlaps.get(), "draws begun while another thread was drawing");
        Concurrently.assertSameMultiset(expected, all, "dispositions");
        assertTrue(expected.contains("reject") && expected.contains("quarantine"), "both sampled and not");
    }

    /** A seeded source that notices two threads drawing at once (a draw takes some 20 microseconds). */
    static final class OneAtATime implements RandomGenerator {
        final AtomicInteger overlaps = new AtomicInteger();
        private final AtomicInteger inside = new AtomicInteger();
        private final SplittableRandom source;

        OneAtATime(long seed) {
            this.source = new SplittableRandom(seed);
        }

        @Override
        public long nextLong() {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                long until = System.nanoTime() + 20_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return source.nextLong();
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    static RandomGenerator fixed(int value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return value;
            }

            @Override
            public int nextInt(int bound) {
                return value;
            }
        };
    }

    @Test
    void theWalkQueriesEightNamesAtMost() {
        // past seven labels, straight from the name itself to its last seven, then up to the top-level label
        assertEquals(List.of("a.b.c.d.e.f.g.h.i.example", "d.e.f.g.h.i.example", "e.f.g.h.i.example",
                "f.g.h.i.example", "g.h.i.example", "h.i.example", "i.example", "example"),
                DmarcEvaluator.walkNames("a.b.c.d.e.f.g.h.i.example"));
        assertEquals(List.of("mail.example.org", "example.org", "org"), DmarcEvaluator.walkNames("mail.example.org"));
    }

    @Test
    void theResultWritesAndParsesBackAsAnAuthenticationResultsEntry() {
        DmarcResult fail = rfc9989().evaluate("example.org", spf(SpfVerdict.PASS, "other.example"), null);
        AuthenticationResults ar = AuthenticationResults.builder("mx.receiver.test")
                .add(AuthResult.of(spf(SpfVerdict.PASS, "other.example")))
                .add(AuthResult.of(fail)).build();
        String value = ar.toHeaderValue();
        assertTrue(value.endsWith("dmarc=fail header.from=example.org policy.dmarc=reject"), value);
        AuthenticationResults back = AuthenticationResults.parse(value);
        assertEquals(List.of(), back.problems());
        assertEquals("reject", back.results("dmarc").get(0).property("policy", "dmarc"));
    }
}
