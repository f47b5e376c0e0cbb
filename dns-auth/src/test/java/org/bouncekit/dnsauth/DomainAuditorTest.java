package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.bouncekit.dnsauth.AuditFinding.Kind;
import org.bouncekit.dnsauth.AuditFinding.Severity;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.dnsauth.spi.ZoneFileDnsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The posture audit on a crafted zone: a clean domain with no finding, then one domain per finding kind, each a
 * clean domain with one record changed. A last test checks that every {@link Kind} has its case.
 */
class DomainAuditorTest {

    @TempDir
    static Path dir;
    static DnsClient dns;

    static String rsa2048;
    static String rsa1024;
    static String rsa512;
    static String keyTesting;
    static String keySha1;

    /** One case: a domain built from the clean template with some records replaced or removed. */
    record Case(String label, Kind kind, Severity severity, String subject, List<String> selectors,
                Map<String, String> changes) {
        String domain() {
            return label + ".example";
        }

        @Override
        public String toString() {
            return kind.token() + " (" + label + ")";
        }
    }

    static Case c(String label, Kind kind, Severity severity, String subject, String... changes) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < changes.length; i += 2) {
            m.put(changes[i], changes[i + 1]);
        }
        return new Case(label, kind, severity, subject.replace("{d}", label + ".example"), List.of("s1"), m);
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        l.add(c("spfmissing", Kind.SPF_MISSING, Severity.ERROR, "{d}", "spf", null));
        l.add(c("spfmultiple", Kind.SPF_MULTIPLE, Severity.ERROR, "{d}",
                "spf", "\"v=spf1 -all\"\n{d}. TXT \"v=spf1 ip4:192.0.2.1 -all\""));
        l.add(c("spfsyntax", Kind.SPF_SYNTAX, Severity.ERROR, "{d}", "spf", "\"v=spf1 ip4:192.0.2.300 -all\""));
        l.add(c("spfinclude", Kind.SPF_INCLUDE_INVALID, Severity.ERROR, "include:nothing.{d}",
                "spf", "\"v=spf1 include:nothing.{d} -all\""));
        l.add(c("spfloop", Kind.SPF_INCLUDE_INVALID, Severity.ERROR, "include:loop.{d} include:spfloop.example",
                "spf", "\"v=spf1 include:loop.{d} -all\"\nloop.{d}. TXT \"v=spf1 include:spfloop.example -all\""));
        StringBuilder eleven = new StringBuilder("\"v=spf1");
        StringBuilder hosts = new StringBuilder();
        for (int i = 1; i <= 11; i++) {
            eleven.append(i == 6 ? "\" \"" : "").append(" a:h").append(i).append(".{d}"); // two strings
            hosts.append("\nh").append(i).append(".{d}. A 192.0.2.").append(i);
        }
        l.add(c("spflookups", Kind.SPF_TOO_MANY_LOOKUPS, Severity.ERROR, "{d}", "spf", eleven + " -all\"" + hosts));
        StringBuilder mxHosts = new StringBuilder("\"v=spf1 mx:big.{d} -all\"");
        for (int i = 1; i <= 11; i++) {
            mxHosts.append("\nbig.{d}. MX ").append(i).append(" m").append(i).append(".{d}.");
        }
        l.add(c("spfmxlimit", Kind.SPF_TOO_MANY_LOOKUPS, Severity.ERROR, "{d}", "spf", mxHosts.toString()));
        l.add(c("spfvoids", Kind.SPF_VOID_LOOKUPS, Severity.ERROR, "{d}",
                "spf", "\"v=spf1 a:gone1.{d} mx:gone2.{d} exists:gone3.{d} -all\""));
        l.add(c("spfvoid", Kind.SPF_VOID_LOOKUPS, Severity.WARNING, "{d}", "spf", "\"v=spf1 a:gone.{d} -all\""));
        l.add(c("spfplusall", Kind.SPF_PLUS_ALL, Severity.ERROR, "{d}", "spf", "\"v=spf1 mx +all\""));
        l.add(c("spfopeninclude", Kind.SPF_PLUS_ALL, Severity.ERROR, "include:open.{d}",
                "spf", "\"v=spf1 include:open.{d} -all\"\nopen.{d}. TXT \"v=spf1 all\""));
        l.add(c("spfneutral", Kind.SPF_NEUTRAL_ALL, Severity.WARNING, "{d}", "spf", "\"v=spf1 mx ?all\""));
        l.add(c("spfnoall", Kind.SPF_NO_ALL, Severity.WARNING, "{d}", "spf", "\"v=spf1 ip4:192.0.2.0/24\""));
        l.add(c("spfptr", Kind.SPF_PTR, Severity.WARNING, "{d}", "spf", "\"v=spf1 ptr -all\""));
        l.add(c("spfredirect", Kind.SPF_REDIRECT_IGNORED, Severity.INFO, "{d}",
                "spf", "\"v=spf1 ip4:192.0.2.0/24 -all redirect=other.{d}\""));
        l.add(c("dmarcmissing", Kind.DMARC_MISSING, Severity.ERROR, "_dmarc.{d}", "dmarc", null));
        l.add(c("dmarcmalformed", Kind.DMARC_INVALID, Severity.ERROR, "_dmarc.{d}",
                "dmarc", "\"v=DMARC1 p=reject\""));
        l.add(c("dmarcbadp", Kind.DMARC_INVALID, Severity.ERROR, "_dmarc.{d}",
                "dmarc", "\"v=DMARC1; p=bogus; rua=mailto:d@{d}\""));
        l.add(c("dmarcbaduri", Kind.DMARC_INVALID, Severity.WARNING, "_dmarc.{d}",
                "dmarc", "\"v=DMARC1; p=reject; rua=https://reports.{d}/\""));
        l.add(new Case("child.dmarcparent", Kind.DMARC_INHERITED, Severity.INFO, "_dmarc.dmarcparent.example",
                List.of("s1"), Map.of("dmarc", "", "extra",
                "_dmarc.dmarcparent.example. TXT \"v=DMARC1; p=reject; rua=mailto:d@dmarcparent.example\"")));
        l.add(c("dmarcnone", Kind.DMARC_POLICY_NONE, Severity.WARNING, "_dmarc.{d}",
                "dmarc", "\"v=DMARC1; p=none; rua=mailto:d@{d}\""));
        l.add(c("dmarctesting", Kind.DMARC_TESTING, Severity.WARNING, "_dmarc.{d}",
                "dmarc", "\"v=DMARC1; p=reject; t=y; rua=mailto:d@{d}\""));
        l.add(c("dmarcnorua", Kind.DMARC_NO_REPORTS, Severity.WARNING, "_dmarc.{d}", "dmarc", "\"v=DMARC1; p=reject\""));
        l.add(c("dmarcexternal", Kind.DMARC_REPORT_UNAUTHORIZED, Severity.WARNING,
                "{d}._report._dmarc.reports.test", "dmarc", "\"v=DMARC1; p=reject; rua=mailto:d@reports.test\""));
        l.add(c("dmarcobsolete", Kind.DMARC_OBSOLETE_TAGS, Severity.INFO, "_dmarc.{d}",
                "dmarc", "\"v=DMARC1; p=reject; ri=3600; rua=mailto:d@{d}\""));
        l.add(new Case("dkimnoselector", Kind.DKIM_NO_SELECTOR, Severity.INFO, "_domainkey.dkimnoselector.example",
                List.of(), Map.of()));
        l.add(c("dkimmissing", Kind.DKIM_KEY_MISSING, Severity.ERROR, "s1._domainkey.{d}", "dkim", null));
        l.add(c("dkimtype", Kind.DKIM_KEY_INVALID, Severity.ERROR, "s1._domainkey.{d}",
                "dkim", "\"v=DKIM1; k=dsa; p=AAAA\""));
        l.add(c("dkimgarbage", Kind.DKIM_KEY_INVALID, Severity.ERROR, "s1._domainkey.{d}",
                "dkim", "\"v=DKIM1; k=rsa; p=bm90IGEga2V5\""));
        l.add(c("dkimrevoked", Kind.DKIM_KEY_REVOKED, Severity.WARNING, "s1._domainkey.{d}", "dkim", "\"v=DKIM1; p=\""));
        l.add(c("dkim1024", Kind.DKIM_KEY_WEAK, Severity.WARNING, "s1._domainkey.{d}", "dkim", "RSA1024"));
        l.add(c("dkim512", Kind.DKIM_KEY_WEAK, Severity.ERROR, "s1._domainkey.{d}", "dkim", "RSA512"));
        l.add(c("dkimtesting", Kind.DKIM_KEY_TESTING, Severity.WARNING, "s1._domainkey.{d}", "dkim", "TESTING"));
        l.add(c("dkimsha1", Kind.DKIM_KEY_SHA1, Severity.ERROR, "s1._domainkey.{d}", "dkim", "SHA1"));
        l.add(c("mxmissing", Kind.MX_MISSING, Severity.ERROR, "{d}", "mx", null, "apex", null));
        l.add(c("mximplicit", Kind.MX_IMPLICIT, Severity.WARNING, "{d}", "mx", null));
        l.add(c("mxnull", Kind.MX_NULL, Severity.WARNING, "{d}", "mx", "0 ."));
        l.add(c("mxmixed", Kind.MX_NULL_MIXED, Severity.ERROR, "{d}", "mx", "0 .\n{d}. MX 10 mx.{d}."));
        l.add(c("mxnoaddress", Kind.MX_UNRESOLVABLE, Severity.ERROR, "mx.{d}", "mxhost", null));
        l.add(c("stsmissing", Kind.MTA_STS_MISSING, Severity.INFO, "_mta-sts.{d}", "sts", null));
        l.add(c("stsinvalid", Kind.MTA_STS_INVALID, Severity.WARNING, "_mta-sts.{d}", "sts", "\"v=STSv1; id=not-valid!\""));
        l.add(c("stsnohost", Kind.MTA_STS_HOST_MISSING, Severity.WARNING, "mta-sts.{d}", "stshost", null));
        l.add(c("tlsrptmissing", Kind.TLSRPT_MISSING, Severity.INFO, "_smtp._tls.{d}", "tlsrpt", null));
        l.add(c("tlsrptinvalid", Kind.TLSRPT_INVALID, Severity.WARNING, "_smtp._tls.{d}",
                "tlsrpt", "\"v=TLSRPTv1; rua=ftp://reports.{d}\""));
        return l;
    }

    /** The records of a clean domain, by slot; a case replaces a slot's value or removes it (null). */
    static Map<String, String> clean(String d) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("apex", "{d}. A 192.0.2.10");
        m.put("spf", "{d}. TXT \"v=spf1 ip4:192.0.2.0/24 mx -all\"");
        m.put("dmarc", "_dmarc.{d}. TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@{d}\"");
        m.put("dkim", "s1._domainkey.{d}. TXT " + rsa2048);
        m.put("mx", "{d}. MX 10 mx.{d}.");
        m.put("mxhost", "mx.{d}. A 192.0.2.25");
        m.put("sts", "_mta-sts.{d}. TXT \"v=STSv1; id=2026112601\"");
        m.put("stshost", "mta-sts.{d}. A 192.0.2.80");
        m.put("tlsrpt", "_smtp._tls.{d}. TXT \"v=TLSRPTv1; rua=mailto:tls@{d}\"");
        m.replaceAll((k, v) -> v.replace("{d}", d));
        return m;
    }

    static String zoneLines(Case c) {
        Map<String, String> m = clean(c.domain());
        for (Map.Entry<String, String> e : c.changes().entrySet()) {
            String v = e.getValue();
            if (v == null || v.isEmpty()) {
                m.remove(e.getKey());
                continue;
            }
            v = v.replace("{d}", c.domain()).replace("RSA1024", rsa1024).replace("RSA512", rsa512)
                    .replace("TESTING", keyTesting).replace("SHA1", keySha1);
            String line = m.get(e.getKey());
            // a slot's line is "NAME TYPE RDATA": the change replaces the RDATA; a new slot is a whole line
            m.put(e.getKey(), line == null ? v : line.substring(0, line.indexOf(' ', line.indexOf(' ') + 1) + 1) + v);
        }
        return String.join("\n", m.values());
    }

    /** A TXT record's text as zone-file character-strings of at most 255 octets. */
    static String strings(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i += 200) {
            sb.append(i == 0 ? "" : " ").append('"').append(text, i, Math.min(text.length(), i + 200)).append('"');
        }
        return sb.toString();
    }

    static String rsa(int bits) throws NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return strings("v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic()
                .getEncoded()));
    }

    @BeforeAll
    static void zone() throws Exception {
        Path file = dir.resolve("audit.zone");
        Files.writeString(file, zoneText());
        dns = ZoneFileDnsClient.read(file);
    }

    /** The keys, made once (so that {@link ConcurrencyTest}, which audits this zone too, sees the same ones). */
    private static synchronized void keys() throws NoSuchAlgorithmException {
        if (rsa2048 != null) {
            return;
        }
        rsa1024 = rsa(1024);
        rsa512 = rsa(512);
        byte[] spki = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        keyTesting = strings("v=DKIM1; k=ed25519; t=y; p=" + Base64.getEncoder().encodeToString(
                java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
        String key = rsa(2048);
        keySha1 = key.replace("v=DKIM1; k=rsa;", "v=DKIM1; k=rsa; h=sha1;");
        rsa2048 = key;
    }

    /** @return the zone: the clean domain, every case's domain, and an authorized external reporting address */
    static String zoneText() throws NoSuchAlgorithmException {
        keys();
        StringBuilder z = new StringBuilder("$TTL 300\n");
        z.append(String.join("\n", clean("clean.example").values())).append('\n');
        for (Case c : cases()) {
            z.append(zoneLines(c)).append('\n');
        }
        // an external reporting address that is authorized, beside one that is not
        z.append(String.join("\n", clean("dmarcauthorized.example").values())
                .replace("rua=mailto:dmarc@dmarcauthorized.example", "rua=mailto:d@reports.test"))
                .append("\ndmarcauthorized.example._report._dmarc.reports.test. TXT \"v=DMARC1\"\n");
        return z.toString();
    }

    static DomainAuditor auditor() {
        return DomainAuditor.builder(dns).build();
    }

    @Test
    void aCleanDomainHasNoFinding() {
        DomainAudit a = auditor().audit("clean.example", "s1");
        assertEquals(List.of(), a.findings());
        assertEquals("v=spf1 ip4:192.0.2.0/24 mx -all", a.spfRecord());
        assertEquals(1, a.spfLookups());
        assertEquals(0, a.spfVoidLookups());
        assertEquals("_dmarc.clean.example".substring(7), a.dmarcDomain());
        assertEquals(List.of("10 mx.clean.example"), a.mx());
        DomainAudit.DkimKey key = a.dkimKeys().get(0);
        assertEquals("rsa", key.type());
        assertEquals(2048, key.bits());
        assertFalse(key.revoked());
        assertEquals("v=STSv1; id=2026112601", a.mtaSts());
        assertTrue(a.tlsRpt().startsWith("v=TLSRPTv1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachFindingKindOnItsOwnDomain(Case c) {
        DomainAudit a = auditor().audit(c.domain(), c.selectors());
        List<AuditFinding> found = a.findings(c.kind());
        assertFalse(found.isEmpty(), () -> c.kind() + " expected for " + c.domain() + "; found " + a.findings());
        AuditFinding f = found.stream().filter(x -> x.severity() == c.severity()).findFirst()
                .orElseThrow(() -> new AssertionError(c.severity() + " expected: " + found));
        assertEquals(c.subject(), f.subject());
        assertFalse(f.message().isBlank());
        assertFalse(f.fix().isBlank());
    }

    @Test
    void findingsAreSortedErrorsFirst() throws IOException {
        // ?all is found (a warning) before the missing DKIM key (an error): the error comes first
        DnsClient z = zoneOf(String.join("\n", clean("sorted.example").values())
                .replace("mx -all", "mx ?all").replace("s1._domainkey", "old._domainkey"));
        DomainAudit a = DomainAuditor.builder(z).build().audit("sorted.example", "s1");
        assertEquals(List.of(Kind.DKIM_KEY_MISSING, Kind.SPF_NEUTRAL_ALL),
                a.findings().stream().map(AuditFinding::kind).toList());
        assertEquals(1, a.count(Severity.ERROR));
        assertEquals(1, a.count(Severity.WARNING));
    }

    static DnsClient zoneOf(String lines) throws IOException {
        Path f = Files.createTempFile(dir, "z", ".zone");
        Files.writeString(f, "$TTL 300\n" + lines + "\n");
        return ZoneFileDnsClient.read(f);
    }

    @Test
    void aRecordIncludedTwiceIsCountedTwiceAndIsNoLoop() throws IOException {
        DnsClient z = zoneOf(String.join("\n", clean("twice.example").values())
                .replace("ip4:192.0.2.0/24 mx -all", "include:a.twice.example include:b.twice.example -all")
                + "\na.twice.example. TXT \"v=spf1 include:c.twice.example -all\""
                + "\nb.twice.example. TXT \"v=spf1 include:c.twice.example -all\""
                + "\nc.twice.example. TXT \"v=spf1 a mx a:x.twice.example -all\""
                + "\nc.twice.example. A 192.0.2.1\nc.twice.example. MX 10 mx.twice.example."
                + "\nx.twice.example. A 192.0.2.2");
        DomainAudit a = DomainAuditor.builder(z).build().audit("twice.example", "s1");
        // a, b, then c twice with its three terms: 2 + 2 + 2 * 3
        assertEquals(10, a.spfLookups());
        assertEquals(List.of(), a.findings());
    }

    @Test
    void termsAfterAllAreNeverReachedAndAMinusIncludeOfPlusAllIsNoPass() throws IOException {
        DnsClient z = zoneOf(String.join("\n", clean("after.example").values())
                .replace("ip4:192.0.2.0/24 mx -all", "ip4:192.0.2.0/24 -include:open.after.example -all "
                        + "a:gone1.after.example a:gone2.after.example a:gone3.after.example ptr")
                + "\nopen.after.example. TXT \"v=spf1 +all\"");
        DomainAudit a = DomainAuditor.builder(z).build().audit("after.example", "s1");
        assertEquals(List.of(), a.findings());
        assertEquals(1, a.spfLookups());
        assertEquals(0, a.spfVoidLookups());
    }

    @Test
    void anInternationalizedDomainIsAskedInALabelsAndBadNamesAreRefused() throws IOException {
        DnsClient z = zoneOf(String.join("\n", clean("xn--bcher-kva.example").values()));
        DomainAudit a = DomainAuditor.builder(z).build().audit("Bücher.example", "s1");
        assertEquals("xn--bcher-kva.example", a.domain());
        assertEquals(List.of(), a.findings());
        assertThrows(IllegalArgumentException.class, () -> auditor().audit("clean.example", "a b"));
        assertThrows(IllegalArgumentException.class, () -> auditor().audit("clean.example", "x@y"));
        assertThrows(IllegalArgumentException.class, () -> auditor().audit("bad domain.example"));
    }

    @Test
    void namesThatWouldPassTwoHundredFiftyThreeOctetsAreNotAskedAndAreNoDnsError() throws IOException {
        String label = "a".repeat(63);
        String longDomain = label + "." + label + "." + label + "." + "b".repeat(53) + ".example"; // 253 octets
        assertEquals(253, longDomain.length());
        DnsClient z = zoneOf(longDomain + ". TXT \"v=spf1 -all\"\n" + longDomain + ". MX 10 mx.clean.example.\n"
                + "mx.clean.example. A 192.0.2.25");
        DomainAudit a = DomainAuditor.builder(z).build().audit(longDomain);
        assertEquals(List.of(), a.findings(Kind.DNS_ERROR));
        assertFalse(a.findings(Kind.DMARC_MISSING).isEmpty());
    }

    @Test
    void findingsAreOnePerKindAndSubjectAndBounded() throws IOException {
        DnsClient z = zoneOf(String.join("\n", clean("ptrs.example").values())
                .replace("ip4:192.0.2.0/24 mx -all", "ptr ptr:a.example ptr:b.example -all"));
        DomainAudit a = DomainAuditor.builder(z).build().audit("ptrs.example", "s1");
        assertEquals(1, a.findings(Kind.SPF_PTR).size());
        // 120 broken selectors: 100 findings at most, the last one saying so
        List<String> selectors = new java.util.ArrayList<>();
        for (int i = 0; i < DomainAuditor.MAX_SELECTORS; i++) {
            selectors.add("gone" + i);
        }
        DomainAudit many = DomainAuditor.builder(z).build().audit("ptrs.example", selectors);
        assertTrue(many.findings().size() <= DomainAuditor.MAX_FINDINGS, () -> "" + many.findings().size());
    }

    @Test
    void extensionFieldsOfMtaStsAndTlsRptAreValid() throws IOException {
        DnsClient z = zoneOf(String.join("\n", clean("ext.example").values())
                .replace("v=STSv1; id=2026112601", "v=STSv1; id=2026112601; ext-name.1=value;")
                .replace("rua=mailto:tls@ext.example", "rua=mailto:tls@ext.example, https://r.example/tls; x_1=y"));
        assertEquals(List.of(), DomainAuditor.builder(z).build().audit("ext.example", "s1").findings());
        assertEquals(Map.of("v", "STSv1", "id", "1"), DomainAuditor.serviceTags("v=STSv1 ;id=1"));
        assertEquals(null, DomainAuditor.serviceTags("v=STSv1; id"));
        assertEquals(null, DomainAuditor.serviceTags("v=STSv1; id=1; id=2"));
    }

    @Test
    void aLargeSpfRecordLeavesTheOtherChecksTheirQueries() throws IOException {
        StringBuilder big = new StringBuilder("\"v=spf1");
        for (int i = 0; i < 300; i++) {
            big.append(i % 10 == 0 ? "\" \"" : "").append(" a:h").append(i).append(".big.example");
        }
        String zone = String.join("\n", clean("big.example").values())
                .replace("\"v=spf1 ip4:192.0.2.0/24 mx -all\"", big + " -all\"")
                .replace("s1._domainkey", "old._domainkey");
        int[] queries = new int[1];
        DnsClient counting;
        DnsClient z = zoneOf(zone);
        counting = (name, type) -> {
            queries[0]++;
            return z.query(name, type);
        };
        DomainAudit a = DomainAuditor.builder(counting).build().audit("big.example", "s1");
        assertTrue(queries[0] <= DomainAuditor.MAX_QUERIES, () -> queries[0] + " queries");
        assertTrue(a.spfLookups() > 10);
        assertFalse(a.findings(Kind.SPF_TOO_MANY_LOOKUPS).isEmpty());
        assertFalse(a.findings(Kind.DKIM_KEY_MISSING).isEmpty(), "the DKIM check still ran");
        assertFalse(a.findings(Kind.MTA_STS_MISSING).isEmpty() && a.mtaSts() == null, "MTA-STS still read");
    }

    @Test
    void lookupCountsFollowIncludesAndVoidNamesAreListed() {
        DomainAudit a = auditor().audit("spflookups.example", "s1");
        assertEquals(11, a.spfLookups());
        DomainAudit v = auditor().audit("spfvoids.example", "s1");
        assertEquals(3, v.spfVoidLookups());
        assertTrue(v.findings(Kind.SPF_VOID_LOOKUPS).get(0).message().contains("exists:gone3.spfvoids.example"));
    }

    @Test
    void anAuthorizedExternalReportAddressIsNoFinding() {
        assertEquals(List.of(), auditor().audit("dmarcauthorized.example", "s1").findings());
    }

    @Test
    void pctBelowAHundredIsTestingAndObsolete() throws IOException {
        Path f = dir.resolve("pct.zone");
        Files.writeString(f, "$TTL 300\n" + String.join("\n", clean("pct.example").values())
                .replace("p=reject;", "p=reject; pct=50;") + "\n");
        DomainAudit a = DomainAuditor.builder(ZoneFileDnsClient.read(f)).build().audit("pct.example", "s1");
        assertEquals(List.of(Kind.DMARC_TESTING, Kind.DMARC_OBSOLETE_TAGS),
                a.findings().stream().map(AuditFinding::kind).toList());
    }

    @Test
    void aDnsFailureIsAFindingNamingTheQueryAndTheRestIsStillAudited() {
        DnsClient failing = (name, type) -> name.equals("_dmarc.clean.example") && type == DnsType.TXT
                ? CompletableFuture.completedFuture(DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, "test"))
                : dns.query(name, type);
        DomainAudit a = DomainAuditor.builder(failing).build().audit("clean.example", "s1");
        assertEquals(List.of(Kind.DNS_ERROR), a.findings().stream().map(AuditFinding::kind).toList());
        assertEquals("_dmarc.clean.example", a.findings().get(0).subject());
        assertEquals("v=spf1 ip4:192.0.2.0/24 mx -all", a.spfRecord());
        assertEquals(2048, a.dkimKeys().get(0).bits());
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndAThrowingClientIsAFailure() {
        DnsClient silent = (name, type) -> new CompletableFuture<>();
        DomainAudit a = DomainAuditor.builder(silent).timeout(java.time.Duration.ofMillis(20)).build()
                .audit("clean.example");
        assertFalse(a.findings(Kind.DNS_ERROR).isEmpty());
        assertTrue(a.findings(Kind.DNS_ERROR).get(0).message().contains("TIMEOUT"));
        DnsClient throwing = (name, type) -> {
            throw new IllegalStateException("resolver broken");
        };
        DomainAudit b = DomainAuditor.builder(throwing).build().audit("clean.example");
        assertFalse(b.findings(Kind.DNS_ERROR).isEmpty());
        assertTrue(b.findings().stream().allMatch(f -> f.kind() == Kind.DNS_ERROR || f.kind() == Kind.DKIM_NO_SELECTOR),
                () -> b.findings().toString());
    }

    @Test
    void anEndlessIncludeTreeIsFollowedOnlySoFar() {
        // every name includes two more: an endless tree
        int[] queries = new int[1];
        DnsClient tree = (name, type) -> {
            queries[0]++;
            return CompletableFuture.completedFuture(type == DnsType.TXT
                    ? DnsAnswer.of(List.of(new org.bouncekit.dnsauth.spi.DnsRecord.Txt("v=spf1 include:a." + name
                    + " include:b." + name + " -all")), 60)
                    : DnsAnswer.failed(DnsAnswer.Outcome.NXDOMAIN, null));
        };
        DomainAudit a = DomainAuditor.builder(tree).build().audit("tree.example");
        assertTrue(queries[0] < DomainAuditor.MAX_QUERIES, () -> queries[0] + " queries");
        assertEquals(DomainAuditor.SPF_FOLLOW_LIMIT + 1, a.spfLookups());
        assertTrue(a.findings(Kind.SPF_TOO_MANY_LOOKUPS).get(0).message().contains("more than 30"));
        assertFalse(a.findings(Kind.MX_MISSING).isEmpty(), "the later checks ran");
    }

    @Test
    void invalidArgumentsAreRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> auditor().audit("localhost"));
        assertThrows(IllegalArgumentException.class, () -> auditor().audit("clean.example", "bad..selector"));
        assertThrows(IllegalArgumentException.class, () -> auditor().audit("clean.example",
                Collections.nCopies(DomainAuditor.MAX_SELECTORS + 1, "s")));
        assertThrows(IllegalArgumentException.class, () -> DomainAuditor.builder(dns)
                .timeout(java.time.Duration.ZERO));
    }

    @AfterAll
    static void everyKindHasACase() {
        Set<Kind> expected = EnumSet.allOf(Kind.class);
        Set<Kind> inTable = EnumSet.noneOf(Kind.class);
        cases().forEach(c -> inTable.add(c.kind()));
        inTable.add(Kind.DNS_ERROR); // its own test above
        assertEquals(expected, inTable, "finding kinds without a test case");
    }
}
