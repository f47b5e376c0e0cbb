package org.bouncekit.dnsauth.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncekit.dnsauth.SpfResult;
import org.bouncekit.dnsauth.SpfVerdict;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;

/**
 * RFC 7208's {@code check_host()}, evaluated asynchronously: each DNS query is a stage, and the terms of a record
 * are evaluated in order, one stage after another.
 *
 * <p>Immutable and thread-safe; the state of one check lives in its own {@link Session}, which only that check's
 * stages touch, one after another.
 */
public final class SpfEvaluator {

    /**
     * What a check may do.
     *
     * @param dns                the DNS port
     * @param maxLookups         DNS-querying terms (RFC 7208: 10)
     * @param maxVoidLookups     queries that find nothing (RFC 7208: 2)
     * @param maxMxNames         MX records one {@code mx} looks at (RFC 7208: 10; more is a permerror)
     * @param maxPtrNames        PTR names one {@code ptr} or {@code %{p}} validates (RFC 7208: 10; more are ignored)
     * @param timeoutMillis      the whole check's time limit
     * @param receiver           the receiving host, for {@code %{r}}
     * @param clock              the time, for {@code %{t}}
     * @param defaultExplanation the explanation (a macro-string) when the domain gives none
     */
    public record Config(DnsClient dns, int maxLookups, int maxVoidLookups, int maxMxNames, int maxPtrNames,
                         long timeoutMillis, String receiver, Clock clock, String defaultExplanation) {
    }

    private static final int MAX_CACHED_RECORDS = 4096;
    private static final int MAX_CACHED_RECORD_LENGTH = 1024;
    /** The longest exp= explanation used, in characters before expansion; a longer one gives the default. */
    private static final int MAX_EXPLANATION_LENGTH = 4096;
    private static final CompletableFuture<Match> PERM = CompletableFuture.completedFuture(Match.PERM);

    private final Config config;
    /** Parsed records by text: most checks meet the same few records again. */
    private final Map<String, SpfRecord> parsed = new ConcurrentHashMap<>();

    /**
     * @param config the limits and ports
     */
    public SpfEvaluator(Config config) {
        this.config = config;
    }

    /** The state of one check. */
    private static final class Session {
        final InetAddress ip;
        final boolean v4;
        final String sender;
        final String local;
        final String senderDomain;
        final String helo;
        final String identity;
        /** The client address as the caller wrote it, or null: %{i} keeps its hex digits' case. */
        String ipLiteral;
        int lookups;
        int voids;
        // lists a late stage may still write while a timed-out check is being reported
        final List<String> trace = Collections.synchronizedList(new ArrayList<>());
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        /** Set when the check's time limit passed: nothing more is asked of DNS. */
        volatile boolean cancelled;
        /** The validated names of the client address, once looked up (ptr and %{p} share them). */
        List<String> validated;

        Session(InetAddress ip, String sender, String local, String senderDomain, String helo, String identity) {
            this.ip = ip;
            this.v4 = ip instanceof Inet4Address;
            this.sender = sender;
            this.local = local;
            this.senderDomain = senderDomain;
            this.helo = helo;
            this.identity = identity;
        }
    }

    /** How one check_host() ended. */
    private record Outcome(SpfVerdict verdict, String mechanism, String explanation) {
    }

    /** How one mechanism ended: a match, no match, or an error verdict. */
    private record Match(boolean matched, SpfVerdict error) {
        static final Match YES = new Match(true, null);
        static final Match NO = new Match(false, null);
        static final Match TEMP = new Match(false, SpfVerdict.TEMPERROR);
        static final Match PERM = new Match(false, SpfVerdict.PERMERROR);
    }

    /**
     * Checks the MAIL FROM identity, or the HELO identity when the sender is empty (RFC 7208 §2.4).
     *
     * @param ip     the client address
     * @param sender the envelope sender, or empty/null for a null sender
     * @param helo   the HELO/EHLO name, or null
     * @return the result
     */
    public CompletableFuture<SpfResult> check(InetAddress ip, String sender, String helo) {
        return check(ip, null, sender, helo);
    }

