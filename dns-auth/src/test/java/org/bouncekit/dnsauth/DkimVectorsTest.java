package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** The published vectors: RFC 8463 appendix A (Ed25519 and RSA) and RFC 6376 appendix A with its errata. */
class DkimVectorsTest {

    /** A zone from a {@code dns.json} (name to TXT strings). */
    @SuppressWarnings("unchecked")
    static InMemoryDnsClient dns(Path json) throws IOException {
        InMemoryDnsClient.Builder b = InMemoryDnsClient.builder();
        try (Reader r = Files.newBufferedReader(json)) {
            Map<String, List<String>> records = new Yaml().load(r); // JSON is YAML
            records.forEach((name, texts) -> texts.forEach(t -> b.txt(name, t)));
        }
        return b.build();
    }

    static Path dir(String name) {
        return TestData.root().resolve("auth/dkim").resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"signed-ed25519-and-rsa.eml", "signed-ed25519-and-rsa.crlf.eml"})
    void rfc8463BothSignaturesPass(String file) throws IOException {
        DkimVerifier v = DkimVerifier.builder(dns(dir("rfc8463").resolve("dns.json"))).build();
        DkimResult r = v.verify(Files.readAllBytes(dir("rfc8463").resolve(file)));
        assertEquals(2, r.signatures().size());
        DkimSignatureResult ed = r.signatures().get(0);
        assertEquals("ed25519-sha256", ed.algorithm());
        assertEquals(DkimVerdict.PASS, ed.verdict(), ed.reason());
        assertEquals(256, ed.keyBits());
        DkimSignatureResult rsa = r.signatures().get(1);
        assertEquals("rsa-sha256", rsa.algorithm());
        assertEquals(DkimVerdict.PASS, rsa.verdict(), rsa.reason());
        assertEquals(1024, rsa.keyBits());
        assertEquals(List.of("from", "to", "subject", "date", "message-id", "from", "subject", "date"),
                rsa.signedHeaders());
    }

    @ParameterizedTest
    @ValueSource(strings = {"appendixA-errata-corrected.eml", "appendixA-errata-corrected.crlf.eml"})
    void rfc6376ErrataCorrectedPasses(String file) throws IOException {
        DkimVerifier v = DkimVerifier.builder(dns(dir("rfc6376").resolve("dns.json"))).build();
        DkimSignatureResult s = v.verify(Files.readAllBytes(dir("rfc6376").resolve(file))).signatures().get(0);
        assertEquals(DkimVerdict.PASS, s.verdict(), s.reason());
        assertNull(s.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"appendixA-as-printed-double-space.crlf.eml"})
    void rfc6376AsPrintedFailsOnTheBodyHash(String file) throws IOException {
        DkimVerifier v = DkimVerifier.builder(dns(dir("rfc6376").resolve("dns.json"))).build();
        DkimSignatureResult s = v.verify(Files.readAllBytes(dir("rfc6376").resolve(file))).signatures().get(0);
        assertEquals(DkimVerdict.FAIL, s.verdict());
        assertEquals("body hash did not verify", s.reason());
    }
}
