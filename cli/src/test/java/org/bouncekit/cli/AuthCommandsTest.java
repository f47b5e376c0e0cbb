package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncekit.dnsauth.DkimSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bouncekit dmarc}, {@code audit} and {@code dnsbl}, always on zone files: nothing here asks the network. */
class AuthCommandsTest {

    static final List<String> AUDIT_FIELDS = List.of("domain", "findings", "errors", "warnings", "notes", "spf",
            "dmarc", "dkim", "mx", "mtaSts", "tlsRpt");
    static final List<String> FINDING_FIELDS = List.of("kind", "severity", "subject", "message", "fix");
    static final List<String> DMARC_COMMAND_FIELDS = List.of("spf", "dkim", "dmarc", "authenticationResults",
            "source");
    static final List<String> DMARC_FIELDS = List.of("result", "authorDomain", "policyDomain",
            "organizationalDomain", "record", "policy", "disposition", "spfAligned", "dkimAligned",
            "alignedDkimDomain", "testing", "problems", "trace");
    static final List<String> DNSBL_FIELDS = List.of("ip", "listed", "incomplete", "zones");
    static final List<String> DNSBL_ZONE_FIELDS = List.of("zone", "query", "status", "codes", "meanings", "reasons",
            "detail");

    @TempDir
    static Path dir;
    static Path zone;
    static KeyPair key;

