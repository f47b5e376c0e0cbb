package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.bouncekit.testing.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Fuzzes the DNS authentication parsers with {@link Fuzz} ({@value Fuzz#DEFAULT_INPUTS} inputs each in CI, more
 * with {@code -Dbouncekit.fuzz.inputs}): SPF records and macros ({@link SpfChecker} over fuzzed TXT records and
 * macro-heavy senders and HELO names), DKIM signatures and key records ({@link DkimVerifier} on signed messages whose
 * {@code DKIM-Signature} field, key record and body are mutated), DMARC records ({@link DmarcEvaluator}),
 * {@link AuthenticationResults#parse} and {@link AggregateReportParser} (mutated XML inside gzip, zip and report
 * emails). The DNS-reading inputs are {@link ZoneInput}s: records and payload in one file. Each parser gives a
 * result, or throws the one exception its javadoc documents for that input. Every failure kept under
 * {@code src/test/resources/fuzz/PARSER/} is replayed by {@link #regressionFileStillPasses}.
 */
class ParserFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    /** Whether a string holds a line break or another control character than tab: header injection. */
    private static boolean controls(String s) {
        return s.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F);
    }

    /**
     * SPF: the payload's lines are the client address, the sender and the HELO name. A literal that
     * {@code IpLiterals} refuses gives {@link IllegalArgumentException} (documented); any other gives a verdict,
     * whose {@code Received-SPF} field is one line without control characters (the sender, HELO name and records are
     * the attacker's), and whose explanation, if any, too (it goes into the SMTP reply). Allocation: 8 MB plus 1 KB
     * per input byte.
     */
    static final Fuzz.Target SPF = new Fuzz.Target("dns-auth.SpfChecker", input -> {
        ZoneInput z = ZoneInput.read(input);
        String[] lines = new String(z.payload, StandardCharsets.UTF_8).split("\n", 3);
        String ip = lines[0];
        String sender = lines.length > 1 ? lines[1] : "";
        String helo = lines.length > 2 ? lines[2] : null;
        SpfChecker checker = SpfChecker.builder(z.dns()).receiver("mx.example.net").clock(CLOCK).build();
        boolean literal;
        try {
            IpLiterals.parse(ip);
            literal = true;
        } catch (IllegalArgumentException e) {
            literal = false;
        }
        if (!literal) {
            assertThrows(IllegalArgumentException.class, () -> checker.check(ip, sender, helo));
            return;
        }
        SpfResult r = checker.check(ip, sender, helo);
        assertNotNull(r.verdict());
        if (r.verdict() != SpfVerdict.NONE) {
            Fuzz.accepted(); // a record was found and read
        }
        String header = r.receivedSpf("mx.example.net");
        assertFalse(controls(header), () -> "Received-SPF with a control character: " + header);
        assertTrue(r.explanation() == null || !controls(r.explanation()),
                () -> "explanation with a control character: " + r.explanation());
    }, new Fuzz.Bound(8 << 20, 1024));

    /**
     * DKIM: the payload is the message. Verified by default (RFC 8301) and leniently: one result per signature up to
     * the limit, each with a verdict. Allocation: 16 MB plus 128 bytes per input byte, for the two verifications.
     */
    static final Fuzz.Target DKIM = new Fuzz.Target("dns-auth.DkimVerifier", input -> {
        ZoneInput z = ZoneInput.read(input);
        InMemoryDnsClient dns = z.dns();
        for (DkimVerifier v : List.of(DkimVerifier.builder(dns).clock(CLOCK).build(),
                DkimVerifier.builder(dns).clock(CLOCK).lenient().maxSignatures(3).build())) {
            DkimResult r = v.verify(z.payload);
            assertNotNull(r.verdict());
            assertTrue(r.signatures().size() <= 10);
            for (DkimSignatureResult s : r.signatures()) {
                assertNotNull(s.verdict());
                if (s.verdict() != DkimVerdict.PERMERROR) {
                    Fuzz.accepted(); // a signature whose tags read
                }
            }
        }
    }, new Fuzz.Bound(16 << 20, 128));

    /**
     * DMARC: the payload's first line names an SPF-passed domain and its verdict, the second a DKIM-passed domain
     * and its verdict, the third an author domain; the rest is the message. Evaluated by RFC 9989 and by RFC 7489
     * (public suffix list, {@code pct} with a fixed random source), for the message and for the author domain: a
     * verdict; a pass is aligned; a disposition is {@code none}, {@code quarantine} or {@code reject}. Allocation:
     * 8 MB plus 256 bytes per input byte.
     */
    static final Fuzz.Target DMARC = new Fuzz.Target("dns-auth.DmarcEvaluator", input -> {
        ZoneInput z = ZoneInput.read(input);
        InMemoryDnsClient dns = z.dns();
        String payload = new String(z.payload, StandardCharsets.ISO_8859_1);
        String[] lines = payload.split("\n", 4);
        SpfResult spf = lines.length > 0 ? spfResult(lines[0]) : null;
        DkimResult dkim = lines.length > 1 ? dkimResult(lines[1]) : null;
        String author = lines.length > 2 ? lines[2] : "";
        byte[] message = lines.length > 3 ? lines[3].getBytes(StandardCharsets.ISO_8859_1) : new byte[0];
        for (DmarcEvaluator e : List.of(DmarcEvaluator.builder(dns).build(),
                DmarcEvaluator.builder(dns).rfc7489().random(new SplittableRandom(7)).build())) {
            for (DmarcResult r : List.of(e.evaluate(message, spf, dkim), e.evaluate(author, spf, dkim))) {
                assertNotNull(r.verdict());
                if (r.record() != null) {
                    Fuzz.accepted(); // a policy record was read
                }
                assertTrue(r.verdict() != DmarcVerdict.PASS || r.spfAligned() || r.dkimAligned(), r::toString);
                assertTrue(r.disposition() == null || Set.of("none", "quarantine", "reject")
                        .contains(r.disposition()), r::toString);
            }
        }
    }, new Fuzz.Bound(8 << 20, 256), ZoneInput.of(List.<String[]>of(new String[] {"_dmarc.example.org", "TXT",
            "v=DMARC1; p=reject"}), "example.org pass\nexample.org pass\nsub.example.org\nFrom: a@sub.example.org\n"
            .getBytes(StandardCharsets.ISO_8859_1)).write()); // loads the public suffix list

    private static SpfResult spfResult(String line) {
        String[] f = line.split(" ", 2);
        SpfVerdict v = f.length > 1 && f[1].equals("pass") ? SpfVerdict.PASS : SpfVerdict.FAIL;
        return new SpfResult(v, null, null, "mailfrom", f[0], InetAddress.getLoopbackAddress(), "a@" + f[0], null,
                0, 0, List.of(), List.of());
    }

    private static DkimResult dkimResult(String line) {
        String[] f = line.split(" ", 2);
        DkimVerdict v = f.length > 1 && f[1].equals("pass") ? DkimVerdict.PASS : DkimVerdict.FAIL;
        return new DkimResult(List.of(new DkimSignatureResult(f[0], "s", "ed25519-sha256", v, null, null,
                List.of("from"), -1, 256, false, List.of())), List.of());
    }

    /**
     * Authentication-Results: never throws; at most {@link AuthenticationResults#MAX_PROBLEMS} problems and one
     * saying more were dropped; the value written back ({@link AuthenticationResults#toHeaderValue()}) reads back as
     * the same value when it is at most {@link AuthenticationResults#MAX_LENGTH} long, as its javadoc says (a fuzz
     * finding: quoting can make it longer than what it was read from), and the folded field has no line break but
     * CRLF before white space.
     * Allocation: 2 MB plus 256 bytes per input byte.
     */
    static final Fuzz.Target AUTH_RESULTS = new Fuzz.Target("dns-auth.AuthenticationResults", input -> {
        AuthenticationResults ar = AuthenticationResults.parse(Fuzz.text(input));
        assertTrue(ar.problems().size() <= AuthenticationResults.MAX_PROBLEMS + 1, () -> "" + ar.problems().size());
        if (ar.problems().isEmpty()) {
            Fuzz.accepted();
        }
        if (ar.authservId().isEmpty()) {
            return; // nothing to write back
        }
        String written = ar.toHeaderValue();
        AuthenticationResults again = AuthenticationResults.parse(written);
        if (written.length() > AuthenticationResults.MAX_LENGTH) {
            assertTrue(again.problems().get(0).contains("over the limit"), () -> again.problems().toString());
            return; // too long to read back, as the javadoc says
        }
        assertEquals(ar.authservId(), again.authservId(), () -> abbreviate(ar.toHeaderValue()));
        assertEquals(ar.version(), again.version(), () -> abbreviate(ar.toHeaderValue()));
        assertEquals(ar.results(), again.results(), () -> abbreviate(ar.toHeaderValue()));
        String field = ar.toHeaderField();
        assertFalse(controls(field.replace("\r\n ", " ")), () -> "bare line break: " + abbreviate(field));
    }, new Fuzz.Bound(2 << 20, 256));

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }

    /** DMARC aggregate reports, with small limits so that fuzzed inputs reach them. */
    private static final AggregateReportParser SMALL = AggregateReportParser.builder().maxRecords(50)
            .maxProblems(10).maxDecompressedBytes(4 << 20).maxXmlBytes(2 << 20).maxZipEntries(4).maxElementDepth(12)
            .maxTextLength(4096).maxMimeParts(10).maxMimeDepth(4).build();

    /**
     * Aggregate reports (XML, gzip, zip, email): a report with at most {@code maxProblems + 1} problems and at most
     * {@code maxRecords} rows, or {@link AggregateReportException}, for the default parser and one with small
     * limits. Allocation: 32 MB plus 2 KB per input byte (compressed input inflates up to 200 times; the defaults
     * allow 64 MB).
     */
    static final Fuzz.Target AGGREGATE = new Fuzz.Target("dns-auth.AggregateReportParser", input -> {
        for (AggregateReportParser p : List.of(AggregateReportParser.defaults(), SMALL)) {
            try {
                AggregateReport r = p.parse(input);
                Fuzz.accepted();
                assertNotNull(r.metadata());
                assertTrue(r.problems().size() <= (p == SMALL ? 11 : 101), () -> "" + r.problems().size());
                assertTrue(p != SMALL || r.rows().size() <= 50);
            } catch (AggregateReportException e) {
                assertNotNull(e.getMessage());
                assertNotNull(e.kind());
                assertEquals(e.kind() == AggregateReportException.Kind.LIMIT_EXCEEDED, e.limit() != null);
            }
        }
    }, new Fuzz.Bound(32 << 20, 2048));

    static final Map<String, Fuzz.Target> TARGETS = Map.of(SPF.folder(), SPF, DKIM.folder(), DKIM, DMARC.folder(),
            DMARC, AUTH_RESULTS.folder(), AUTH_RESULTS, AGGREGATE.folder(), AGGREGATE);

    // ---------------------------------------------------------------------------------------------- SPF seeds

    /** Every test of the OpenSPF suites, with its scenario's zone, and macro-heavy records and senders. */
    @SuppressWarnings("unchecked")
    static List<ZoneInput> spfSeeds() throws IOException {
        List<ZoneInput> out = new ArrayList<>();
        for (String suite : List.of("rfc7208-tests.yml", "rfc4408-tests.yml")) {
            try (Reader r = Files.newBufferedReader(TestData.root().resolve("auth/spf").resolve(suite),
                    StandardCharsets.UTF_8)) {
                for (Object doc : new Yaml(new LoaderOptions()).loadAll(r)) {
                    Map<String, Object> scenario = (Map<String, Object>) doc;
                    List<String[]> zone = spfZone((Map<String, Object>) scenario.get("zonedata"));
                    Map<String, Object> tests = (Map<String, Object>) scenario.get("tests");
                    for (Object t : tests.values()) {
                        Map<String, Object> v = (Map<String, Object>) t;
                        String payload = v.get("host") + "\n" + v.getOrDefault("mailfrom", "") + "\n"
                                + v.getOrDefault("helo", "");
                        out.add(ZoneInput.of(zone, payload.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        List<String[]> macros = List.of(
                new String[] {"example.org", "TXT", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} include:%{d2}.%{h} "
                        + "a:%{i}.%{v}.%{c}.%{r}.%{t}.%{p} ptr:%{d} mx:%{o}/24//64 ip6:2001:db8::/32 "
                        + "redirect=%{d1r} exp=explain.%{d}"},
                new String[] {"explain.example.org", "TXT", "%{i} is not one of %{d}'s designated mail servers "
                        + "%{s} %{l} %{o} %{h} %{c} %{r} %{t} %{p} %{v} %_ %% %-"},
                new String[] {"example.org", "MX", "10 mx.example.org"},
                new String[] {"mx.example.org", "A", "192.0.2.10"},
                new String[] {"10.2.0.192.in-addr.arpa", "PTR", "mx.example.org"},
                new String[] {"org.example.org", "TXT", "v=spf1 -all"},
                new String[] {"1.2.0.192.example.org._spf.example.org", "A", "127.0.0.2"});
        for (String[] p : List.of(new String[] {"192.0.2.1", "a.b+c=d@example.org", "mail.example.org"},
                new String[] {"2001:db8::1", "\"quoted local\"@example.org", "[192.0.2.1]"},
                new String[] {"::ffff:192.0.2.10", "", "example.org"},
                new String[] {"192.0.2.10", "x".repeat(300) + "@example.org", "h"},
                new String[] {"192.0.2.10", "a@" + "b.".repeat(120) + "example.org", "."})) {
            out.add(ZoneInput.of(macros, String.join("\n", p).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String[]> spfZone(Map<String, Object> zonedata) {
        List<String[]> out = new ArrayList<>();
        if (zonedata == null) {
            return out;
        }
        zonedata.forEach((name, entries) -> {
            for (Object e : (List<Object>) entries) {
                if (e instanceof String) {
                    for (String type : List.of("TXT", "A", "AAAA", "MX", "PTR")) {
                        out.add(new String[] {name, "FAIL", type + " TIMEOUT"});
                    }
                    continue;
                }
                ((Map<String, Object>) e).forEach((type, value) -> {
                    String text = value instanceof List<?> l && !type.equals("MX") ? String.join("",
                            l.stream().map(String::valueOf).toList()) : String.valueOf(value);
                    switch (type) {
                        case "SPF", "TXT" -> {
                            if (!"NONE".equals(value)) {
                                out.add(new String[] {name, "TXT", text});
                            }
                        }
                        case "A", "AAAA" -> out.add(new String[] {name, "A", text});
                        case "MX" -> {
                            List<Object> mx = (List<Object>) value;
                            out.add(new String[] {name, "MX", mx.get(0) + " " + mx.get(1)});
                        }
                        case "PTR" -> out.add(new String[] {name, "PTR", text});
                        case "CNAME" -> out.add(new String[] {name, "CNAME", text});
                        default -> {
                        }
                    }
                });
            }
        });
        return out;
    }

    static final List<String> SPF_TOKENS = List.of("v=spf1 ", " -all", " ~all", " ?all", " +all", " a", " a:", " mx",
            " mx:", " ptr", " ptr:", " ip4:", " ip6:", " exists:", " include:", " redirect=", " exp=", "/24", "//64",
            "/0", "/33", "/129", "%{i}", "%{ir}", "%{d}", "%{d2}", "%{d0}", "%{d128}", "%{l}", "%{l1r+-}", "%{s}",
            "%{o}", "%{h}", "%{v}", "%{p}", "%{c}", "%{r}", "%{t}", "%{I}", "%{x}", "%{", "%%", "%_", "%-", "%",
            ".", "..", "-", "_", "@", "::", "::ffff:", "0x7f.1", "255.255.255.255", "999.1.1.1", "2001:db8::",
            "xn--", "\u00e9", " ", "\t", "\"", "unknown-modifier=", "v=spf10", "spf2.0/pra");

    // --------------------------------------------------------------------------------------------- DKIM seeds

    /** The RFC 8463 and RFC 6376 vectors, the Mail::DKIM corpus with its DNS, and messages signed here. */
    static List<ZoneInput> dkimSeeds() throws IOException {
        List<ZoneInput> out = new ArrayList<>();
        Path dkim = TestData.root().resolve("auth/dkim");
        for (String dir : List.of("rfc8463", "rfc6376")) {
            List<String[]> zone = jsonZone(dkim.resolve(dir).resolve("dns.json"));
            try (var files = Files.list(dkim.resolve(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
                    out.add(ZoneInput.of(zone, Files.readAllBytes(f)));
                }
            }
        }
        Path corpus = dkim.resolve("mail-dkim-corpus");
        List<String[]> fake = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.resolve("FAKE_DNS.dat"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int sp = line.indexOf(' ');
            String name = line.substring(0, sp);
            String value = line.substring(sp).strip();
            fake.add(switch (value) {
                case "NXDOMAIN" -> new String[] {name, "FAIL", "TXT NXDOMAIN"};
                case "~~Query timed out~~" -> new String[] {name, "FAIL", "TXT TIMEOUT"};
                case "~~SERVFAIL~~" -> new String[] {name, "FAIL", "TXT SERVFAIL"};
                case "\"\"" -> new String[] {name, "TXT", ""};
                default -> new String[] {name, "TXT", value};
            });
        }
        try (var files = Files.list(corpus.resolve("corpus"))) {
            for (Path f : files.sorted().toList()) {
                out.add(ZoneInput.of(fake, Files.readAllBytes(f)));
            }
        }
        // signed here with the RFC 8463 keys: both algorithms, every canonicalization, an identity and an expiry
        Path keys = dkim.resolve("rfc8463");
        List<String[]> zone = jsonZone(keys.resolve("dns.json"));
        byte[] unsigned = Files.readAllBytes(keys.resolve("unsigned.crlf.eml"));
        for (String[] k : new String[][] {{"brisbane", "ed25519-private-seed-brisbane.b64"},
            {"test", "rsa-private-test.pem"}}) {
            PrivateKey key = DkimSigner.readKey(Files.readString(keys.resolve(k[1])));
            for (int c = 0; c < 4; c++) {
                DkimSigner.Builder b = DkimSigner.builder("football.example.com", k[0], key)
                        .canonicalization(c / 2 == 1, c % 2 == 1).clock(CLOCK);
                if (c == 3) {
                    b.identity("joe@football.example.com").expireAfter(java.time.Duration.ofDays(1));
                }
                out.add(ZoneInput.of(zone, b.build().sign(unsigned)));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String[]> jsonZone(Path json) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(json)) {
            Map<String, List<String>> records = new Yaml().load(r);
            records.forEach((name, texts) -> texts.forEach(t -> out.add(new String[] {name, "TXT", t})));
        }
        return out;
    }

    static final List<String> DKIM_TOKENS = List.of("DKIM-Signature: ", "v=1; ", "a=rsa-sha256; ", "a=rsa-sha1; ",
            "a=ed25519-sha256; ", "c=relaxed/relaxed; ", "c=simple/simple; ", "c=relaxed; ", "d=", "s=", "i=@",
            "h=from:to:subject; ", "h=from:from:from:from; ", "l=0; ", "l=1; ", "l=99999999999999999999; ", "t=", "x=",
            "q=dns/txt; ", "z=From:a|To:b; ", "bh=", "b=", "=; ", ";;", "; ", "v=DKIM1; ", "k=rsa; ", "k=ed25519; ",
            "p=; ", "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ", "h=sha256; ", "h=sha1; ", "s=email; ", "s=*; ", "t=y; ",
            "t=s; ", "t=y:s; ", "n=notes; ", "\r\n\t", "\r\n ", "\n", " ", "\t", "=", "/", "+", "A", "==",
            "\r\n\r\n", "From: a@football.example.com\r\n", "Subject: x\r\n");

    // -------------------------------------------------------------------------------------------- DMARC seeds

    static List<ZoneInput> dmarcSeeds() {
        List<String> records = List.of("v=DMARC1; p=none", "v=DMARC1; p=reject; sp=quarantine; np=reject",
                "v=DMARC1; p=reject; adkim=s; aspf=s", "v=DMARC1; p=reject; pct=25", "v=DMARC1; p=reject; t=y",
                "v=DMARC1; p=quarantine; psd=n", "v=DMARC1; p=reject; psd=y", "v=DMARC1;p=reject;pct=0;t=n",
                "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org,mailto:x@example.net!10m; "
                        + "ruf=mailto:f@example.org; fo=1:d:s; rf=afrf; ri=86400",
                "v=DMARC1; p=bogus; sp=reject", "v=DMARC1", "v=DMARC1; p=reject; p=none", "V=dmarc1; P=REJECT");
        List<ZoneInput> out = new ArrayList<>();
        int i = 0;
        for (String rec : records) {
            List<String[]> zone = new ArrayList<>();
            zone.add(new String[] {"_dmarc.example.org", "TXT", rec});
            zone.add(new String[] {"_dmarc.example", "TXT", "v=DMARC1; p=reject; psd=y"});
            zone.add(new String[] {"example.org", "A", "192.0.2.1"});
            zone.add(new String[] {"sub.example.org", "EXISTS", ""});
            zone.add(new String[] {"_dmarc.deep.a.b.c.d.e.f.g.example.org", "TXT", "v=DMARC1; p=none"});
            zone.add(new String[] {"_dmarc.sub.example.org", "TXT", i % 2 == 0 ? "not dmarc" : rec});
            zone.add(new String[] {"_dmarc.broken.example.org", "FAIL", "TXT TIMEOUT"});
            String author = List.of("example.org", "sub.example.org", "nx.sub.example.org", "x.y.z.a.b.c.d.e.f.g.h."
                    + "example.org", "broken.example.org", "example", "EXAMPLE.ORG.", "").get(i % 8);
            String payload = (i % 3 == 0 ? "example.org pass" : "mail.example.org pass") + "\n"
                    + (i % 2 == 0 ? "sub.example.org pass" : "other.example fail") + "\n" + author + "\n"
                    + "From: Alice <alice@" + author + ">\r\nTo: bob@example.net\r\nSubject: s\r\n\r\nbody\r\n";
            out.add(ZoneInput.of(zone, payload.getBytes(StandardCharsets.ISO_8859_1)));
            i++;
        }
        return out;
    }

    static final List<String> DMARC_TOKENS = List.of("v=DMARC1; ", "p=none", "p=reject", "p=quarantine", "sp=", "np=",
            "adkim=s", "aspf=r", "pct=", "pct=101", "pct=-1", "t=y", "t=n", "psd=y", "psd=u", "rua=mailto:", "ruf=",
            "fo=", "ri=", ";", "; ", "=", " ", "\t", "_dmarc.", ".", "..", "example", "pass", "fail", "From: ",
            "\r\nFrom: b@other.example\r\n", "<a@b>, <c@d>", "\"", "(", ")", "@");

    // ---------------------------------------------------------------------------------- Authentication-Results

    static List<byte[]> authResultsSeeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String s : List.of("mx.example.net 1; spf=pass smtp.mailfrom=a@example.org; dkim=pass (good) "
                        + "header.d=example.org header.b=abc/+= header.s=sel; dmarc=fail (p=reject) "
                        + "header.from=example.org; arc=none; iprev=pass policy.iprev=192.0.2.1 (mail.example.org)",
                "mx.example.net; none", "a; ", "\"quoted \\\" id\" (comment (nested)); auth=pass smtp.auth=\"x y\"",
                "mx.example.net (c) 0 (d); spf=pass (x) reason=\"because \\\\ \\\"\" smtp.mailfrom=@example.org",
                "mx.example.net; dkim=pass header.i=@example.org header.b=gfT/i2HB; spf=none "
                        + "smtp.helo=[2001:db8::1]", "Authentication-Results: mx; spf=pass")) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (AuthenticationResultsCorpusTest.Field f : AuthenticationResultsCorpusTest.fields()) {
            out.add(f.value().getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------- Aggregate reports

    /** The aggregate report samples: Mail::DMARC's, and this module's test reports. */
    static List<byte[]> aggregateXml() throws IOException {
        List<byte[]> out = new ArrayList<>();
        out.add(Files.readAllBytes(TestData.root().resolve("auth/dmarc/mail-dmarc/test_dmarc.xml")));
        for (String s : List.of(AggregateReportParserTest.FULL, AggregateReportParserTest.RFC9990,
                AggregateReportParserTest.MINIMAL)) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Aggregate report inputs: a sample's XML, mutated or not, sent as it is, gzipped, zipped, or attached to an
     * email (gzip, zip or XML, base64 or not); then, for a quarter of them, the bytes of the wrapping mutated too
     * (CRCs, lengths, headers).
     */
    static final class AggregateSource implements Fuzz.Source {
        private final List<byte[]> xml;
        private final Fuzz.Mutator mutator;
        private int made;

        AggregateSource(List<byte[]> xml) {
            this.xml = xml;
            this.mutator = new Fuzz.Mutator(xml, List.of("<record>", "</record>", "<row>", "<count>", "</count>",
                    "<source_ip>", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "<![CDATA[", "]]>", "&amp;", "&#x0;",
                    "&#1114112;", "&unknown;", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "<feedback>",
                    "</feedback>", "<policy_published>", "<date_range><begin>", "</begin>", "<end>", "xmlns=\"urn:x\"",
                    "<a:b xmlns:a=\"u\">", "<!--", "-->", "99999999999999999999", "-1", "2001:db8::1", "::ffff:1.2.3.4",
                    "<disposition>reject</disposition>"), List.of(new String[] {"<a>", "</a>"},
                    new String[] {"<record><row>", "</row></record>"}, new String[] {"<!--", "-->"}), 1 << 20);
        }

        @Override
        public byte[] next(SplittableRandom r) {
            int n = made++;
            byte[] doc = n < xml.size() ? xml.get(n) : r.nextInt(4) == 0 ? xml.get(r.nextInt(xml.size()))
                    : mutator.mutateSome(xml.get(r.nextInt(xml.size())), r);
            int wrap = n < 4 * xml.size() ? n / xml.size() % 7 : r.nextInt(7);
            byte[] out = switch (wrap) {
                case 0 -> doc;
                case 1 -> AggregateReportParserTest.gzip(doc);
                case 2 -> AggregateReportParserTest.zip("google.com!example.org!1609459200!1609545599.xml", doc);
                case 3 -> email("application/gzip", "report.xml.gz", AggregateReportParserTest.gzip(doc), true);
                case 4 -> email("application/zip", "report.zip", AggregateReportParserTest.zip("r.xml", doc), true);
                case 5 -> email("text/xml", "report.xml", doc, r.nextBoolean());
                default -> email("application/gzip", "report.xml.gz", // a lying name
                        AggregateReportParserTest.zip("r.xml", doc), true);
            };
            return n >= 4 * xml.size() && r.nextInt(4) == 0 ? mutator.mutateSome(out, r) : out;
        }

        static byte[] email(String type, String name, byte[] data, boolean base64) {
            String head = "From: noreply-dmarc-support@google.com\r\nTo: dmarc@example.org\r\n"
                    + "Subject: Report domain: example.org Submitter: google.com\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                    + "This is an aggregate report.\r\n--b1\r\nContent-Type: " + type + "; name=\"" + name + "\"\r\n"
                    + "Content-Disposition: attachment; filename=\"" + name + "\"\r\n"
                    + (base64 ? "Content-Transfer-Encoding: base64\r\n" : "") + "\r\n";
            byte[] body = base64 ? (Base64.getMimeEncoder().encodeToString(data) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII) : data;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            out.writeBytes("\r\n--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------------------------------------- the runs

    private static void assertNoFailures(Fuzz.Report r) {
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }

    @Test
    void spfRecordsAndMacros() throws IOException {
        assertNoFailures(Fuzz.run(SPF, new ZoneInput.Source(spfSeeds(), SPF_TOKENS, List.of(
                new String[] {"%{", "}"}, new String[] {"include:", " "}), 16 << 10), Fuzz.inputs(), Fuzz.seed()));
    }

    @Test
    void dkimSignaturesAndKeys() throws IOException {
        assertNoFailures(Fuzz.run(DKIM, new ZoneInput.Source(dkimSeeds(), DKIM_TOKENS, List.of(
                new String[] {"DKIM-Signature: v=1; a=rsa-sha256; d=x; s=y; h=from; bh=; b=\r\n", ""},
                new String[] {"(", ")"}), 256 << 10), Fuzz.inputs(), Fuzz.seed()));
    }

    @Test
    void dmarcRecords() {
        assertNoFailures(Fuzz.run(DMARC, new ZoneInput.Source(dmarcSeeds(), DMARC_TOKENS, List.of(
                new String[] {"a.", ""}, new String[] {"(", ")"}), 16 << 10), Fuzz.inputs(), Fuzz.seed()));
    }

    @Test
    void authenticationResults() throws IOException {
        assertNoFailures(Fuzz.run(AUTH_RESULTS, new Fuzz.Mutator(authResultsSeeds(), List.of(";", "; ", "=", ".",
                "(", ")", "\\", "\"", "@", "spf=", "dkim=", "dmarc=", "header.d=", "smtp.mailfrom=", "policy.",
                "reason=", " 1;", " 99999999999999999999;", " -1;", "none", "\r\n ", "\r\n", "\n", "\u00e9", "=?utf-8?"),
                List.of(new String[] {"(", ")"}, new String[] {"\"", "\""}), 64 << 10), Fuzz.inputs(), Fuzz.seed()));
    }

    @Test
    void aggregateReports() throws IOException {
        assertNoFailures(Fuzz.run(AGGREGATE, new AggregateSource(aggregateXml()), Fuzz.inputs(), Fuzz.seed()));
    }

    @Test
    void zoneInputsReadBackAsWritten() {
        ZoneInput z = ZoneInput.of(List.<String[]>of(new String[] {"a b.example", "TXT", "v=spf1 \\x\n\r\u0000 -all"},
                new String[] {"example.org", "EXISTS", ""}), "payload\n%%\nmore".getBytes(StandardCharsets.UTF_8));
        ZoneInput back = ZoneInput.read(z.write());
        assertEquals(2, back.records.size());
        assertEquals("a b.example", new String(back.records.get(0).name(), StandardCharsets.UTF_8));
        assertEquals("v=spf1 \\x\n\r\u0000 -all", new String(back.records.get(0).value(), StandardCharsets.UTF_8));
        assertEquals("EXISTS", back.records.get(1).type());
        assertEquals("payload\n%%\nmore", new String(back.payload, StandardCharsets.UTF_8));
        assertEquals(0, ZoneInput.read("no records".getBytes(StandardCharsets.UTF_8)).records.size());
    }

    /** @return the kept failures, {@code PARSER/file}; empty (zero invocations) when there are none */
    static List<String> regressions() {
        return Fuzz.regressions("dns-auth");
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("regressions")
    void regressionFileStillPasses(String file) throws IOException {
        Fuzz.assertReplays(file, TARGETS);
    }
}