    /**
     * {@link #check(InetAddress, String, String)}, with the address as the caller wrote it (for {@code %{i}}).
     *
     * @param ip        the client address
     * @param ipLiteral the address as written, or null
     * @param sender    the envelope sender, or empty/null for a null sender
     * @param helo      the HELO/EHLO name, or null
     * @return the result
     */
    public CompletableFuture<SpfResult> check(InetAddress ip, String ipLiteral, String sender, String helo) {
        String bare = sender == null ? "" : sender.strip();
        if (bare.startsWith("<") && bare.endsWith(">")) {
            bare = bare.substring(1, bare.length() - 1); // a reverse-path as written in MAIL FROM
        }
        boolean nullSender = bare.isEmpty();
        String identity = nullSender ? "helo" : "mailfrom";
        String who = nullSender ? "postmaster@" + (helo == null ? "" : helo) : bare;
        int at = who.lastIndexOf('@');
        String domain = at < 0 ? who : who.substring(at + 1);
        if (at <= 0) {
            who = "postmaster@" + domain; // no local-part: postmaster (RFC 7208 §4.3)
        }
        return checkHost(normalise(ip), ipLiteral, domain, who, who.substring(0, who.lastIndexOf('@')), helo,
                identity);
    }

    /**
     * {@code check_host(ip, domain, sender)}.
     *
     * @param ip     the client address
     * @param domain the domain to check
     * @param sender the sender (local-part@domain)
     * @param helo   the HELO name, or null
     * @return the result (identity {@code mailfrom})
     */
    public CompletableFuture<SpfResult> checkHost(InetAddress ip, String domain, String sender, String helo) {
        int at = sender.lastIndexOf('@');
        String local = at <= 0 ? "postmaster" : sender.substring(0, at);
        String who = at <= 0 ? "postmaster@" + (at < 0 ? sender : sender.substring(1)) : sender;
        return checkHost(normalise(ip), null, domain, who, local, helo, "mailfrom");
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the IPv4 address it maps. */
    private static InetAddress normalise(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 16) {
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                return IpLiterals.parse((b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "."
                        + (b[15] & 0xff));
            }
        }
        return ip;
    }

    private CompletableFuture<SpfResult> checkHost(InetAddress ip, String ipLiteral, String domain, String sender,
                                                   String local, String helo, String identity) {
        int at = sender.lastIndexOf('@');
        Session s = new Session(ip, sender, local, at < 0 ? domain : sender.substring(at + 1), helo, identity);
        s.ipLiteral = ipLiteral;
        CompletableFuture<Outcome> run;
        try {
            run = checkHost(s, domain, true);
        } catch (RuntimeException e) {
            run = CompletableFuture.failedFuture(e);
        }
        // only a check still waiting for DNS needs a timer (one per check would cost more than an in-memory check)
        return (run.isDone() ? run : run.orTimeout(config.timeoutMillis(), TimeUnit.MILLISECONDS))
                .handle((o, e) -> {
                    Outcome out = o;
                    s.cancelled = true; // a late stage of a timed-out check asks nothing more
                    if (e != null) {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        String why = cause instanceof TimeoutException
                                ? "check timed out after " + config.timeoutMillis() + " ms"
                                : "DNS query failed: " + cause;
                        s.problems.add(why);
                        out = new Outcome(SpfVerdict.TEMPERROR, null, null);
                    }
                    s.trace.add("result " + out.verdict().token()
                            + (out.mechanism() == null ? "" : " (" + out.mechanism() + ")"));
                    List<String> trace;
                    List<String> problems;
                    synchronized (s.trace) {
                        trace = List.copyOf(s.trace);
                    }
                    synchronized (s.problems) {
                        problems = List.copyOf(s.problems);
                    }
                    return new SpfResult(out.verdict(), out.mechanism(), out.explanation(), s.identity,
                            DomainNames.strip(domain), ip, sender, helo, s.lookups, s.voids, trace, problems);
                });
    }

