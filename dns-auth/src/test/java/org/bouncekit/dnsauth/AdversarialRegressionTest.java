package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.junit.jupiter.api.Test;

/**
 * One small, in-process test per defect that {@link AdversarialDnsTest} found with its full-size inputs (each failed
 * before its fix): the records are just past the limit here, not 10 MB.
 */
class AdversarialRegressionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private static final byte[] MESSAGE = ("From: alice@example.org\r\nSubject: hello\r\n\r\nHello.\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    /** An SPF record of 10 MB was parsed into a million terms: out of memory, reported as a temperror. */
    @Test
    void spfRecordLongerThanADnsAnswerIsAPermerrorNamingTheLimit() {
        String record = "v=spf1" + " ip4:10.1.2.3".repeat(5100) + " -all";
        assertTrue(record.length() > 65_535);
        SpfResult r = SpfChecker.builder(InMemoryDnsClient.builder().txt("example.org", record).build()).build()
                .check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.PERMERROR, r.verdict());
        assertEquals(List.of("example.org: record of " + record.length() + " characters, longer than 65535 (limit "
                + "MAX_LENGTH: the most one DNS answer holds)"), r.problems());
    }

    /** An exp= explanation of 10 MB was expanded: out of memory, and a FAIL became a temperror. */
    @Test
    void explanationLongerThanTheLimitGivesTheDefault() {
        InMemoryDnsClient dns = InMemoryDnsClient.builder().txt("example.org", "v=spf1 exp=why.example.org -all")
                .txt("why.example.org", "%{i} ".repeat(1000)).build();
        SpfResult r = SpfChecker.builder(dns).build().check("192.0.2.1", "a@example.org", null);
        assertEquals(SpfVerdict.FAIL, r.verdict());
        assertEquals("192.0.2.1 is not one of example.org's designated mail servers.", r.explanation());
        assertTrue(r.trace().contains("explanation of 5000 characters is longer than 4096 (limit); the default is "
                + "used"), r.trace()::toString);
    }

    /** A key record of 10 MB was parsed and decoded: out of memory, reported as a temperror. */
    @Test
    void dkimKeyRecordLongerThanADnsAnswerIsAPermerror() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] signed = DkimSigner.builder("example.org", "s", pair.getPrivate()).clock(CLOCK).build().sign(MESSAGE);
        String record = DkimSigner.publicKeyRecord(pair.getPublic()) + "; n=" + "x".repeat(65_535);
        DkimResult r = DkimVerifier.builder(InMemoryDnsClient.builder().txt("s._domainkey.example.org", record)
                .build()).clock(CLOCK).build().verify(signed);
        assertEquals(DkimVerdict.PERMERROR, r.signatures().get(0).verdict());
        assertEquals("key record syntax: tag-list of " + record.length() + " characters, longer than 65535 (limit "
                + "MAX_LENGTH: the most one DNS answer holds)", r.signatures().get(0).reason());
    }

    /** A valid signature over a header of more than maxHeaderFields fields was a FAIL: its From was not read. */
    @Test
    void signatureOverAHeaderNotReadWholeIsAPermerrorNotAFail() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] signed = DkimSigner.builder("example.org", "s", pair.getPrivate()).clock(CLOCK).build()
                .sign(("X-Filler: x\r\n".repeat(20) + new String(MESSAGE, StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII));
        InMemoryDnsClient dns = InMemoryDnsClient.builder().txt("s._domainkey.example.org",
                DkimSigner.publicKeyRecord(pair.getPublic())).build();
        DkimSignatureResult r = DkimVerifier.builder(dns).clock(CLOCK).maxHeaderFields(10).build().verify(signed)
                .signatures().get(0);
        assertEquals(DkimVerdict.PERMERROR, r.verdict());
        assertEquals("the header has more than 10 fields and was not read whole, so the signed fields cannot be "
                + "found (limit maxHeaderFields)", r.reason());
        assertEquals(DkimVerdict.PASS, DkimVerifier.builder(dns).clock(CLOCK).build().verify(signed).signatures()
                .get(0).verdict());
    }

    /** A key over the JDK's 16,384 bits was reported as "Invalid RSA public key", the fallback's reason. */
    @Test
    void rsaKeyOverTheJdkLimitSaysSo() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        RSAPublicKey real = (RSAPublicKey) pair.getPublic();
        byte[] modulus = new byte[2100]; // 16,800 bits
        modulus[0] = 1;
        String p = Base64.getEncoder().encodeToString(AdversarialDnsTest.rsaSpki(new BigInteger(1, modulus),
                real.getPublicExponent()));
        byte[] signed = DkimSigner.builder("example.org", "s", pair.getPrivate()).clock(CLOCK).build().sign(MESSAGE);
        DkimSignatureResult r = DkimVerifier.builder(InMemoryDnsClient.builder().txt("s._domainkey.example.org",
                "v=DKIM1; k=rsa; p=" + p).build()).clock(CLOCK).build().verify(signed).signatures().get(0);
        assertEquals(DkimVerdict.PERMERROR, r.verdict());
        assertTrue(r.reason().startsWith("unusable key: ") && r.reason().contains("16384"), r.reason());
    }

    /** 100,000 DMARC records were all kept, and each malformed one listed: out of memory. */
    @Test
    void dmarcKeepsOneRecordAndListsTenMalformedOnes() {
        InMemoryDnsClient.Builder b = InMemoryDnsClient.builder();
        for (int i = 0; i < 30; i++) {
            b.txt("_dmarc.example.org", "v=DMARC1; p=reject; bad " + i);
        }
        DmarcResult r = DmarcEvaluator.builder(b.build()).build().evaluate("example.org", null,
                new DkimResult(List.of(), List.of()));
        assertEquals(DmarcVerdict.NONE, r.verdict());
        assertEquals(11, r.problems().size(), r.problems()::toString);
        assertEquals("malformed DMARC record at _dmarc.example.org (tag-spec without '=': \"bad 0\"): v=DMARC1; "
                + "p=reject; bad 0", r.problems().get(0));
        assertEquals("20 more malformed DMARC records at _dmarc.example.org not listed", r.problems().get(10));
    }
}
