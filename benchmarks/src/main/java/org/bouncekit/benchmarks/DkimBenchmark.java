package org.bouncekit.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.bouncekit.dnsauth.DkimResult;
import org.bouncekit.dnsauth.DkimSigner;
import org.bouncekit.dnsauth.DkimVerdict;
import org.bouncekit.dnsauth.DkimVerifier;
import org.bouncekit.dnsauth.internal.DkimEngine;
import org.bouncekit.dnsauth.internal.DkimKeys;
import org.bouncekit.dnsauth.internal.DkimTags;
import org.bouncekit.dnsauth.internal.RawMessage;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DKIM verification against the bare cryptography it cannot avoid, in the same run.
 *
 * <ul>
 * <li>{@link #verify}: {@code DkimVerifier.verify(message)}: header located, signature tags and key record parsed
 * (key from an in-memory DNS), body canonicalized (relaxed) and hashed, header data canonicalized, signature
 * checked.</li>
 * <li>{@link #bareCrypto} (baseline): SHA-256 over the whole message's bytes plus a {@code Signature} made,
 * initialised with the (already decoded) key and verifying the message's own signature over the exact header data
 * it signs (computed once in setup): the least any verifier must do per message.</li>
 * </ul>
 * The message is 6.5 KB (the shared corpus's average), signed relaxed/relaxed with a 2,048-bit RSA key or an
 * Ed25519 key; its body is plain prose, or white-space-heavy ({@link #body}). Goal: {@code verify} costs at most
 * 1.25× {@code bareCrypto}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DkimBenchmark -f 2 -wi 5 -i 5 -w 2s -r 3s -t 1 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimBenchmark {

    /** {@code rsa} (rsa-sha256, 2,048 bits) or {@code ed25519} (ed25519-sha256). */
    @Param({"rsa", "ed25519"})
    public String algorithm;

    /**
     * {@code prose}: lines of text with single spaces, as most mail is; {@code spaced}: every line with runs of
     * spaces and a tab, which relaxed canonicalization must rewrite (the worst case).
     */
    @Param({"prose", "spaced"})
    public String body;

    private DkimVerifier verifier;
    private byte[] signed;
    private java.security.PublicKey publicKey;
    private byte[] headerData;
    private byte[] signatureBytes;
    private boolean ed25519;

    @Setup
    public void setUp() throws Exception {
        ed25519 = algorithm.equals("ed25519");
        KeyPairGenerator g = KeyPairGenerator.getInstance(ed25519 ? "Ed25519" : "RSA");
        if (!ed25519) {
            g.initialize(2048);
        }
        KeyPair pair = g.generateKeyPair();
        StringBuilder text = new StringBuilder();
        while (text.length() < 6000) {
            if (body.equals("spaced")) {
                text.append("Dear customer,  your order   #").append(text.length())
                        .append(" has shipped.\tTrack it at https://example.org/track \r\n\r\n");
            } else {
                text.append("Your order ").append(text.length()).append(" has shipped and should arrive within ")
                        .append("three working days. You can follow it at https://example.org/track.\r\n\r\n");
            }
        }
        String message = "From: Shop <orders@example.org>\r\nTo: kim@example.net\r\nSubject: Your order\r\n"
                + "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <o.1@example.org>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text;
        DkimSigner signer = DkimSigner.builder("example.org", "s1", pair.getPrivate()).build();
        signed = signer.sign(message.getBytes(StandardCharsets.UTF_8));
        verifier = DkimVerifier.builder(InMemoryDnsClient.builder()
                .txt("s1._domainkey.example.org", DkimSigner.publicKeyRecord(pair.getPublic())).build())
                .clock(Clock.systemUTC()).build();
        DkimResult r = verifier.verify(signed);
        if (r.verdict() != DkimVerdict.PASS) {
            throw new IllegalStateException(r.toString());
        }
        // the baseline's inputs: the message's own signature and the exact header data it signs (the header
        // fields named in h= and the signature field with b= emptied, relaxed), as the verifier computes them
        RawMessage raw = RawMessage.of(signed, 1000);
        RawMessage.Field field = raw.fields().get(0);
        DkimTags tags = DkimTags.parse(raw.rawValue(field));
        java.lang.reflect.Method own = DkimEngine.class.getDeclaredMethod("withoutSignatureValue", byte[].class,
                RawMessage.Field.class);
        own.setAccessible(true);
        headerData = DkimEngine.signedData(raw, tags.get("h"), (byte[]) own.invoke(null, signed, field), true);
        signatureBytes = DkimKeys.decode(tags.get("b"));
        publicKey = pair.getPublic();
    }

    @Benchmark
    public DkimVerdict verify() {
        return verifier.verify(signed).verdict();
    }

    @Benchmark
    public boolean bareCrypto() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] bodyHash = sha.digest(signed);
        Signature bare = Signature.getInstance(ed25519 ? "Ed25519" : "SHA256withRSA");
        bare.initVerify(publicKey);
        if (ed25519) {
            bare.update(MessageDigest.getInstance("SHA-256").digest(headerData));
        } else {
            bare.update(headerData);
        }
        return bare.verify(signatureBytes) && bodyHash.length == 32;
    }
}
