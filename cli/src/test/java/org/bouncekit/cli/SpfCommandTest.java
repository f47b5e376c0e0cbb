package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bouncekit.dnsauth.spi.DnsJavaClient;
import org.bouncekit.dnsauth.spi.ZoneFileDnsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bouncekit spf}, always on zone files: nothing here asks the network. */
class SpfCommandTest {

    private static final String EXAMPLE_ORG = """
            $ORIGIN example.org.
            $TTL 3600
            @     IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net exp=why.example.org -all"
            why   IN TXT "%{i} may not send for %{d}; ask %{r}"
            two   IN TXT "v=spf1 -all"
            two   IN TXT "v=spf1 +all"
            soft  IN TXT "v=spf1 ~all"
            maybe IN TXT "v=spf1 ?all"
            """;

    private static final String EXAMPLE_NET = """
            $ORIGIN example.net.
            $TTL 3600
            _spf  IN TXT "v=spf1 ip6:2001:db8::/32 ip4:198.51.100.0/24 ~all"
            mx    IN TXT "v=spf1 a -all"
            mx    IN A   198.51.100.7
            """;

    @TempDir
    Path dir;

    private Path org;
    private Path net;

    @BeforeEach
    void zones() throws IOException {
        org = write("example.org.zone", EXAMPLE_ORG);
        net = write("example.net.zone", EXAMPLE_NET);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Runs {@code spf} on both zone files, expecting a completed check. */
    private Map<String, Object> check(String ip, String sender, String helo, String... more) {
        String[] args = new String[10 + more.length];
        String[] fixed = {"spf", "--ip", ip, "--sender", sender, "--helo", helo, "--zone", org.toString(),
            "--zone=" + net};
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(more, 0, args, fixed.length, more.length);
        Cli.Result r = Cli.spf(args);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        return r.row(0);
    }

    private static void assertOneLineError(Cli.Result r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(expected + "\n", r.err());
    }

    @Test
    void passByIp4() {
        Map<String, Object> row = check("192.0.2.10", "alice@example.org", "mail.example.org");
        assertEquals("pass", row.get("result"));
        assertEquals("ip4:192.0.2.0/24", row.get("mechanism"));
        assertNull(row.get("explanation"));
        assertEquals(0L, row.get("lookups"));
        assertEquals(0L, row.get("voidLookups"));
        assertEquals(List.of(), row.get("problems"));
        assertEquals("mailfrom", row.get("identity"));
        assertEquals("example.org", row.get("domain"));
        assertEquals("192.0.2.10", row.get("ip"));
        assertEquals("alice@example.org", row.get("sender"));
        assertEquals("mail.example.org", row.get("helo"));
        List<?> trace = (List<?>) row.get("trace");
        assertEquals("result pass (ip4:192.0.2.0/24)", trace.get(trace.size() - 1), trace.toString());
        assertEquals("Received-SPF: pass (unknown: domain of alice@example.org designates 192.0.2.10 as permitted "
                + "sender) client-ip=192.0.2.10; envelope-from=\"alice@example.org\"; helo=mail.example.org; "
                + "receiver=unknown; identity=mailfrom; mechanism=\"ip4:192.0.2.0/24\"", row.get("receivedSpf"));
    }

    @Test
    void failCarriesTheExplanationOfExpAndTheReceiver() {
        Map<String, Object> row = check("203.0.113.5", "alice@example.org", "mail.example.org",
                "--receiver", "mx.example.test");
        assertEquals("fail", row.get("result"));
        assertEquals("-all", row.get("mechanism"));
        assertEquals("203.0.113.5 may not send for example.org; ask mx.example.test", row.get("explanation"));
        assertEquals(1L, row.get("lookups"), "the include; exp= is not counted");
        assertEquals(List.of(), row.get("problems"));
        String header = (String) row.get("receivedSpf");
        assertTrue(header.startsWith("Received-SPF: fail (mx.example.test: domain of alice@example.org does not "
                + "designate 203.0.113.5 as permitted sender)"), header);
        assertTrue(header.contains(" receiver=mx.example.test;"), header);
    }

    @Test
    void passThroughAnIncludeInTheOtherZoneFile() {
        Map<String, Object> row = check("2001:DB8:0:0::1", "alice@example.org", "mail.example.org");
        assertEquals("pass", row.get("result"));
        assertEquals("include:_spf.example.net", row.get("mechanism"));
        assertEquals(1L, row.get("lookups"));
        assertEquals("2001:db8::1", row.get("ip"), "RFC 5952 form");
        assertTrue(((String) row.get("receivedSpf")).contains(" client-ip=\"2001:db8::1\";"), row.toString());
        List<?> trace = (List<?>) row.get("trace");
        assertTrue(trace.contains("_spf.example.net: ip6:2001:db8::/32 matched"), trace.toString());
    }

    @Test
    void dnsDataComesOnlyFromTheZoneFiles() {
        // without example.net's file the include finds no record: a permerror (RFC 7208 §5.2), not a network query
        Cli.Result r = Cli.spf("spf", "--ip", "198.51.100.9", "--sender", "alice@example.org", "--helo", "x",
                "--zone", org.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("permerror", r.row(0).get("result"), r.out());
        // a domain in no file does not exist
        Map<String, Object> none = check("192.0.2.10", "bob@nowhere.test", "mail.nowhere.test");
        assertEquals("none", none.get("result"));
        assertNull(none.get("mechanism"));
        assertEquals(List.of("TXT nowhere.test: NXDOMAIN", "nowhere.test: no SPF record", "result none"),
                none.get("trace"));
    }

    @Test
    void twoSpfRecordsAreAPermerrorAndStillExitZero() {
        Map<String, Object> row = check("192.0.2.10", "alice@two.example.org", "mail.example.org");
        assertEquals("permerror", row.get("result"));
        assertNull(row.get("mechanism"));
        assertNull(row.get("explanation"));
        assertEquals(List.of("two.example.org publishes 2 SPF records"), row.get("problems"));
        assertTrue(((String) row.get("receivedSpf")).endsWith(
                "; problem=\"two.example.org publishes 2 SPF records\""), row.toString());
    }

    @Test
    void softfailAndNeutral() {
        assertEquals("softfail", check("192.0.2.10", "a@soft.example.org", "x").get("result"));
        Map<String, Object> neutral = check("192.0.2.10", "a@maybe.example.org", "x");
        assertEquals("neutral", neutral.get("result"));
        assertEquals("?all", neutral.get("mechanism"));
    }

    @Test
    void nullSenderChecksTheHeloIdentity() {
        Map<String, Object> pass = check("198.51.100.7", "", "mx.example.net");
        assertEquals("pass", pass.get("result"));
        assertEquals("a", pass.get("mechanism"));
        assertEquals("helo", pass.get("identity"));
        assertEquals("mx.example.net", pass.get("domain"));
        assertEquals("postmaster@mx.example.net", pass.get("sender"));
        assertEquals("mx.example.net", pass.get("helo"));
        assertTrue(((String) pass.get("receivedSpf")).contains(" identity=helo;"), pass.toString());

        Map<String, Object> fail = check("192.0.2.1", "", "mx.example.net");
        assertEquals("fail", fail.get("result"));
        assertEquals("192.0.2.1 is not one of mx.example.net's designated mail servers.", fail.get("explanation"));

        // <> is a null sender too
        assertEquals("helo", check("198.51.100.7", "<>", "mx.example.net").get("identity"));
    }

    @Test
    void outputIsOneJsonObjectOnOneLine() {
        Cli.Result r = Cli.spf("spf", "--ip", "203.0.113.5", "--sender", "alice@example.org", "--helo",
                "mail.example.org", "--zone", org.toString(), "--zone", net.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().endsWith("}\n") && r.out().indexOf('\n') == r.out().length() - 1, r.out());
        Map<String, Object> row = MiniJson.object(r.out().strip());
        assertEquals(Cli.SPF_FIELDS, List.copyOf(row.keySet()));
        // the contract's fields and their JSON types
        assertInstanceOf(String.class, row.get("result"));
        assertInstanceOf(String.class, row.get("mechanism"));
        assertInstanceOf(String.class, row.get("explanation"));
        assertInstanceOf(Long.class, row.get("lookups"));
        assertInstanceOf(Long.class, row.get("voidLookups"));
        assertInstanceOf(List.class, row.get("problems"));
        assertInstanceOf(List.class, row.get("trace"));
        assertInstanceOf(String.class, row.get("receivedSpf"));
    }

    @Test
    void invalidIpIsAOneLineUsageError() {
        for (String ip : List.of("999.0.0.1", "192.0.2.1/24", "mail.example.org", "", "[2001:db8::1]")) {
            Cli.Result r = Cli.spf("spf", "--ip", ip, "--sender", "a@example.org", "--helo", "x", "--zone",
                    org.toString());
            assertOneLineError(r, "bouncekit: --ip: not an IP address literal: " + ip);
        }
    }

    @Test
    void missingOptionsAreUsageErrors() {
        String zone = org.toString();
        List<List<String>> cases = List.of(
                List.of("spf", "--sender", "a@example.org", "--helo", "x", "--zone", zone),
                List.of("spf", "--ip", "192.0.2.1", "--helo", "x", "--zone", zone),
                List.of("spf", "--ip", "192.0.2.1", "--sender", "a@example.org", "--zone", zone));
        List<String> missing = List.of("'--ip=IP'", "'--sender=ADDRESS'", "'--helo=NAME'");
        for (int i = 0; i < cases.size(); i++) {
            Cli.Result r = Cli.spf(cases.get(i).toArray(String[]::new));
            assertEquals(2, r.code(), r.err());
            assertEquals("", r.out());
            assertEquals("Missing required option: " + missing.get(i), r.err().lines().findFirst().orElse(""),
                    r.err());
            assertTrue(r.err().contains("Usage: bouncekit spf"), r.err());
        }
        Cli.Result unknown = Cli.spf("spf", "--ip", "192.0.2.1", "--sender", "", "--helo", "x", "--zone", zone,
                "--frobnicate");
        assertEquals(2, unknown.code());
        assertEquals("", unknown.out());
        assertTrue(unknown.err().startsWith("Unknown option: '--frobnicate'"), unknown.err());
    }

    @Test
    void unreadableZoneFileIsAOneLineUsageError() throws IOException {
        Path missing = dir.resolve("missing.zone");
        assertOneLineError(Cli.spf("spf", "--ip", "192.0.2.1", "--sender", "a@example.org", "--helo", "x",
                "--zone", org.toString(), "--zone", missing.toString()),
                "bouncekit: " + missing + ": no such file or directory");
        Path directory = Files.createDirectory(dir.resolve("zones"));
        Cli.Result r = Cli.spf("spf", "--ip", "192.0.2.1", "--sender", "a@example.org", "--helo", "x",
                "--zone", org.toString(), "--zone", directory.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("bouncekit: " + directory + ": "), r.err());
    }

    @Test
    void malformedZoneFileIsAOneLineUsageErrorWithItsLine() throws IOException {
        Path badType = write("badtype.zone", "$TTL 300\nexample.org. IN SFP \"v=spf1 -all\"\n");
        assertOneLineError(Cli.spf("spf", "--ip", "192.0.2.1", "--sender", "a@example.org", "--helo", "x",
                "--zone", badType.toString()), "bouncekit: " + badType + ":2: Invalid type 'SFP'");
        Path noTtl = write("nottl.zone", "example.org. IN TXT \"v=spf1 -all\"\n");
        assertOneLineError(Cli.spf("spf", "--ip", "192.0.2.1", "--sender", "a@example.org", "--helo", "x",
                "--zone", org.toString(), "--zone", noTtl.toString()), "bouncekit: " + noTtl + ":1: missing TTL");
        for (String zone : List.of("$TTL 300\nmx.example.org. IN A 999.1.1.1\n",
                "$TTL 300\nexample.org. IN TXT \"v=spf1 -all\n")) {
            Path bad = write("bad.zone", zone);
            Cli.Result r = Cli.spf("spf", "--ip", "192.0.2.1", "--sender", "a@example.org", "--helo", "x",
                    "--zone", bad.toString());
            assertEquals(2, r.code(), r.err());
            assertEquals("", r.out());
            assertEquals(1, r.err().lines().count(), r.err());
            // dnsjava names the line after an unterminated quote, so only the form is checked here
            assertTrue(r.err().matches("bouncekit: \\Q" + bad + "\\E:\\d+: \\S.*\n"), r.err());
        }
    }

    @Test
    void aRecordBesideACnameIsReportedOnOneLineWithoutTabs() throws IOException {
        Path zone = write("cname.zone", "$TTL 300\nexample.org. IN CNAME a.example.org.\n"
                + "example.org. IN TXT \"v=spf1 -all\"\n");
        Cli.Result r = Cli.spf("spf", "--ip", "192.0.2.1", "--sender", "a@example.org", "--helo", "x", "--zone",
                zone.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("bouncekit: " + zone + ": example.org. 300 IN TXT "), r.err());
        assertTrue(r.err().endsWith("it can hold no other record\n"), r.err());
    }

    @Test
    void withoutZoneFilesTheSystemResolversAreUsed() {
        // only the choice is checked: building the client asks nothing of the network
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertInstanceOf(DnsJavaClient.class, SpfCommand.dns(null, err));
        assertInstanceOf(DnsJavaClient.class, SpfCommand.dns(List.of(), err));
        assertInstanceOf(ZoneFileDnsClient.class, SpfCommand.dns(List.of(org, net), err));
    }

    @Test
    void helpListsTheFieldsAndTheTopLevelHelpTheCommand() {
        Cli.Result help = Cli.text("spf", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: bouncekit spf"), help.out());
        assertTrue(help.out().contains("voidLookups"), help.out());
        assertTrue(help.out().contains("%{r}"), "no picocli format escape left: " + help.out());
        Cli.Result top = Cli.text("--help");
        assertTrue(top.out().lines().anyMatch(l -> l.strip().startsWith("spf ")), top.out());
    }
}
