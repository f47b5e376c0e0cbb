package org.bouncekit.dnsauth.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsType;

/**
 * A DNS client whose every query completes, and in time: a client that throws, completes exceptionally or with
 * nothing gives {@link DnsAnswer.Outcome#SERVFAIL}; one that does not answer within the timeout gives
 * {@link DnsAnswer.Outcome#TIMEOUT} (the JDK's delayed executor completes {@link #query}'s future; {@link #ask}
 * blocks until then). A name longer than 253 octets cannot exist and gives {@link DnsAnswer.Outcome#NXDOMAIN}
 * without a query.
 *
 * <p>Immutable; thread-safe when the wrapped client is.
 */
public final class BoundedDns implements DnsClient {

    private final DnsClient dns;
    private final long timeoutMillis;

    /**
     * @param dns           the client to ask
     * @param timeoutMillis how long a query may take
     */
    public BoundedDns(DnsClient dns, long timeoutMillis) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public CompletableFuture<DnsAnswer> query(String name, DnsType type) {
        if (name.length() > 254 || name.length() == 254 && !name.endsWith(".")) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(DnsAnswer.Outcome.NXDOMAIN,
                    "a name longer than 253 octets cannot exist"));
        }
        CompletableFuture<DnsAnswer> f = new CompletableFuture<>();
        try {
            CompletionStage<DnsAnswer> stage = dns.query(name, type);
            if (stage == null) {
                return CompletableFuture.completedFuture(DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL,
                        "the DNS client returned no answer"));
            }
            stage.whenComplete((answer, e) -> f.complete(answer != null ? answer
                    : DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, e == null ? "no answer" : e.toString())));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL,
                    "DNS client failed: " + e));
        }
        return f.isDone() ? f : f.completeOnTimeout(DnsAnswer.failed(DnsAnswer.Outcome.TIMEOUT, type + " " + name
                + ": no answer in " + timeoutMillis + " ms"), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks and waits: the answer always comes, within the timeout.
     *
     * @param name the name
     * @param type the type
     * @return the answer
     */
    public DnsAnswer ask(String name, DnsType type) {
        return query(name, type).join();
    }
}
