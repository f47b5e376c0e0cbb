package org.bouncekit.dnsauth;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncekit.dnsauth.internal.IpText;

/**
 * A DMARC aggregate report (RFC 7489 appendix C; RFC 9990 with its {@code urn:ietf:params:xml:ns:dmarc-2.0}
 * namespace), as {@link AggregateReportParser} reads it: who reported, the policy they saw, and one {@link Row} per
 * {@code <record>}, ready to be summed by source, domain or result.
 *
 * <p>Values are kept as the reporter wrote them, trimmed, with enumerated tokens ({@code none}, {@code pass},
 * {@code r}, ...) in lower case; a value outside its schema's set is kept and noted in {@link #problems()}. Absent
 * elements are null (or empty lists).
 *
 * <p>Immutable; thread-safe.
 *
 * @param version   the {@code <version>} element ({@code 1.0} in RFC 9990 reports), or null
 * @param metadata  the {@code <report_metadata>}; never null, its fields null when absent
 * @param policy    the {@code <policy_published>}; never null, its fields null when absent
 * @param rows      one per {@code <record>}, in document order
 * @param container how the XML was found: {@code xml}, {@code gzip} or {@code zip}, prefixed by {@code message/}
 *                  when it was an attachment of an email ({@code message/gzip})
 * @param problems  what was wrong or doubtful (a missing required element, a value outside its set, XML that
 *                  ends early), each with its line; at most the parser's {@code maxProblems} plus one entry saying
 *                  that more were dropped. Empty for a clean report.
 */