    @BeforeAll
    static void zone() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        key = g.generateKeyPair();
        String record = DkimSigner.publicKeyRecord(key.getPublic());
        StringBuilder strings = new StringBuilder();
        for (int i = 0; i < record.length(); i += 200) {
            strings.append(" \"").append(record, i, Math.min(record.length(), i + 200)).append('"');
        }
        zone = Files.writeString(dir.resolve("test.zone"), String.join("\n",
                "$TTL 300",
                // a clean sending domain
                "good.example. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
                "good.example. MX 10 mx.good.example.",
                "mx.good.example. A 192.0.2.25",
                "_dmarc.good.example. TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@good.example\"",
                "s1._domainkey.good.example. TXT" + strings,
                "_mta-sts.good.example. TXT \"v=STSv1; id=20261126\"",
                "mta-sts.good.example. A 192.0.2.80",
                "_smtp._tls.good.example. TXT \"v=TLSRPTv1; rua=mailto:tls@good.example\"",
                // a domain with warnings only
                "lax.example. TXT \"v=spf1 ip4:192.0.2.0/24 ~all\"",
                "lax.example. MX 10 mx.good.example.",
                "_dmarc.lax.example. TXT \"v=DMARC1; p=none; rua=mailto:dmarc@lax.example\"",
                "_mta-sts.lax.example. TXT \"v=STSv1; id=1\"",
                "mta-sts.lax.example. A 192.0.2.80",
                "_smtp._tls.lax.example. TXT \"v=TLSRPTv1; rua=mailto:tls@lax.example\"",
                // a shop under co.uk, for the Public Suffix List
                "_dmarc.shop.co.uk. TXT \"v=DMARC1; p=reject\"",
                "bounce.shop.co.uk. TXT \"v=spf1 ip4:198.51.100.0/24 -all\"",
                "mail.shop.co.uk. A 198.51.100.1",
                // blocklists
                "2.0.0.127.zen.spamhaus.org. A 127.0.0.2",
                "2.0.0.127.zen.spamhaus.org. TXT \"https://check.spamhaus.org/sbl/query/SBL2\"",
                "9.2.0.192.zen.spamhaus.org. A 127.255.255.254",
                "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example. A 127.0.0.4",
                ""));
    }

    record Run(int code, Map<String, Object> object, String err) {
    }

    static Run run(byte[] stdin, String... args) {
        Cli.Raw r = Cli.raw(stdin, args);
        String out = new String(r.out(), StandardCharsets.UTF_8);
        Map<String, Object> object = null;
        if (!out.isEmpty()) {
            assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, () -> "one line: " + out);
            object = MiniJson.object(out.strip());
        }
        return new Run(r.code(), object, r.err());
    }

    static Run run(String... args) {
        return run(new byte[0], args);
    }

    @SuppressWarnings("unchecked")
    static <T> T get(Map<String, Object> m, String field) {
        return (T) m.get(field);
    }

    // ------------------------------------------------------------------------------------------------ audit

    @Test
    void auditOfACleanDomainFindsNothing() {
        Run r = run("audit", "good.example", "--selector", "s1", "--zone", zone.toString(), "--fail-on", "info");
        assertEquals(0, r.code(), r.err());
        assertEquals(AUDIT_FIELDS, new ArrayList<>(r.object().keySet()));
        assertEquals(List.of(), r.object().get("findings"));
        assertEquals(0L, r.object().get("errors"));
        Map<String, Object> spf = get(r.object(), "spf");
        assertEquals("v=spf1 ip4:192.0.2.0/24 -all", spf.get("record"));
        assertEquals(0L, spf.get("lookups"));
        List<Map<String, Object>> dkim = get(r.object(), "dkim");
        assertEquals(2048L, dkim.get(0).get("bits"));
        assertEquals("rsa", dkim.get(0).get("type"));
        assertEquals(List.of("10 mx.good.example"), r.object().get("mx"));
    }

    @Test
    void auditFindingsWithSeverityAndFixAndTheFailOnThreshold() {
        Run r = run("audit", "lax.example", "--zone", zone.toString());
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> findings = get(r.object(), "findings");
        List<Object> kinds = new ArrayList<>();
        for (Map<String, Object> f : findings) {
            assertEquals(FINDING_FIELDS, new ArrayList<>(f.keySet()));
            kinds.add(f.get("kind") + "/" + f.get("severity"));
        }
        assertEquals(List.of("dmarc-policy-none/warning", "dkim-no-selector/info"), kinds);
        assertEquals(1L, r.object().get("warnings"));
        assertEquals(1L, r.object().get("notes"));
        assertEquals(3, run("audit", "lax.example", "--zone", zone.toString(), "--fail-on", "warning").code());
        assertEquals(0, run("audit", "lax.example", "--zone", zone.toString(), "--fail-on", "error").code());
    }

    @Test
    void auditUsageErrorsAreOneLine() {
        Run r = run("audit", "localhost", "--zone", zone.toString());
        assertEquals(2, r.code());
        assertNull(r.object());
        assertEquals("bouncekit: domain \"localhost\": not a fully qualified domain name\n", r.err());
        Run f = run("audit", "good.example", "--zone", zone.toString(), "--fail-on", "sometimes");
        assertEquals(2, f.code());
        assertEquals("bouncekit: --fail-on: expected error, warning or info: sometimes\n", f.err());
    }

    // ------------------------------------------------------------------------------------------------ dnsbl

    @Test
    void dnsblListingWithMeaningAndReasonAndANotListedZone() {
        Run r = run("dnsbl", "127.0.0.2", "--zone", zone.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(DNSBL_FIELDS, new ArrayList<>(r.object().keySet()));
        assertEquals(true, r.object().get("listed"));
        List<Map<String, Object>> zones = get(r.object(), "zones");
        assertEquals(DNSBL_ZONE_FIELDS, new ArrayList<>(zones.get(0).keySet()));
        assertEquals("zen.spamhaus.org", zones.get(0).get("zone"));
        assertEquals("listed", zones.get(0).get("status"));
        assertEquals(List.of("127.0.0.2"), zones.get(0).get("codes"));
        assertTrue(((List<?>) zones.get(0).get("meanings")).get(0).toString().startsWith("SBL"));
        assertEquals(List.of("https://check.spamhaus.org/sbl/query/SBL2"), zones.get(0).get("reasons"));
        assertEquals("bl.spamcop.net", zones.get(1).get("zone"));
        assertEquals("not-listed", zones.get(1).get("status"));
    }

    @Test
    void dnsblRefusalIsNoListingAndIpv6IsQueriedByNibbles() {
        Run refused = run("dnsbl", "192.0.2.9", "--list", "zen.spamhaus.org", "--zone", zone.toString());
        assertEquals(false, refused.object().get("listed"));
        List<Map<String, Object>> z = get(refused.object(), "zones");
        assertEquals("refused", z.get(0).get("status"));
        Run v6 = run("dnsbl", "2001:db8::1", "--list", "bl.example", "--zone", zone.toString());
        List<Map<String, Object>> z6 = get(v6.object(), "zones");
        assertEquals("listed", z6.get(0).get("status"));
        assertTrue(z6.get(0).get("query").toString().startsWith("1.0.0.0."));
    }

    @Test
    void dnsblUsageErrors() {
        Run ip = run("dnsbl", "999.1.1.1", "--zone", zone.toString());
        assertEquals(2, ip.code());
        assertTrue(ip.err().startsWith("bouncekit: IP: "), ip.err());
        Run list = run("dnsbl", "192.0.2.1", "--list", "bad..zone", "--zone", zone.toString());
        assertEquals(2, list.code());
        assertTrue(list.err().startsWith("bouncekit: --list: "), list.err());
    }

    // ------------------------------------------------------------------------------------------------ dmarc

    static byte[] message(String from) {
        return ("From: Alice <alice@" + from + ">\r\nTo: bob@example.net\r\nSubject: report\r\n"
                + "Date: Thu, 26 Nov 2026 09:00:00 +0000\r\nMessage-ID: <1@" + from + ">\r\n\r\nHello.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void dmarcPassesOnAnAlignedDkimSignatureWhenSpfFails() throws Exception {
        byte[] signed = DkimSigner.builder("good.example", "s1", key.getPrivate()).build()
                .sign(message("good.example"));
        Path file = Files.write(dir.resolve("signed.eml"), signed);
        Run r = run("dmarc", file.toString(), "--ip", "203.0.113.9", "--mail-from", "bounce@good.example",
                "--helo", "mail.other.test", "--zone", zone.toString(), "--receiver", "mx.receiver.test");
        assertEquals(0, r.code(), r.err());
        assertEquals(DMARC_COMMAND_FIELDS, new ArrayList<>(r.object().keySet()));
        Map<String, Object> spf = get(r.object(), "spf");
        assertEquals(Cli.SPF_FIELDS, new ArrayList<>(spf.keySet()));
        assertEquals("fail", spf.get("result"));
        List<Map<String, Object>> dkim = get(r.object(), "dkim");
        assertEquals(Cli.DKIM_FIELDS, new ArrayList<>(dkim.get(0).keySet()));
        assertEquals("pass", dkim.get(0).get("result"));
        Map<String, Object> dmarc = get(r.object(), "dmarc");
        assertEquals(DMARC_FIELDS, new ArrayList<>(dmarc.keySet()));
        assertEquals("pass", dmarc.get("result"));
        assertEquals(false, dmarc.get("spfAligned"));
        assertEquals(true, dmarc.get("dkimAligned"));
        assertEquals("good.example", dmarc.get("alignedDkimDomain"));
        String header = (String) r.object().get("authenticationResults");
        assertTrue(header.startsWith("Authentication-Results: mx.receiver.test;"), header);
        assertTrue(header.contains("spf=fail smtp.mailfrom=bounce@good.example"), header);
        assertTrue(header.contains("dkim=pass header.d=good.example"), header);
        assertTrue(header.contains("dmarc=pass header.from=good.example"), header);
    }

    @Test
    void dmarcFailsWithTheRejectDispositionFromStdin() {
        Run r = run(message("good.example"), "dmarc", "-", "--ip", "203.0.113.9", "--mail-from",
                "bounce@good.example", "--helo", "x.test", "--zone", zone.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> dmarc = get(r.object(), "dmarc");
        assertEquals("fail", dmarc.get("result"));
        assertEquals("reject", dmarc.get("disposition"));
        assertEquals("-", r.object().get("source"));
        List<Map<String, Object>> dkim = get(r.object(), "dkim");
        assertEquals("none", dkim.get(0).get("result"));
        assertTrue(r.object().get("authenticationResults").toString().contains("dmarc=fail"));
    }

    @Test
    void dmarcByThePublicSuffixListBundledOrFromAFile() throws Exception {
        String[] base = {"dmarc", "-", "--ip", "198.51.100.7", "--mail-from", "b@bounce.shop.co.uk", "--helo",
            "mail.shop.co.uk", "--zone", zone.toString()};
        // the tree walk: bounce.shop.co.uk and mail.shop.co.uk share shop.co.uk, which has the record
        Run walk = run(message("mail.shop.co.uk"), base);
        assertEquals("shop.co.uk", ((Map<?, ?>) walk.object().get("dmarc")).get("organizationalDomain"));
        List<String> args = new ArrayList<>(List.of(base));
        args.add("--rfc7489");
        Run psl = run(message("mail.shop.co.uk"), args.toArray(String[]::new));
        Map<String, Object> dmarc = get(psl.object(), "dmarc");
        assertEquals("shop.co.uk", dmarc.get("organizationalDomain"));
        assertEquals("pass", dmarc.get("result"));
        // a list of one's own in which uk alone is a suffix: the Organizational Domain is co.uk
        Path list = Files.writeString(dir.resolve("list.dat"), "uk\n");
        args.set(args.size() - 1, "--psl=" + list);
        Run own = run(message("mail.shop.co.uk"), args.toArray(String[]::new));
        assertEquals("co.uk", ((Map<?, ?>) own.object().get("dmarc")).get("organizationalDomain"));
        args.set(args.size() - 1, "--psl=" + dir.resolve("missing.dat"));
        Run missing = run(message("mail.shop.co.uk"), args.toArray(String[]::new));
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("bouncekit: --psl: "), missing.err());
    }

    @Test
    void dmarcUsageErrors() {
        Run ip = run(message("good.example"), "dmarc", "-", "--ip", "not-an-ip", "--mail-from", "a@good.example",
                "--helo", "x.test", "--zone", zone.toString());
        assertEquals(2, ip.code());
        assertTrue(ip.err().startsWith("bouncekit: --ip: "), ip.err());
        Run file = run("dmarc", dir.resolve("nothing.eml").toString(), "--ip", "192.0.2.1", "--mail-from",
                "a@good.example", "--helo", "x.test", "--zone", zone.toString());
        assertEquals(1, file.code());
        assertFalse(file.err().isEmpty());
    }
}
