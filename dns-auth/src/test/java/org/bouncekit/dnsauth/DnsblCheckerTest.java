package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.bouncekit.dnsauth.spi.ZoneFileDnsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNSBL checks on in-memory and zone-file DNS: listed, not listed, refused, error, IPv6 names, TXT reasons. */
class DnsblCheckerTest {

    private static final String SPAMHAUS_URL = "https://check.spamhaus.org/listed/?searchterm=127.0.0.2";

    private static final InMemoryDnsClient DNS = zone().build();

    /**
     * @return RFC 5782 §5's test entries under ZEN, a refused query, failures and an NXDOMAIN-rewriting answer, and
     *         an IPv6 and an IPv4 entry under bl.example.net
     */
    static InMemoryDnsClient.Builder zone() {
        return InMemoryDnsClient.builder()
                .a("2.0.0.127.zen.spamhaus.org", "127.0.0.2", "127.0.0.4", "127.0.0.10")
                .txt("2.0.0.127.zen.spamhaus.org", SPAMHAUS_URL)
                .a("10.2.0.192.zen.spamhaus.org", "127.255.255.254")
                .a("12.2.0.192.zen.spamhaus.org", "127.255.255.252")
                .fail("11.2.0.192.zen.spamhaus.org", DnsType.A, DnsAnswer.Outcome.SERVFAIL)
                .fail("13.2.0.192.zen.spamhaus.org", DnsType.A, DnsAnswer.Outcome.TIMEOUT)
                .a("14.2.0.192.zen.spamhaus.org", "198.51.100.80")
                .a("15.2.0.192.zen.spamhaus.org", "127.0.0.3")
                .fail("15.2.0.192.zen.spamhaus.org", DnsType.TXT, DnsAnswer.Outcome.SERVFAIL)
                .a("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example.net", "127.0.0.2")
                .txt("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example.net",
                        "Listed: spam trap hits from 2001:db8::1")
                .a("2.0.0.127.bl.example.net", "127.0.0.3");
    }

    private static DnsblChecker zen(DnsClient dns) {
        return DnsblChecker.builder(dns).zone("zen.spamhaus.org").build();
    }

    @Test
    void listedWithCodesMeaningsAndTxtReason() {
        DnsblResult r = zen(DNS).check("127.0.0.2");

        assertTrue(r.listed());
        assertFalse(r.incomplete());
        assertEquals("127.0.0.2", r.ipText());
        DnsblZoneResult z = r.zone("zen.spamhaus.org.");
        assertEquals(new DnsblZoneResult("zen.spamhaus.org", "2.0.0.127.zen.spamhaus.org", DnsblStatus.LISTED,
                List.of("127.0.0.2", "127.0.0.4", "127.0.0.10"),
                List.of("SBL: Spamhaus SBL Data (a verified spam source or operation)",
                        "XBL: CBL Data (a host infected or exploited: bot, malware, open proxy)",
                        "PBL: ISP Maintained (an end-user address that should not send directly)"),
                List.of(SPAMHAUS_URL), null), z);
        assertEquals(List.of(z), r.listings());
    }

    @Test
    void nxdomainIsNotListed() {
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        DnsblResult r = zen(recording(DNS, asked)).check("192.0.2.1");

        assertFalse(r.listed());
        assertFalse(r.incomplete());
        assertEquals(new DnsblZoneResult("zen.spamhaus.org", "1.2.0.192.zen.spamhaus.org", DnsblStatus.NOT_LISTED,
                List.of(), List.of(), List.of(), null), r.zones().get(0));
        assertEquals(List.of("A 1.2.0.192.zen.spamhaus.org"), asked);
    }

    @Test
    void publicResolverRefusalIsNotAListing() {
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        DnsblResult r = zen(recording(DNS, asked)).check("192.0.2.10");

        assertFalse(r.listed());
        assertTrue(r.incomplete());
        DnsblZoneResult z = r.zones().get(0);
        assertEquals(DnsblStatus.REFUSED, z.status());
        assertEquals("refused", z.status().token());
        assertEquals(List.of("127.255.255.254"), z.codes());
        assertEquals(List.of("query refused: queries through public or open resolvers are not answered (use your "
                + "own resolver or the Data Query Service)"), z.meanings());
        assertEquals(List.of(), z.reasons());
        assertEquals(List.of("A 10.2.0.192.zen.spamhaus.org"), asked); // no TXT asked for a refusal
    }

    @Test
    void typingErrorRefusalAndAnyZonesRefusalRange() {
        assertEquals(List.of("query refused: typing error in the DNSBL name"),
                zen(DNS).check("192.0.2.12").zones().get(0).meanings());
        DnsClient dns = InMemoryDnsClient.builder().a("1.2.0.192.bl.example.org", "127.255.255.200").build();
        DnsblZoneResult z = DnsblChecker.builder(dns).zone("bl.example.org").build().check("192.0.2.1").zones()
                .get(0);
        assertEquals(DnsblStatus.REFUSED, z.status());
        assertEquals(List.of("query refused by the DNSBL (127.255.255.200)"), z.meanings());
    }

