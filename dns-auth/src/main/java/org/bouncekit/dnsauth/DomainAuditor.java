package org.bouncekit.dnsauth;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.bouncekit.dnsauth.AuditFinding.Kind;
import org.bouncekit.dnsauth.AuditFinding.Severity;
import org.bouncekit.dnsauth.internal.BoundedDns;
import org.bouncekit.dnsauth.internal.Checks;
import org.bouncekit.dnsauth.internal.DkimKeys;
import org.bouncekit.dnsauth.internal.DkimTags;
import org.bouncekit.dnsauth.internal.DomainNames;
import org.bouncekit.dnsauth.internal.SpfRecord;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;

/**
 * Audits what a sending domain publishes in DNS before its mail bounces for it: SPF (present, one record, valid,
 * at most 10 lookups and 2 void lookups across its includes, not {@code +all} or {@code ?all}), DMARC (present,
 * policy, testing, reporting addresses and their authorization), the DKIM keys of the selectors given (type, size,
 * revoked, testing, hash), MX (present, null MX, hosts that resolve), MTA-STS and TLS-RPT records. Each problem is
 * an {@link AuditFinding} with a severity and a fix.
 *
 * <p>The audit reads DNS only: it fetches no MTA-STS policy over HTTPS and connects to no mail server. Queries
 * block the calling thread; each has a timeout, the audit a deadline, and one audit asks at most
 * {@link #MAX_QUERIES} of them: SPF terms are followed until 30 lookups are counted, far past the limit of 10, which
 * leaves the other checks their queries. Internationalized domain names are asked in A-labels.
 *
 * <p>Immutable and thread-safe: build one and share it.
 *
 * <pre>{@code
 * DomainAudit audit = DomainAuditor.builder(dns).build().audit("example.com", List.of("s2026"));
 * for (AuditFinding f : audit.findings()) {
 *     System.out.println(f.severity().token() + " " + f.kind().token() + ": " + f.message() + " Fix: " + f.fix());
 * }
 * }</pre>
 */
public final class DomainAuditor {

    /** At most this many DNS queries in one audit. */
    public static final int MAX_QUERIES = 200;
    /** At most this many findings in one audit; more are summed up in one last finding. */
    public static final int MAX_FINDINGS = 100;
    /**
     * SPF terms are followed until this many lookups are counted: far past the limit of 10, so that the count says
     * how far over it a record goes, and short of spending the query budget the other checks need.
     */
    static final int SPF_FOLLOW_LIMIT = 30;
    /** At most this many DKIM selectors in one audit. */
    public static final int MAX_SELECTORS = 50;
    /** SPF's limit on DNS-querying terms (RFC 7208 §4.6.4). */
    private static final int SPF_LOOKUP_LIMIT = 10;
    /** SPF's limit on void lookups (RFC 7208 §4.6.4). */
    private static final int SPF_VOID_LIMIT = 2;
    /** How many MX hosts are checked for addresses. */
    private static final int MX_HOSTS_CHECKED = 10;

    private final DnsClient dns;
    private final Duration timeout;
    private final Duration deadline;

    private DomainAuditor(Builder b) {
        this.dns = b.dns;
        this.timeout = b.timeout;
        this.deadline = b.deadline;
    }

    /**
     * @param dns the DNS port
     * @return a builder
     */
    public static Builder builder(DnsClient dns) {
        return new Builder(dns);
    }

    /**
     * Audits a domain.
     *
     * @param domain    the sending domain (its RFC 5321.MailFrom or RFC 5322.From domain)
     * @param selectors DKIM selectors to check the keys of (DNS cannot list them); may be empty
     * @return the audit
     * @throws IllegalArgumentException when the domain or a selector is not a valid name, or there are more than
     *                                  {@link #MAX_SELECTORS} selectors
     */
    public DomainAudit audit(String domain, List<String> selectors) {
        String d = hostName(DomainNames.strip(Objects.requireNonNull(domain, "domain").strip()));
        String invalid = d == null ? "not a host name (letters, digits and hyphens, or an internationalized name)"
                : DomainNames.invalid(d);
        if (invalid != null) {
            throw new IllegalArgumentException("domain \"" + domain + "\": " + invalid);
        }
        Objects.requireNonNull(selectors, "selectors");
        if (selectors.size() > MAX_SELECTORS) {
            throw new IllegalArgumentException("at most " + MAX_SELECTORS + " selectors (MAX_SELECTORS), not "
                    + selectors.size());
        }
        for (String s : selectors) {
            String why = DomainNames.invalidLabels(Objects.requireNonNull(s, "selector"));
            if (why == null && !s.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
                why = "only letters, digits, hyphens and underscores in dot-separated labels";
            }
            if (why != null || (s + "._domainkey." + d).length() > 253) {
                throw new IllegalArgumentException("selector \"" + s + "\": " + (why != null ? why
                        : "too long for this domain (a name is at most 253 octets)"));
            }
        }
        Audit a = new Audit(d, new BoundedDns(dns, timeout.toMillis()), timeout,
                System.nanoTime() + deadline.toNanos());
        a.spf();
        a.dmarc();
        a.dkim(selectors);
        a.mx();
        a.mtaSts();
        a.tlsRpt();
        return a.result();
    }

    /**
     * Audits a domain.
     *
     * @param domain    the sending domain
     * @param selectors DKIM selectors
     * @return the audit
     * @see #audit(String, List)
     */
    public DomainAudit audit(String domain, String... selectors) {
        return audit(domain, Arrays.asList(selectors));
    }

