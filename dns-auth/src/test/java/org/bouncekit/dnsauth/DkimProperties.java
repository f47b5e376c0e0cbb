package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;

/** Sign then verify: random header fields and bodies, both algorithms, both canonicalizations of each part. */
class DkimProperties {

    private static final KeyPair RSA;
    private static final KeyPair ED25519;

    static {
        try {
            RSA = DkimSignerTest.pair("RSA");
            ED25519 = DkimSignerTest.pair("Ed25519");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final DkimVerifier VERIFIER = DkimVerifier.builder(InMemoryDnsClient.builder()
            .txt("rsa._domainkey.example.org", DkimSigner.publicKeyRecord(RSA.getPublic()))
            .txt("ed._domainkey.example.org", DkimSigner.publicKeyRecord(ED25519.getPublic()))
            .build()).clock(DkimSignerTest.CLOCK).build();

    /** Printable text with runs of spaces and tabs, the kind canonicalization rewrites. */
    @Provide
    Arbitrary<String> line() {
        return Arbitraries.strings().withChars(" \tabcXYZ019.,;:-=@<>\"'()").ofMaxLength(60);
    }

    @Provide
    Arbitrary<String> message() {
        Arbitrary<String> name = Arbitraries.of("Subject", "To", "Cc", "X-Mailer", "Reply-To", "Received",
                "Content-Type", "X-Tag");
        Arbitrary<String> field = Combinators.combine(name, line(), line(), Arbitraries.of(true, false))
                .as((n, a, b, fold) -> n + ": " + a.strip() + (fold ? "\n\t" + b.strip() + "x" : ""));
        Arbitrary<List<String>> fields = field.list().ofMaxSize(8);
        Arbitrary<List<String>> body = Arbitraries.oneOf(line(), Arbitraries.just("")).list().ofMaxSize(12);
        return Combinators.combine(fields, body, Arbitraries.of("\r\n", "\n"))
                .as((fs, lines, eol) -> String.join(eol, List.of("From: <a@example.org>")) + eol
                        + (fs.isEmpty() ? "" : String.join(eol, fs).replace("\n", eol.equals("\n") ? "\n"
                        : "\r\n").replace("\r\r\n", "\r\n") + eol) + eol + String.join(eol, lines));
    }

    @Property(tries = 300)
    void whatWeSignVerifies(@ForAll("message") String message, @ForAll boolean ed25519,
                            @ForAll boolean relaxedHeader, @ForAll boolean relaxedBody) {
        DkimSigner signer = DkimSigner.builder("example.org", ed25519 ? "ed" : "rsa",
                (ed25519 ? ED25519 : RSA).getPrivate()).canonicalization(relaxedHeader, relaxedBody)
                .clock(DkimSignerTest.CLOCK).build();
        byte[] signed = signer.sign(message.getBytes(StandardCharsets.ISO_8859_1));
        DkimSignatureResult r = VERIFIER.verify(signed).signatures().get(0);
        assertEquals(DkimVerdict.PASS, r.verdict(), r.reason() + "\n" + new String(signed,
                StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 200)
    void aChangedWordBreaksIt(@ForAll("message") String message, @ForAll boolean relaxed) {
        String withWord = message + (message.endsWith("\n") ? "" : "\n") + "payload\n";
        DkimSigner signer = DkimSigner.builder("example.org", "ed", ED25519.getPrivate())
                .canonicalization(relaxed, relaxed).clock(DkimSignerTest.CLOCK).build();
        String signed = new String(signer.sign(withWord.getBytes(StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1);
        byte[] tampered = signed.replace("payload", "paYload").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(DkimVerdict.FAIL, VERIFIER.verify(tampered).verdict());
    }
}
