package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.testing.BoundedJvm;
import org.bouncekit.testing.BoundedJvm.Case;
import org.junit.jupiter.api.Test;

/**
 * Hostile DNS data and messages, run by the checkers in a child JVM with {@code -Xmx64m} and 60 seconds, each
 * through a DNS client that answers from code and counts the queries: SPF record trees that would need thousands
 * of queries, include and redirect loops, void lookups, answers of 100,000 records, records of 10 MB, 1,000 DKIM
 * signatures, key records of 100 KB, and the same against DMARC, DNSBL and the domain auditor. Each must end with
 * the verdict the limits give (SPF permerror, DKIM permerror, a problem naming the limit) after a bounded number
 * of queries; never an {@link OutOfMemoryError}, a {@link StackOverflowError}, a hang or a wrong verdict.
 */
class AdversarialDnsTest {

    private static final Duration TIME = Duration.ofSeconds(60);
    private static final String CLIENT = "192.0.2.1";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    /** A DNS client that answers from a function of name and type, and counts what it is asked. */
    static final class CountingDns implements DnsClient {
        final AtomicInteger queries = new AtomicInteger();
        private final BiFunction<String, DnsType, DnsAnswer> zone;

        CountingDns(BiFunction<String, DnsType, DnsAnswer> zone) {
            this.zone = zone;
        }

        @Override
        public CompletionStage<DnsAnswer> query(String name, DnsType type) {
            queries.incrementAndGet();
            String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            DnsAnswer a = zone.apply(n.toLowerCase(Locale.ROOT), type);
            return CompletableFuture.completedFuture(a != null ? a : DnsAnswer.failed(DnsAnswer.Outcome.NXDOMAIN,
                    null));
        }
    }

    private static DnsAnswer txt(String... texts) {
        List<DnsRecord> r = new ArrayList<>();
        for (String t : texts) {
            r.add(new DnsRecord.Txt(t));
        }
        return DnsAnswer.of(r, 60);
    }