    /**
     * A domain as DNS asks for it: lower case, an internationalized name in A-labels (IDNA 2003, as
     * {@link java.net.IDN} converts), each label of letters, digits, hyphens and (for service names such as
     * {@code _dmarc}) underscores.
     *
     * @return the name, or null when it is none
     */
    static String hostName(String name) {
        String ascii;
        try {
            ascii = java.net.IDN.toASCII(name, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return ascii.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*") ? ascii : null;
    }

    /** The state of one audit. */
    private static final class Audit {
        final String domain;
        final BoundedDns dns;
        final Duration timeout;
        final long deadlineNanos;
        final List<AuditFinding> findings = new ArrayList<>();
        final Set<String> reported = new HashSet<>();
        /** The includes and redirects of the path being walked: a name met again on it is a loop. */
        final Set<String> spfPath = new HashSet<>();
        final List<DomainAudit.DkimKey> keys = new ArrayList<>();
        final List<String> mx = new ArrayList<>();
        int queries;
        boolean queryLimitReported;
        boolean deadlineReported;
        boolean spfStopped;
        String spfRecord;
        int lookups;
        int voids;
        final List<String> voidNames = new ArrayList<>();
        String dmarcRecord;
        String dmarcDomain;
        String mtaSts;
        String tlsRpt;

        Audit(String domain, BoundedDns dns, Duration timeout, long deadlineNanos) {
            this.domain = domain;
            this.dns = dns;
            this.timeout = timeout;
            this.deadlineNanos = deadlineNanos;
        }

        DomainAudit result() {
            List<AuditFinding> sorted = new ArrayList<>(findings);
            sorted.sort(Comparator.comparing(AuditFinding::severity)); // stable: order found within a severity
            return new DomainAudit(domain, spfRecord, lookups, voids, dmarcRecord, dmarcDomain, keys, mx, mtaSts,
                    tlsRpt, sorted);
        }

        /** Adds a finding: one per kind and subject, and at most {@link #MAX_FINDINGS}. */
        void find(Kind kind, Severity severity, String subject, String message, String fix) {
            if (!reported.add(kind + " " + subject)) {
                return;
            }
            if (findings.size() == MAX_FINDINGS - 1) {
                findings.add(new AuditFinding(Kind.DNS_ERROR, Severity.WARNING, domain, "More than " + MAX_FINDINGS
                        + " findings (MAX_FINDINGS); the rest are not listed.", "Fix the findings listed, then "
                        + "audit again."));
            }
            if (findings.size() < MAX_FINDINGS) {
                findings.add(new AuditFinding(kind, severity, subject, message, fix));
            }
        }

        /** Asks DNS, within the audit's query budget and deadline; a failure is reported as a finding. */
        DnsAnswer ask(String name, DnsType type) {
            DnsAnswer a = askQuietly(name, type);
            if (a.isTemporaryFailure() && !"query budget spent".equals(a.detail())
                    && !"audit deadline passed".equals(a.detail())) {
                find(Kind.DNS_ERROR, Severity.WARNING, name, "The " + type + " query for " + name + " failed ("
                        + a.outcome() + (a.detail() == null ? "" : ": " + a.detail()) + "); what depends on it "
                        + "was not audited.", "Check that the domain's name servers answer; receivers that meet "
                        + "the same failure defer or reject the mail (temperror).");
            }
            return a;
        }

        /** Asks DNS within the budget and deadline, reporting only their breach. */
        DnsAnswer askQuietly(String name, DnsType type) {
            if (System.nanoTime() - deadlineNanos > 0) {
                if (!deadlineReported) {
                    deadlineReported = true;
                    find(Kind.DNS_ERROR, Severity.WARNING, name, "The audit passed its deadline; later checks "
                            + "are incomplete.", "Check that the domain's name servers answer quickly, or give "
                            + "the audit a longer deadline.");
                }
                return DnsAnswer.failed(DnsAnswer.Outcome.TIMEOUT, "audit deadline passed");
            }
            if (++queries > MAX_QUERIES) {
                if (!queryLimitReported) {
                    queryLimitReported = true;
                    find(Kind.DNS_ERROR, Severity.WARNING, name, "The audit stopped querying after "
                            + MAX_QUERIES + " DNS queries (MAX_QUERIES); later checks are incomplete.",
                            "Simplify the records (an SPF include tree this large is itself a problem).");
                }
                return DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, "query budget spent");
            }
            return dns.ask(name, type);
        }

        static List<String> texts(DnsAnswer a, String prefix) {
            List<String> out = new ArrayList<>();
            for (DnsRecord r : a.records()) {
                if (r instanceof DnsRecord.Txt t && t.text().regionMatches(true, 0, prefix, 0, prefix.length())) {
                    out.add(t.text());
                }
            }
            return out;
        }

        // ---------------------------------------------------------------------------------------------- SPF

        void spf() {
            DnsAnswer a = ask(domain, DnsType.TXT);
            if (a.isTemporaryFailure()) {
                return;
            }
            List<String> records = spfRecords(a);
            if (records.isEmpty()) {
                find(Kind.SPF_MISSING, Severity.ERROR, domain, "No SPF record: receivers cannot tell which hosts "
                        + "may send for " + domain + ", and large mailbox providers reject or junk unauthenticated "
                        + "mail.", "Publish one TXT record at " + domain + " listing your sending hosts and "
                        + "services, ending in -all or ~all, e.g. \"v=spf1 mx include:_spf.provider.example -all\".");
                return;
            }
            if (records.size() > 1) {
                find(Kind.SPF_MULTIPLE, Severity.ERROR, domain, records.size() + " SPF records: every SPF check "
                        + "of " + domain + " is a permerror (RFC 7208 §4.5).", "Merge them into one TXT record "
                        + "starting with v=spf1.");
                return;
            }
            spfRecord = records.get(0);
            spfPath.add(domain);
            walk(domain, SpfRecord.parse(spfRecord), "", true, true);
            if (lookups > SPF_LOOKUP_LIMIT) {
                find(Kind.SPF_TOO_MANY_LOOKUPS, Severity.ERROR, domain, "The SPF record reaches "
                        + (spfStopped ? "more than " + SPF_FOLLOW_LIMIT : String.valueOf(lookups))
                        + " DNS-querying terms (include, a, mx, ptr, exists, redirect) across its includes; "
                        + "RFC 7208 allows " + SPF_LOOKUP_LIMIT + ", so checks that get that far are a permerror.",
                        "Replace includes and a/mx terms with ip4:/ip6: ranges where they are stable, drop "
                        + "includes of services you no longer use, or move senders to subdomains with records "
                        + "of their own.");
            }
            if (voids > 0) {
                boolean over = voids > SPF_VOID_LIMIT;
                find(Kind.SPF_VOID_LOOKUPS, over ? Severity.ERROR : Severity.WARNING, domain, (voids == 1
                        ? "1 name the SPF record queries has" : voids + " names the SPF record queries have")
                        + " no records (" + String.join(", ", voidNames) + ")"
                        + (over ? "; RFC 7208 allows " + SPF_VOID_LIMIT + ", so checks that reach them are a "
                        + "permerror." : "; each is a wasted lookup, and more than " + SPF_VOID_LIMIT
                        + " is a permerror."), "Remove the terms that name hosts or domains that no longer exist.");
            }
        }

        static List<String> spfRecords(DnsAnswer a) {
            List<String> out = new ArrayList<>();
            for (DnsRecord r : a.records()) {
                if (r instanceof DnsRecord.Txt t && SpfRecord.isSpf1(t.text())) {
                    out.add(t.text());
                }
            }
            return out;
        }

        /** Whether the walk has counted enough lookups to stop following terms. */
        boolean stopped() {
            if (lookups > SPF_FOLLOW_LIMIT) {
                spfStopped = true;
            }
            return spfStopped;
        }

        /**
         * Follows a record's terms, as check_host() would for a client that matches none of them: each term up to
         * {@code all} (terms after it are never reached, RFC 7208 §5.1), then {@code redirect=} when there is no
         * {@code all}.
         *
         * @param at       the domain the record is published at
         * @param path     how it was reached ({@code ""} at the top, else {@code "include:x "})
         * @param deciding whether its {@code all} decides the result for hosts not listed (the top record and its
         *                 redirects, not includes)
         * @param passing  whether a match here makes the top record pass (every include on the path is {@code +})
         */
        void walk(String at, SpfRecord rec, String path, boolean deciding, boolean passing) {
            String subject = path.isEmpty() ? at : path.strip();
            if (rec.error() != null) {
                if (path.isEmpty()) {
                    find(Kind.SPF_SYNTAX, Severity.ERROR, at, "The SPF record is invalid: " + rec.error()
                            + "; every SPF check of " + domain + " is a permerror.", "Correct the record to the "
                            + "RFC 7208 grammar (check term names, qualifiers, CIDR lengths and macros).");
                } else {
                    find(Kind.SPF_INCLUDE_INVALID, Severity.ERROR, subject, "The SPF record at " + at
                            + ", reached by " + subject + ", is invalid: " + rec.error() + "; checks that reach "
                            + "it are a permerror.", "Fix that record or remove the term that reaches it.");
                }
                return;
            }
            boolean hasAll = false;
            for (SpfRecord.Directive d : rec.directives()) {
                if (stopped()) {
                    return;
                }
                if (d.queriesDns()) {
                    lookups++;
                }
                String target = d.domainSpec() == null ? at : literal(d.domainSpec(), at);
                switch (d.kind()) {
                    case ALL -> {
                        hasAll = true;
                        if (d.qualifier() == '+' && passing) {
                            find(Kind.SPF_PLUS_ALL, Severity.ERROR, subject, (deciding ? "The SPF record"
                                    : "The record reached by " + subject) + " ends in " + d.text()
                                    + ": every host on the Internet passes SPF for " + domain + ".",
                                    deciding ? "End the record in -all (or ~all while you check it)."
                                            : "Remove that include, or ask its owner to end the record in -all.");
                        } else if (d.qualifier() == '?' && deciding) {
                            find(Kind.SPF_NEUTRAL_ALL, Severity.WARNING, subject, "The SPF record ends in ?all: "
                                    + "hosts not listed are neutral, so SPF protects nothing and receivers give "
                                    + "it no weight.", "End the record in -all, or ~all while you check that "
                                    + "every sending host is listed.");
                        }
                    }
                    case INCLUDE -> {
                        if (target != null) {
                            follow(target, path + "include:" + target + " ", false, passing && d.qualifier() == '+');
                        }
                    }
                    case A -> {
                        if (target != null) {
                            DnsAnswer v4 = ask(target, DnsType.A);
                            if (v4.isVoid() && ask(target, DnsType.AAAA).isVoid()) {
                                countVoid(d.text());
                            }
                        }
                    }
                    case MX -> {
                        if (target != null) {
                            DnsAnswer m = ask(target, DnsType.MX);
                            if (m.isVoid()) {
                                countVoid(d.text());
                            } else if (m.records().size() > SPF_LOOKUP_LIMIT) {
                                find(Kind.SPF_TOO_MANY_LOOKUPS, Severity.ERROR, subject, d.text() + " has "
                                        + m.records().size() + " MX hosts; RFC 7208 allows " + SPF_LOOKUP_LIMIT
                                        + ", so checks that reach it are a permerror.", "List the mail hosts' "
                                        + "networks with ip4:/ip6: instead of " + d.text() + ".");
                            }
                        }
                    }
                    case EXISTS -> {
                        if (target != null && ask(target, DnsType.A).isVoid()) {
                            countVoid(d.text());
                        }
                    }
                    case PTR -> find(Kind.SPF_PTR, Severity.WARNING, subject, "The SPF record uses " + d.text()
                            + ", which RFC 7208 §5.5 says not to use: it is slow, unreliable, and some receivers "
                            + "ignore it.", "List the hosts with ip4:/ip6:, a or mx instead.");
                    default -> {
                        // ip4 and ip6 ask nothing
                    }
                }
                if (hasAll) {
                    break; // terms after all are never reached
                }
            }
            if (hasAll && rec.redirect() != null) {
                find(Kind.SPF_REDIRECT_IGNORED, Severity.INFO, subject, "The record has both all and redirect="
                        + rec.redirect() + "; receivers ignore the redirect (RFC 7208 §6.1).", "Remove redirect= "
                        + "(or remove all, if the redirect's record should decide).");
            } else if (rec.redirect() != null) {
                lookups++;
                String target = literal(rec.redirect(), at);
                if (target != null) {
                    follow(target, path + "redirect=" + target + " ", deciding, passing);
                }
            } else if (!hasAll && deciding) {
                find(Kind.SPF_NO_ALL, Severity.WARNING, subject, "The SPF record has neither all nor redirect=: "
                        + "hosts not listed are neutral, as with ?all.", "End the record in -all (or ~all while "
                        + "you check that every sending host is listed).");
            }
        }

        /** Follows an include or redirect to its record; a name already on the path is a loop. */
        void follow(String target, String path, boolean deciding, boolean passing) {
            String subject = path.strip();
            if (spfPath.contains(target)) {
                find(Kind.SPF_INCLUDE_INVALID, Severity.ERROR, subject, subject + " comes back to " + target
                        + ": a loop, which receivers end with a permerror when the lookup limit is reached.",
                        "Remove the include or redirect that leads back.");
                return;
            }
            if (stopped()) {
                return;
            }
            DnsAnswer a = ask(target, DnsType.TXT);
            if (a.isTemporaryFailure()) {
                return;
            }
            List<String> records = spfRecords(a);
            if (records.size() != 1) {
                if (a.isVoid()) {
                    countVoid(subject);
                }
                find(Kind.SPF_INCLUDE_INVALID, Severity.ERROR, subject, (records.isEmpty()
                        ? target + " has no SPF record" : target + " has " + records.size() + " SPF records")
                        + ": checks that reach " + subject + " are a permerror.",
                        "Correct the name, or remove the term if the service is no longer used.");
                return;
            }
            spfPath.add(target);
            walk(target, SpfRecord.parse(records.get(0)), path, deciding, passing);
            spfPath.remove(target);
        }

        void countVoid(String term) {
            voids++;
            voidNames.add(term);
        }

        /**
         * A domain-spec as a name when it holds no macro but {@code %{d}} (the current domain), else null: a
         * name that depends on the client or sender cannot be audited.
         */
        static String literal(String spec, String current) {
            String s = spec.replace("%{d}", current);
            if (s.indexOf('%') >= 0) {
                return null;
            }
            s = hostName(DomainNames.strip(s));
            return s != null && DomainNames.invalid(s) == null ? s : null;
        }

        // -------------------------------------------------------------------------------------------- DMARC

        void dmarc() {
            // the evaluator asks through this audit: its queries count against the budget and the deadline
            DnsClient counted = (name, type) -> CompletableFuture.completedFuture(askQuietly(name, type));
            DmarcResult r = DmarcEvaluator.builder(counted).timeout(timeout).build().evaluate(domain, null, null);
            List<String> dnsProblems = r.problems().stream()
                    .filter(p -> p.startsWith("DNS ") || p.startsWith("could not")).toList();
            if (!dnsProblems.isEmpty()) {
                find(Kind.DNS_ERROR, Severity.WARNING, "_dmarc." + domain, "DMARC policy discovery met DNS "
                        + "failures: " + String.join("; ", dnsProblems) + ".", "Check that the name servers "
                        + "answer; receivers that meet the same failure may not apply the policy.");
            }
            if (r.record() == null && r.verdict() == DmarcVerdict.TEMPERROR) {
                return;
            }
            if (r.record() == null) {
                List<String> malformed = r.problems().stream().filter(p -> !dnsProblems.contains(p)).toList();
                if (!malformed.isEmpty()) {
                    find(Kind.DMARC_INVALID, Severity.ERROR, "_dmarc." + domain, "No usable DMARC record: "
                            + String.join("; ", malformed) + ".", "Publish one TXT record at _dmarc." + domain
                            + " starting with v=DMARC1, e.g. \"v=DMARC1; p=quarantine; rua=mailto:dmarc@"
                            + domain + "\".");
                } else {
                    find(Kind.DMARC_MISSING, Severity.ERROR, "_dmarc." + domain, "No DMARC policy for " + domain
                            + " or its parents: receivers apply none, nothing stops others using the domain in "
                            + "From, and large mailbox providers require DMARC of bulk senders.", "Publish a TXT "
                            + "record at _dmarc." + domain + ", starting with monitoring: \"v=DMARC1; p=none; "
                            + "rua=mailto:dmarc@" + domain + "\", then raise p to quarantine and reject.");
                }
                return;
            }
            dmarcRecord = r.record();
            dmarcDomain = r.policyDomain();
            String at = "_dmarc." + r.policyDomain();
            DkimTags tags = DkimTags.parse(r.record());
            if (!r.policyDomain().equals(domain)) {
                find(Kind.DMARC_INHERITED, Severity.INFO, at, domain + " has no DMARC record of its own; the "
                        + "record at " + r.policyDomain() + " applies to it, requesting " + r.requestedPolicy()
                        + ".", "Nothing, if that is intended; publish _dmarc." + domain + " to give it a policy "
                        + "of its own.");
            }
            for (String p : r.problems()) {
                if (dnsProblems.contains(p)) {
                    continue;
                }
                find(Kind.DMARC_INVALID, Severity.ERROR, at, "The DMARC record has a problem: " + p + ".",
                        "Give p= one of none, quarantine or reject, and correct the record's syntax.");
            }
            if ("none".equals(r.requestedPolicy()) && r.problems().isEmpty()) {
                find(Kind.DMARC_POLICY_NONE, Severity.WARNING, at, "The DMARC policy is none: receivers only "
                        + "report, and mail that fails DMARC, including forgeries, is delivered.", "Once the "
                        + "aggregate reports show your own mail passing, raise p to quarantine, then reject.");
            }
            if ("y".equals(tags.get("t"))) {
                find(Kind.DMARC_TESTING, Severity.WARNING, at, "t=y: the domain says it is testing DMARC, so "
                        + "receivers apply the policy one step lower (RFC 9989).", "Remove t=y once the reports "
                        + "show your mail passing.");
            }
            String pct = tags.get("pct");
            if (pct != null && !pct.strip().equals("100")) {
                find(Kind.DMARC_TESTING, Severity.WARNING, at, "pct=" + pct + ": receivers that follow RFC 7489 "
                        + "apply the policy to only part of the failing mail.", "Remove pct (RFC 9989 dropped "
                        + "it; use t=y while testing).");
            }
            List<String> obsolete = new ArrayList<>();
            for (String tag : List.of("pct", "rf", "ri")) {
                if (tags.get(tag) != null) {
                    obsolete.add(tag);
                }
            }
            if (!obsolete.isEmpty()) {
                find(Kind.DMARC_OBSOLETE_TAGS, Severity.INFO, at, "The record uses " + String.join(", ", obsolete)
                        + ", which RFC 9989 removed; receivers that follow it ignore them.", "Remove "
                        + String.join(", ", obsolete) + " from the record.");
            }
            String rua = tags.get("rua");
            if (rua == null || DkimTags.withoutFws(rua).isEmpty()) {
                find(Kind.DMARC_NO_REPORTS, Severity.WARNING, at, "No rua=: nobody receives the aggregate "
                        + "reports that show who sends mail as " + domain + " and whether it passes.", "Add "
                        + "rua=mailto:ADDRESS (a mailbox or a report-processing service) to the record.");
            } else {
                reportAddresses(r, at, "rua", rua);
            }
            if (tags.get("ruf") != null) {
                reportAddresses(r, at, "ruf", tags.get("ruf"));
            }
        }

        void reportAddresses(DmarcResult r, String at, String tag, String value) {
            for (String raw : DkimTags.withoutFws(value).split(",")) {
                String uri = raw.indexOf('!') > 0 ? raw.substring(0, raw.indexOf('!')) : raw;
                if (!uri.regionMatches(true, 0, "mailto:", 0, 7) || uri.indexOf('@') < 0) {
                    find(Kind.DMARC_INVALID, Severity.WARNING, at, tag + "=" + raw + " is not a mailto: address, "
                            + "the only kind RFC 9989 receivers send reports to.", "Use mailto:ADDRESS.");
                    continue;
                }
                String host = hostName(DomainNames.strip(uri.substring(uri.lastIndexOf('@') + 1)));
                if (host == null) {
                    find(Kind.DMARC_INVALID, Severity.WARNING, at, tag + "=" + raw + " does not name a valid host.",
                            "Use mailto:ADDRESS with a valid domain.");
                    continue;
                }
                String org = r.organizationalDomain() == null ? r.policyDomain() : r.organizationalDomain();
                if (host.equals(org) || host.endsWith("." + org) || DomainNames.invalid(host) != null
                        || (r.policyDomain() + "._report._dmarc." + host).length() > 253) {
                    continue;
                }
                String authName = r.policyDomain() + "._report._dmarc." + host;
                DnsAnswer a = ask(authName, DnsType.TXT);
                if (a.isTemporaryFailure()) {
                    continue;
                }
                if (texts(a, "v=DMARC1").isEmpty()) {
                    find(Kind.DMARC_REPORT_UNAUTHORIZED, Severity.WARNING, authName, tag + " sends reports to "
                            + host + ", another organization, which has not authorized them: receivers that "
                            + "check (RFC 9989, RFC 7489 §7.1) send no reports there.", "Ask the operator of "
                            + host + " to publish \"v=DMARC1\" at " + authName + ", or report to an address in "
                            + org + ".");
                }
            }
        }

        // --------------------------------------------------------------------------------------------- DKIM

        void dkim(List<String> selectors) {
            if (selectors.isEmpty()) {
                find(Kind.DKIM_NO_SELECTOR, Severity.INFO, "_domainkey." + domain, "No DKIM selector was given, "
                        + "and DNS cannot list them: DKIM keys were not checked.", "Give the selectors your "
                        + "signers use (the s= of your DKIM-Signature fields).");
                return;
            }
            for (String selector : selectors) {
                key(selector.toLowerCase(Locale.ROOT));
            }
        }

        void key(String selector) {
            String name = selector + "._domainkey." + domain;
            DnsAnswer a = ask(name, DnsType.TXT);
            if (a.isTemporaryFailure()) {
                keys.add(new DomainAudit.DkimKey(selector, null, null, 0, false, false));
                return;
            }
            List<String> records = new ArrayList<>();
            for (DnsRecord r : a.records()) {
                if (r instanceof DnsRecord.Txt t) {
                    records.add(t.text());
                }
            }
            if (records.isEmpty()) {
                keys.add(new DomainAudit.DkimKey(selector, null, null, 0, false, false));
                find(Kind.DKIM_KEY_MISSING, Severity.ERROR, name, "No DKIM key at " + name + ": signatures with "
                        + "s=" + selector + " fail to verify (permerror).", "Publish the public key as a TXT "
                        + "record at " + name + ", or stop signing with that selector.");
                return;
            }
            if (records.size() > 1) {
                find(Kind.DKIM_KEY_INVALID, Severity.WARNING, name, records.size() + " TXT records at " + name
                        + ": verifiers may take any of them.", "Keep one key record per selector.");
            }
            String text = records.stream().filter(t -> t.startsWith("v=DKIM1") || t.contains("p="))
                    .findFirst().orElse(records.get(0));
            DkimTags k = DkimTags.parse(text);
            String problem = k.error() != null ? "syntax: " + k.error() : null;
            String v = k.get("v");
            if (problem == null && v != null && (!v.equals("DKIM1")
                    || !k.all().keySet().iterator().next().equals("v"))) {
                problem = "v=" + v + " (only v=DKIM1, first)";
            }
            String type = k.get("k") == null ? "rsa" : DkimTags.withoutFws(k.get("k")).toLowerCase(Locale.ROOT);
            if (problem == null && !type.equals("rsa") && !type.equals("ed25519")) {
                problem = "unknown key type k=" + type;
            }
            String svc = k.get("s");
            if (problem == null && svc != null) {
                List<String> services = Arrays.asList(DkimTags.withoutFws(svc).split(":"));
                if (!services.contains("*") && !services.contains("email")) {
                    problem = "the key is not for email (s=" + svc + ")";
                }
            }
            String p = k.get("p");
            if (problem == null && p == null) {
                problem = "no p= tag";
            }
            boolean testing = false;
            if (k.get("t") != null) {
                testing = Arrays.asList(DkimTags.withoutFws(k.get("t")).split(":")).contains("y");
            }
            if (problem != null) {
                keys.add(new DomainAudit.DkimKey(selector, text, null, 0, false, testing));
                find(Kind.DKIM_KEY_INVALID, Severity.ERROR, name, "The DKIM key record is unusable: " + problem
                        + "; signatures with s=" + selector + " fail (permerror).", "Publish the key again as "
                        + "\"v=DKIM1; k=rsa; p=BASE64\" (or k=ed25519).");
                return;
            }
            if (DkimTags.withoutFws(p).isEmpty()) {
                keys.add(new DomainAudit.DkimKey(selector, text, type, 0, true, testing));
                find(Kind.DKIM_KEY_REVOKED, Severity.WARNING, name, "The key of selector " + selector + " is "
                        + "revoked (empty p=): signatures with it fail.", "Nothing, if the selector is retired; "
                        + "otherwise sign with a selector whose key is published.");
                return;
            }
            int bits;
            try {
                PublicKey key = DkimKeys.publicKey(type, DkimKeys.decode(p));
                bits = DkimKeys.bits(key);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                keys.add(new DomainAudit.DkimKey(selector, text, null, 0, false, testing));
                find(Kind.DKIM_KEY_INVALID, Severity.ERROR, name, "p= holds no " + type + " public key ("
                        + e.getMessage() + "): signatures with s=" + selector + " fail (permerror).",
                        "Publish the public key's base64 (SubjectPublicKeyInfo for RSA, the 32 raw bytes for "
                        + "Ed25519) without spaces lost or added.");
                return;
            }
            keys.add(new DomainAudit.DkimKey(selector, text, type, bits, false, testing));
            if (type.equals("rsa") && bits < 2048) {
                boolean broken = bits < 1024;
                find(Kind.DKIM_KEY_WEAK, broken ? Severity.ERROR : Severity.WARNING, name, "The RSA key of "
                        + "selector " + selector + " has " + bits + " bits" + (broken ? ": verifiers must reject "
                        + "keys under 1024 bits (RFC 8301), so its signatures fail." : "; 1024-bit keys are "
                        + "within reach of factoring, and some receivers already distrust them."),
                        "Generate a 2048-bit RSA key (or Ed25519 beside it), publish it under a new selector, "
                        + "switch signing to it, then revoke this one.");
            }
            if (testing) {
                find(Kind.DKIM_KEY_TESTING, Severity.WARNING, name, "t=y: the key says the domain is testing "
                        + "DKIM, and verifiers may treat its signatures as if the mail were unsigned.", "Remove t=y "
                        + "from the key record once signing works.");
            }
            String h = k.get("h");
            if (h != null && !Arrays.asList(DkimTags.withoutFws(h).split(":")).contains("sha256")) {
                find(Kind.DKIM_KEY_SHA1, Severity.ERROR, name, "h=" + h + " allows no SHA-256: verifiers must "
                        + "reject rsa-sha1 signatures (RFC 8301), so none made with this key verifies.",
                        "Remove h= (or set h=sha256) and sign with rsa-sha256.");
            }
        }

        // ----------------------------------------------------------------------------------------------- MX

        void mx() {
            DnsAnswer a = ask(domain, DnsType.MX);
            if (a.isTemporaryFailure()) {
                return;
            }
            if (a.outcome() == DnsAnswer.Outcome.NXDOMAIN) {
                find(Kind.MX_MISSING, Severity.ERROR, domain, domain + " does not exist in DNS: receivers "
                        + "reject mail from it (\"Sender address rejected: Domain not found\") and bounces cannot "
                        + "come back.", "Register or delegate the domain, or send from one that exists.");
                return;
            }
            List<DnsRecord.Mx> hosts = new ArrayList<>();
            for (DnsRecord r : a.records()) {
                if (r instanceof DnsRecord.Mx m) {
                    hosts.add(m);
                }
            }
            hosts.sort(Comparator.comparingInt(DnsRecord.Mx::preference).thenComparing(DnsRecord.Mx::exchange));
            for (DnsRecord.Mx m : hosts) {
                mx.add(m.preference() + " " + (m.exchange().isEmpty() ? "." : m.exchange()));
            }
            if (hosts.isEmpty()) {
                DnsAnswer v4 = ask(domain, DnsType.A);
                DnsAnswer v6 = v4.isVoid() ? ask(domain, DnsType.AAAA) : v4;
                if (v4.isTemporaryFailure() || v6.isTemporaryFailure()) {
                    return;
                }
                if (v4.isVoid() && v6.isVoid()) {
                    find(Kind.MX_MISSING, Severity.ERROR, domain, domain + " has neither MX nor address records: "
                            + "nothing can deliver to it, so bounces and replies are lost, and many receivers "
                            + "reject mail whose sender domain cannot receive.", "Publish MX records for the hosts "
                            + "that receive mail for " + domain + ".");
                } else {
                    find(Kind.MX_IMPLICIT, Severity.WARNING, domain, domain + " has no MX record: mail to it goes "
                            + "to its address record (RFC 5321 §5.1), which is often a web server.", "Publish MX "
                            + "records for the hosts that receive mail, or a null MX (\"0 .\") if it receives "
                            + "none.");
                }
                return;
            }
            boolean nullMx = hosts.stream().anyMatch(m -> m.exchange().isEmpty());
            if (nullMx && hosts.size() > 1) {
                find(Kind.MX_NULL_MIXED, Severity.ERROR, domain, "A null MX (\"0 .\") beside other MX records: "
                        + "RFC 7505 forbids the mix, and senders handle it differently.", "Keep either the null "
                        + "MX alone (no mail accepted) or only the real MX records.");
            } else if (nullMx) {
                find(Kind.MX_NULL, Severity.WARNING, domain, domain + " publishes a null MX (RFC 7505): it accepts "
                        + "no mail, so bounces to it are lost, and receivers may reject mail that uses it as the "
                        + "envelope sender (5.7.27).", "Use a domain that receives mail as the envelope sender "
                        + "(MAIL FROM), or publish real MX records.");
                return;
            }
            int checked = 0;
            for (DnsRecord.Mx m : hosts) {
                if (m.exchange().isEmpty() || checked++ >= MX_HOSTS_CHECKED) {
                    continue;
                }
                DnsAnswer v4 = ask(m.exchange(), DnsType.A);
                if (v4.isVoid()) {
                    DnsAnswer v6 = ask(m.exchange(), DnsType.AAAA);
                    if (v6.isVoid()) {
                        find(Kind.MX_UNRESOLVABLE, Severity.ERROR, m.exchange(), "The MX host " + m.exchange()
                                + " has no address record: mail for " + domain + " cannot be delivered to it.",
                                "Publish A/AAAA records for " + m.exchange() + ", or remove that MX record.");
                    }
                }
            }
        }

        // ------------------------------------------------------------------------------------ MTA-STS, TLS-RPT

        void mtaSts() {
            String name = "_mta-sts." + domain;
            DnsAnswer a = ask(name, DnsType.TXT);
            if (a.isTemporaryFailure()) {
                return;
            }
            List<String> records = texts(a, "v=STSv1");
            if (records.isEmpty()) {
                find(Kind.MTA_STS_MISSING, Severity.INFO, name, "No MTA-STS record (RFC 8461): senders deliver "
                        + "to " + domain + " over TLS only opportunistically, open to downgrade.", "Serve a "
                        + "policy at https://mta-sts." + domain + "/.well-known/mta-sts.txt and publish \"v=STSv1; "
                        + "id=YYYYMMDD01\" at " + name + ".");
                return;
            }
            mtaSts = records.get(0);
            if (records.size() > 1) {
                find(Kind.MTA_STS_INVALID, Severity.WARNING, name, records.size() + " MTA-STS records: senders "
                        + "treat that as no policy (RFC 8461 §3.1).", "Keep one record.");
                return;
            }
            Map<String, String> t = serviceTags(mtaSts);
            String id = t == null ? null : t.get("id");
            if (t == null || !"STSv1".equals(t.get("v")) || id == null || !id.matches("[A-Za-z0-9]{1,32}")) {
                find(Kind.MTA_STS_INVALID, Severity.WARNING, name, "The MTA-STS record \"" + mtaSts + "\" is "
                        + "malformed: it needs v=STSv1 first and an id= of 1 to 32 letters and digits.", "Publish "
                        + "\"v=STSv1; id=YYYYMMDD01\" and change id whenever the policy changes.");
            }
            String host = "mta-sts." + domain;
            DnsAnswer v4 = ask(host, DnsType.A);
            if (v4.isVoid() && ask(host, DnsType.AAAA).isVoid()) {
                find(Kind.MTA_STS_HOST_MISSING, Severity.WARNING, host, "There is an MTA-STS record but " + host
                        + " has no address: senders cannot fetch the policy, so it is not applied.", "Serve the "
                        + "policy over HTTPS at https://" + host + "/.well-known/mta-sts.txt.");
            }
        }

        void tlsRpt() {
            String name = "_smtp._tls." + domain;
            DnsAnswer a = ask(name, DnsType.TXT);
            if (a.isTemporaryFailure()) {
                return;
            }
            List<String> records = texts(a, "v=TLSRPTv1");
            if (records.isEmpty()) {
                find(Kind.TLSRPT_MISSING, Severity.INFO, name, "No TLS-RPT record (RFC 8460): senders that fail "
                        + "to reach " + domain + " over TLS do not tell you.", "Publish \"v=TLSRPTv1; "
                        + "rua=mailto:tls-reports@" + domain + "\" at " + name + ".");
                return;
            }
            tlsRpt = records.get(0);
            if (records.size() > 1) {
                find(Kind.TLSRPT_INVALID, Severity.WARNING, name, records.size() + " TLS-RPT records: senders "
                        + "send no reports (RFC 8460 §3).", "Keep one record.");
                return;
            }
            Map<String, String> t = serviceTags(tlsRpt);
            String rua = t == null ? null : t.get("rua");
            boolean ok = t != null && "TLSRPTv1".equals(t.get("v")) && rua != null;
            if (ok) {
                for (String uri : rua.split("[ \\t]*,[ \\t]*", -1)) {
                    ok &= uri.regionMatches(true, 0, "mailto:", 0, 7) && uri.indexOf('@') > 7
                            || uri.regionMatches(true, 0, "https://", 0, 8) && uri.length() > 8;
                }
            }
            if (!ok) {
                find(Kind.TLSRPT_INVALID, Severity.WARNING, name, "The TLS-RPT record \"" + tlsRpt + "\" is "
                        + "malformed: it needs v=TLSRPTv1 first and rua= with mailto: or https: URIs.", "Publish "
                        + "\"v=TLSRPTv1; rua=mailto:tls-reports@" + domain + "\".");
            }
        }
    }

    /**
     * The fields of an MTA-STS (RFC 8461 §3.1) or TLS-RPT (RFC 8460 §3) record: {@code name=value} pairs split by
     * {@code ;} with optional white space, the version first; names of a letter or digit then up to 31 letters,
     * digits, {@code _ - .}; values of visible characters but {@code ;} and {@code =}.
     *
     * @return the fields in order, or null when the record breaks that grammar
     */
    static Map<String, String> serviceTags(String record) {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] fields = record.split("[ \\t]*;[ \\t]*", -1);
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i];
            if (f.isEmpty() && i == fields.length - 1 && i > 0) {
                break; // a trailing ";"
            }
            int eq = f.indexOf('=');
            if (eq <= 0 || !f.substring(0, eq).matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
                    || !f.substring(eq + 1).matches("[\\x21-\\x3a\\x3c\\x3e-\\x7e]+( *,[ \\t]*[\\x21-\\x3a\\x3c\\x3e-\\x7e]+)*")
                    || tags.putIfAbsent(f.substring(0, eq), f.substring(eq + 1)) != null) {
                return null;
            }
        }
        return tags;
    }

    /**
     * Builds a {@link DomainAuditor}. Setters validate at once; not thread-safe.
     */
    public static final class Builder {
        private final DnsClient dns;
        private Duration timeout = Duration.ofSeconds(5);
        private Duration deadline = Duration.ofSeconds(60);

        private Builder(DnsClient dns) {
            this.dns = Objects.requireNonNull(dns, "dns");
        }

        /**
         * @param timeout how long each DNS query may take (default 5 s); one that does not answer in time gives
         *                a {@link AuditFinding.Kind#DNS_ERROR} finding
         * @return this builder
         * @throws IllegalArgumentException when not between 1 ms and 1 hour
         */
        public Builder timeout(Duration timeout) {
            this.timeout = within("timeout", timeout);
            return this;
        }

        /**
         * @param deadline how long one audit may take in all (default 60 s); past it, no more queries are made and
         *                 a {@link AuditFinding.Kind#DNS_ERROR} finding says the audit is incomplete
         * @return this builder
         * @throws IllegalArgumentException when not between 1 ms and 1 hour
         */
        public Builder deadline(Duration deadline) {
            this.deadline = within("deadline", deadline);
            return this;
        }

        private static Duration within(String name, Duration d) {
            Checks.positive(name, d);
            if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + " must be between 1 ms and 1 hour: " + d);
            }
            return d;
        }

        /** @return the auditor */
        public DomainAuditor build() {
            return new DomainAuditor(this);
        }
    }
}