    @Test
    void serverFailureAndTimeoutAreErrors() {
        DnsblZoneResult servfail = zen(DNS).check("192.0.2.11").zones().get(0);
        assertEquals(DnsblStatus.ERROR, servfail.status());
        assertEquals("SERVFAIL: 11.2.0.192.zen.spamhaus.org", servfail.detail());

        DnsblZoneResult timeout = zen(DNS).check("192.0.2.13").zones().get(0);
        assertEquals(DnsblStatus.ERROR, timeout.status());
        assertEquals("TIMEOUT: 13.2.0.192.zen.spamhaus.org", timeout.detail());
    }

    @Test
    void aQueryWithoutAnswerTimesOut() {
        DnsClient silent = (name, type) -> new CompletableFuture<>();
        DnsblChecker dnsbl = DnsblChecker.builder(silent).zone("zen.spamhaus.org")
                .timeout(Duration.ofMillis(50)).build();
        DnsblZoneResult z = dnsbl.check("192.0.2.1").zones().get(0);

        assertEquals(DnsblStatus.ERROR, z.status());
        assertEquals("TIMEOUT: A 1.2.0.192.zen.spamhaus.org: no answer in 50 ms", z.detail());
    }

    @Test
    void aClientThatThrowsIsAnError() {
        DnsClient broken = (name, type) -> {
            throw new IllegalStateException("closed");
        };
        DnsblZoneResult z = zen(broken).check("192.0.2.1").zones().get(0);
        assertEquals(DnsblStatus.ERROR, z.status());
        assertEquals("SERVFAIL: DNS client failed: java.lang.IllegalStateException: closed", z.detail());

        DnsClient failing = (name, type) -> CompletableFuture.failedFuture(new IOException("socket"));
        assertEquals(DnsblStatus.ERROR, zen(failing).check("192.0.2.1").zones().get(0).status());
    }

    @Test
    void answerOutsideLoopbackIsAnError() {
        DnsblZoneResult z = zen(DNS).check("192.0.2.14").zones().get(0);
        assertEquals(DnsblStatus.ERROR, z.status());
        assertEquals(List.of("198.51.100.80"), z.codes());
        assertEquals(List.of("not a DNSBL return code (outside 127.0.0.0/8)"), z.meanings());
        assertTrue(z.detail().startsWith("answer outside 127.0.0.0/8 [198.51.100.80]"), z.detail());
    }

    @Test
    void ipv6IsQueriedByNibbles() {
        DnsblChecker dnsbl = DnsblChecker.builder(DNS)
                .zone("bl.example.net", Map.of("127.0.0.2", "spam trap hits")).build();
        DnsblResult r = dnsbl.check("2001:DB8::1");

        assertEquals("2001:db8::1", r.ipText());
        assertEquals(new DnsblZoneResult("bl.example.net",
                "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example.net", DnsblStatus.LISTED,
                List.of("127.0.0.2"), List.of("spam trap hits"), List.of("Listed: spam trap hits from 2001:db8::1"),
                null), r.zones().get(0));
    }

