package org.bouncekit.classifier.analytics;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of a DMARC aggregate report (RFC 7489 appendix C, RFC 9990), as {@link BounceAnalytics} counts it: how
 * many messages a source address sent as a domain, and how they fared. The classifier knows nothing of DNS; an
 * application (or the CLI) maps the rows of a parsed report into these values.
 *
 * <p>Immutable; thread-safe.
 *
 * @param begin       the start of the report's period
 * @param reporter    the organization that sent the report, or null
 * @param sourceIp    the sending address
 * @param count       the number of messages
 * @param headerFrom  the RFC 5322.From domain, or null
 * @param disposition what the receiver did: {@code none}, {@code quarantine} or {@code reject}, or null
 * @param dkim        the DMARC-aligned DKIM result ({@code pass} or {@code fail}), or null
 * @param spf         the DMARC-aligned SPF result ({@code pass} or {@code fail}), or null
 */
public record AuthReportRow(Instant begin, String reporter, String sourceIp, long count, String headerFrom,
                            String disposition, String dkim, String spf) {

    /**
     * @param begin       see {@link #begin()}
     * @param reporter    see {@link #reporter()}
     * @param sourceIp    see {@link #sourceIp()}
     * @param count       see {@link #count()}
     * @param headerFrom  see {@link #headerFrom()}
     * @param disposition see {@link #disposition()}
     * @param dkim        see {@link #dkim()}
     * @param spf         see {@link #spf()}
     * @throws IllegalArgumentException when the count is negative
     */
    public AuthReportRow {
        Objects.requireNonNull(begin, "begin");
        Objects.requireNonNull(sourceIp, "sourceIp");
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
    }

    /** @return whether DMARC passed: an aligned DKIM or SPF pass */
    public boolean dmarcPass() {
        return "pass".equalsIgnoreCase(dkim) || "pass".equalsIgnoreCase(spf);
    }
}
