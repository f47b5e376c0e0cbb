package org.bouncekit.dnsauth;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.bouncekit.dnsauth.internal.Checks;
import org.bouncekit.dnsauth.internal.DkimEngine;
import org.bouncekit.dnsauth.spi.DnsClient;

/**
 * Verifies the DKIM signatures of a message (RFC 6376, RFC 8463 Ed25519, RFC 8301): simple and relaxed
 * canonicalization, {@code l=} (honoured and flagged), over-signed {@code h=}, {@code t=}/{@code x=} against the
 * injected clock, key records ({@code v k p h s t}) and revoked keys. By default rsa-sha1 and RSA keys under 1,024
 * bits give {@link DkimVerdict#POLICY}, as RFC 8301 requires; {@link Builder#lenient()} passes them, noting it.
 * The body is hashed where it lies, never copied.
 *
 * <p>Immutable and thread-safe: build one and share it.
 *
 * <pre>{@code
 * DkimVerifier dkim = DkimVerifier.builder(dns).build();
 * DkimResult r = dkim.verify(messageBytes);
 * for (DkimSignatureResult s : r.signatures()) {
 *     System.out.println(s.domain() + " " + s.verdict().token() + " " + s.reason());
 * }
 * }</pre>
 */
public final class DkimVerifier {

    private final DkimEngine engine;

    private DkimVerifier(Builder b) {
        this.engine = new DkimEngine(new DkimEngine.Config(b.dns, b.clock, b.lenient, b.maxSignatures, b.minRsaBits,
                b.maxClockSkew.toSeconds(), b.maxHeaderFields, b.timeout.toMillis()));
    }

    /**
     * @param dns the DNS port keys are fetched through
     * @return a builder with RFC 8301's policy
     */
    public static Builder builder(DnsClient dns) {
        return new Builder(dns);
    }

    /**
     * Verifies every signature (up to the limit), blocking until done.
     *
     * @param message the message as received (CRLF or LF line ends)
     * @return one result per signature
     */
    public DkimResult verify(byte[] message) {
        return engine.verify(Objects.requireNonNull(message, "message")).join();
    }

    /**
     * @param in the message (read to its end, not closed)
     * @return one result per signature
     * @throws IOException when reading fails
     */
    public DkimResult verify(InputStream in) throws IOException {
        return verify(in.readAllBytes());
    }

    /**
     * Verifies without blocking: the keys are fetched at once, the signatures checked when they arrive. The stage
     * never completes exceptionally; a signature whose key is late is {@link DkimVerdict#TEMPERROR}.
     *
     * @param message the message; it must not change until the stage completes
     * @return the result to come
     */
    public CompletionStage<DkimResult> verifyAsync(byte[] message) {
        return engine.verify(Objects.requireNonNull(message, "message"));
    }

    /**
     * Builds a {@link DkimVerifier}. Setters validate at once; not thread-safe.
     */
    public static final class Builder {
        private final DnsClient dns;
        private Clock clock = Clock.systemUTC();
        private boolean lenient;
        private int maxSignatures = 10;
        private int minRsaBits = 1024;
        private Duration maxClockSkew = Duration.ofMinutes(5);
        private int maxHeaderFields = 1_000;
        private Duration timeout = Duration.ofSeconds(20);

        private Builder(DnsClient dns) {
            this.dns = Objects.requireNonNull(dns, "dns");
        }

        /**
         * @param clock the time {@code t=} and {@code x=} are judged by (default the system's UTC clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Passes what RFC 8301 forbids (rsa-sha1, RSA keys under the minimum) and pre-RFC signatures without
         * {@code v=}, each noted in {@link DkimSignatureResult#notes()}: for reading old mail, never for deciding.
         *
         * @return this builder
         */
        public Builder lenient() {
            this.lenient = true;
            return this;
        }

        /**
         * @param n signatures verified per message (default 10), 1 to 100; more are reported as a problem
         * @return this builder
         */
        public Builder maxSignatures(int n) {
            this.maxSignatures = (int) Checks.range("maxSignatures", n, 1, 100);
            return this;
        }

        /**
         * @param bits the smallest RSA key that passes (default 1024, RFC 8301), 512 to 16384
         * @return this builder
         */
        public Builder minRsaBits(int bits) {
            this.minRsaBits = (int) Checks.range("minRsaBits", bits, 512, 16384);
            return this;
        }

        /**
         * @param skew how far in the future a signature's {@code t=} may be (default 5 minutes)
         * @return this builder
         */
        public Builder maxClockSkew(Duration skew) {
            if (skew.isNegative()) {
                throw new IllegalArgumentException("negative clock skew " + skew);
            }
            this.maxClockSkew = skew;
            return this;
        }

        /**
         * @param n header fields read per message (default 1,000), 10 to 100,000
         * @return this builder
         */
        public Builder maxHeaderFields(int n) {
            this.maxHeaderFields = (int) Checks.range("maxHeaderFields", n, 10, 100_000);
            return this;
        }

        /**
         * @param timeout the time limit of one verification (default 20 s); a signature still waiting for its key
         *                then is {@link DkimVerdict#TEMPERROR}
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        /** @return the verifier */
        public DkimVerifier build() {
            return new DkimVerifier(this);
        }
    }
}
