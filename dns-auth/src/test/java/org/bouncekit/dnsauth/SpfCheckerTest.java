package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.junit.jupiter.api.Test;

class SpfCheckerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    /** A domain with three includes, as large senders publish them. */
    static InMemoryDnsClient.Builder typical() {
        return InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 include:_spf.mail.example include:spf.crm.example "
                        + "include:mailers.example.net ip4:192.0.2.0/26 -all")
                .txt("_spf.mail.example", "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:10::/48 ~all")
                .txt("spf.crm.example", "v=spf1 a:out.crm.example -all")
                .a("out.crm.example", "203.0.113.7", "203.0.113.8")
                .txt("mailers.example.net", "v=spf1 mx -all")
                .mx("mailers.example.net", 10, "mx1.mailers.example.net")
                .a("mx1.mailers.example.net", "203.0.113.99");
    }

    private static SpfChecker checker(DnsClient dns) {
        return SpfChecker.builder(dns).clock(CLOCK).receiver("mx.receiver.test").build();
    }

    @Test
    void passThroughEachKindOfInclude() {
        SpfChecker spf = checker(typical().build());
        SpfResult viaIp6 = spf.check("2001:db8:10::25", "alice@example.org", "mail.example.org");
        assertEquals(SpfVerdict.PASS, viaIp6.verdict());
        assertEquals("include:_spf.mail.example", viaIp6.mechanism());
        assertEquals(1, viaIp6.lookups());
        SpfResult viaA = spf.check("203.0.113.8", "alice@example.org", "mail.example.org");
        assertEquals(SpfVerdict.PASS, viaA.verdict());
        assertEquals("include:spf.crm.example", viaA.mechanism());
        SpfResult viaMx = spf.check("203.0.113.99", "alice@example.org", "mail.example.org");
        assertEquals(SpfVerdict.PASS, viaMx.verdict());
        assertEquals(5, viaMx.lookups()); // three includes, a and mx (the MX hosts' address lookups do not count)
        SpfResult direct = spf.check("192.0.2.10", "alice@example.org", "mail.example.org");
        assertEquals("ip4:192.0.2.0/26", direct.mechanism());
        assertEquals(0, direct.voidLookups());
        assertTrue(direct.problems().isEmpty());
    }

    @Test
    void failCarriesTheDefaultExplanationAndAReceivedSpfHeader() {
        SpfResult r = checker(typical().build()).check("192.0.2.200", "alice@example.org", "mail.example.org");
        assertEquals(SpfVerdict.FAIL, r.verdict());
        assertEquals("-all", r.mechanism());
        assertEquals("192.0.2.200 is not one of example.org's designated mail servers.", r.explanation());
        assertEquals("Received-SPF: fail (mx.receiver.test: domain of alice@example.org does not designate "
                + "192.0.2.200 as permitted sender) client-ip=192.0.2.200; envelope-from=\"alice@example.org\"; "
                + "helo=mail.example.org; receiver=mx.receiver.test; identity=mailfrom; mechanism=-all",
                r.receivedSpf("mx.receiver.test"));
        assertTrue(r.trace().get(0).startsWith("TXT example.org: "));
        assertEquals("result fail (-all)", r.trace().get(r.trace().size() - 1));
    }

    @Test
    void theDomainsExplanationWithExplanationOnlyMacros() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 -all exp=why.%{d}")
                .txt("why.example.org", "%{c} may not send for %{o} (checked by %{r} at %{t})")
                .build();
        SpfResult r = checker(dns).check("2001:db8::1", "bob@example.org", "h.example.org");
        assertEquals("2001:db8::1 may not send for example.org (checked by mx.receiver.test at "
                + CLOCK.instant().getEpochSecond() + ")", r.explanation());
    }

    @Test
    void aNullSenderChecksTheHeloIdentity() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("mail.example.org", "v=spf1 a -all")
                .a("mail.example.org", "192.0.2.25")
                .build();
        SpfResult r = checker(dns).check("192.0.2.25", "", "mail.example.org");
        assertEquals(SpfVerdict.PASS, r.verdict());
        assertEquals("helo", r.identity());
        assertEquals("postmaster@mail.example.org", r.sender());
        assertEquals(SpfVerdict.NONE, checker(dns).check("192.0.2.25", "", "[192.0.2.25]").verdict());
    }

    @Test
    void moreThanTenDnsQueryingTermsIsAPermerrorNamingTheLimit() {
        InMemoryDnsClient.Builder b = InMemoryDnsClient.builder();
        StringBuilder record = new StringBuilder("v=spf1");
        for (int i = 0; i < 11; i++) {
            record.append(" a:h").append(i).append(".example.org");
            b.a("h" + i + ".example.org", "198.51.100." + i);
        }
        b.txt("example.org", record + " -all");
        SpfResult r = checker(b.build()).check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.PERMERROR, r.verdict());
        assertEquals("a:h10.example.org", r.mechanism());
        assertEquals(11, r.lookups());
        assertTrue(r.problems().get(0).contains("limit maxLookups"), r.problems().toString());

        SpfChecker lenient = SpfChecker.builder(b.build()).maxLookups(20).build();
        assertEquals(SpfVerdict.FAIL, lenient.check("192.0.2.1", "a@example.org", null).verdict());
    }

    @Test
    void aThirdVoidLookupIsAPermerror() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 a:gone1.example.org mx:gone2.example.org exists:gone3.example.org "
                        + "-all")
                .build();
        SpfResult r = checker(dns).check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.PERMERROR, r.verdict());
        assertEquals(3, r.voidLookups());
        assertTrue(r.problems().get(0).contains("limit maxVoidLookups"));
    }

    @Test
    void ptrAndTheValidatedNameMacro() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 ptr -all exp=e.example.org")
                .txt("e.example.org", "%{p} is not allowed")
                .ptr("10.2.0.192.in-addr.arpa", "out.example.org")
                .ptr("11.2.0.192.in-addr.arpa", "forged.example.org")
                .a("out.example.org", "192.0.2.10")
                .build();
        assertEquals(SpfVerdict.PASS, checker(dns).check("192.0.2.10", "a@example.org", null).verdict());
        SpfResult forged = checker(dns).check("192.0.2.11", "a@example.org", null);
        assertEquals(SpfVerdict.FAIL, forged.verdict()); // the name does not lead back to the address
        assertEquals("unknown is not allowed", forged.explanation());
    }

    @Test
    void anIpv4MappedIpv6AddressIsCheckedAsIpv4() {
        SpfResult r = checker(typical().build()).check("::ffff:192.0.2.10", "a@example.org", null);
        assertEquals(SpfVerdict.PASS, r.verdict());
        assertEquals("192.0.2.10", r.ip().getHostAddress());
    }

    @Test
    void dnsFailuresAreTemperrorsNeverExceptions() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 include:broken.example.net -all")
                .fail("broken.example.net", DnsType.TXT, DnsAnswer.Outcome.SERVFAIL)
                .build();
        SpfResult r = checker(dns).check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.TEMPERROR, r.verdict());
        assertEquals("include:broken.example.net", r.mechanism());
        assertTrue(r.problems().get(0).startsWith("DNS SERVFAIL for TXT broken.example.net"));

        DnsClient throwing = (name, type) -> {
            throw new IllegalStateException("resolver closed");
        };
        SpfResult t = checker(throwing).check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.TEMPERROR, t.verdict());
    }

    @Test
    void aCheckThatOutlivesItsTimeLimitIsATemperror() {
        DnsClient silent = (name, type) -> new CompletableFuture<>(); // never answers
        SpfChecker spf = SpfChecker.builder(silent).timeout(Duration.ofMillis(50)).build();
        SpfResult r = spf.check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.TEMPERROR, r.verdict());
        assertTrue(r.problems().contains("check timed out after 50 ms"), r.problems().toString());
    }

    @Test
    void answersArrivingOnOtherThreadsGiveTheSameResult() throws Exception {
        InMemoryDnsClient memory = typical().build();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Executor later = pool;
            DnsClient async = (name, type) -> CompletableFuture.supplyAsync(() -> memory.answer(name, type), later);
            SpfChecker spf = checker(async);
            SpfResult r = spf.checkAsync(InetAddress.getByName("203.0.113.99"), "a@example.org", "h.example.org")
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            SpfResult same = checker(memory).check("203.0.113.99", "a@example.org", "h.example.org");
            assertEquals(same.verdict(), r.verdict());
            assertEquals(same.mechanism(), r.mechanism());
            assertEquals(same.trace(), r.trace());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theBuilderValidatesAtOnce() {
        SpfChecker.Builder b = SpfChecker.builder(InMemoryDnsClient.builder().build());
        assertThrows(IllegalArgumentException.class, () -> b.maxLookups(0));
        assertThrows(IllegalArgumentException.class, () -> b.maxVoidLookups(-1));
        assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.defaultExplanation("bad %{x} macro"));
        assertThrows(NullPointerException.class, () -> SpfChecker.builder(null));
        assertThrows(IllegalArgumentException.class,
                () -> b.build().check("not-an-ip", "a@example.org", null));
    }

    @Test
    void noRecordIsNoneAndTwoRecordsArePermerror() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("none.example.org", "google-site-verification=abc")
                .txt("two.example.org", "v=spf1 -all")
                .txt("two.example.org", "v=spf1 +all")
                .build();
        SpfResult none = checker(dns).check("192.0.2.1", "a@none.example.org", null);
        assertEquals(SpfVerdict.NONE, none.verdict());
        assertNull(none.mechanism());
        SpfResult two = checker(dns).check("192.0.2.1", "a@two.example.org", null);
        assertEquals(SpfVerdict.PERMERROR, two.verdict());
        assertEquals("two.example.org publishes 2 SPF records", two.problems().get(0));
    }
}
