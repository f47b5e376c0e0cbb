package org.bouncekit.dnsauth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.bouncekit.dnsauth.internal.BoundedDns;
import org.bouncekit.dnsauth.internal.Checks;
import org.bouncekit.dnsauth.internal.DkimTags;
import org.bouncekit.dnsauth.internal.DomainNames;
import org.bouncekit.dnsauth.internal.PublicSuffixes;
import org.bouncekit.dnsauth.internal.RawMessage;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;

/**
 * DMARC (RFC 9989): the author domain's policy found by the DNS Tree Walk, the Organizational Domains of the author,
 * SPF and DKIM domains compared in relaxed or strict alignment, the policy ({@code p}, {@code sp}, {@code np}) and
 * the disposition ({@code t=y} testing lowers it one step). {@link Builder#rfc7489} switches to RFC 7489: the
 * Organizational Domain from the Public Suffix List and {@code pct} sampling with an injected random source.
 * Queries block the calling thread.
 *
 * <p>Immutable and thread-safe: build one and share it.
 *
 * <pre>{@code
 * DmarcEvaluator dmarc = DmarcEvaluator.builder(dns).build();
 * DmarcResult r = dmarc.evaluate(message, spf.check(ip, mailFrom, helo), dkim.verify(message));
 * if (r.verdict() == DmarcVerdict.FAIL && r.disposition().equals("reject")) { ... }
 * }</pre>
 */
public final class DmarcEvaluator {

    /** At most this many names are queried by one tree walk (RFC 9989). */
    private static final int MAX_WALK = 8;
    /** Malformed DMARC records listed among the problems, per name; more are counted in one more problem. */
    private static final int MAX_MALFORMED_LISTED = 10;

    private final BoundedDns dns;
    private final PublicSuffixes psl;
    private final RandomGenerator random;

    private DmarcEvaluator(Builder b) {
        this.dns = new BoundedDns(b.dns, b.timeout.toMillis());
        this.psl = b.psl;
        this.random = b.random;
    }

    /**
     * @param dns the DNS port
     * @return a builder for RFC 9989
     */
    public static Builder builder(DnsClient dns) {
        return new Builder(dns);
    }

