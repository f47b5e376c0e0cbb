package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
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
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.Tuple;
import org.bouncekit.testing.Fuzz;

/**
 * Fuzzes dns-auth's parsers with inputs generated from grammars ({@link Fuzz.Grammar}), each as the checks of
 * {@link ParserFuzzTest} read it:
 * <ul>
 *   <li>SPF: zones of RFC 7208 records built from the record grammar (every mechanism and modifier, qualifiers,
 *       CIDR lengths in and out of range, domain specs with every macro letter, digit, reversal and delimiter), with
 *       A, MX, PTR and explanation records and injected DNS failures, checked for generated clients, senders and
 *       HELO names;</li>
 *   <li>DKIM: messages signed here (Ed25519 and RSA, every canonicalization, then left alone or altered), and
 *       messages with a {@code DKIM-Signature} written from the tag grammar of RFC 6376 §3.5 against key records
 *       written from §3.6.1's;</li>
 *   <li>DMARC: records from the tag grammar of RFC 9989 / RFC 7489 in any order, case and spacing, with organisational
 *       and public-suffix records, for generated identifiers;</li>
 *   <li>Authentication-Results: fields from RFC 8601's grammar, with comments, quoted strings, versions and every
 *       property type;</li>
 *   <li>aggregate reports: documents from the RFC 7489 appendix C schema (and RFC 9990's additions), with IPv4 and
 *       IPv6 rows, escaped text and CDATA, as XML, gzip, zip or attached to a report email.</li>
 * </ul>
 */
class GrammarFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    // --------------------------------------------------------------------------------------------------- SPF

    static final List<String> SPF_NAMES = List.of("example.org", "a.example.org", "b.example.org",
            "_spf.example.org", "mx.example.org", "nx.example.org");

    /** A domain spec: a zone name, or a macro string (RFC 7208 §7.1) ending in one. */
    static Arbitrary<String> domainSpec() {
        // c, r and t belong to explanations only (RFC 7208 §7.2): in a domain spec they are a permerror, kept rare
        Arbitrary<String> macro = Combinators.combine(Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.of("s", "l",
                                "o", "d", "i", "p", "v", "h", "S", "L", "D", "I")),
                                Tuple.of(1, Arbitraries.of("c", "r", "t", "x"))),
                        Arbitraries.frequencyOf(Tuple.of(15, Arbitraries.just("")), Tuple.of(10, Arbitraries.of("1",
                                "2", "3", "128")), Tuple.of(1, Arbitraries.of("0", "129", "99999999999"))),
                        Arbitraries.of("", "r"), Arbitraries.of("", "", ".", "-", "+", ",", "/", "_", "=", ".-+"))
                .as((letter, digits, reverse, delims) -> "%{" + letter + digits + reverse + delims + "}");
        Arbitrary<String> part = Arbitraries.frequencyOf(Tuple.of(15, macro),
                Tuple.of(10, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)),
                Tuple.of(1, Arbitraries.of("%%", "%_", "%-", "%", "%{", "..", "xn--bcher-kva", "\u00e9")));
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(SPF_NAMES)),
                Tuple.of(2, Combinators.combine(part.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(SPF_NAMES))
                        .as((parts, name) -> String.join(".", parts) + "." + name)));
    }

    /** Where an include or redirect points: mostly a name of the zone (which may have no record), sometimes a spec. */
    static Arbitrary<String> target() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(SPF_NAMES)), Tuple.of(1, domainSpec()));
    }

    static Arbitrary<String> ip4() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("192.0.2.1", "192.0.2.10", "192.0.2.0",
                        "198.51.100.7", "10.0.0.1", "0.0.0.0", "255.255.255.255")),
                Tuple.of(1, Arbitraries.of("192.0.2", "192.0.2.256", "0x7f.0.0.1", "01.2.3.4", "1.2.3.4.5")));
    }

    static Arbitrary<String> ip6() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("2001:db8::1", "2001:db8::", "::", "::1",
                        "::ffff:192.0.2.1", "2001:db8:0:0:0:0:0:1", "fe80::1")),
                Tuple.of(1, Arbitraries.of("2001:db8:::1", "2001:db8::g", ":::", "1:2:3:4:5:6:7:8:9")));
    }

    static Arbitrary<String> cidr(int max) {
        return Arbitraries.frequencyOf(Tuple.of(15, Arbitraries.just("")), Tuple.of(15, Arbitraries.integers()
                .between(0, max).map(n -> "/" + n)), Tuple.of(1, Arbitraries.of("/" + (max + 1), "/-1", "/", "/08")));
    }

    static Arbitrary<String> spfTerm() {
        Arbitrary<String> qualifier = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("+", "-", "~", "?")));
        Arbitrary<String> optionalSpec = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, domainSpec().map(d -> ":" + d)));
        Arbitrary<String> dualCidr = Combinators.combine(cidr(32), cidr(128)).as((a, b) -> a + (b.isEmpty() ? ""
                : "/" + b));
        Arbitrary<String> mechanism = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just("all")),
                Tuple.of(3, target().map(d -> "include:" + d)),
                Tuple.of(2, Combinators.combine(optionalSpec, dualCidr).as((d, c) -> "a" + d + c)),
                Tuple.of(2, Combinators.combine(optionalSpec, dualCidr).as((d, c) -> "mx" + d + c)),
                Tuple.of(1, optionalSpec.map(d -> "ptr" + d)),
                Tuple.of(3, Combinators.combine(ip4(), cidr(32)).as((ip, c) -> "ip4:" + ip + c)),
                Tuple.of(2, Combinators.combine(ip6(), cidr(128)).as((ip, c) -> "ip6:" + ip + c)),
                Tuple.of(2, domainSpec().map(d -> "exists:" + d)));
        return Arbitraries.frequencyOf(
                Tuple.of(24, Combinators.combine(qualifier, mechanism).as((q, m) -> q + m)),
                Tuple.of(2, target().map(d -> "redirect=" + d)),
                Tuple.of(2, domainSpec().map(d -> "exp=" + d)),
                Tuple.of(2, Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1)
                        .ofMaxLength(8), domainSpec()).as((n, v) -> n + "=" + v)),
                Tuple.of(1, Arbitraries.of("", "=", "all:x", "include", "ip4:", "a:", "-", "\"quoted\"")));
    }

    static Arbitrary<String> spfRecord() {
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("v=spf1")),
                                Tuple.of(1, Arbitraries.of("v=spf10", "V=SPF1", "v=spf1\t", "spf2.0/pra", ""))),
                        spfTerm().list().ofMaxSize(7), Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(" ")),
                                Tuple.of(1, Arbitraries.of("  ", "\t", " \t "))))
                .as((version, terms, sep) -> terms.isEmpty() ? version : version + sep + String.join(sep, terms));
    }

    static Arbitrary<byte[]> spfInputs() {
        Arbitrary<List<String[]>> txt = Combinators.combine(spfRecord().list().ofMinSize(SPF_NAMES.size())
                        .ofMaxSize(SPF_NAMES.size()), Arbitraries.integers().between(0, 63),
                        Arbitraries.integers().between(0, 255), spfRecord())
                .as((records, present, twice, extra) -> {
                    List<String[]> zone = new ArrayList<>();
                    for (int i = 0; i < SPF_NAMES.size() - 1; i++) { // nx.example.org stays empty
                        if ((present >> i & 1) != 0 || i == 0) {
                            zone.add(new String[] {SPF_NAMES.get(i), "TXT", records.get(i)});
                        }
                        if (twice == i) {
                            zone.add(new String[] {SPF_NAMES.get(i), "TXT", extra}); // two records: permerror
                        }
                    }
                    return zone;
                });
        Arbitrary<List<String[]>> hosts = Arbitraries.of(
                        new String[] {"mx.example.org", "A", "192.0.2.10"},
                        new String[] {"mx.example.org", "A", "2001:db8::1"},
                        new String[] {"example.org", "A", "192.0.2.1"},
                        new String[] {"example.org", "MX", "10 mx.example.org"},
                        new String[] {"a.example.org", "MX", "0 ."},
                        new String[] {"1.2.0.192.in-addr.arpa", "PTR", "mx.example.org"},
                        new String[] {"10.2.0.192.in-addr.arpa", "PTR", "example.org"},
                        new String[] {"exp.example.org", "TXT", "%{i} is not allowed to send for %{d} (%{s})"},
                        new String[] {"example.org", "TXT", "not spf at all"},
                        new String[] {"b.example.org", "FAIL", "TXT TIMEOUT"},
                        new String[] {"mx.example.org", "FAIL", "A SERVFAIL"},
                        new String[] {"_spf.example.org", "CNAME", "a.example.org"})
                .list().ofMaxSize(8);
        Arbitrary<String> payload = Combinators.combine(Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of(
                                "192.0.2.1", "192.0.2.10", "2001:db8::1", "::ffff:192.0.2.10", "198.51.100.7")),
                        Tuple.of(1, Arbitraries.of("192.0.2", "not an ip"))),
                Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of("user@example.org", "a.b+c=d@example.org",
                        "\"q u\"@example.org", "user@EXAMPLE.ORG.", "x@a.example.org")), Tuple.of(1, Arbitraries.of("",
                        "postmaster", "x@nx.example.org"))),
                Arbitraries.of("mail.example.org", "example.org", "[192.0.2.1]", "", "nx.example.org"))
                .as((ip, sender, helo) -> ip + "\n" + sender + "\n" + helo);
        return Combinators.combine(txt, hosts, payload).as((t, h, p) -> {
            List<String[]> zone = new ArrayList<>(t);
            zone.addAll(h);
            return ZoneInput.of(zone, p.getBytes(StandardCharsets.UTF_8)).write();
        });
    }

    // -------------------------------------------------------------------------------------------------- DKIM

    /** The RFC 8463 test keys and their zone. */
    record Keys(PrivateKey ed25519, PrivateKey rsa, List<String[]> zone, String ed25519Public, String rsaPublic) {
        static Keys load() throws IOException {
            Path dir = TestData.root().resolve("auth/dkim/rfc8463");
            String json = Files.readString(dir.resolve("dns.json"));
            String ed = publicKey(json, "k=ed25519; p=");
            String rsa = publicKey(json, "k=rsa; p=");
            List<String[]> zone = List.of(
                    new String[] {"brisbane._domainkey.football.example.com", "TXT", "v=DKIM1; k=ed25519; p=" + ed},
                    new String[] {"test._domainkey.football.example.com", "TXT", "v=DKIM1; k=rsa; p=" + rsa});
            return new Keys(DkimSigner.readKey(Files.readString(dir.resolve("ed25519-private-seed-brisbane.b64"))),
                    DkimSigner.readKey(Files.readString(dir.resolve("rsa-private-test.pem"))), zone, ed, rsa);
        }

        private static String publicKey(String json, String before) {
            int at = json.indexOf(before) + before.length();
            return json.substring(at, json.indexOf('"', at));
        }
    }

    static Arbitrary<String> body() {
        Arbitrary<String> line = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80)),
                Tuple.of(2, Arbitraries.of("", " ", "\t", "  trailing  \t", "a  b\t\tc", "\u00e9t\u00e9",
                        "-- ", ".", "From here")),
                Tuple.of(1, Arbitraries.strings().withChars(" \t").ofMaxLength(20)));
        return Combinators.combine(line.list().ofMaxSize(30), Arbitraries.of("", "\r\n", "\r\n\r\n\r\n"))
                .as((lines, tail) -> String.join("\r\n", lines) + (lines.isEmpty() ? "" : "\r\n") + tail);
    }

    static Arbitrary<String> headerBlock() {
        return Combinators.combine(Arbitraries.of("Joe SixPack <joe@football.example.com>",
                        "joe@football.example.com", "\"Joe\" <joe@sub.football.example.com>", "a@b, c@d"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60), Arbitraries.of("", "Subject: twice\r\n",
                        "X-Folded: a\r\n\tb\r\n", "Received: from x by y;\r\n Sat, 8 Jun 2024 10:00:00 +0000\r\n"))
                .as((from, subject, extra) -> "From: " + from + "\r\nTo: Suzie Q <suzie@shopping.example.net>\r\n"
                        + "Subject: " + subject + "\r\nDate: Fri, 11 Jul 2003 21:00:37 -0700\r\nMessage-ID: "
                        + "<20030712040037.46341.5F8J@football.example.com>\r\n" + extra);
    }

    static Arbitrary<String> base64(int minBytes, int maxBytes) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(minBytes).ofMaxSize(maxBytes)
                .map(b -> Base64.getEncoder().encodeToString(b));
    }

    /** A {@code DKIM-Signature} value written from the tag grammar: tags in any order, some missing or wrong. */
    static Arbitrary<String> signatureTags() {
        Arbitrary<String> a = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("rsa-sha256", "ed25519-sha256")),
                Tuple.of(1, Arbitraries.of("rsa-sha1", "RSA-SHA256", "hmac-md5", "")));
        Arbitrary<String> c = Arbitraries.of("simple", "relaxed", "simple/simple", "relaxed/relaxed", "simple/relaxed",
                "relaxed/simple", "relaxed/", "nofws");
        Arbitrary<String> d = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("football.example.com")),
                Tuple.of(1, Arbitraries.of("example.com", "sub.football.example.com", "", "xn--bcher-kva.example",
                        "com")));
        Arbitrary<String> s = Arbitraries.of("brisbane", "test", "nx", "a.b", "", "x".repeat(64));
        Arbitrary<String> h = Arbitraries.of("from", "to", "subject", "date", "message-id", "From", "x-none")
                .list().ofMinSize(0).ofMaxSize(8).map(l -> String.join(":", l));
        Arbitrary<String> time = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.longs().between(0, 4_102_444_800L)
                .map(String::valueOf)), Tuple.of(1, Arbitraries.of("-1", "99999999999999999999", "", "1e9")));
        Arbitrary<String> optional = Arbitraries.of("l", "t", "x", "i", "q", "z", "unknown").list().uniqueElements()
                .ofMaxSize(7).flatMap(tags -> Combinators.combine(Arbitraries.integers().between(0, 2000).map(
                                String::valueOf), time, time, Arbitraries.of("@football.example.com",
                                "joe@football.example.com", "joe@sub.football.example.com", "@example.com", "@"),
                        Arbitraries.of("dns/txt", "dns", "https"), Arbitraries.of("From:joe|To:suzie",
                                "Subject:=3Dx", "|"))
                        .as((l, t, x, i, q, z) -> {
                            StringBuilder sb = new StringBuilder();
                            for (String tag : tags) {
                                sb.append(switch (tag) {
                                    case "l" -> "l=" + l;
                                    case "t" -> "t=" + t;
                                    case "x" -> "x=" + x;
                                    case "i" -> "i=" + i;
                                    case "q" -> "q=" + q;
                                    case "z" -> "z=" + z;
                                    default -> "foo=bar";
                                }).append("; ");
                            }
                            return sb.toString();
                        }));
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("1")), Tuple.of(1,
                        Arbitraries.of("2", "", "1.0"))), a, c, d, s, h, optional,
                        Combinators.combine(base64(32, 32), base64(0, 256), Arbitraries.of("; ", ";", " ;\r\n\t",
                                ";\r\n ")).as((bh, b, sep) -> new String[] {bh, b, sep}))
                .as((v, alg, canon, dom, sel, heads, opt, last) -> "v=" + v + last[2] + "a=" + alg + last[2] + "c="
                        + canon + last[2] + "d=" + dom + last[2] + "s=" + sel + last[2] + "h=" + heads + last[2]
                        + opt + "bh=" + last[0] + last[2] + "b=" + last[1]);
    }

    /** A key record written from the grammar of RFC 6376 §3.6.1. */
    static Arbitrary<String> keyRecord(Keys keys) {
        Arbitrary<String> p = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(keys.ed25519Public(),
                        keys.rsaPublic())), Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, base64(0, 300)), Tuple.of(1, Arbitraries.of("!!!", "AAAA====", " MIGf MA0G ")));
        return Combinators.combine(Arbitraries.of("v=DKIM1; ", "", "v=DKIM2; "), Arbitraries.of("k=rsa; ",
                                "k=ed25519; ", "", "k=dsa; "), Arbitraries.of("", "h=sha256; ", "h=sha1; ",
                                "h=sha256:sha1; "), Arbitraries.of("", "s=email; ", "s=*; ", "s=other; "),
                        Arbitraries.of("", "t=y; ", "t=s; ", "t=y:s:x; "), Arbitraries.of("", "n=notes; "), p)
                .as((v, k, h, s, t, n, key) -> v + k + h + s + t + n + "p=" + key);
    }

    static Arbitrary<byte[]> dkimInputs(Keys keys) {
        Arbitrary<byte[]> signed = Combinators.combine(headerBlock(), body(), Arbitraries.of(0, 0, 0, 1),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 5))
                .as((head, body, algorithm, canon, alter) -> {
                    byte[] message = (head + "\r\n" + body).getBytes(StandardCharsets.UTF_8);
                    DkimSigner signer = DkimSigner.builder("football.example.com",
                                    algorithm == 0 ? "brisbane" : "test", algorithm == 0 ? keys.ed25519() : keys.rsa())
                            .canonicalization(canon / 2 == 1, canon % 2 == 1).clock(CLOCK).build();
                    String out = new String(signer.sign(message), StandardCharsets.UTF_8);
                    return (switch (alter) {
                        case 1 -> out + "tampered\r\n"; // the body changed
                        case 2 -> out.replaceFirst("Subject: ", "Subject: Re: "); // a signed header changed
                        case 3 -> "From: evil@example.com\r\n" + out; // a second From above the signature
                        default -> out;
                    }).getBytes(StandardCharsets.UTF_8);
                });
        Arbitrary<byte[]> written = Combinators.combine(signatureTags().list().ofMinSize(1).ofMaxSize(3),
                        headerBlock(), body(), keyRecord(keys), Arbitraries.of("brisbane", "test", "nx"))
                .as((sigs, head, body, key, selector) -> {
                    StringBuilder sb = new StringBuilder();
                    for (String sig : sigs) {
                        sb.append("DKIM-Signature: ").append(sig).append("\r\n");
                    }
                    List<String[]> zone = new ArrayList<>(keys.zone());
                    zone.add(new String[] {selector + "._domainkey.football.example.com", "TXT", key});
                    return ZoneInput.of(zone, (sb + head + "\r\n" + body).getBytes(StandardCharsets.UTF_8)).write();
                });
        return Arbitraries.oneOf(signed.map(m -> ZoneInput.of(keys.zone(), m).write()), written);
    }

    // ------------------------------------------------------------------------------------------------- DMARC

    static Arbitrary<String> dmarcRecord() {
        Arbitrary<String> uri = Arbitraries.of("mailto:dmarc@example.org", "mailto:d@other.example!10m",
                "mailto:a@example.org,mailto:b@example.org", "https://example.org/r", "mailto:", "bogus");
        Arbitrary<String> tag = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("none", "quarantine", "reject").map(v -> "sp=" + v)),
                Tuple.of(3, Arbitraries.of("none", "quarantine", "reject").map(v -> "np=" + v)),
                Tuple.of(2, Arbitraries.of("r", "s").map(v -> "adkim=" + v)),
                Tuple.of(2, Arbitraries.of("r", "s").map(v -> "aspf=" + v)),
                Tuple.of(2, Arbitraries.integers().between(0, 100).map(v -> "pct=" + v)),
                Tuple.of(2, Arbitraries.of("y", "n").map(v -> "t=" + v)),
                Tuple.of(2, Arbitraries.of("y", "n", "u").map(v -> "psd=" + v)),
                Tuple.of(2, uri.map(v -> "rua=" + v)),
                Tuple.of(1, uri.map(v -> "ruf=" + v)),
                Tuple.of(1, Arbitraries.of("0", "1", "d", "s", "0:1:d:s").map(v -> "fo=" + v)),
                Tuple.of(1, Arbitraries.of("afrf", "iodef").map(v -> "rf=" + v)),
                Tuple.of(1, Arbitraries.of("86400", "0", "-1").map(v -> "ri=" + v)),
                Tuple.of(1, Arbitraries.of("p=bogus", "pct=101", "pct=-1", "adkim=x", "x=y", "=", "p", "v=DMARC1")));
        Arbitrary<String> policy = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("none", "quarantine", "reject")
                .map(v -> "p=" + v)), Tuple.of(1, Arbitraries.of("", "p=Reject", "p=")));
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("v=DMARC1")),
                                Tuple.of(1, Arbitraries.of("V=dmarc1", "v=DMARC2", "v = DMARC1", ""))), policy,
                        tag.list().uniqueElements(t -> t.split("=", 2)[0]).ofMaxSize(8),
                        Arbitraries.of("; ", ";", " ; ", ";\t"),
                        Arbitraries.of("", ";", "; "))
                .as((v, p, tags, sep, end) -> {
                    List<String> all = new ArrayList<>();
                    all.add(v);
                    if (!p.isEmpty()) {
                        all.add(p);
                    }
                    all.addAll(tags);
                    return String.join(sep, all) + end;
                });
    }

    static Arbitrary<byte[]> dmarcInputs() {
        Arbitrary<String> domain = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of("example.org",
                "sub.example.org", "nx.sub.example.org", "a.b.c.example.org", "EXAMPLE.ORG.")), Tuple.of(1,
                Arbitraries.of("other.example", "example", "")));
        return Combinators.combine(dmarcRecord(), dmarcRecord(), Arbitraries.of(true, false), domain, domain, domain,
                        Arbitraries.of("pass", "fail"), Arbitraries.of("pass", "fail"))
                .as((org, sub, withSub, spfDomain, dkimDomain, author, spf, dkim) -> {
                    List<String[]> zone = new ArrayList<>();
                    zone.add(new String[] {"_dmarc.example.org", "TXT", org});
                    if (withSub) {
                        zone.add(new String[] {"_dmarc.sub.example.org", "TXT", sub});
                    }
                    zone.add(new String[] {"_dmarc.example", "TXT", "v=DMARC1; p=reject; psd=y"});
                    zone.add(new String[] {"example.org", "A", "192.0.2.1"});
                    zone.add(new String[] {"sub.example.org", "EXISTS", ""});
                    zone.add(new String[] {"_dmarc.other.example", "FAIL", "TXT TIMEOUT"});
                    String payload = spfDomain + " " + spf + "\n" + dkimDomain + " " + dkim + "\n" + author + "\n"
                            + "From: Alice <alice@" + author + ">\r\nTo: bob@example.net\r\nSubject: s\r\n\r\nbody\r\n";
                    return ZoneInput.of(zone, payload.getBytes(StandardCharsets.ISO_8859_1)).write();
                });
    }

    // -------------------------------------------------------------------------------- Authentication-Results

    static Arbitrary<String> comment() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")), Tuple.of(2, Arbitraries.strings()
                        .withCharRange(' ', '~').ofMaxLength(20).map(c -> " (" + c.replace("(", "").replace(")", "")
                                .replace("\\", "") + ")")),
                Tuple.of(1, Arbitraries.of(" (nested (comment))", " (escaped \\) paren)", " ()")));
    }

    static Arbitrary<String> resinfo() {
        Arbitrary<String> method = Arbitraries.of("spf", "dkim", "dmarc", "arc", "iprev", "auth", "dkim-adsp",
                "sender-id", "x-custom", "bimi");
        Arbitrary<String> result = Arbitraries.of("pass", "fail", "softfail", "neutral", "none", "temperror",
                "permerror", "policy", "hardfail", "bogus");
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("example.org", "a@example.org", "@example.org", "192.0.2.1",
                        "2001:db8::1", "sel", "gfT/i2HB+/=")),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20).map(v -> "\""
                        + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")));
        Arbitrary<String> property = Combinators.combine(Arbitraries.of("smtp", "header", "body", "policy", "x"),
                        Arbitraries.of("mailfrom", "helo", "d", "i", "b", "s", "from", "auth", "iprev", "dmarc"), value,
                        comment())
                .as((ptype, prop, v, c) -> " " + ptype + "." + prop + "=" + v + c);
        return Combinators.combine(method, Arbitraries.of("", "/1", "/2"), result, comment(),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, Arbitraries.of(
                                " reason=\"good signature\"", " reason=simple", " reason=\"a \\\" b\""))),
                        property.list().ofMaxSize(4))
                .as((m, v, r, c, reason, props) -> m + v + "=" + r + c + reason + String.join("", props));
    }

    static Arbitrary<byte[]> authResults() {
        Arbitrary<String> id = Arbitraries.of("mx.example.net", "example.net", "\"quoted id\"", "mx.example.net (c)",
                "192.0.2.1", "");
        return Combinators.combine(id, Arbitraries.of("", " 1", " 2", " 99999999999"), resinfo().list().ofMaxSize(6),
                        Arbitraries.of("; ", ";", ";\r\n\t", " ; "), Arbitraries.of(true, false))
                .as((authserv, version, infos, sep, none) -> (authserv + version + (infos.isEmpty() || none
                        ? "; none" : sep + String.join(sep, infos))).getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------- aggregate reports

    static Arbitrary<String> xmlText() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.strings().alpha().numeric().withChars(".-@")
                        .ofMinLength(1).ofMaxLength(20)),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20).map(s -> s.replace("&",
                        "&amp;").replace("<", "&lt;"))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(10).map(s -> "<![CDATA[" + s.replace("]]>", "")
                        + "]]>")));
    }

    static Arbitrary<String> row() {
        Arbitrary<String> ip = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("192.0.2.1", "198.51.100.7",
                "2001:db8::1", "::ffff:192.0.2.1")), Tuple.of(1, Arbitraries.of("300.1.1.1", "", "2001:db8:::1",
                "localhost")));
        Arbitrary<String> count = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(0, 100_000)
                .map(String::valueOf)), Tuple.of(1, Arbitraries.of("-1", "99999999999999999999", "x", "")));
        Arbitrary<String> passFail = Arbitraries.of("pass", "fail", "none", "softfail", "temperror", "bogus");
        return Combinators.combine(ip, count, Arbitraries.of("none", "quarantine", "reject", "bogus"), passFail,
                        passFail, xmlText(), Arbitraries.of("", "<reason><type>forwarded</type><comment>c</comment>"
                                + "</reason>", "<reason><type>local_policy</type></reason>"),
                        Arbitraries.integers().between(0, 7))
                .as((i, n, disposition, dkim, spf, domain, reason, present) -> "<record><row><source_ip>" + i
                        + "</source_ip><count>" + n + "</count><policy_evaluated><disposition>" + disposition
                        + "</disposition><dkim>" + dkim + "</dkim><spf>" + spf + "</spf>" + reason
                        + "</policy_evaluated></row><identifiers>" + ((present & 1) != 0 ? "<envelope_to>" + domain
                        + "</envelope_to>" : "") + "<header_from>" + domain + "</header_from></identifiers>"
                        + "<auth_results>" + ((present & 2) != 0 ? "<dkim><domain>" + domain + "</domain><selector>s"
                        + "</selector><result>" + dkim + "</result></dkim>" : "") + "<spf><domain>" + domain
                        + "</domain>" + ((present & 4) != 0 ? "<scope>mfrom</scope>" : "") + "<result>" + spf
                        + "</result></spf></auth_results></record>");
    }

    static Arbitrary<String> aggregateXml() {
        Arbitrary<String> time = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.longs().between(0, 4_102_444_800L)
                .map(String::valueOf)), Tuple.of(1, Arbitraries.of("-1", "", "99999999999999999999")));
        Arbitrary<String> policy = Combinators.combine(xmlText(), Arbitraries.of("r", "s", ""), Arbitraries.of("none",
                        "quarantine", "reject", ""), Arbitraries.integers().between(0, 101), Arbitraries.of("",
                        "<np>reject</np>", "<testing>y</testing>", "<discovery_method>treewalk</discovery_method>"))
                .as((d, align, p, pct, extra) -> "<policy_published><domain>" + d + "</domain><adkim>" + align
                        + "</adkim><aspf>" + align + "</aspf><p>" + p + "</p><sp>" + p + "</sp><pct>" + pct
                        + "</pct>" + extra + "</policy_published>");
        return Combinators.combine(Arbitraries.of("", "<version>1.0</version>", "<version>2</version>"), xmlText(),
                        xmlText(), time, time, policy, row().list().ofMaxSize(30), Arbitraries.of("",
                                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "<?xml version=\"1.0\"?>",
                                "\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>"))
                .as((version, org, id, begin, end, pol, rows, decl) -> decl + "<feedback" + (version.contains("2")
                        ? " xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"" : "") + ">" + version + "<report_metadata>"
                        + "<org_name>" + org + "</org_name><email>noreply@" + org + "</email><report_id>" + id
                        + "</report_id><date_range><begin>" + begin + "</begin><end>" + end + "</end></date_range>"
                        + "</report_metadata>" + pol + String.join("\n", rows) + "</feedback>");
    }

    static Arbitrary<byte[]> aggregateInputs() {
        return Combinators.combine(aggregateXml(), Arbitraries.integers().between(0, 5)).as((xml, wrap) -> {
            byte[] doc = xml.getBytes(StandardCharsets.UTF_8);
            return switch (wrap) {
                case 1 -> AggregateReportParserTest.gzip(doc);
                case 2 -> AggregateReportParserTest.zip("google.com!example.org!1!2.xml", doc);
                case 3 -> ParserFuzzTest.AggregateSource.email("application/gzip", "r.xml.gz",
                        AggregateReportParserTest.gzip(doc), true);
                case 4 -> ParserFuzzTest.AggregateSource.email("application/zip", "r.zip",
                        AggregateReportParserTest.zip("r.xml", doc), true);
                case 5 -> ParserFuzzTest.AggregateSource.email("text/xml", "r.xml", doc, false);
                default -> doc;
            };
        });
    }

    // ---------------------------------------------------------------------------------------------------- runs

    private static Fuzz.Mutator mutator(List<String> tokens) {
        return new Fuzz.Mutator(List.of("v=spf1 -all".getBytes(StandardCharsets.UTF_8)), tokens,
                List.<String[]>of(new String[] {"(", ")"}), 256 << 10);
    }

    private static void assertNoFailures(Fuzz.Report r) {
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
        assertEquals(Fuzz.inputs(), r.inputs());
    }

    @Example
    void spfRecordsAndMacros() {
        assertNoFailures(Fuzz.run(ParserFuzzTest.SPF, new Fuzz.Grammar(spfInputs(),
                mutator(ParserFuzzTest.SPF_TOKENS)), Fuzz.inputs(), Fuzz.seed()));
    }

    @Example
    void dkimSignaturesAndKeys() throws IOException {
        assertNoFailures(Fuzz.run(ParserFuzzTest.DKIM, new Fuzz.Grammar(dkimInputs(Keys.load()),
                mutator(ParserFuzzTest.DKIM_TOKENS)), Fuzz.inputs(), Fuzz.seed()));
    }

    @Example
    void dmarcRecords() {
        assertNoFailures(Fuzz.run(ParserFuzzTest.DMARC, new Fuzz.Grammar(dmarcInputs(),
                mutator(ParserFuzzTest.DMARC_TOKENS)), Fuzz.inputs(), Fuzz.seed()));
    }

    @Example
    void authenticationResults() {
        assertNoFailures(Fuzz.run(ParserFuzzTest.AUTH_RESULTS, new Fuzz.Grammar(authResults(),
                mutator(List.of(";", "=", "(", ")", "\"", "\\", ".", "@"))), Fuzz.inputs(), Fuzz.seed()));
    }

    @Example
    void aggregateReports() {
        assertNoFailures(Fuzz.run(ParserFuzzTest.AGGREGATE, new Fuzz.Grammar(aggregateInputs(),
                mutator(List.of("<record>", "</record>", "<count>", "&amp;", "<![CDATA[", "]]>"))), Fuzz.inputs(),
                Fuzz.seed()));
    }
}
