package org.bouncekit.dnsauth;

import java.util.List;
import java.util.Objects;

/**
 * What a DMARC evaluation came to, with the evidence.
 *
 * <p>Immutable; thread-safe.
 *
 * @param verdict              the result
 * @param authorDomain         the RFC 5322.From domain, or null when there was none usable
 * @param policyDomain         where the policy record was found, or null
 * @param organizationalDomain the author domain's Organizational Domain (tree walk or Public Suffix List), or null
 * @param record               the policy record's text, or null
 * @param requestedPolicy      the policy that applies: {@code none}, {@code quarantine} or {@code reject} ({@code p},
 *                             or {@code sp} for a subdomain, or {@code np} for a non-existent one), or null
 * @param disposition          what to do for a fail: the requested policy, one step lower in testing mode ({@code t=y})
 *                             or when {@code pct} sampled it out (RFC 7489 mode); {@code none} for a pass; null without
 *                             policy
 * @param spfAligned           whether an SPF pass aligned with the author domain
 * @param dkimAligned          whether a DKIM pass aligned with the author domain
 * @param alignedDkimDomain    the {@code d=} of the aligned passing signature, or null
 * @param testing              whether the policy says it is in testing ({@code t=y})
 * @param problems             what went wrong (DNS failures, malformed records, several From domains)
 * @param trace                the queries and decisions, readable
 */
public record DmarcResult(DmarcVerdict verdict, String authorDomain, String policyDomain,
                          String organizationalDomain, String record, String requestedPolicy, String disposition,
                          boolean spfAligned, boolean dkimAligned, String alignedDkimDomain, boolean testing,
                          List<String> problems, List<String> trace) {

    /**
     * Creates the value; lists are copied.
     *
     * @param verdict              see {@link #verdict()}
     * @param authorDomain         see {@link #authorDomain()}
     * @param policyDomain         see {@link #policyDomain()}
     * @param organizationalDomain see {@link #organizationalDomain()}
     * @param record               see {@link #record()}
     * @param requestedPolicy      see {@link #requestedPolicy()}
     * @param disposition          see {@link #disposition()}
     * @param spfAligned           see {@link #spfAligned()}
     * @param dkimAligned          see {@link #dkimAligned()}
     * @param alignedDkimDomain    see {@link #alignedDkimDomain()}
     * @param testing              see {@link #testing()}
     * @param problems             see {@link #problems()}
     * @param trace                see {@link #trace()}
     */
    public DmarcResult {
        Objects.requireNonNull(verdict, "verdict");
        problems = List.copyOf(problems);
        trace = List.copyOf(trace);
    }
}