    private static <R extends DnsRecord> DnsAnswer flood(int n, Function<Integer, R> record) {
        List<DnsRecord> r = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            r.add(record.apply(i));
        }
        return DnsAnswer.of(r, 60);
    }

    private static DnsRecord.Address address(int i) {
        try {
            int k = i;
            return new DnsRecord.Address(InetAddress.getByAddress(new byte[] {10, (byte) (k >> 16), (byte) (k >> 8),
                (byte) k}));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String huge(String prefix, String unit, int length) {
        StringBuilder sb = new StringBuilder(length + unit.length()).append(prefix);
        while (sb.length() < length) {
            sb.append(unit);
        }
        return sb.toString();
    }

    /** Entry point of the child JVM: runs one group of cases, printing one line per case. */
    public static void main(String[] args) throws Exception {
        Map<String, Case> cases = switch (args[0]) {
            case "spf" -> spf();
            case "dkim" -> dkim();
            case "dmarc-dnsbl-audit" -> others();
            default -> throw new IllegalArgumentException(args[0]);
        };
        BoundedJvm.printCases(cases);
    }

    /** A zone made when its case runs, so that no case holds another's answers in memory. */
    private static Case spf(Supplier<BiFunction<String, DnsType, DnsAnswer>> zone, String sender) {
        return () -> {
            CountingDns dns = new CountingDns(zone.get());
            SpfResult r = SpfChecker.builder(dns).clock(CLOCK).build().check(CLIENT, sender, "helo.example");
            int trace = r.trace().stream().mapToInt(String::length).sum();
            String problems = String.join("; ", r.problems());
            String explanation = r.explanation() == null ? "none" : r.explanation().length() < 200
                    ? "\"" + r.explanation() + "\"" : r.explanation().length() + " characters";
            return r.verdict() + " lookups " + r.lookups() + " voids " + r.voidLookups() + " queries "
                    + dns.queries + " trace " + (trace < 100_000 ? "small" : trace) + " explanation " + explanation
                    + " problems " + (problems.length() > 300 ? problems.substring(0, 300) : problems);
        };
    }

    private static String tenIncludes(String name) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < 10; d++) {
            sb.append(" include:").append(d).append('.').append(name);
        }
        return sb.toString();
    }

    private static Map<String, Case> spf() {
        Map<String, Case> c = new LinkedHashMap<>();
        // every name publishes a, mx and ten includes of names below it: 10^n queries at depth n without the limit
        c.put("include-tree", spf(() -> (n, t) -> !n.endsWith("tree.example") ? null : switch (t) {
            case TXT -> txt("v=spf1 a mx" + tenIncludes(n) + " -all");
            case MX -> DnsAnswer.of(List.of(new DnsRecord.Mx(10, "mx." + n)), 60);
            case A -> flood(1, AdversarialDnsTest::address);
            default -> null;
        }, "a@tree.example"));
        c.put("include-loop", spf(() -> (n, t) -> t != DnsType.TXT ? null : n.equals("a.loop.example")
                ? txt("v=spf1 include:b.loop.example -all") : n.equals("b.loop.example")
                ? txt("v=spf1 include:a.loop.example -all") : null, "x@a.loop.example"));
        c.put("redirect-loop", spf(() -> (n, t) -> t == DnsType.TXT && n.endsWith("redirect.example")
                ? txt("v=spf1 redirect=" + n) : null, "x@redirect.example"));
        c.put("void-storm", spf(() -> (n, t) -> t == DnsType.TXT && n.equals("void.example")
                ? txt("v=spf1 a:v0.void.example a:v1.void.example mx:v2.void.example exists:v3.void.example"
                        + " a:v4.void.example a:v5.void.example -all") : null, "x@void.example"));
        // fifty exists terms whose macros expand to long names: each would be a query
        c.put("exists-macro-storm", spf(() -> (n, t) -> t == DnsType.TXT && n.equals("macro.example")
                ? txt("v=spf1" + " exists:%{l}.%{i}.%{d}.%{h}.%{s}.x.macro.example".repeat(50) + " -all") : null,
                "local-" + "x".repeat(50) + "@macro.example"));
        c.put("mx-flood", spf(() -> {
            DnsAnswer mx = flood(100_000, i -> new DnsRecord.Mx(i, "mx" + i + ".mx.example"));
            return (n, t) -> t == DnsType.TXT && n.equals("mx.example") ? txt("v=spf1 mx -all")
                    : t == DnsType.MX ? mx : null;
        }, "x@mx.example"));
        c.put("mx-hosts-flood", spf(() -> {
            DnsAnswer a = flood(100_000, AdversarialDnsTest::address);
            return (n, t) -> t == DnsType.TXT && n.equals("mxa.example") ? txt("v=spf1 mx -all")
                    : t == DnsType.MX ? flood(10, i -> new DnsRecord.Mx(i, "mx" + i + ".mxa.example"))
                    : t == DnsType.A ? a : null;
        }, "x@mxa.example"));
        c.put("ptr-flood", spf(() -> {
            DnsAnswer ptr = flood(100_000, i -> new DnsRecord.Ptr("host" + i + ".ptr.example"));
            DnsAnswer a = flood(100_000, AdversarialDnsTest::address);
            return (n, t) -> t == DnsType.TXT && n.equals("ptr.example") ? txt("v=spf1 ptr -all")
                    : t == DnsType.PTR ? ptr : t == DnsType.A ? a : null;
        }, "x@ptr.example"));
        c.put("a-flood-client-last", spf(() -> {
            List<DnsRecord> r = new ArrayList<>(flood(100_000, AdversarialDnsTest::address).records());
            try {
                r.add(new DnsRecord.Address(InetAddress.getByName(CLIENT)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            DnsAnswer a = DnsAnswer.of(r, 60);
            return (n, t) -> t == DnsType.TXT && n.equals("a.example") ? txt("v=spf1 a -all")
                    : t == DnsType.A ? a : null;
        }, "x@a.example"));
        c.put("txt-flood-one-spf", spf(() -> {
            DnsAnswer txt = flood(100_001, i -> new DnsRecord.Txt(i == 100_000 ? "v=spf1 ip4:192.0.2.0/24 -all"
                    : "site-verification=" + i));
            return (n, t) -> t == DnsType.TXT ? txt : null;
        }, "x@txt.example"));
        c.put("spf-flood", spf(() -> {
            DnsAnswer txt = flood(100_000, i -> new DnsRecord.Txt("v=spf1 ip4:10.0." + (i >> 8 & 255) + "."
                    + (i & 255) + " -all"));
            return (n, t) -> t == DnsType.TXT ? txt : null;
        }, "x@spf.example"));
        c.put("spf-10MB", spf(() -> {
            DnsAnswer txt = txt(huge("v=spf1", " ip4:10.1.2.3", 10 << 20) + " -all");
            return (n, t) -> t == DnsType.TXT ? txt : null;
        }, "x@big.example"));
        c.put("explanation-10MB", spf(() -> {
            DnsAnswer why = txt(huge("Rejected: ", "%{i} %{d} ", 10 << 20));
            return (n, t) -> t != DnsType.TXT ? null : n.equals("exp.example")
                    ? txt("v=spf1 exp=why.exp.example -all") : why;
        }, "x@exp.example"));
        return c;
    }

    private static Case dkim(byte[] message, DnsClient dns, UnaryOperator<DkimVerifier.Builder> config) {
        return () -> {
            DkimResult r = config.apply(DkimVerifier.builder(dns).clock(CLOCK)).build().verify(message);
            Map<String, Integer> verdicts = new LinkedHashMap<>();
            for (DkimSignatureResult s : r.signatures()) {
                String v = s.verdict() + (s.reason() == null ? "" : " (" + s.reason() + ")");
                verdicts.merge(v.length() > 300 ? v.substring(0, 300) : v, 1, Integer::sum);
            }
            return r.signatures().size() + " results " + verdicts + " problems " + r.problems();
        };
    }

    private static Map<String, Case> dkim() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String key = DkimSigner.publicKeyRecord(pair.getPublic());
        byte[] message = ("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: hello\r\n"
                + "Date: Thu, 26 Nov 2026 09:59:00 +0000\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
        // 1,000 valid signatures, each with its own selector: verifying them all would take 1,000 key queries
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            fields.append(DkimSigner.builder("example.org", "s" + i, pair.getPrivate()).clock(CLOCK).build()
                    .signatureField(message)).append("\r\n");
        }
        byte[] signed = (fields + new String(message, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        Map<String, Case> c = new LinkedHashMap<>();
        for (int maxHeaderFields : new int[] {1_000, 10_000}) {
            c.put("thousand-signatures-maxHeaderFields-" + maxHeaderFields, () -> {
                CountingDns keys = new CountingDns((n, t) -> n.endsWith("._domainkey.example.org") ? txt(key) : null);
                return dkim(signed, keys, b -> b.maxHeaderFields(maxHeaderFields)).run() + " queries "
                        + keys.queries;
            });
        }
        byte[] one = DkimSigner.builder("example.org", "big", pair.getPrivate()).clock(CLOCK).build().sign(message);
        c.put("key-100KB", dkim(one, new CountingDns((n, t) -> txt(huge("v=DKIM1; k=ed25519; p=", "AAAA",
                100 << 10))), b -> b));
        // an RSA key in proper DER whose modulus has 360,000 bits: 60 KB of base64, a record DNS could carry
        c.put("rsa-key-360000-bits", () -> {
            byte[] modulus = new byte[45_000];
            Arrays.fill(modulus, (byte) 0x5a);
            String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(
                    rsaSpki(new BigInteger(1, modulus), BigInteger.valueOf(65537)));
            byte[] m = ("DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=rsa; h=from; "
                    + "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=" + "A".repeat(60_000) + "\r\n"
                    + new String(message, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
            return dkim(m, new CountingDns((n, t) -> txt(record)), b -> b).run() + " record " + record.length();
        });
        c.put("key-flood", () -> {
            DnsAnswer keys = flood(100_001, i -> new DnsRecord.Txt(i == 100_000 ? key : "v=spf1 junk " + i));
            return dkim(one, new CountingDns((n, t) -> keys), b -> b).run();
        });
        return c;
    }

    /** SubjectPublicKeyInfo DER of an RSA key, written by hand: the JDK refuses to build one this large. */
    static byte[] rsaSpki(BigInteger n, BigInteger e) {
        byte[] key = der(0x30, concat(der(0x02, n.toByteArray()), der(0x02, e.toByteArray())));
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x01, 0x01, 0x05, 0x00};
        return der(0x30, concat(algorithm, der(0x03, concat(new byte[] {0}, key))));
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 128 ? new byte[] {(byte) n} : n < 256 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 65536 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        return concat(concat(new byte[] {(byte) tag}, length), content);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Case dmarc(Supplier<BiFunction<String, DnsType, DnsAnswer>> zone) {
        return () -> {
            CountingDns dns = new CountingDns(zone.get());
            DmarcResult r = DmarcEvaluator.builder(dns).build().evaluate("example.org", null,
                    new DkimResult(List.of(), List.of()));
            String last = r.problems().isEmpty() ? "" : r.problems().get(r.problems().size() - 1);
            return r.verdict() + " policy " + r.requestedPolicy() + " queries " + dns.queries + " problems "
                    + r.problems().size() + (last.length() > 300 ? " last " + last.substring(0, 300) : " last " + last);
        };
    }

    private static Case dnsbl(Supplier<BiFunction<String, DnsType, DnsAnswer>> zone) {
        return () -> {
            CountingDns dns = new CountingDns(zone.get());
            DnsblZoneResult r = DnsblChecker.builder(dns).zone("bl.example").reasons(true).build().check(CLIENT)
                    .zones().get(0);
            return r.status() + " codes " + r.codes().size() + " reasons " + r.reasons().size() + " queries "
                    + dns.queries;
        };
    }

    private static Case audit(Supplier<BiFunction<String, DnsType, DnsAnswer>> zone, String domain) {
        return () -> {
            CountingDns dns = new CountingDns(zone.get());
            DomainAudit a = DomainAuditor.builder(dns).build().audit(domain, List.of("s1"));
            StringBuilder kinds = new StringBuilder();
            int namingLimit = 0;
            for (AuditFinding f : a.findings()) {
                kinds.append(f.kind()).append(' ');
                namingLimit += f.message().contains("(limit MAX_LENGTH") ? 1 : 0;
            }
            return "queries " + dns.queries + " findings " + kinds.toString().strip() + " mx " + a.mx().size()
                    + " naming MAX_LENGTH " + namingLimit;
        };
    }

    private static DnsRecord.Address code(int i) {
        try {
            return new DnsRecord.Address(InetAddress.getByAddress(new byte[] {127, (byte) (i >> 16), (byte) (i >> 8),
                (byte) i}));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Case> others() {
        Map<String, Case> c = new LinkedHashMap<>();
        String dmarc = "v=DMARC1; p=reject";
        c.put("dmarc-txt-flood", dmarc(() -> {
            DnsAnswer txt = flood(100_001, i -> new DnsRecord.Txt(i == 100_000 ? dmarc : "verification=" + i));
            return (n, t) -> n.equals("_dmarc.example.org") ? txt : null;
        }));
        c.put("dmarc-record-flood", dmarc(() -> {
            DnsAnswer txt = flood(100_000, i -> new DnsRecord.Txt(dmarc + "; ri=" + (i + 1)));
            return (n, t) -> n.equals("_dmarc.example.org") ? txt : null;
        }));
        c.put("dmarc-malformed-flood", dmarc(() -> {
            DnsAnswer txt = flood(100_000, i -> new DnsRecord.Txt("v=DMARC1; p=reject; bad tag " + i));
            return (n, t) -> n.equals("_dmarc.example.org") ? txt : null;
        }));
        c.put("dmarc-10MB", dmarc(() -> {
            DnsAnswer txt = txt(huge(dmarc + "; rua=", "mailto:r@example.org,", 10 << 20));
            return (n, t) -> n.equals("_dmarc.example.org") ? txt : null;
        }));
        c.put("dnsbl-flood", dnsbl(() -> {
            DnsAnswer codes = flood(100_000, AdversarialDnsTest::code);
            DnsAnswer reasons = flood(100_000, i -> new DnsRecord.Txt("listed, see https://bl.example/" + i));
            return (n, t) -> t == DnsType.A ? codes : reasons;
        }));
        c.put("dnsbl-reason-10MB", dnsbl(() -> {
            DnsAnswer reason = txt(huge("listed because ", "spam ", 10 << 20));
            return (n, t) -> t == DnsType.A ? DnsAnswer.of(List.of(code(2)), 60) : reason;
        }));
        c.put("audit-include-tree", audit(() -> (n, t) -> t == DnsType.TXT && n.endsWith("tree.example")
                ? txt("v=spf1" + tenIncludes(n) + " -all") : null, "tree.example"));
        c.put("audit-floods", audit(() -> {
            DnsAnswer mx = flood(100_000, i -> new DnsRecord.Mx(i, "mx" + i + ".flood.example"));
            DnsAnswer a = flood(100_000, AdversarialDnsTest::code);
            DnsAnswer dmarcs = flood(100_000, i -> new DnsRecord.Txt(dmarc + "; ri=" + (i + 1)));
            DnsAnswer spf = flood(100_000, i -> new DnsRecord.Txt(i == 99_999 ? "v=spf1 mx -all" : "v=" + i));
            return (n, t) -> switch (t) {
                case MX -> mx;
                case A, AAAA -> a;
                case TXT -> n.startsWith("_dmarc") ? dmarcs : spf;
                default -> null;
            };
        }, "flood.example"));
        c.put("audit-10MB-records", audit(() -> {
            DnsAnswer dmarcs = txt(huge(dmarc + "; rua=", "mailto:r@example.org,", 10 << 20));
            DnsAnswer key = txt(huge("v=DKIM1; p=", "AAAA", 10 << 20));
            DnsAnswer spf = txt(huge("v=spf1", " ip4:10.1.2.3", 10 << 20));
            return (n, t) -> t != DnsType.TXT ? null : n.startsWith("_dmarc") ? dmarcs
                    : n.contains("_domainkey") ? key : spf;
        }, "big.example"));
        return c;
    }

    private static Map<String, String> child(String name) throws Exception {
        return BoundedJvm.cases(AdversarialDnsTest.class, "64m", TIME, name);
    }

    /**
     * Under {@code -Xmx64m}: record trees, loops and floods stop at RFC 7208's limits (10 lookups, 2 void lookups,
     * 10 MX names, 10 PTR names) after the queries those limits allow, and answers of 100,000 records or 10 MB
     * give the verdict they hold; a record longer than a DNS answer can carry is a permerror naming the limit.
     */
    @Test
    void spfStopsAtItsLookupLimitsWhateverDnsAnswers() throws Exception {
        Map<String, String> out = child("spf");
        String lookups = " trace small explanation none problems more than 10 DNS-querying terms (limit maxLookups)";
        String voids = " trace small explanation none problems more than 2 void lookups (limit maxVoidLookups)";
        Map<String, String> expected = new LinkedHashMap<>();
        // 11 lookups: a, mx and include on each of three levels, then a and mx on the fourth; 14 queries with the
        // TXT record and the mx host's address on each level (10 of 11,111 records that a full walk would read)
        expected.put("include-tree", "PERMERROR lookups 11 voids 0 queries 14" + lookups);
        expected.put("include-loop", "PERMERROR lookups 11 voids 0 queries 11" + lookups);
        expected.put("redirect-loop", "PERMERROR lookups 11 voids 0 queries 11" + lookups);
        expected.put("void-storm", "PERMERROR lookups 3 voids 3 queries 4" + voids);
        expected.put("exists-macro-storm", "PERMERROR lookups 3 voids 3 queries 4" + voids);
        expected.put("mx-flood", "PERMERROR lookups 1 voids 0 queries 2 trace small explanation none problems "
                + "mx: 100000 MX records, more than 10 (limit maxMxNames)");
        // ten MX hosts of 100,000 addresses each, none the client's: looked through, then -all
        expected.put("mx-hosts-flood", "FAIL lookups 1 voids 0 queries 12 trace small explanation \"192.0.2.1 is "
                + "not one of mxa.example's designated mail servers.\" problems ");
        // 100,000 PTR names: 10 validated (maxPtrNames)
        expected.put("ptr-flood", "FAIL lookups 1 voids 0 queries 12 trace small explanation \"192.0.2.1 is not "
                + "one of ptr.example's designated mail servers.\" problems ");
        expected.put("a-flood-client-last", "PASS lookups 1 voids 0 queries 2 trace small explanation none problems ");
        expected.put("txt-flood-one-spf", "PASS lookups 0 voids 0 queries 1 trace small explanation none problems ");
        expected.put("spf-flood", "PERMERROR lookups 0 voids 0 queries 1 trace small explanation none problems "
                + "spf.example publishes 100000 SPF records");
        expected.put("spf-10MB", "PERMERROR lookups 0 voids 0 queries 1 trace small explanation none problems "
                + "big.example: record of 10485772 characters, longer than 65535 (limit MAX_LENGTH: the most one "
                + "DNS answer holds)");
        // an exp= text of 10 MB is not used (it ran the heap out, and the check ended as a temperror)
        expected.put("explanation-10MB", "FAIL lookups 0 voids 0 queries 2 trace small explanation \"192.0.2.1 is "
                + "not one of exp.example's designated mail servers.\" problems ");
        expected.forEach((name, outcome) -> assertEquals(outcome, out.get(name), name));
        assertEquals(expected.keySet(), out.keySet());
    }

    /**
     * Under {@code -Xmx64m}: of 1,000 valid signatures, the first 10 ({@code maxSignatures}) are verified with one
     * key query each and the rest are a problem; a header longer than {@code maxHeaderFields} makes each of them a
     * permerror naming that limit, with no query (they used to FAIL, the signed fields being out of reach). Key
     * records of 100 KB and keys over the JDK's 16,384 bits are permerrors; 100,000 TXT records at a key name are
     * looked through.
     */
    @Test
    void dkimVerifiesAtMostMaxSignaturesAndRefusesOversizedKeys() throws Exception {
        Map<String, String> out = child("dkim");
        String tooMany = "more than 10 DKIM signatures; the rest were not verified (limit maxSignatures)";
        assertEquals("10 results {PERMERROR (the header has more than 1000 fields and was not read whole, so the "
                + "signed fields cannot be found (limit maxHeaderFields))=10} problems [more than 1000 header fields; "
                + "the rest were not read (limit maxHeaderFields), " + tooMany + "] queries 0",
                out.get("thousand-signatures-maxHeaderFields-1000"));
        assertEquals("10 results {PASS=10} problems [" + tooMany + "] queries 10",
                out.get("thousand-signatures-maxHeaderFields-10000"));
        assertEquals("1 results {PERMERROR (key record syntax: tag-list of 102402 characters, longer than 65535 "
                + "(limit MAX_LENGTH: the most one DNS answer holds))=1} problems []", out.get("key-100KB"));
        String rsa = out.get("rsa-key-360000-bits");
        assertTrue(rsa.startsWith("1 results {PERMERROR (unusable key: ") && rsa.contains("16384 bits")
                && rsa.endsWith(" record 60070"), rsa);
        assertEquals("1 results {PASS=1} problems []", out.get("key-flood"));
    }

    /**
     * Under {@code -Xmx64m}: DMARC keeps one record of 100,000 and lists 10 malformed ones; a DNSBL answer of
     * 100,000 codes and reasons, or a 10 MB reason, is read; the domain auditor stays within
     * {@link DomainAuditor#MAX_QUERIES} on an endless include tree, and reports 10 MB records as invalid, naming
     * the limit.
     */
    @Test
    void dmarcDnsblAndAuditorStayBoundedOnFloods() throws Exception {
        Map<String, String> out = child("dmarc-dnsbl-audit");
        assertEquals("FAIL policy reject queries 2 problems 0 last ", out.get("dmarc-txt-flood"));
        assertEquals("NONE policy null queries 2 problems 1 last 100000 DMARC records at _dmarc.example.org; none is "
                + "used", out.get("dmarc-record-flood"));
        assertEquals("NONE policy null queries 2 problems 11 last 99990 more malformed DMARC records at "
                + "_dmarc.example.org not listed", out.get("dmarc-malformed-flood"));
        assertTrue(out.get("dmarc-10MB").startsWith("NONE policy null queries 2 problems 1 last malformed DMARC "
                + "record at _dmarc.example.org (tag-list of 10485765 characters, longer than 65535 (limit "
                + "MAX_LENGTH: the most one DNS answer holds)): v=DMARC1; p=reject; rua="), out.get("dmarc-10MB"));
        assertEquals("LISTED codes 100000 reasons 100000 queries 2", out.get("dnsbl-flood"));
        assertEquals("LISTED codes 1 reasons 1 queries 2", out.get("dnsbl-reason-10MB"));
        String tree = out.get("audit-include-tree");
        assertTrue(tree.contains("SPF_TOO_MANY_LOOKUPS"), tree);
        int queries = Integer.parseInt(tree.split(" ")[1]);
        assertTrue(queries <= DomainAuditor.MAX_QUERIES, tree);
        String floods = out.get("audit-floods");
        assertTrue(floods.contains("DMARC_INVALID") && floods.contains(" mx 100000 "), floods);
        assertTrue(Integer.parseInt(floods.split(" ")[1]) <= DomainAuditor.MAX_QUERIES, floods);
        assertEquals("queries 7 findings SPF_SYNTAX DMARC_INVALID DKIM_KEY_INVALID MX_MISSING MTA_STS_MISSING "
                + "TLSRPT_MISSING mx 0 naming MAX_LENGTH 3", out.get("audit-10MB-records"));
    }
}
