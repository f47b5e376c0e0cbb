package org.bouncekit.dnsauth;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing a {@link DomainAuditor} found wrong, weak or missing in a sending domain's DNS, with what to do.
 *
 * <p>Immutable; thread-safe.
 *
 * @param kind     what was found; its {@link Kind#token() token} is stable, for programs
 * @param severity how much it matters
 * @param subject  the DNS name or term the finding is about, such as {@code _dmarc.example.com} or
 *                 {@code include:_spf.example.net}
 * @param message  what was found, readable
 * @param fix      what to change, readable
 */
public record AuditFinding(Kind kind, Severity severity, String subject, String message, String fix) {

    /**
     * @param kind     see {@link #kind()}
     * @param severity see {@link #severity()}
     * @param subject  see {@link #subject()}
     * @param message  see {@link #message()}
     * @param fix      see {@link #fix()}
     */
    public AuditFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /** How much a finding matters to the domain's mail. */
    public enum Severity {
        /** Mail is rejected, fails authentication or cannot come back: fix it first. */
        ERROR,
        /** Authentication or reporting is weaker than it should be, or mail may be treated worse. */
        WARNING,
        /** Worth knowing; nothing is broken. */
        INFO;

        /** @return the lower-case name, as in JSON */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a finding is about. */
    public enum Kind {
        /** A query went unanswered or failed (SERVFAIL, timeout): that part could not be audited. */
        DNS_ERROR,
        /** No SPF record at the domain. */
        SPF_MISSING,
        /** More than one SPF record: every check is a permerror. */
        SPF_MULTIPLE,
        /** The SPF record breaks the grammar: every check is a permerror. */
        SPF_SYNTAX,
        /** An {@code include:} or {@code redirect=} target without one valid SPF record (or in a loop). */
        SPF_INCLUDE_INVALID,
        /** More than 10 DNS-querying terms across the includes, or an {@code mx} with more than 10 hosts. */
        SPF_TOO_MANY_LOOKUPS,
        /** Terms whose names have no records (void lookups); more than 2 is a permerror. */
        SPF_VOID_LOOKUPS,
        /** {@code +all}, at the top or in an include: every host on the Internet passes. */
        SPF_PLUS_ALL,
        /** {@code ?all}: hosts not listed are neutral, which protects nothing. */
        SPF_NEUTRAL_ALL,
        /** Neither {@code all} nor {@code redirect=}: hosts not listed are neutral. */
        SPF_NO_ALL,
        /** The {@code ptr} mechanism, which RFC 7208 says not to use. */
        SPF_PTR,
        /** A record with both {@code all} and {@code redirect=}: the redirect is ignored (RFC 7208 §6.1). */
        SPF_REDIRECT_IGNORED,
        /** No DMARC policy for the domain: none of its own, and none at an ancestor (the RFC 9989 tree walk). */
        DMARC_MISSING,
        /** A malformed DMARC record, several records, or a missing or invalid {@code p=} or reporting URI. */
        DMARC_INVALID,
        /** The domain has no record of its own and takes an ancestor's policy. */
        DMARC_INHERITED,
        /** {@code p=none}: receivers only monitor. */
        DMARC_POLICY_NONE,
        /** {@code t=y} or {@code pct} below 100: the policy is applied in part or one step lower. */
        DMARC_TESTING,
        /** No {@code rua=}: nobody receives the aggregate reports. */
        DMARC_NO_REPORTS,
        /** A reporting address in another organization that has not authorized the reports (RFC 7489 §7.1). */
        DMARC_REPORT_UNAUTHORIZED,
        /** Tags RFC 9989 removed ({@code pct}, {@code rf}, {@code ri}). */
        DMARC_OBSOLETE_TAGS,
        /** No DKIM selector was given: keys cannot be listed from DNS, so none were checked. */
        DKIM_NO_SELECTOR,
        /** No key record at the selector. */
        DKIM_KEY_MISSING,
        /** A key record that is malformed, of an unknown type, not for email, or not a key. */
        DKIM_KEY_INVALID,
        /** A revoked key (empty {@code p=}). */
        DKIM_KEY_REVOKED,
        /** An RSA key under 2048 bits (under 1024, verifiers must reject it: RFC 8301). */
        DKIM_KEY_WEAK,
        /** {@code t=y}: receivers may treat signatures as unsigned. */
        DKIM_KEY_TESTING,
        /** {@code h=} allows only SHA-1, which RFC 8301 forbids. */
        DKIM_KEY_SHA1,
        /** The domain does not exist, or has neither MX nor address records: bounces cannot come back. */
        MX_MISSING,
        /** No MX record: mail goes to the domain's address record (RFC 5321 §5.1). */
        MX_IMPLICIT,
        /** A null MX (RFC 7505): the domain says it accepts no mail, so bounces to it are lost. */
        MX_NULL,
        /** A null MX beside other MX records, which RFC 7505 forbids. */
        MX_NULL_MIXED,
        /** An MX host without an address record. */
        MX_UNRESOLVABLE,
        /** No MTA-STS record (RFC 8461). */
        MTA_STS_MISSING,
        /** A malformed MTA-STS record, or several. */
        MTA_STS_INVALID,
        /** An MTA-STS record, but no {@code mta-sts.} host to serve the policy from. */
        MTA_STS_HOST_MISSING,
        /** No TLS-RPT record (RFC 8460). */
        TLSRPT_MISSING,
        /** A malformed TLS-RPT record, or several. */
        TLSRPT_INVALID;

        /** @return the kind in lower case with hyphens, as in JSON: {@code spf-too-many-lookups} */
        public String token() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