public record AggregateReport(String version, Metadata metadata, PolicyPublished policy, List<Row> rows,
                              String container, List<String> problems) {

    /**
     * Creates the value; lists are copied.
     *
     * @param version   see {@link #version()}
     * @param metadata  see {@link #metadata()}
     * @param policy    see {@link #policy()}
     * @param rows      see {@link #rows()}
     * @param container see {@link #container()}
     * @param problems  see {@link #problems()}
     */
    public AggregateReport {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(container, "container");
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
    }

    /** @return the sum of the rows' message counts */
    public long totalCount() {
        long sum = 0;
        for (Row r : rows) {
            sum += r.count();
        }
        return sum;
    }

    /**
     * The report generator's metadata ({@code <report_metadata>}).
     *
     * <p>Immutable; thread-safe.
     *
     * @param orgName          {@code <org_name>}, the reporting organisation
     * @param email            {@code <email>}, its contact address
     * @param extraContactInfo {@code <extra_contact_info>}, or null
     * @param reportId         {@code <report_id>}, unique per reporter (with {@code orgName}, the key to find
     *                         duplicates)
     * @param begin            {@code <date_range><begin>}, the start of the period (seconds since the epoch, UTC)
     * @param end              {@code <date_range><end>}, the end of the period
     * @param errors           the {@code <error>} elements: problems the reporter met with the policy record
     * @param generator        {@code <generator>} (RFC 9990), the software that wrote the report, or null
     */
    public record Metadata(String orgName, String email, String extraContactInfo, String reportId, Instant begin,
                           Instant end, List<String> errors, String generator) {

        /**
         * Creates the value; the list is copied.
         *
         * @param orgName          see {@link #orgName()}
         * @param email            see {@link #email()}
         * @param extraContactInfo see {@link #extraContactInfo()}
         * @param reportId         see {@link #reportId()}
         * @param begin            see {@link #begin()}
         * @param end              see {@link #end()}
         * @param errors           see {@link #errors()}
         * @param generator        see {@link #generator()}
         */
        public Metadata {
            errors = List.copyOf(errors);
        }
    }

    /**
     * The DMARC policy the reporter applied ({@code <policy_published>}).
     *
     * <p>Immutable; thread-safe.
     *
     * @param domain          {@code <domain>}, where the policy record was found
     * @param discoveryMethod {@code <discovery_method>} (RFC 9990: {@code psl} or {@code treewalk}), or null
     * @param adkim           {@code <adkim>}: {@code r} or {@code s}, or null
     * @param aspf            {@code <aspf>}: {@code r} or {@code s}, or null
     * @param p               {@code <p>}: {@code none}, {@code quarantine} or {@code reject}
     * @param sp              {@code <sp>}, the subdomain policy, or null
     * @param np              {@code <np>} (RFC 9990), the policy for non-existent subdomains, or null
     * @param pct             {@code <pct>} (RFC 7489), 0 to 100, or null
     * @param fo              {@code <fo>}, the failure-reporting options, or null
     * @param psd             {@code <psd>} (the {@code psd} tag of DMARCbis drafts: {@code y}, {@code n},
     *                        {@code u}), or null
     * @param testing         {@code <testing>} or {@code <t>} (RFC 9990's {@code t} tag: {@code y} or {@code n}),
     *                        or null
     */
    public record PolicyPublished(String domain, String discoveryMethod, String adkim, String aspf, String p,
                                  String sp, String np, Integer pct, String fo, String psd, String testing) {
    }

    /**
     * One {@code <record>}: messages from one source with the same results.
     *
     * <p>Immutable; thread-safe.
     *
     * @param sourceIp     {@code <row><source_ip>}, or null when absent or not an address literal (a problem
     *                     quotes it)
     * @param count        {@code <row><count>}, the number of messages; 0 when absent or not a number (a problem
     *                     says so)
     * @param disposition  {@code <policy_evaluated><disposition>}: {@code none}, {@code quarantine},
     *                     {@code reject} (or RFC 9990's {@code pass})
     * @param dkim         {@code <policy_evaluated><dkim>}: the DMARC-aligned DKIM result, {@code pass} or
     *                     {@code fail}
     * @param spf          {@code <policy_evaluated><spf>}: the DMARC-aligned SPF result
     * @param reasons      the {@code <policy_evaluated><reason>} elements: why the disposition differs from the
     *                     policy
     * @param headerFrom   {@code <identifiers><header_from>}, the RFC 5322 From domain
     * @param envelopeFrom {@code <identifiers><envelope_from>}, or null ({@code ""} for a null reverse-path)
     * @param envelopeTo   {@code <identifiers><envelope_to>}, or null
     * @param dkimResults  the {@code <auth_results><dkim>} elements, unaligned DKIM results
     * @param spfResults   the {@code <auth_results><spf>} elements, unaligned SPF results
     */
    public record Row(InetAddress sourceIp, long count, String disposition, String dkim, String spf,
                      List<Reason> reasons, String headerFrom, String envelopeFrom, String envelopeTo,
                      List<DkimAuth> dkimResults, List<SpfAuth> spfResults) {

        /**
         * Creates the value; lists are copied.
         *
         * @param sourceIp     see {@link #sourceIp()}
         * @param count        see {@link #count()}
         * @param disposition  see {@link #disposition()}
         * @param dkim         see {@link #dkim()}
         * @param spf          see {@link #spf()}
         * @param reasons      see {@link #reasons()}
         * @param headerFrom   see {@link #headerFrom()}
         * @param envelopeFrom see {@link #envelopeFrom()}
         * @param envelopeTo   see {@link #envelopeTo()}
         * @param dkimResults  see {@link #dkimResults()}
         * @param spfResults   see {@link #spfResults()}
         */
        public Row {
            reasons = List.copyOf(reasons);
            dkimResults = List.copyOf(dkimResults);
            spfResults = List.copyOf(spfResults);
        }

        /** @return whether DMARC passed for these messages: the aligned DKIM or SPF result is {@code pass} */
        public boolean dmarcPass() {
            return "pass".equals(dkim) || "pass".equals(spf);
        }

        /** @return the source address as text (IPv6 in RFC 5952's compressed form), or null */
        public String sourceIpText() {
            return sourceIp == null ? null : IpText.readable(sourceIp);
        }
    }

    /**
     * A policy override reason ({@code <reason>}).
     *
     * <p>Immutable; thread-safe.
     *
     * @param type    {@code <type>}: {@code forwarded}, {@code sampled_out}, {@code trusted_forwarder},
     *                {@code mailing_list}, {@code local_policy}, {@code other} (or RFC 9990's
     *                {@code policy_test_mode})
     * @param comment {@code <comment>}, or null
     */
    public record Reason(String type, String comment) {
    }

    /**
     * A DKIM result as the receiver found it, before DMARC ({@code <auth_results><dkim>}).
     *
     * <p>Immutable; thread-safe.
     *
     * @param domain      {@code <domain>}, the signature's {@code d=}
     * @param selector    {@code <selector>}, its {@code s=}, or null
     * @param result      {@code <result>}: {@code none}, {@code pass}, {@code fail}, {@code policy},
     *                    {@code neutral}, {@code temperror}, {@code permerror}
     * @param humanResult {@code <human_result>}, or null
     */
    public record DkimAuth(String domain, String selector, String result, String humanResult) {
    }

    /**
     * An SPF result as the receiver found it, before DMARC ({@code <auth_results><spf>}).
     *
     * <p>Immutable; thread-safe.
     *
     * @param domain      {@code <domain>}, the domain checked
     * @param scope       {@code <scope>}: {@code mfrom} or {@code helo}, or null
     * @param result      {@code <result>}: {@code none}, {@code neutral}, {@code pass}, {@code fail},
     *                    {@code softfail}, {@code temperror}, {@code permerror} (older reporters write
     *                    {@code unknown} and {@code error} for the last two)
     * @param humanResult {@code <human_result>} (RFC 9990), or null
     */
    public record SpfAuth(String domain, String scope, String result, String humanResult) {
    }
}
