package org.bouncekit.dnsauth;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link DomainAuditor} found for one sending domain: the records it read and the findings, worst first.
 *
 * <p>Immutable; thread-safe.
 *
 * @param domain         the audited domain
 * @param spfRecord      the SPF record, or null when there is none (or several)
 * @param spfLookups     the DNS-querying terms the record reaches across its includes and redirects (RFC 7208
 *                       allows 10); a term whose name holds a macro counts once and is not followed
 * @param spfVoidLookups how many of the names those terms query have no records (RFC 7208 allows 2)
 * @param dmarcRecord    the DMARC policy record that applies, or null
 * @param dmarcDomain    where it is published: the domain, or the ancestor the RFC 9989 tree walk found it at, or
 *                       null
 * @param dkimKeys       the key records of the selectors asked for, in order
 * @param mx             the MX records as {@code PREFERENCE EXCHANGE} (a null MX is {@code 0 .}), by preference
 * @param mtaSts         the MTA-STS record, or null
 * @param tlsRpt         the TLS-RPT record, or null
 * @param findings       what is wrong, weak or missing: errors first, then warnings, then notes
 */
public record DomainAudit(String domain, String spfRecord, int spfLookups, int spfVoidLookups, String dmarcRecord,
                          String dmarcDomain, List<DkimKey> dkimKeys, List<String> mx, String mtaSts, String tlsRpt,
                          List<AuditFinding> findings) {

    /**
     * Creates the value; lists are copied.
     *
     * @param domain         see {@link #domain()}
     * @param spfRecord      see {@link #spfRecord()}
     * @param spfLookups     see {@link #spfLookups()}
     * @param spfVoidLookups see {@link #spfVoidLookups()}
     * @param dmarcRecord    see {@link #dmarcRecord()}
     * @param dmarcDomain    see {@link #dmarcDomain()}
     * @param dkimKeys       see {@link #dkimKeys()}
     * @param mx             see {@link #mx()}
     * @param mtaSts         see {@link #mtaSts()}
     * @param tlsRpt         see {@link #tlsRpt()}
     * @param findings       see {@link #findings()}
     */
    public DomainAudit {
        Objects.requireNonNull(domain, "domain");
        dkimKeys = List.copyOf(dkimKeys);
        mx = List.copyOf(mx);
        findings = List.copyOf(findings);
    }

    /**
     * @param kind a kind of finding
     * @return the findings of that kind
     */
    public List<AuditFinding> findings(AuditFinding.Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /**
     * @param severity a severity
     * @return how many findings have it
     */
    public int count(AuditFinding.Severity severity) {
        return (int) findings.stream().filter(f -> f.severity() == severity).count();
    }

    /**
     * A DKIM key record found at {@code selector._domainkey.domain}.
     *
     * @param selector the selector
     * @param record   the record's text, or null when there is none
     * @param type     {@code rsa} or {@code ed25519}, or null when the record names another or is unusable
     * @param bits     the key's size in bits (256 for Ed25519), 0 when there is no usable key
     * @param revoked  whether the key is revoked (empty {@code p=})
     * @param testing  whether the record says the domain is testing DKIM ({@code t=y})
     */
    public record DkimKey(String selector, String record, String type, int bits, boolean revoked,
                          boolean testing) {

        /**
         * @param selector see {@link #selector()}
         * @param record   see {@link #record()}
         * @param type     see {@link #type()}
         * @param bits     see {@link #bits()}
         * @param revoked  see {@link #revoked()}
         * @param testing  see {@link #testing()}
         */
        public DkimKey {
            Objects.requireNonNull(selector, "selector");
        }
    }
}