    @Test
    void ipv4MappedAddressIsCheckedAsIpv4() throws IOException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 2;
        DnsblResult r = zen(DNS).check(java.net.Inet6Address.getByAddress(null, mapped, -1));
        assertEquals(InetAddress.getByName("127.0.0.2"), r.ip());
        assertEquals("2.0.0.127.zen.spamhaus.org", r.zones().get(0).query());
        assertTrue(zen(DNS).check("::ffff:127.0.0.2").listed());
    }

    @Test
    void userMeaningsOverrideTheBuiltInTableAndUnknownCodesSaySo() {
        DnsblChecker dnsbl = DnsblChecker.builder(DNS)
                .zone("zen.spamhaus.org", Map.of("127.0.0.4", "botnet (our wording)"))
                .zone(DnsblZone.of("bl.example.net").withMeaning("127.0.0.2", "spam trap"))
                .build();
        DnsblResult r = dnsbl.check("127.0.0.2");

        assertEquals(List.of("zen.spamhaus.org", "bl.example.net"), r.zones().stream().map(DnsblZoneResult::zone)
                .toList());
        assertEquals("botnet (our wording)", r.zones().get(0).meanings().get(1));
        assertTrue(r.zones().get(0).meanings().get(0).startsWith("SBL:"));
        DnsblZoneResult other = r.zones().get(1);
        assertEquals(DnsblStatus.LISTED, other.status());
        assertEquals(List.of("127.0.0.3"), other.codes());
        assertEquals(List.of("unknown return code"), other.meanings());
        assertEquals(List.of(), other.reasons()); // NXDOMAIN for TXT: no reason
        assertNull(other.detail());
        assertEquals(2, r.listings().size());
    }

    @Test
    void failedTxtQueryLeavesTheListingWithADetail() {
        DnsblZoneResult z = zen(DNS).check("192.0.2.15").zones().get(0);
        assertEquals(DnsblStatus.LISTED, z.status());
        assertEquals(List.of("SBL CSS: Spamhaus SBL CSS Data (a snowshoe or low-reputation sender)"), z.meanings());
        assertEquals(List.of(), z.reasons());
        assertEquals("TXT query failed: SERVFAIL: 15.2.0.192.zen.spamhaus.org", z.detail());
    }

    @Test
    void reasonsCanBeLeftUnasked() {
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        DnsblZoneResult z = DnsblChecker.builder(recording(DNS, asked)).zone(DnsblZone.spamhausZen())
                .reasons(false).build().check("127.0.0.2").zones().get(0);
        assertEquals(DnsblStatus.LISTED, z.status());
        assertEquals(List.of(), z.reasons());
        assertEquals(List.of("A 2.0.0.127.zen.spamhaus.org"), asked);
    }

    @Test
    void zoneFileData(@TempDir Path dir) throws IOException {
        Path zone = dir.resolve("bl.example.org.zone");
        Files.writeString(zone, """
                $ORIGIN bl.example.org.
                $TTL 300
                @                       IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 300
                2.0.0.127               IN A   127.0.0.2
                2.0.0.127               IN TXT "test entry (RFC 5782)"
                99.2.0.192              IN A   127.0.0.3
                99.2.0.192              IN TXT "dynamic range" " see https://bl.example.org/q/192.0.2.99"
                *.8.b.d.0.1.0.0.2       IN A   127.0.0.4
                """);
        DnsblChecker dnsbl = DnsblChecker.builder(ZoneFileDnsClient.read(zone))
                .zone("bl.example.org", Map.of("127.0.0.2", "test entry", "127.0.0.3", "dynamic address",
                        "127.0.0.4", "whole network"))
                .build();

        DnsblZoneResult dyn = dnsbl.check("192.0.2.99").zones().get(0);
        assertEquals(List.of("dynamic address"), dyn.meanings());
        assertEquals(List.of("dynamic range see https://bl.example.org/q/192.0.2.99"), dyn.reasons());
        assertEquals(DnsblStatus.NOT_LISTED, dnsbl.check("127.0.0.1").zones().get(0).status());
        DnsblZoneResult net = dnsbl.check("2001:db8:1234::5").zones().get(0);
        assertEquals(DnsblStatus.LISTED, net.status());
        assertEquals(List.of("whole network"), net.meanings());
    }

    @Test
    void spamhausDataQueryServiceNamesGetTheTable() {
        assertEquals(DnsblZone.spamhausZenCodes(), DnsblZone.of("KEY123.zen.dq.spamhaus.net.").meanings());
        assertEquals("key123.zen.dq.spamhaus.net", DnsblZone.of("KEY123.zen.dq.spamhaus.net.").name());
        assertEquals(Map.of(), DnsblZone.of("bl.example.net").meanings());
        assertEquals(DnsblZone.spamhausZen(), DnsblZone.of("zen.spamhaus.org"));
    }

    @Test
    void builderValidatesAtOnce() {
        assertEquals("no DNSBL zone: add one with zone(...)", assertThrows(IllegalStateException.class,
                () -> DnsblChecker.builder(DNS).build()).getMessage());
        DnsblChecker.Builder b = DnsblChecker.builder(DNS).zone("zen.spamhaus.org");
        assertEquals("DNSBL zone added twice: zen.spamhaus.org", assertThrows(IllegalArgumentException.class,
                () -> b.zone("ZEN.spamhaus.org.")).getMessage());
        assertEquals("a DNSBL return code is an IPv4 address in 127.0.0.0/8: 10.0.0.2",
                assertThrows(IllegalArgumentException.class,
                        () -> b.zone("bl.example.net", Map.of("10.0.0.2", "x"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.zone("bad..zone"));
        assertThrows(IllegalArgumentException.class, () -> b.zone("a".repeat(60) + "." + "b".repeat(60) + "."
                + "c".repeat(60) + ".example"));
        assertThrows(IllegalArgumentException.class, () -> b.zone("bl.example.net", Map.of("127.0.0.2", " ")));
        assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> zen(DNS).check("mail.example"));
        DnsblChecker.Builder many = DnsblChecker.builder(DNS);
        for (int i = 0; i < DnsblChecker.MAX_ZONES; i++) {
            many.zone("bl" + i + ".example.net");
        }
        assertThrows(IllegalArgumentException.class, () -> many.zone("one-more.example.net"));
    }

    private static DnsClient recording(DnsClient dns, List<String> asked) {
        return (name, type) -> {
            asked.add(type + " " + name);
            return dns.query(name, type);
        };
    }
}
