package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.junit.jupiter.api.Test;

/** One test per finding of the SPF review (each failed before its fix). */
class SpfReviewRegressionTest {

    private static SpfChecker spf(InMemoryDnsClient dns) {
        return SpfChecker.builder(dns).build();
    }

    @Test
    void aDefaultExplanationIsCheckedAsItIsUsed() {
        SpfChecker.Builder b = SpfChecker.builder(InMemoryDnsClient.builder().build());
        assertThrows(IllegalArgumentException.class, () -> b.defaultExplanation("100% sure"));
        InMemoryDnsClient dns = InMemoryDnsClient.builder().txt("example.org", "v=spf1 -all").build();
        SpfResult r = SpfChecker.builder(dns).defaultExplanation("100%% sure: %{i} may not send").build()
                .check("192.0.2.1", "a@example.org", null);
        assertEquals("100% sure: 192.0.2.1 may not send", r.explanation());
    }

    @Test
    void aRecordOfThousandsOfTermsDoesNotExhaustTheStack() {
        // 4,000 terms: 64,011 characters, within the 65,535 a DNS answer can hold (SpfRecord.MAX_LENGTH)
        String record = "v=spf1" + " ip6:2001:db8::1".repeat(4000) + " -all";
        SpfResult r = spf(InMemoryDnsClient.builder().txt("example.org", record).build())
                .check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.FAIL, r.verdict());
    }

    @Test
    void receivedSpfQuotesIpv6AndKeepsTheSenderOnOneLine() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder().txt("example.org", "v=spf1 -all").build();
        SpfResult v6 = spf(dns).check("2001:db8::1", "a@example.org", null);
        assertTrue(v6.receivedSpf("mx.test").contains("client-ip=\"2001:db8::1\";"), v6.receivedSpf("mx.test"));
        SpfResult evil = spf(dns).check("192.0.2.1", "x\r\nX-Evil: 1@example.org", null);
        String header = evil.receivedSpf("mx.test");
        assertFalse(header.contains("\r") || header.contains("\n"), header);
    }

    @Test
    void aPtrOverTheVoidLimitIsAPermerror() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 a:n1.example.org a:n2.example.org ptr ip4:192.0.2.0/24 -all").build();
        assertEquals(SpfVerdict.PERMERROR, spf(dns).check("192.0.2.1", "a@example.org", null).verdict());
    }

    @Test
    void checkHostExpandsTheSendersOwnDomain() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("helo.example.org", "v=spf1 exists:%{o}.o.example.org -all")
                .a("x.example.org.o.example.org", "127.0.0.2")
                .build();
        SpfResult r = spf(dns).checkHost(IpLiterals.parse("192.0.2.1"), "helo.example.org",
                "alice@x.example.org", null).toCompletableFuture().join();
        assertEquals(SpfVerdict.PASS, r.verdict());
        SpfResult other = spf(dns).checkHost(IpLiterals.parse("192.0.2.1"), "helo.example.org",
                "alice@y.example.org", null).toCompletableFuture().join();
        assertEquals(SpfVerdict.FAIL, other.verdict());
    }

    @Test
    void anIpv4MappedInet6AddressIsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        InMemoryDnsClient dns = InMemoryDnsClient.builder().txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all")
                .build();
        assertEquals(SpfVerdict.PASS, spf(dns).checkAsync(v6, "a@example.org", null).toCompletableFuture().join()
                .verdict());
    }

    @Test
    void aTimedOutCheckAsksNothingMoreOfDns() {
        InMemoryDnsClient data = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 a:h1.example.org a:h2.example.org a:h3.example.org a:h4.example.org "
                        + "a:h5.example.org -all").build();
        // answers are held back until the check has timed out, then given; no query may follow them
        List<Runnable> held = new ArrayList<>();
        DnsClient dns = (name, type) -> {
            CompletableFuture<DnsAnswer> f = new CompletableFuture<>();
            synchronized (held) {
                held.add(() -> f.complete(data.answer(name, type)));
            }
            return f;
        };
        SpfResult r = SpfChecker.builder(dns).timeout(Duration.ofMillis(20)).build()
                .check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.TEMPERROR, r.verdict());
        for (int answered = 0; ; answered++) {
            Runnable next;
            synchronized (held) {
                if (answered == held.size()) {
                    break;
                }
                next = held.get(answered);
            }
            next.run();
        }
        assertEquals(1, held.size(), "queries made after the time limit");
    }

    @Test
    void theValidatedNamePrefersTheDomainItself() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 -all exp=e.example.org")
                .txt("e.example.org", "%{p}")
                .ptr("1.2.0.192.in-addr.arpa", "mail.example.org")
                .ptr("1.2.0.192.in-addr.arpa", "example.org")
                .a("mail.example.org", "192.0.2.1")
                .a("example.org", "192.0.2.1")
                .build();
        assertEquals("example.org", spf(dns).check("192.0.2.1", "a@example.org", null).explanation());
    }

    @Test
    void senderForms() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 -all exp=e.example.org")
                .txt("e.example.org", "%{s}")
                .build();
        assertEquals("postmaster@example.org", spf(dns).check("192.0.2.1", "@example.org", null).explanation());
        SpfResult bracketed = spf(dns).check("192.0.2.1", "<alice@example.org>", null);
        assertEquals(SpfVerdict.FAIL, bracketed.verdict());
        assertEquals("alice@example.org", bracketed.explanation());
        assertEquals("helo", spf(dns).check("192.0.2.1", "<>", "example.org").identity());
    }

    @Test
    void zoneWildcardsAnswerForNamesThatDoNotExist() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("*.example.org", "v=spf1 -all")
                .txt("mail.example.org", "v=spf1 +all")
                .build();
        assertEquals(SpfVerdict.FAIL, spf(dns).check("192.0.2.1", "a@host.example.org", null).verdict());
        assertEquals(SpfVerdict.PASS, spf(dns).check("192.0.2.1", "a@mail.example.org", null).verdict());
        assertEquals(SpfVerdict.NONE, spf(dns).check("192.0.2.1", "a@example.org", null).verdict());
    }

    @Test
    void onlyAsciiDigitsAndLettersCount() {
        assertNull(IpLiterals.bytes("\uff12\uff10\uff10\uff11:db8::1"));
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 -all exp=e.example.org")
                .txt("e.example.org", "bad %{\u0130} macro")
                .build();
        assertEquals(SpfChecker.DEFAULT_EXPLANATION.replace("%{i}", "192.0.2.1").replace("%{d}", "example.org"),
                spf(dns).check("192.0.2.1", "a@example.org", null).explanation());
    }
}
