package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.internal.IpText;
import org.bouncekit.dnsauth.internal.Macros;
import org.bouncekit.dnsauth.internal.SpfRecord;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;

/** The SPF parsers are total, and addresses survive writing and reading. */
class SpfParserProperties {

    @Provide
    Arbitrary<String> recordish() {
        Arbitrary<String> term = Arbitraries.of("all", "-all", "~all", "?all", "+a", "a:%{d}", "mx/24", "mx//64",
                "ptr", "ip4:192.0.2.0/24", "ip6:2001:db8::/32", "exists:%{ir}.%{l1r+-}._spf.%{d}", "include:x.org",
                "redirect=%{d2}", "exp=e.%{d}", "foo=bar", "%{", "%%", "/", ":", "=", "ip4:1.2.3.4/33", "a:.com",
                "x", "%{p}", "%-", "%_");
        return Arbitraries.oneOf(term, Arbitraries.strings().ofMaxLength(12)).list().ofMaxSize(8)
                .map(l -> "v=spf1 " + String.join(" ", l));
    }

    @Property(tries = 2000)
    void parsingNeverThrows(@ForAll("recordish") String record) {
        SpfRecord r = SpfRecord.parse(record);
        assertNotNull(r.directives());
    }

    @Property(tries = 2000)
    void macroChecksNeverThrow(@ForAll String s) {
        Macros.checkMacroString(s, true);
        Macros.checkDomainSpec(s, false);
    }

    @Property(tries = 500)
    void checkingAnyRecordGivesAVerdict(@ForAll("recordish") String record) {
        InMemoryDnsClient dns = InMemoryDnsClient.builder().txt("example.org", record).build();
        SpfResult r = SpfChecker.builder(dns).build().check("192.0.2.1", "a@example.org", "h.example.org");
        assertNotNull(r.verdict());
    }

    @Property(tries = 2000)
    void ipv6WrittenAndReadBack(@ForAll byte[] raw) throws UnknownHostException {
        byte[] b = new byte[16];
        System.arraycopy(raw, 0, b, 0, Math.min(raw.length, 16));
        InetAddress a = InetAddress.getByAddress(b);
        String text = IpText.readable(a);
        assertArrayEquals(a.getAddress(), IpLiterals.parse(text).getAddress());
        assertEquals(a, InetAddress.getByName(text)); // the JDK reads our compressed form the same way
    }
}
