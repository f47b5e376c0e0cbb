package org.bouncekit.dnsauth;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.bouncekit.dnsauth.internal.Checks;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.internal.Macros;
import org.bouncekit.dnsauth.internal.SpfEvaluator;
import org.bouncekit.dnsauth.spi.DnsClient;

/**
 * Checks whether a client address may send for a domain, by RFC 7208: every mechanism and modifier, macros,
 * explanations, and the DNS limits (10 DNS-querying terms, 2 void lookups, 10 MX and PTR names).
 *
 * <p>Immutable and thread-safe: build one and share it.
 *
 * <pre>{@code
 * SpfChecker spf = SpfChecker.builder(dns).receiver("mx.example.net").build();
 * SpfResult r = spf.check(InetAddress.getByName("192.0.2.10"), "alice@example.org", "mail.example.org");
 * if (r.verdict() == SpfVerdict.FAIL) {
 *     reject("550 5.7.23 " + r.explanation());
 * }
 * String header = r.receivedSpf("mx.example.net");
 * }</pre>
 */
public final class SpfChecker {

    /** The explanation used when a failing domain gives none (a macro-string; spaces are kept). */
    public static final String DEFAULT_EXPLANATION = "%{i} is not one of %{d}'s designated mail servers.";

    private final SpfEvaluator evaluator;

    private SpfChecker(Builder b) {
        this.evaluator = new SpfEvaluator(new SpfEvaluator.Config(b.dns, b.maxLookups, b.maxVoidLookups,
                b.maxMxNames, b.maxPtrNames, b.timeout.toMillis(), b.receiver, b.clock, b.defaultExplanation));
    }

    /**
     * @param dns the DNS port every check queries
     * @return a builder with RFC 7208's limits
     */
    public static Builder builder(DnsClient dns) {
        return new Builder(dns);
    }

    /**
     * Checks the MAIL FROM identity, or for a null sender the HELO identity ({@code postmaster@} the HELO name).
     * Blocks until the check ends; see {@link #checkAsync}.
     *
     * @param ip     the client address (an IPv4-mapped IPv6 address is checked as IPv4)
     * @param sender the envelope sender; null or empty for a null sender
     * @param helo   the HELO/EHLO name, or null
     * @return the result
     */
    public SpfResult check(InetAddress ip, String sender, String helo) {
        return checkAsync(ip, sender, helo).toCompletableFuture().join();
    }

    /**
     * {@link #check(InetAddress, String, String)} with the address as a literal.
     *
     * @param ip     an IPv4 or IPv6 literal
     * @param sender the envelope sender, or empty
     * @param helo   the HELO name, or null
     * @return the result
     * @throws IllegalArgumentException when {@code ip} is not an address literal
     */
    public SpfResult check(String ip, String sender, String helo) {
        InetAddress address = IpLiterals.parse(Objects.requireNonNull(ip, "ip"));
        return evaluator.check(address, ip, sender, helo).join();
    }

    /**
     * Checks without blocking: the stage completes when the last DNS answer arrives (on the thread that delivers
     * it), or with {@link SpfVerdict#TEMPERROR} when the check's time limit passes (on the JDK's timer thread; a
     * timed-out check asks no more of DNS). It never completes exceptionally. Use the {@code ...Async} methods of
     * the stage for heavy work that follows.
     *
     * @param ip     the client address
     * @param sender the envelope sender, or empty
     * @param helo   the HELO name, or null
     * @return the result to come
     */
    public CompletionStage<SpfResult> checkAsync(InetAddress ip, String sender, String helo) {
        return evaluator.check(Objects.requireNonNull(ip, "ip"), sender, helo);
    }

    /**
     * RFC 7208's {@code check_host()} for a domain given directly (for example the HELO name, or a domain about to
     * publish a record).
     *
     * @param ip     the client address
     * @param domain the domain whose policy is checked
     * @param sender the sender, {@code local-part@domain}
     * @param helo   the HELO name, or null
     * @return the result to come
     */
    public CompletionStage<SpfResult> checkHost(InetAddress ip, String domain, String sender, String helo) {
        return evaluator.checkHost(Objects.requireNonNull(ip, "ip"), Objects.requireNonNull(domain, "domain"),
                Objects.requireNonNull(sender, "sender"), helo);
    }

    /**
     * Builds a {@link SpfChecker}. Setters validate at once; not thread-safe.
     */
    public static final class Builder {
        private final DnsClient dns;
        private int maxLookups = 10;
        private int maxVoidLookups = 2;
        private int maxMxNames = 10;
        private int maxPtrNames = 10;
        private Duration timeout = Duration.ofSeconds(20);
        private String receiver;
        private Clock clock = Clock.systemUTC();
        private String defaultExplanation = DEFAULT_EXPLANATION;

        private Builder(DnsClient dns) {
            this.dns = Objects.requireNonNull(dns, "dns");
        }

        /**
         * @param n DNS-querying terms allowed per check (default 10, RFC 7208 §4.6.4), 1 to 100
         * @return this builder
         */
        public Builder maxLookups(int n) {
            this.maxLookups = (int) Checks.range("maxLookups", n, 1, 100);
            return this;
        }

        /**
         * @param n queries that may find nothing (default 2), 0 to 100
         * @return this builder
         */
        public Builder maxVoidLookups(int n) {
            this.maxVoidLookups = (int) Checks.range("maxVoidLookups", n, 0, 100);
            return this;
        }

        /**
         * @param n MX records an {@code mx} may return before it is a permerror (default 10), 1 to 100
         * @return this builder
         */
        public Builder maxMxNames(int n) {
            this.maxMxNames = (int) Checks.range("maxMxNames", n, 1, 100);
            return this;
        }

        /**
         * @param n PTR names validated per check (default 10; the rest are ignored), 1 to 100
         * @return this builder
         */
        public Builder maxPtrNames(int n) {
            this.maxPtrNames = (int) Checks.range("maxPtrNames", n, 1, 100);
            return this;
        }

        /**
         * @param timeout the whole check's time limit (default 20 s, RFC 7208 §4.6.4); a check past it is
         *                {@link SpfVerdict#TEMPERROR}
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        /**
         * @param receiver the receiving host's name, for {@code %{r}} in explanations (default "unknown")
         * @return this builder
         */
        public Builder receiver(String receiver) {
            this.receiver = Objects.requireNonNull(receiver, "receiver");
            return this;
        }

        /**
         * @param clock the time for {@code %{t}} (default the system's UTC clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param explanation the explanation of a fail when the domain gives none, a macro-string (default
         *                    {@link #DEFAULT_EXPLANATION})
         * @return this builder
         * @throws IllegalArgumentException when it is not a valid macro-string
         */
        public Builder defaultExplanation(String explanation) {
            String bad = Macros.checkExplanation(Objects.requireNonNull(explanation, "explanation"));
            if (bad != null) {
                throw new IllegalArgumentException("default explanation: " + bad);
            }
            this.defaultExplanation = explanation;
            return this;
        }

        /** @return the checker */
        public SpfChecker build() {
            return new SpfChecker(this);
        }
    }
}
