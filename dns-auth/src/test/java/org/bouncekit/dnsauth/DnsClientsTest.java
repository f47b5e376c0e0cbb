package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.bouncekit.dnsauth.spi.ZoneFileDnsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsClientsTest {

    @Test
    void inMemoryAnswersDistinguishNxdomainNodataAndFailures() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder()
                .a("www.Example.org.", "192.0.2.1", "2001:db8::1")
                .cname("alias.example.org", "www.example.org")
                .cname("loop1.example.org", "loop2.example.org")
                .cname("loop2.example.org", "loop1.example.org")
                .fail("slow.example.org", DnsType.TXT, DnsAnswer.Outcome.TIMEOUT)
                .build();
        assertEquals(List.of(new DnsRecord.Address(org.bouncekit.dnsauth.internal.IpLiterals.parse("192.0.2.1"))),
                dns.answer("WWW.example.org", DnsType.A).records());
        assertEquals(DnsAnswer.Outcome.ANSWER, dns.answer("alias.example.org.", DnsType.AAAA).outcome());
        assertEquals(DnsAnswer.Outcome.NODATA, dns.answer("www.example.org", DnsType.MX).outcome());
        assertEquals(DnsAnswer.Outcome.NODATA, dns.answer("example.org", DnsType.A).outcome()); // empty non-terminal
        assertEquals(DnsAnswer.Outcome.NXDOMAIN, dns.answer("nope.example.org", DnsType.A).outcome());
        assertEquals(DnsAnswer.Outcome.SERVFAIL, dns.answer("loop1.example.org", DnsType.A).outcome());
        assertEquals(DnsAnswer.Outcome.TIMEOUT, dns.answer("slow.example.org", DnsType.TXT).outcome());
        assertEquals(DnsAnswer.Outcome.SERVFAIL, dns.answer("a..example.org", DnsType.A).outcome());
        assertEquals(DnsAnswer.Outcome.SERVFAIL, dns.answer("x".repeat(64) + ".example.org", DnsType.A).outcome());
        assertThrows(IllegalStateException.class,
                () -> InMemoryDnsClient.builder().a("x.example.org", "192.0.2.1").cname("x.example.org", "y"));
        assertThrows(IllegalArgumentException.class,
                () -> InMemoryDnsClient.builder().add("x", DnsType.A, new DnsRecord.Txt("no")));
    }

    @Test
    void zoneFilesAreReadWithTxtStringsJoined(@TempDir Path dir) throws IOException {
        Path zone = dir.resolve("example.org.zone");
        Files.writeString(zone, String.join("\n",
                "$ORIGIN example.org.",
                "$TTL 300",
                "@     IN SOA ns1 hostmaster 1 3600 600 86400 300",
                "@     IN NS  ns1",
                "@     IN TXT \"v=spf1 ip4:192.0.2.0/24 \" \"include:_spf.example.net -all\"",
                "@     IN MX  10 mx1",
                "mx1   IN A   192.0.2.10",
                "mx1   IN AAAA 2001:db8::10",
                "www   IN CNAME mx1",
                "10.2.0.192.in-addr.arpa. IN PTR mx1.example.org.",
                ""));
        ZoneFileDnsClient dns = ZoneFileDnsClient.read(zone);
        DnsAnswer txt = dns.query("example.org", DnsType.TXT).toCompletableFuture().join();
        assertEquals(List.of(new DnsRecord.Txt("v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all")),
                txt.records());
        assertEquals(300, txt.ttlSeconds());
        assertEquals(List.of(new DnsRecord.Mx(10, "mx1.example.org")),
                dns.query("example.org.", DnsType.MX).toCompletableFuture().join().records());
        assertEquals(DnsAnswer.Outcome.ANSWER,
                dns.query("www.example.org", DnsType.AAAA).toCompletableFuture().join().outcome());
        assertEquals(List.of(new DnsRecord.Ptr("mx1.example.org")),
                dns.query("10.2.0.192.in-addr.arpa", DnsType.PTR).toCompletableFuture().join().records());
        assertEquals(DnsAnswer.Outcome.NXDOMAIN,
                dns.query("elsewhere.example", DnsType.TXT).toCompletableFuture().join().outcome());

        SpfResult r = SpfChecker.builder(dns).build().check("198.51.100.1", "a@example.org", null);
        assertEquals(SpfVerdict.PERMERROR, r.verdict()); // _spf.example.net is not in the files: no network
    }

    @Test
    void aBrokenZoneFileNamesTheFile(@TempDir Path dir) throws IOException {
        Path zone = dir.resolve("bad.zone");
        Files.writeString(zone, "example.org. 300 IN A not-an-address\n");
        IOException e = assertThrows(IOException.class, () -> ZoneFileDnsClient.read(zone));
        assertTrue(e.getMessage().startsWith(zone + ":1: "), e.getMessage());
    }
}
