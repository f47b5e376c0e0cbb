package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.junit.jupiter.api.Test;

class DkimSignerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    static final byte[] MESSAGE = String.join("\r\n",
            "From: Alice <alice@example.org>",
            "To: bob@example.net",
            "Subject: Quarterly  report",
            "Date: Thu, 26 Nov 2026 10:00:00 +0000",
            "Message-ID: <q4.1@example.org>",
            "",
            "Hello Bob,  ",
            "",
            "the figures are attached.",
            "", "").getBytes(StandardCharsets.US_ASCII);

    static KeyPair pair(String algorithm) throws NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA")) {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    static DkimVerifier verifier(KeyPair pair) {
        return DkimVerifier.builder(InMemoryDnsClient.builder()
                .txt("sel._domainkey.example.org", DkimSigner.publicKeyRecord(pair.getPublic())).build())
                .clock(CLOCK).build();
    }

    @Test
    void signsWithBothAlgorithmsAndOverSignsByDefault() throws Exception {
        for (String algorithm : new String[] {"RSA", "Ed25519"}) {
            KeyPair pair = pair(algorithm);
            DkimSigner signer = DkimSigner.builder("example.org", "sel", pair.getPrivate()).clock(CLOCK).build();
            byte[] signed = signer.sign(MESSAGE);
            DkimSignatureResult r = verifier(pair).verify(signed).signatures().get(0);
            assertEquals(DkimVerdict.PASS, r.verdict(), r.reason());
            assertEquals(algorithm.equals("RSA") ? "rsa-sha256" : "ed25519-sha256", r.algorithm());
            // present fields signed, over-signed ones once more: absent ones once, so none can be added
            assertEquals(java.util.List.of("from", "from", "sender", "reply-to", "to", "to", "cc", "subject",
                    "subject", "date", "date", "message-id", "message-id", "mime-version", "content-type",
                    "list-unsubscribe", "list-unsubscribe-post"), r.signedHeaders());
            String field = new String(signed, StandardCharsets.US_ASCII);
            assertTrue(field.startsWith("DKIM-Signature: v=1; a="), field);
            String unfolded = field.substring(0, field.indexOf("\r\nFrom:")).replace("\r\n", "");
            assertTrue(unfolded.contains("c=relaxed/relaxed; d=example.org; s=sel; t="
                    + CLOCK.instant().getEpochSecond() + ";"), unfolded);
            for (String line : field.substring(0, field.indexOf("\r\nFrom:")).split("\r\n")) {
                assertTrue(line.length() <= 78, line);
            }

            // an added Subject (over-signed) and a changed body both break it
            byte[] added = (new String(signed, StandardCharsets.US_ASCII).replace("Subject: Quarterly",
                    "Subject: Urgent\r\nSubject: Quarterly")).getBytes(StandardCharsets.US_ASCII);
            assertEquals(DkimVerdict.FAIL, verifier(pair).verify(added).verdict());
            byte[] changed = new String(signed, StandardCharsets.US_ASCII).replace("figures", "figurez")
                    .getBytes(StandardCharsets.US_ASCII);
            DkimSignatureResult body = verifier(pair).verify(changed).signatures().get(0);
            assertEquals(DkimVerdict.FAIL, body.verdict());
            assertEquals("body hash did not verify", body.reason());
        }
    }

    @Test
    void theRfc8463KeysSignWhatTheirPublishedKeysVerify() throws IOException {
        Path dir = DkimVectorsTest.dir("rfc8463");
        InMemoryDnsClient dns = DkimVectorsTest.dns(dir.resolve("dns.json"));
        byte[] unsigned = Files.readAllBytes(dir.resolve("unsigned.eml"));
        for (String[] k : new String[][] {{"brisbane", "ed25519-private-seed-brisbane.b64"},
            {"test", "rsa-private-test.pem"}}) {
            DkimSigner signer = DkimSigner.builder("football.example.com", k[0],
                    DkimSigner.readKey(Files.readString(dir.resolve(k[1])))).canonicalization(false, false)
                    .expireAfter(Duration.ofDays(7)).clock(CLOCK).build();
            byte[] signed = signer.sign(unsigned);
            assertTrue(signed[signed.length - 1] == '\n' && new String(signed, StandardCharsets.US_ASCII)
                    .indexOf('\r') < 0); // an LF file gets an LF field
            DkimSignatureResult r = DkimVerifier.builder(dns).clock(CLOCK).build().verify(signed).signatures()
                    .get(0);
            assertEquals(DkimVerdict.PASS, r.verdict(), r.reason());
            DkimSignatureResult late = DkimVerifier.builder(dns).clock(Clock.offset(CLOCK, Duration.ofDays(8)))
                    .build().verify(signed).signatures().get(0);
            assertEquals(DkimVerdict.POLICY, late.verdict());
            assertTrue(late.reason().startsWith("signature expired"), late.reason());
        }
    }

    @Test
    void aJakartaMailMessageKeepsItsSignatureWhenSaved() throws Exception {
        KeyPair pair = pair("Ed25519");
        DkimSigner signer = DkimSigner.builder("example.org", "sel", pair.getPrivate()).clock(CLOCK).build();
        Session session = Session.getInstance(new Properties());
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@example.org"));
        m.setRecipients(MimeMessage.RecipientType.TO, "bob@example.net");
        m.setSubject("Grüße", "UTF-8");
        m.setText("Hallo Bob,\n\ndie Zahlen.\n", "UTF-8");
        MimeMessage signed = DkimMimeMessages.sign(signer, m, session);
        signed.saveChanges(); // as Transport.send does
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        signed.writeTo(out);
        DkimResult r = verifier(pair).verify(out.toByteArray());
        assertEquals(DkimVerdict.PASS, r.verdict(), r.signatures().toString());
        assertEquals(m.getMessageID(), signed.getMessageID());
        assertEquals(1, signed.getHeader("DKIM-Signature").length);
    }

    @Test
    void keysAndArgumentsAreChecked() throws Exception {
        KeyPair small = KeyPairGenerator.getInstance("RSA").genKeyPair();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(768);
        KeyPair weak = g.generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> DkimSigner.builder("example.org", "s", weak.getPrivate()));
        assertThrows(IllegalArgumentException.class,
                () -> DkimSigner.builder("exa mple.org", "s", small.getPrivate()));
        DkimSigner.Builder b = DkimSigner.builder("example.org", "s", small.getPrivate());
        assertThrows(IllegalArgumentException.class, () -> b.headers("to", "subject"));
        assertThrows(IllegalArgumentException.class, () -> b.identity("a@example.com"));
        assertThrows(IllegalArgumentException.class, () -> b.build().sign("To: x@y\r\n\r\nno from\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class, () -> DkimSigner.readKey("not a key"));
        // PKCS#1 and PKCS#8 PEM of the same key sign alike
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                small.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertArrayEquals(small.getPrivate().getEncoded(), DkimSigner.readKey(pkcs8).getEncoded());
    }
}
