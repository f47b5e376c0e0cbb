package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.junit.jupiter.api.Test;

/**
 * The Mail::DKIM corpus: every DKIM-signed message (62) against the {@code rfc6376+rfc8301_view} column by
 * default, and against Mail::DKIM's own expectations in lenient mode (reported). The 17 DomainKeys-only messages
 * (RFC 4870) are out of scope.
 */
class DkimCorpusTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    /** Mail::DKIM's "invalid": the signature could not be processed. */
    private static final Set<DkimVerdict> INVALID = Set.of(DkimVerdict.NEUTRAL, DkimVerdict.PERMERROR,
            DkimVerdict.POLICY, DkimVerdict.TEMPERROR);

    record Row(String file, String mailDkim, int dkimSignatures, String view) {
    }

    static Path base() {
        return TestData.root().resolve("auth/dkim/mail-dkim-corpus");
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(base().resolve("expected.tsv"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            rows.add(new Row(f[0], f[1], Integer.parseInt(f[3]), f[9]));
        }
        return rows;
    }

    /** FAKE_DNS.dat: "name text", NXDOMAIN, a timeout, SERVFAIL; names not listed do not exist. */
    static InMemoryDnsClient dns() throws IOException {
        InMemoryDnsClient.Builder b = InMemoryDnsClient.builder();
        for (String line : Files.readAllLines(base().resolve("FAKE_DNS.dat"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int sp = line.indexOf(' ');
            String name = line.substring(0, sp);
            String value = line.substring(sp).strip();
            switch (value) {
                case "NXDOMAIN" -> b.fail(name, DnsType.TXT, DnsAnswer.Outcome.NXDOMAIN);
                case "~~Query timed out~~" -> b.fail(name, DnsType.TXT, DnsAnswer.Outcome.TIMEOUT);
                case "~~SERVFAIL~~" -> b.fail(name, DnsType.TXT, DnsAnswer.Outcome.SERVFAIL);
                case "\"\"" -> b.txt(name, "");
                default -> b.txt(name, value);
            }
        }
        return b.build();
    }

    static DkimVerdict verdict(DkimVerifier v, Row r) throws IOException {
        return v.verify(Files.readAllBytes(base().resolve("corpus").resolve(r.file()))).verdict();
    }

    static boolean agrees(String expected, DkimVerdict got) {
        switch (expected) {
            case "pass":
                return got == DkimVerdict.PASS;
            case "fail":
                return got == DkimVerdict.FAIL;
            default:
                return INVALID.contains(got);
        }
    }

    @Test
    void agreesWithRfc8301ByDefaultAndReportsLenientAgreement() throws IOException {
        InMemoryDnsClient dns = dns();
        DkimVerifier strict = DkimVerifier.builder(dns).clock(CLOCK).build();
        DkimVerifier lenient = DkimVerifier.builder(dns).clock(CLOCK).lenient().build();
        int signed = 0;
        int agreeView = 0;
        int agreeMailDkim = 0;
        List<String> misses = new ArrayList<>();
        List<String> lenientMisses = new ArrayList<>();
        for (Row r : rows()) {
            if (r.dkimSignatures() == 0) {
                continue; // DomainKeys only
            }
            signed++;
            DkimVerdict got = verdict(strict, r);
            boolean ok = r.view().startsWith("as Mail::DKIM") ? agrees(r.mailDkim(), got)
                    : r.view().startsWith("not-pass") && got != DkimVerdict.PASS;
            if (ok) {
                agreeView++;
            } else {
                misses.add(r.file() + " view=" + r.view() + " got=" + got);
            }
            DkimVerdict lax = verdict(lenient, r);
            if (agrees(r.mailDkim(), lax)) {
                agreeMailDkim++;
            } else {
                lenientMisses.add(r.file() + " Mail::DKIM=" + r.mailDkim() + " got=" + lax);
            }
        }
        System.out.printf("DKIM corpus: %d/%d agree with rfc6376+rfc8301_view (default); lenient mode agrees "
                + "with Mail::DKIM on %d/%d%s%n", agreeView, signed, agreeMailDkim, signed,
                lenientMisses.isEmpty() ? "" : " (differs: " + lenientMisses + ")");
        assertEquals(62, signed);
        assertEquals(List.of(), misses);
    }
}
