package org.bouncekit.dnsauth.spi;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one query: records, or why there are none. NXDOMAIN and NODATA are distinct (both are "void" to
 * SPF), and so are a server failure and an unanswered query (both temporary to every checker).
 *
 * <p>Immutable; thread-safe.
 *
 * @param outcome    what the server said
 * @param records    the records of the queried type, in the order received; empty unless {@link Outcome#ANSWER}
 * @param ttlSeconds how long the answer may be cached (the smallest record TTL, or the negative-caching TTL); 0 when
 *                   unknown
 * @param detail     a readable detail for failures (the server's name, the error), or null
 */
public record DnsAnswer(Outcome outcome, List<DnsRecord> records, long ttlSeconds, String detail) {

    /** What a server said to a query. */
    public enum Outcome {
        /** Records of the queried type. */
        ANSWER,
        /** The name exists but has no record of the type (NOERROR, no answer). */
        NODATA,
        /** The name does not exist (RCODE 3). */
        NXDOMAIN,
        /** The server failed or refused (SERVFAIL, REFUSED, a malformed answer). */
        SERVFAIL,
        /** No answer in time. */
        TIMEOUT
    }

    /**
     * @param outcome    see {@link #outcome()}
     * @param records    see {@link #records()}
     * @param ttlSeconds see {@link #ttlSeconds()}
     * @param detail     see {@link #detail()}
     */
    public DnsAnswer {
        Objects.requireNonNull(outcome, "outcome");
        records = List.copyOf(records);
        if (outcome != Outcome.ANSWER && !records.isEmpty()) {
            throw new IllegalArgumentException("records given with outcome " + outcome);
        }
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("negative ttl " + ttlSeconds);
        }
    }

    /**
     * @param records the records (an empty list is NODATA)
     * @param ttlSeconds the TTL
     * @return an answer
     */
    public static DnsAnswer of(List<? extends DnsRecord> records, long ttlSeconds) {
        return records.isEmpty() ? new DnsAnswer(Outcome.NODATA, List.of(), ttlSeconds, null)
                : new DnsAnswer(Outcome.ANSWER, List.copyOf(records), ttlSeconds, null);
    }

    /**
     * @param outcome a failure or empty outcome
     * @param detail  a detail, or null
     * @return an answer without records
     */
    public static DnsAnswer failed(Outcome outcome, String detail) {
        if (outcome == Outcome.ANSWER) {
            throw new IllegalArgumentException("ANSWER is not a failure");
        }
        return new DnsAnswer(outcome, List.of(), 0, detail);
    }

    /** @return true for NXDOMAIN and NODATA: the name answered, with nothing (a "void lookup" to SPF) */
    public boolean isVoid() {
        return outcome == Outcome.NODATA || outcome == Outcome.NXDOMAIN;
    }

    /** @return true for SERVFAIL and TIMEOUT: no usable answer now, maybe later */
    public boolean isTemporaryFailure() {
        return outcome == Outcome.SERVFAIL || outcome == Outcome.TIMEOUT;
    }
}