    /**
     * Evaluates a message: its RFC 5322.From domain (several From addresses are evaluated together when they share
     * one domain; several domains, or none, are a {@link DmarcVerdict#PERMERROR}), with the SPF and DKIM results
     * already obtained for it.
     *
     * @param message the message
     * @param spf     the SPF result of its MAIL FROM (or HELO) identity, or null when none was checked
     * @param dkim    its DKIM verification, or null
     * @return the result
     */
    public DmarcResult evaluate(byte[] message, SpfResult spf, DkimResult dkim) {
        RawMessage m = RawMessage.of(Objects.requireNonNull(message, "message"), 1000);
        Set<String> domains = new LinkedHashSet<>();
        int fromFields = 0;
        for (RawMessage.Field f : m.fields()) {
            if (f.lowerName().equals("from")) {
                fromFields++;
                for (String address : org.bouncekit.dnsauth.internal.Addresses.of(m.value(f))) {
                    domains.add(address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
                }
            }
        }
        if (domains.size() != 1 || fromFields != 1) {
            String why = domains.isEmpty() ? "no From address" : fromFields > 1 ? fromFields + " From fields"
                    : "From addresses in " + domains.size() + " domains: " + domains;
            return new DmarcResult(DmarcVerdict.PERMERROR, null, null, null, null, null, null, false, false, null,
                    false, List.of(why), List.of());
        }
        return evaluate(domains.iterator().next(), spf, dkim);
    }

    /**
     * Evaluates an author domain.
     *
     * @param authorDomain the RFC 5322.From domain
     * @param spf          the SPF result, or null
     * @param dkim         the DKIM verification, or null
     * @return the result
     */
    public DmarcResult evaluate(String authorDomain, SpfResult spf, DkimResult dkim) {
        Check c = new Check();
        String author = DomainNames.strip(Objects.requireNonNull(authorDomain, "authorDomain"))
                .toLowerCase(Locale.ROOT);
        if (DomainNames.invalid(author) != null) {
            c.problems.add("author domain \"" + authorDomain + "\": " + DomainNames.invalid(author));
            return c.result(DmarcVerdict.NONE, author);
        }
        // the policy: the author domain's record, else the tree walk's first
        Found policy = walk(c, author, false);
        if (policy == null) {
            return c.result(c.temporary ? DmarcVerdict.TEMPERROR : DmarcVerdict.NONE, author);
        }
        c.policyDomain = policy.domain;
        c.record = policy.text;
        c.testing = "y".equals(policy.tags.get("t"));
        // a failed query during the walk for the Organizational Domain matters only when the verdict depends on it:
        // an identifier equal to the author domain aligns without it (checked below)
        c.orgDomain = organizationalDomain(c, author);
        String adkim = policy.tags.get("adkim");
        String aspf = policy.tags.get("aspf");
        boolean strictDkim = "s".equals(adkim);
        boolean strictSpf = "s".equals(aspf);
        if (spf != null && spf.verdict() == SpfVerdict.PASS && spf.domain() != null) {
            c.spfAligned = aligned(c, author, spf.domain().toLowerCase(Locale.ROOT), strictSpf);
            c.trace.add("SPF pass for " + spf.domain() + (c.spfAligned ? " aligns" : " does not align"));
        }
        if (dkim != null) {
            for (DkimSignatureResult s : dkim.signatures()) {
                if (s.verdict() == DkimVerdict.PASS && s.domain() != null
                        && aligned(c, author, s.domain().toLowerCase(Locale.ROOT), strictDkim)) {
                    c.dkimAligned = true;
                    c.alignedDkim = s.domain();
                    c.trace.add("DKIM pass for " + s.domain() + " aligns");
                    break;
                }
            }
        }
        if (c.temporary && !c.spfAligned && !c.dkimAligned) {
            return c.result(DmarcVerdict.TEMPERROR, author);
        }
        // the policy that applies: p at the author domain; sp (else p) below it; np (else sp, else p) for a
        // subdomain that does not exist
        String p = valid(policy.tags.get("p"));
        String requested = p;
        if (!policy.domain.equals(author)) {
            String sp = valid(policy.tags.get("sp"));
            requested = sp != null ? sp : p;
            String np = valid(policy.tags.get("np"));
            if (exists(c, author) == Boolean.FALSE) {
                requested = np != null ? np : requested;
                c.trace.add(author + " does not exist: " + (np != null ? "np" : sp != null ? "sp" : "p") + "="
                        + requested);
            }
        }
        if (requested == null) {
            requested = "none"; // an invalid p with a reporting address is p=none (RFC 9989 §4.7)
            c.problems.add("invalid or missing p= in " + policy.text);
        }
        c.requested = requested;
        boolean pass = c.spfAligned || c.dkimAligned;
        if (pass) {
            c.disposition = "none";
            return c.result(DmarcVerdict.PASS, author);
        }
        String disposition = requested;
        if (c.testing) {
            disposition = lower(disposition); // t=y: one step less than requested
        }
        if (psl != null && policy.tags.get("pct") != null) {
            int pct = percent(policy.tags.get("pct"));
            if (draw() >= pct) {
                c.trace.add("pct=" + pct + ": not sampled");
                disposition = lower(disposition);
            }
        }
        c.disposition = disposition;
        return c.result(DmarcVerdict.FAIL, author);
    }

    /** The state of one evaluation. */
    private static final class Check {
        final List<String> problems = new ArrayList<>();
        final List<String> trace = new ArrayList<>();
        final Map<String, Found> records = new HashMap<>();
        final Map<String, String> orgDomains = new HashMap<>();
        boolean temporary;
        String policyDomain;
        String orgDomain;
        String record;
        String requested;
        String disposition;
        boolean spfAligned;
        boolean dkimAligned;
        String alignedDkim;
        boolean testing;

        DmarcResult result(DmarcVerdict v, String author) {
            return new DmarcResult(v, author, policyDomain, orgDomain, record, requested, disposition, spfAligned,
                    dkimAligned, alignedDkim, testing, problems, trace);
        }
    }

    /** A valid DMARC record found at a domain. */
    private record Found(String domain, String text, DkimTags tags) {
    }

    /** The valid DMARC record published at {@code _dmarc.domain}, or null (noted as temporary on DNS errors). */
    private Found record(Check c, String domain) {
        if (c.records.containsKey(domain)) {
            return c.records.get(domain);
        }
        DnsAnswer a = dns.ask("_dmarc." + domain, DnsType.TXT);
        Found found = null;
        if (a.isTemporaryFailure()) {
            c.temporary = true;
            c.problems.add("DNS " + a.outcome() + " for TXT _dmarc." + domain);
        } else {
            // only the first valid record is kept, and the first few malformed ones listed: an answer may hold
            // any number of records, and each is parsed
            Found first = null;
            int valid = 0;
            int malformed = 0;
            for (DnsRecord r : a.records()) {
                String text = ((DnsRecord.Txt) r).text();
                DkimTags tags = DkimTags.parse(text);
                if (tags.error() == null && "DMARC1".equals(tags.get("v"))
                        && tags.all().keySet().iterator().next().equals("v")) {
                    if (valid++ == 0) {
                        first = new Found(domain, text, tags);
                    }
                } else if (text.regionMatches(true, 0, "v=DMARC1", 0, 8)
                        && malformed++ < MAX_MALFORMED_LISTED) {
                    c.problems.add("malformed DMARC record at _dmarc." + domain
                            + (tags.error() == null ? "" : " (" + tags.error() + ")") + ": "
                            + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
                }
            }
            if (malformed > MAX_MALFORMED_LISTED) {
                c.problems.add((malformed - MAX_MALFORMED_LISTED) + " more malformed DMARC records at _dmarc."
                        + domain + " not listed");
            }
            if (valid == 1) {
                found = first;
            } else if (valid > 1) {
                c.problems.add(valid + " DMARC records at _dmarc." + domain + "; none is used");
            }
        }
        c.trace.add("TXT _dmarc." + domain + ": " + (found != null ? found.text : a.outcome()));
        c.records.put(domain, found);
        return found;
    }

    /**
     * The DNS Tree Walk (RFC 9989 §4.10): the domain itself, then (past seven labels, straight to the last seven)
     * each parent up to the top-level label, eight names at most.
     *
     * @param forOrg true to walk for the Organizational Domain (every name queried), false to stop at the first
     *               record (policy discovery)
     */
    private Found walk(Check c, String domain, boolean forOrg) {
        for (String name : walkNames(domain)) {
            Found f = record(c, name);
            if (f != null && !forOrg) {
                return f;
            }
        }
        return null;
    }

    static List<String> walkNames(String domain) {
        String[] labels = domain.split("\\.");
        List<String> names = new ArrayList<>();
        names.add(domain);
        int start = labels.length > 7 ? labels.length - 7 : 1;
        for (int i = start; i < labels.length && names.size() < MAX_WALK; i++) {
            names.add(String.join(".", java.util.Arrays.asList(labels).subList(i, labels.length)));
        }
        return names;
    }

    /**
     * The Organizational Domain: by the Public Suffix List in RFC 7489 mode; else by the tree walk: a record with
     * {@code psd=n} makes its domain the Organizational Domain, one with {@code psd=y} the domain one label below
     * it; otherwise the domain with the fewest labels that publishes a record; without any, the domain itself.
     */
    String organizationalDomain(Check c, String domain) {
        String known = c.orgDomains.get(domain);
        if (known != null) {
            return known;
        }
        String org;
        if (psl != null) {
            org = psl.organizationalDomain(domain);
        } else {
            org = domain;
            String below = null;
            String fewest = null;
            for (String name : walkNames(domain)) {
                Found f = record(c, name);
                if (f != null) {
                    String psd = f.tags.get("psd");
                    if ("n".equals(psd)) {
                        fewest = name;
                        break;
                    }
                    if ("y".equals(psd)) {
                        fewest = below != null ? below : name;
                        break;
                    }
                    fewest = name;
                }
                below = name;
            }
            if (fewest != null) {
                org = fewest;
            }
        }
        c.orgDomains.put(domain, org);
        return org;
    }

    private boolean aligned(Check c, String author, String other, boolean strict) {
        if (strict) {
            return author.equals(other);
        }
        return author.equals(other) || organizationalDomain(c, author).equals(organizationalDomain(c, other));
    }

    /** Whether the author domain exists (NXDOMAIN is the only "no"); null when DNS could not say. */
    private Boolean exists(Check c, String domain) {
        for (DnsType t : new DnsType[] {DnsType.A, DnsType.AAAA, DnsType.MX}) {
            DnsAnswer a = dns.ask(domain, t);
            if (a.outcome() == DnsAnswer.Outcome.NXDOMAIN) {
                return Boolean.FALSE;
            }
            if (!a.isTemporaryFailure()) {
                return Boolean.TRUE;
            }
        }
        c.problems.add("could not tell whether " + domain + " exists");
        return null;
    }

    private static String valid(String policy) {
        if (policy == null) {
            return null;
        }
        String p = policy.toLowerCase(Locale.ROOT);
        return p.equals("none") || p.equals("quarantine") || p.equals("reject") ? p : null;
    }

    private static String lower(String policy) {
        return policy.equals("reject") ? "quarantine" : "none";
    }

    private static int percent(String pct) {
        try {
            return Math.max(0, Math.min(100, Integer.parseInt(pct.strip())));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** A draw from 0 to 99, holding the source's monitor: sources such as the default one are not thread-safe. */
    private int draw() {
        synchronized (random) {
            return random.nextInt(100);
        }
    }

    /**
     * Builds a {@link DmarcEvaluator}. Not thread-safe.
     */
    public static final class Builder {
        private final DnsClient dns;
        private PublicSuffixes psl;
        private RandomGenerator random = RandomGenerator.getDefault();
        private java.time.Duration timeout = java.time.Duration.ofSeconds(5);

        private Builder(DnsClient dns) {
            this.dns = Objects.requireNonNull(dns, "dns");
        }

        /**
         * RFC 7489 mode with the Public Suffix List bundled in this library (a snapshot of publicsuffix.org's list;
         * the README says which): the Organizational Domain from the list, and {@code pct} sampling.
         *
         * @return this builder
         */
        public Builder rfc7489() {
            this.psl = PublicSuffixes.bundled();
            return this;
        }

        /**
         * RFC 7489 mode with a Public Suffix List of your own, such as a fresher copy of publicsuffix.org's list or
         * Debian's {@code /usr/share/publicsuffix/public_suffix_list.dat}.
         *
         * @param list the list in its published format (publicsuffix.org's {@code public_suffix_list.dat})
         * @return this builder
         * @throws java.io.IOException when the list cannot be read
         * @throws IllegalArgumentException when it holds no rule
         */
        public Builder rfc7489(java.io.Reader list) throws java.io.IOException {
            PublicSuffixes read = PublicSuffixes.read(Objects.requireNonNull(list, "list"));
            if (read.size() == 0) {
                throw new IllegalArgumentException("the Public Suffix List holds no rule");
            }
            this.psl = read;
            return this;
        }

        /**
         * RFC 7489 mode with the Public Suffix List in a file (UTF-8).
         *
         * @param list the file
         * @return this builder
         * @throws java.io.IOException when the file cannot be read
         * @throws IllegalArgumentException when it holds no rule
         */
        public Builder rfc7489(java.nio.file.Path list) throws java.io.IOException {
            try (java.io.Reader r = java.nio.file.Files.newBufferedReader(Objects.requireNonNull(list, "list"))) {
                return rfc7489(r);
            }
        }

        /**
         * @param random the random source {@code pct} sampling draws from (RFC 7489 mode); the evaluator draws while
         *               holding its monitor, so it need not be thread-safe
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @param timeout how long each DNS query may take (default 5 s); one that does not answer in time is a
         *                temporary failure ({@link DmarcVerdict#TEMPERROR} when the policy depends on it)
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder timeout(java.time.Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        /** @return the evaluator */
        public DmarcEvaluator build() {
            return new DmarcEvaluator(this);
        }
    }
}