    private static CompletableFuture<Outcome> done(SpfVerdict v, String mechanism) {
        return CompletableFuture.completedFuture(new Outcome(v, mechanism, null));
    }

    private CompletableFuture<DnsAnswer> query(Session s, String name, DnsType type) {
        if (s.cancelled) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(DnsAnswer.Outcome.TIMEOUT, "check timed out"));
        }
        CompletableFuture<DnsAnswer> f;
        try {
            f = config.dns().query(name, type).toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((a, e) -> {
            DnsAnswer answer = e != null || a == null
                    ? DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, e == null ? "no answer" : e.toString()) : a;
            s.trace.add(type + " " + name + ": " + describe(answer));
            if (answer.isTemporaryFailure()) {
                s.problems.add("DNS " + answer.outcome() + " for " + type + " " + name
                        + (answer.detail() == null ? "" : " (" + answer.detail() + ")"));
            }
            return answer;
        });
    }

    private static String describe(DnsAnswer a) {
        if (a.outcome() != DnsAnswer.Outcome.ANSWER) {
            return a.outcome().toString();
        }
        StringBuilder sb = new StringBuilder();
        for (DnsRecord r : a.records()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            if (sb.length() > 200) {
                sb.append("...");
                break;
            }
            if (r instanceof DnsRecord.Address ad) {
                sb.append(IpText.readable(ad.address()));
            } else if (r instanceof DnsRecord.Mx mx) {
                sb.append(mx.preference()).append(' ').append(mx.exchange());
            } else if (r instanceof DnsRecord.Txt t) {
                // a trace line is for reading: a record longer than any real one is shown in part
                String text = t.text();
                sb.append('"').append(text, 0, Math.min(text.length(), 1024))
                        .append(text.length() > 1024 ? "...\"" : "\"");
            } else if (r instanceof DnsRecord.Ptr p) {
                sb.append(p.name());
            }
        }
        return sb.toString();
    }

    /** A query that found nothing: counted, and a permerror past the limit. */
    private boolean overVoidLimit(Session s) {
        s.voids++;
        if (s.voids > config.maxVoidLookups()) {
            s.problems.add("more than " + config.maxVoidLookups() + " void lookups (limit maxVoidLookups)");
            return true;
        }
        return false;
    }

    /** A DNS-querying term: counted, and a permerror past the limit. */
    private boolean overLookupLimit(Session s) {
        s.lookups++;
        if (s.lookups > config.maxLookups()) {
            s.problems.add("more than " + config.maxLookups() + " DNS-querying terms (limit maxLookups)");
            return true;
        }
        return false;
    }

    private CompletableFuture<Outcome> checkHost(Session s, String domain, boolean explain) {
        String d = DomainNames.strip(domain);
        String invalid = DomainNames.invalid(d);
        if (invalid != null) {
            s.trace.add("domain \"" + domain + "\": " + invalid);
            return done(SpfVerdict.NONE, null);
        }
        return query(s, d, DnsType.TXT).thenCompose(answer -> {
            if (answer.isTemporaryFailure()) {
                return done(SpfVerdict.TEMPERROR, null);
            }
            List<String> spf = new ArrayList<>(1);
            for (DnsRecord r : answer.records()) {
                String text = ((DnsRecord.Txt) r).text();
                if (SpfRecord.isSpf1(text)) {
                    spf.add(text);
                }
            }
            if (spf.isEmpty()) {
                s.trace.add(d + ": no SPF record");
                return done(SpfVerdict.NONE, null);
            }
            if (spf.size() > 1) {
                s.problems.add(d + " publishes " + spf.size() + " SPF records");
                return done(SpfVerdict.PERMERROR, null);
            }
            SpfRecord record = parse(spf.get(0));
            if (record.error() != null) {
                s.problems.add(d + ": " + record.error());
                return done(SpfVerdict.PERMERROR, null);
            }
            return terms(s, d, record, 0, explain);
        });
    }

    private SpfRecord parse(String text) {
        SpfRecord r = parsed.get(text);
        if (r == null) {
            r = SpfRecord.parse(text);
            if (parsed.size() >= MAX_CACHED_RECORDS) {
                parsed.clear();
            }
            if (text.length() <= MAX_CACHED_RECORD_LENGTH) {
                parsed.put(text, r); // a cache of a few MB at most; long records are parsed each time
            }
        }
        return r;
    }

    /**
     * Evaluates the terms from {@code start} on. Terms whose answer is already there (in-memory or cached DNS,
     * ip4/ip6/all) are taken in a loop, so that a record of thousands of terms does not deepen the stack.
     */
    private CompletableFuture<Outcome> terms(Session s, String domain, SpfRecord record, int start,
                                             boolean explain) {
        for (int index = start; ; index++) {
            if (s.cancelled) {
                return done(SpfVerdict.TEMPERROR, null);
            }
            if (index == record.directives().size()) {
                return noMatch(s, domain, record, explain);
            }
            SpfRecord.Directive d = record.directives().get(index);
            if (d.queriesDns() && overLookupLimit(s)) {
                return done(SpfVerdict.PERMERROR, d.text());
            }
            CompletableFuture<Match> pending = mechanism(s, domain, d);
            if (pending.isDone() && !pending.isCompletedExceptionally()) {
                Match m = pending.join();
                if (m.error() == null && !m.matched()) {
                    continue;
                }
                return decided(s, domain, record, d, m, explain);
            }
            int next = index + 1;
            return pending.thenCompose(m -> m.error() == null && !m.matched()
                    ? terms(s, domain, record, next, explain) : decided(s, domain, record, d, m, explain));
        }
    }

    /** A term that matched, or erred: the check's outcome. */
    private CompletableFuture<Outcome> decided(Session s, String domain, SpfRecord record, SpfRecord.Directive d,
                                               Match m, boolean explain) {
        if (m.error() != null) {
            return done(m.error(), d.text());
        }
        SpfVerdict v = switch (d.qualifier()) {
            case '-' -> SpfVerdict.FAIL;
            case '~' -> SpfVerdict.SOFTFAIL;
            case '?' -> SpfVerdict.NEUTRAL;
            default -> SpfVerdict.PASS;
        };
        s.trace.add(domain + ": " + d.text() + " matched");
        if (v == SpfVerdict.FAIL && explain) {
            return explanation(s, domain, record).thenApply(e -> new Outcome(v, d.text(), e));
        }
        return done(v, d.text());
    }

    /** No mechanism matched: the redirect, or neutral. */
    private CompletableFuture<Outcome> noMatch(Session s, String domain, SpfRecord record, boolean explain) {
        if (record.redirect() == null) {
            s.trace.add(domain + ": no mechanism matched");
            return done(SpfVerdict.NEUTRAL, null);
        }
        String term = "redirect=" + record.redirect();
        if (overLookupLimit(s)) {
            return done(SpfVerdict.PERMERROR, term);
        }
        return target(s, domain, record.redirect()).thenCompose(target -> {
            if (target == null) {
                return done(SpfVerdict.PERMERROR, term);
            }
            s.trace.add(domain + ": " + term + " -> " + target);
            return checkHost(s, target, explain).thenApply(o -> {
                if (o.verdict() == SpfVerdict.NONE) {
                    s.problems.add(term + ": " + target + " has no SPF record");
                    return new Outcome(SpfVerdict.PERMERROR, term, null);
                }
                return new Outcome(o.verdict(), o.mechanism() == null ? term : o.mechanism(), o.explanation());
            });
        });
    }

    private CompletableFuture<Match> mechanism(Session s, String domain, SpfRecord.Directive d) {
        switch (d.kind()) {
            case ALL:
                return CompletableFuture.completedFuture(Match.YES);
            case IP4:
            case IP6: {
                boolean v4 = d.kind() == SpfRecord.Kind.IP4;
                boolean in = v4 == s.v4 && inNetwork(s.ip.getAddress(), d.network(), v4 ? d.cidr4() : d.cidr6());
                return CompletableFuture.completedFuture(in ? Match.YES : Match.NO);
            }
            case INCLUDE:
                return target(s, domain, d.domainSpec()).thenCompose(t -> t == null ? PERM : checkHost(s, t, false)
                        .thenApply(o -> {
                    switch (o.verdict()) {
                        case PASS:
                            return Match.YES;
                        case FAIL:
                        case SOFTFAIL:
                        case NEUTRAL:
                            return Match.NO;
                        case TEMPERROR:
                            return Match.TEMP;
                        case NONE:
                            s.problems.add(d.text() + ": " + t + " has no SPF record");
                            return Match.PERM;
                        default:
                            return Match.PERM;
                    }
                }));
            case A:
                return target(s, domain, d.domainSpec()).thenCompose(t -> t == null ? PERM
                        : query(s, t, s.v4 ? DnsType.A : DnsType.AAAA).thenApply(a -> addressMatch(s, d, a)));
            case MX:
                return target(s, domain, d.domainSpec()).thenCompose(t -> t == null ? PERM
                        : query(s, t, DnsType.MX).thenCompose(a -> mx(s, d, a)));
            case PTR:
                return target(s, domain, d.domainSpec()).thenCompose(t -> t == null ? PERM
                        : validatedNames(s, true).thenApply(names -> {
                    if (s.voids > config.maxVoidLookups()) {
                        return Match.PERM; // its PTR query found nothing, one void lookup too many
                    }
                    String suffix = "." + t;
                    for (String n : names) {
                        if (n.equals(t) || n.endsWith(suffix)) {
                            return Match.YES;
                        }
                    }
                    return Match.NO;
                }));
            case EXISTS:
                return target(s, domain, d.domainSpec()).thenCompose(t -> t == null ? PERM
                        : query(s, t, DnsType.A).thenApply(a -> {
                    if (a.isTemporaryFailure()) {
                        return Match.TEMP;
                    }
                    if (a.isVoid()) {
                        return overVoidLimit(s) ? Match.PERM : Match.NO;
                    }
                    return Match.YES;
                }));
            default:
                throw new IllegalStateException(d.kind().toString());
        }
    }

    private Match addressMatch(Session s, SpfRecord.Directive d, DnsAnswer a) {
        if (a.isTemporaryFailure()) {
            return Match.TEMP;
        }
        if (a.isVoid()) {
            return overVoidLimit(s) ? Match.PERM : Match.NO;
        }
        return anyInNetwork(s, d, a) ? Match.YES : Match.NO;
    }

    private static boolean anyInNetwork(Session s, SpfRecord.Directive d, DnsAnswer a) {
        byte[] ip = s.ip.getAddress();
        int bits = s.v4 ? d.cidr4() : d.cidr6();
        for (DnsRecord r : a.records()) {
            if (r instanceof DnsRecord.Address ad && inNetwork(ip, ad.address().getAddress(), bits)) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<Match> mx(Session s, SpfRecord.Directive d, DnsAnswer a) {
        if (a.isTemporaryFailure()) {
            return CompletableFuture.completedFuture(Match.TEMP);
        }
        if (a.isVoid()) {
            return CompletableFuture.completedFuture(overVoidLimit(s) ? Match.PERM : Match.NO);
        }
        if (a.records().size() > config.maxMxNames()) {
            s.problems.add(d.text() + ": " + a.records().size() + " MX records, more than "
                    + config.maxMxNames() + " (limit maxMxNames)");
            return CompletableFuture.completedFuture(Match.PERM);
        }
        List<String> hosts = new ArrayList<>();
        for (DnsRecord r : a.records()) {
            String host = ((DnsRecord.Mx) r).exchange();
            if (!host.isEmpty()) {
                hosts.add(host);
            }
        }
        return mxHosts(s, d, hosts, 0);
    }

    private CompletableFuture<Match> mxHosts(Session s, SpfRecord.Directive d, List<String> hosts, int i) {
        if (i == hosts.size()) {
            return CompletableFuture.completedFuture(Match.NO);
        }
        return query(s, hosts.get(i), s.v4 ? DnsType.A : DnsType.AAAA).thenCompose(a -> {
            if (a.isTemporaryFailure()) {
                return CompletableFuture.completedFuture(Match.TEMP);
            }
            if (!a.isVoid() && anyInNetwork(s, d, a)) {
                return CompletableFuture.completedFuture(Match.YES);
            }
            return mxHosts(s, d, hosts, i + 1);
        });
    }

    /**
     * The client address's validated names (RFC 7208 §5.5): PTR names whose addresses include it, at most
     * maxPtrNames of them checked. DNS errors only leave names out.
     *
     * @param countVoid whether an empty PTR answer counts as a void lookup (it does for the ptr mechanism)
     */
    private CompletableFuture<List<String>> validatedNames(Session s, boolean countVoid) {
        if (s.validated != null) {
            return CompletableFuture.completedFuture(s.validated);
        }
        return query(s, IpText.reverseName(s.ip), DnsType.PTR).thenCompose(a -> {
            if (a.isVoid() && countVoid) {
                overVoidLimit(s); // the ptr mechanism turns a breach into its permerror
            }
            List<String> names = new ArrayList<>();
            for (DnsRecord r : a.records()) {
                if (names.size() == config.maxPtrNames()) {
                    s.trace.add("PTR names beyond " + config.maxPtrNames() + " ignored");
                    break;
                }
                names.add(((DnsRecord.Ptr) r).name());
            }
            return validate(s, names, 0, new ArrayList<>());
        });
    }

    private CompletableFuture<List<String>> validate(Session s, List<String> names, int i, List<String> out) {
        if (i == names.size()) {
            s.validated = List.copyOf(out);
            return CompletableFuture.completedFuture(s.validated);
        }
        String name = names.get(i);
        return query(s, name, s.v4 ? DnsType.A : DnsType.AAAA).thenCompose(a -> {
            byte[] ip = s.ip.getAddress();
            for (DnsRecord r : a.records()) {
                if (r instanceof DnsRecord.Address ad && Arrays.equals(ip, ad.address().getAddress())) {
                    out.add(name);
                    break;
                }
            }
            return validate(s, names, i + 1, out);
        });
    }

    /**
     * A domain-spec expanded to a name (the current domain when absent); null when the expansion is not a valid
     * name (an empty label, a label over 63 octets), which makes the term a permerror.
     */
    private CompletableFuture<String> target(Session s, String domain, String spec) {
        if (spec == null) {
            return CompletableFuture.completedFuture(domain);
        }
        return expand(s, domain, spec, false).thenApply(Macros::truncate).thenApply(t -> {
            String invalid = DomainNames.invalidLabels(t);
            if (invalid != null) {
                s.problems.add("\"" + spec + "\" expands to an invalid name \"" + t + "\": " + invalid);
                return null;
            }
            return t.toLowerCase(Locale.ROOT);
        });
    }

    private CompletableFuture<String> expand(Session s, String domain, String spec, boolean exp) {
        if (!Macros.uses(spec, 'p')) {
            return CompletableFuture.completedFuture(Macros.expand(spec, letter -> value(s, domain, letter, null)));
        }
        return validatedNames(s, false).thenApply(names -> {
            // the domain itself first, then a subdomain of it, then any validated name (RFC 7208 §7.3)
            String p = names.contains(domain) ? domain : null;
            String suffix = "." + domain;
            for (int k = 0; p == null && k < names.size(); k++) {
                if (names.get(k).endsWith(suffix)) {
                    p = names.get(k);
                }
            }
            if (p == null) {
                p = names.isEmpty() ? "unknown" : names.get(0);
            }
            String pv = p;
            return Macros.expand(spec, letter -> value(s, domain, letter, pv));
        });
    }

    private String value(Session s, String domain, char letter, String p) {
        switch (letter) {
            case 's':
                return s.sender;
            case 'l':
                return s.local;
            case 'o':
                return s.senderDomain;
            case 'd':
                return domain;
            case 'i':
                return s.ipLiteral != null ? IpText.macroPreservingCase(s.ipLiteral, s.ip) : IpText.macro(s.ip);
            case 'p':
                return p == null ? "unknown" : p;
            case 'v':
                return s.v4 ? "in-addr" : "ip6";
            case 'h':
                return s.helo == null || s.helo.isEmpty() ? "unknown" : s.helo;
            case 'c':
                return IpText.readable(s.ip);
            case 'r':
                return config.receiver() == null ? "unknown" : config.receiver();
            case 't':
                return Long.toString(config.clock().instant().getEpochSecond());
            default:
                throw new IllegalArgumentException("macro letter " + letter);
        }
    }

    /** The explanation of a fail: the domain's exp= text, or the default (RFC 7208 §6.2). */
    private CompletableFuture<String> explanation(Session s, String domain, SpfRecord record) {
        if (record.exp() == null) {
            return defaultExplanation(s, domain);
        }
        return expand(s, domain, record.exp(), false).thenApply(Macros::truncate)
                .thenCompose(name -> {
                    if (DomainNames.invalid(name) != null) {
                        return defaultExplanation(s, domain);
                    }
                    return query(s, name, DnsType.TXT).thenCompose(a -> {
                        if (a.records().size() != 1) {
                            return defaultExplanation(s, domain);
                        }
                        String text = ((DnsRecord.Txt) a.records().get(0)).text();
                        if (text.length() > MAX_EXPLANATION_LENGTH) {
                            s.trace.add("explanation of " + text.length() + " characters is longer than "
                                    + MAX_EXPLANATION_LENGTH + " (limit); the default is used");
                            return defaultExplanation(s, domain);
                        }
                        if (Macros.checkExplanation(text) != null) {
                            s.trace.add("explanation \"" + text + "\" is malformed; the default is used");
                            return defaultExplanation(s, domain);
                        }
                        return expand(s, domain, Macros.escapeSpaces(text), true).thenCompose(e -> {
                            if (!printableAscii(e)) {
                                // the sender's local part (%{l}, %{s}) can hold anything, a line break included;
                                // the explanation goes into an SMTP reply, which is US-ASCII (RFC 7208 §6.2)
                                s.trace.add("explanation holds characters outside printable US-ASCII; the default"
                                        + " is used");
                                return defaultExplanation(s, domain);
                            }
                            return CompletableFuture.completedFuture(e);
                        });
                    });
                });
    }

    private CompletableFuture<String> defaultExplanation(Session s, String domain) {
        return expand(s, domain, Macros.escapeSpaces(config.defaultExplanation()), true)
                .thenApply(SpfEvaluator::printable);
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** The default explanation's macros can name the sender too: what is not printable US-ASCII becomes '?'. */
    private static String printable(String s) {
        if (printableAscii(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c > 0x7E ? '?' : c);
        }
        return sb.toString();
    }

    /** Whether the first {@code bits} bits of two addresses of the same family agree. */
    static boolean inNetwork(byte[] ip, byte[] network, int bits) {
        if (ip.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (ip[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (ip[full] & mask) == (network[full] & mask);
    }
}
