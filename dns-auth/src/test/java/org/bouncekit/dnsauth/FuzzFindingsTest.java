package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.bouncekit.dnsauth.internal.Macros;
import org.bouncekit.dnsauth.internal.PublicSuffixes;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.junit.jupiter.api.Test;

/**
 * What the checkers do with the inputs the fuzzer ({@link ParserFuzzTest}) found wrong, beyond the time and
 * allocation bounds the replay of {@code src/test/resources/fuzz/} checks: an SPF explanation stays printable US-ASCII
 * whatever the sender holds, names of thousands of labels are shortened and matched as before, and an
 * Authentication-Results value too long to read back says so.
 */
class FuzzFindingsTest {

    private static final InMemoryDnsClient DNS = InMemoryDnsClient.builder()
            .txt("example.org", "v=spf1 -all exp=why.example.org")
            .txt("why.example.org", "%{l} may not send from %{i}")
            .txt("plain.example.org", "v=spf1 -all")
            .build();

    /** Found by the fuzzer: %{l} put the sender's NUL (or CR LF) into the explanation, meant for an SMTP reply. */
    @Test
    void anExplanationThatWouldHoldAControlCharacterFallsBackToTheDefault() {
        SpfChecker spf = SpfChecker.builder(DNS).build();
        SpfResult clean = spf.check("192.0.2.1", "alice@example.org", "h.example.org");
        assertEquals("alice may not send from 192.0.2.1", clean.explanation());
        SpfResult crlf = spf.check("192.0.2.1", "a\r\n250 ok\u0000@example.org", "h.example.org");
        assertEquals(SpfVerdict.FAIL, crlf.verdict());
        assertEquals("192.0.2.1 is not one of example.org's designated mail servers.", crlf.explanation());
        assertTrue(crlf.trace().stream().anyMatch(t -> t.contains("outside printable US-ASCII")), crlf::toString);
    }

    @Test
    void theDefaultExplanationReplacesWhatIsNotPrintableAscii() {
        SpfChecker spf = SpfChecker.builder(DNS).defaultExplanation("%{l} is refused").build();
        SpfResult r = spf.check("192.0.2.1", "b\u00e9\r\nx@plain.example.org", "h.example.org");
        assertEquals(SpfVerdict.FAIL, r.verdict());
        assertEquals("b???x is refused", r.explanation());
    }

    /** Found by the fuzzer: a name of thousands of labels was copied once per label dropped. */
    @Test
    void truncatingALongNameKeepsItsLast253Octets() {
        String name = "a.".repeat(5000) + "b".repeat(60) + ".example.org";
        String t = Macros.truncate(name + ".");
        assertTrue(t.length() <= 253 && name.endsWith(t) && t.startsWith("a."), t);
        assertEquals(name.substring(name.length() - t.length()), t);
        assertEquals("x".repeat(300), Macros.truncate("x".repeat(300)), "no dot: nothing to drop");
        assertEquals("b.c", Macros.truncate("b.c."));
    }

    /** Found by the fuzzer: the public suffix of a name of many labels joined them once per label. */
    @Test
    void theOrganizationalDomainOfANameOfManyLabels() {
        PublicSuffixes psl = PublicSuffixes.bundled();
        assertEquals("shop.co.uk", psl.organizationalDomain("a.".repeat(20_000) + "shop.co.uk"));
        assertEquals("co.uk", psl.suffix("x.".repeat(20_000) + "co.uk"));
        assertEquals("example", psl.suffix("a.b.example"), "an unlisted TLD is a suffix");
        DmarcEvaluator rfc7489 = DmarcEvaluator.builder(InMemoryDnsClient.builder()
                .txt("_dmarc.shop.co.uk", "v=DMARC1; p=reject").build()).rfc7489().build();
        SpfResult spf = new SpfResult(SpfVerdict.PASS, null, null, "mailfrom", "a.".repeat(5000) + "shop.co.uk",
                InetAddress.getLoopbackAddress(), "x@shop.co.uk", null, 0, 0, List.of(), List.of());
        DmarcResult r = rfc7489.evaluate("shop.co.uk", spf, null);
        assertEquals(DmarcVerdict.PASS, r.verdict());
        assertTrue(r.spfAligned());
    }

    /** Found by the fuzzer: a CNAME to a name of thousands of labels was walked label by label for a wildcard. */
    @Test
    void aCnameToANameNoResolverAcceptsIsAServerFailure() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder().cname("_dmarc.example.org", "a.".repeat(2000) + "org")
                .cname("ok.example.org", "target.example.org").txt("target.example.org", "v=DMARC1; p=none")
                .build();
        DnsAnswer a = dns.answer("_dmarc.example.org", DnsType.TXT);
        assertEquals(DnsAnswer.Outcome.SERVFAIL, a.outcome());
        assertEquals(DnsAnswer.Outcome.ANSWER, dns.answer("ok.example.org", DnsType.TXT).outcome());
        DmarcResult r = DmarcEvaluator.builder(dns).build().evaluate("example.org", null, null);
        assertEquals(DmarcVerdict.TEMPERROR, r.verdict(), r::toString);
    }

    /** Found by the fuzzer: toHeaderValue's quoting made a value longer than parse reads, breaking its promise. */
    @Test
    void aValueWrittenLongerThanTheLimitSaysSoWhenReadBack() {
        String value = "mx.example.net; auth=pass" + " smtp.auth=a=b".repeat(1100);
        assertTrue(value.length() <= AuthenticationResults.MAX_LENGTH);
        AuthenticationResults ar = AuthenticationResults.parse(value);
        assertEquals(List.of(), ar.problems());
        String written = ar.toHeaderValue();
        assertTrue(written.length() > AuthenticationResults.MAX_LENGTH, "quoted: smtp.auth=\"a=b\"");
        AuthenticationResults back = AuthenticationResults.parse(written);
        assertEquals("", back.authservId());
        assertTrue(back.problems().get(0).contains("over the limit of " + AuthenticationResults.MAX_LENGTH),
                back.problems()::toString);
    }

    /** Found by the fuzzer: each dropped control character's problem was formatted before it was dropped. */
    @Test
    void controlCharactersBeyondTheProblemLimitAreCounted() {
        AuthenticationResults ar = AuthenticationResults.parse("mx; spf=pass reason=\"" + "\u000f".repeat(100)
                + "x\"");
        assertEquals(AuthenticationResults.MAX_PROBLEMS + 1, ar.problems().size());
        assertEquals((100 - AuthenticationResults.MAX_PROBLEMS) + " more problems not listed (limit "
                + AuthenticationResults.MAX_PROBLEMS + ")", ar.problems().get(AuthenticationResults.MAX_PROBLEMS));
        assertEquals("x", ar.results().get(0).reason());
    }
}
