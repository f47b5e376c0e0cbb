package org.bouncekit.dnsauth.spi;

import java.util.concurrent.CompletionStage;

/**
 * The DNS port of the checkers: one asynchronous query at a time, by absolute name and type. Implementations follow
 * CNAMEs, join TXT character-strings without separator, and report failures as {@link DnsAnswer} values, never by
 * completing the stage exceptionally; a null argument is refused at once with a {@link NullPointerException}.
 *
 * <p>BounceKit provides {@link InMemoryDnsClient} (tests, and records checked before they are published),
 * {@link ZoneFileDnsClient} (RFC 1035 zone files) and {@link DnsJavaClient} (the network, through dnsjava).
 * Implementations must be thread-safe.
 *
 * <pre>{@code
 * DnsClient dns = InMemoryDnsClient.builder()
 *         .txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all")
 *         .build();
 * DnsAnswer answer = dns.query("example.org", DnsType.TXT).toCompletableFuture().join();
 * }</pre>
 */
@FunctionalInterface
public interface DnsClient {

    /**
     * @param name an absolute domain name, with or without its trailing dot, any case
     * @param type the record type
     * @return the answer
     */
    CompletionStage<DnsAnswer> query(String name, DnsType type);
}
