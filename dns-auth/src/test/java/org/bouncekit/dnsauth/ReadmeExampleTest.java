package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.junit.jupiter.api.Test;

/** Compiles and runs the SPF example of the README; the README's block must stay identical to it. */
class ReadmeExampleTest {

    @Test
    void spfExample() throws IOException {
        // README spf begin
        DnsClient dns = InMemoryDnsClient.builder()  // or DnsJavaClient.builder().build(), ZoneFileDnsClient.read(..)
                .txt("example.org", "v=spf1 include:_spf.example.net -all")
                .txt("_spf.example.net", "v=spf1 ip4:192.0.2.0/24 ~all")
                .build();
        SpfChecker spf = SpfChecker.builder(dns).receiver("mx.example.com").build();  // immutable, share it
        SpfResult r = spf.check("198.51.100.7", "alice@example.org", "mail.example.org");
        String verdict = r.verdict().token();        // "fail", decided by "-all"
        String why = r.explanation();                // "198.51.100.7 is not one of example.org's ..."
        String header = r.receivedSpf("mx.example.com");
        // README spf end
        assertEquals("fail", verdict);
        assertEquals("-all", r.mechanism());
        assertEquals("198.51.100.7 is not one of example.org's designated mail servers.", why);
        assertTrue(header.startsWith("Received-SPF: fail (mx.example.com: domain of alice@example.org does not "
                + "designate 198.51.100.7 as permitted sender) client-ip=198.51.100.7;"), header);
        assertEquals(1, r.lookups());

        assertReadmeShows("spf");
    }
    @Test
    void dkimExample() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
        java.security.KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        byte[] message = "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: Hi\r\n\r\nHello\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.List<String> out = new java.util.ArrayList<>();
        // README dkim begin
        DkimSigner signer = DkimSigner.builder("example.org", "mail2026", DkimSigner.readKey(pem)).build();
        byte[] signed = signer.sign(message);                     // DKIM-Signature first, relaxed/relaxed
        String record = DkimSigner.publicKeyRecord(pair.getPublic()); // publish at mail2026._domainkey.example.org

        DnsClient dns = InMemoryDnsClient.builder().txt("mail2026._domainkey.example.org", record).build();
        DkimVerifier dkim = DkimVerifier.builder(dns).build();    // immutable, share it
        for (DkimSignatureResult s : dkim.verify(signed).signatures()) {
            out.add(s.domain() + " " + s.algorithm() + " " + s.verdict().token() + " " + s.reason());
        }
        // README dkim end
        assertEquals(java.util.List.of("example.org ed25519-sha256 pass null"), out);
        assertTrue(record.startsWith("v=DKIM1; k=ed25519; p="));

        assertReadmeShows("dkim");
    }

    /** The README's block must be the code between the markers {@code // README NAME begin/end}, unindented. */
    private static void assertReadmeShows(String name) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src", "test", "java", "org", "bouncekit", "dnsauth",
                "ReadmeExampleTest.java"));
        String begin = "// README " + name + " begin\n";
        String block = source.substring(source.indexOf(begin) + begin.length(),
                source.indexOf("        // README " + name + " end"));
        StringBuilder unindented = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            unindented.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String expected = unindented.toString().strip();
        assertTrue(readme.contains("```java\n" + expected + "\n```"),
                "README must show the example exactly as compiled:\n" + expected);
    }
}
