package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bouncekit report}: the numbers as JSON on stdout or in files, the HTML page, DMARC aggregate reports. */
class ReportCommandTest {

    @TempDir
    Path dir;
    Path mail;

    @BeforeEach
    void mail() throws Exception {
        mail = Files.createDirectory(dir.resolve("mail"));
        Files.write(mail.resolve("1.eml"), Mail.bytes(Mail.twoRecipientDsn()));
        Files.write(mail.resolve("2.eml"), Mail.bytes(Mail.arf()));
        Files.write(mail.resolve("3.eml"), Mail.bytes(Mail.plain()));
        Files.copy(CorpusTest.testdata().resolve("auth/dmarc/mail-dmarc/test_dmarc.xml"), mail.resolve("4.xml"));
    }

    static Map<String, Object> json(String text) {
        assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, "one line");
        return MiniJson.object(text.strip());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Long> counts(Map<String, Object> json, String field) {
        Map<String, Long> m = new java.util.TreeMap<>();
        for (Object o : (List<Object>) json.get(field)) {
            Map<String, Object> c = (Map<String, Object>) o;
            m.put((String) c.get("key"), (Long) c.get("count"));
        }
        return m;
    }

    @Test
    void withoutOutputOptionsTheJsonGoesToStdout() {
        Cli.Raw r = Cli.raw(new byte[0], "report", mail.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = json(new String(r.out(), StandardCharsets.UTF_8));
        // the two recipients of the DSN and the complaint; the plain message counts nothing
        assertEquals(3L, j.get("total"));
        assertEquals(Map.of("example.org", 2L, "isp.example", 1L), counts(j, "domains"));
        assertEquals(3L, counts(j, "types").values().stream().mapToLong(Long::longValue).sum());
        assertEquals(86_400L, j.get("bucketSeconds"));
        // mail-dmarc's sample report: one row, 1.2.3.4 sending one message as example.com, passing
        assertEquals(List.of(Map.of("sourceIp", "1.2.3.4", "headerFrom", "example.com", "messages", 1L,
                "dmarcPass", 1L)), j.get("dmarcSources"));
        assertEquals(List.of(Map.of("address", "alice@example.org", "reason", "userunknown", "events", 1L),
                Map.of("address", "carol@isp.example", "reason", "feedback", "events", 1L)),
                j.get("suppressionCandidates"));
    }

    @Test
    void htmlAndJsonFilesAndTheBucketOption() throws Exception {
        Path html = dir.resolve("r.html");
        Path json = dir.resolve("r.json");
        Cli.Raw r = Cli.raw(new byte[0], "report", mail.toString(), "--html", html.toString(), "--json",
                json.toString(), "--bucket", "6h", "--title", "Q4 <bounces>");
        assertEquals(0, r.code(), r.err());
        assertEquals(0, r.out().length, "nothing on stdout when both files are given");
        String page = Files.readString(html);
        assertTrue(page.contains("<title>Q4 &lt;bounces&gt;</title>"));
        assertTrue(page.contains("<svg class=\"chart\" id=\"chart-time\""));
        Map<String, Object> j = json(Files.readString(json));
        assertEquals(21_600L, j.get("bucketSeconds"));
        assertEquals(3L, j.get("total"));
        // --html alone: no JSON anywhere
        Cli.Raw htmlOnly = Cli.raw(new byte[0], "report", mail.toString(), "--html", html.toString());
        assertEquals(0, htmlOnly.out().length);
        // --json -: stdout
        Cli.Raw dash = Cli.raw(new byte[0], "report", mail.toString(), "--html", html.toString(), "--json", "-");
        assertEquals(3L, json(new String(dash.out(), StandardCharsets.UTF_8)).get("total"));
    }

    @Test
    void bucketWidths() {
        assertEquals(Duration.ofHours(1), ReportCommand.bucket("hour"));
        assertEquals(Duration.ofDays(7), ReportCommand.bucket("Week"));
        assertEquals(Duration.ofMinutes(30), ReportCommand.bucket("30m"));
        assertEquals(Duration.ofDays(14), ReportCommand.bucket("2w"));
        assertNull(ReportCommand.bucket("0h"));
        assertNull(ReportCommand.bucket("32d"));
        assertNull(ReportCommand.bucket("soon"));
    }

    @Test
    void usageAndInputErrors() {
        Cli.Raw bad = Cli.raw(new byte[0], "report", mail.toString(), "--bucket", "soon");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("bouncekit: --bucket: "), bad.err());
        Cli.Raw missing = Cli.raw(new byte[0], "report", mail.toString(), dir.resolve("nothing").toString());
        assertEquals(1, missing.code());
        assertEquals(3L, json(new String(missing.out(), StandardCharsets.UTF_8)).get("total"), "the rest counted");
        Cli.Raw unwritable = Cli.raw(new byte[0], "report", mail.toString(), "--html",
                dir.resolve("no/such/dir/r.html").toString());
        assertEquals(1, unwritable.code());
        assertTrue(unwritable.err().contains("r.html"), unwritable.err());
    }
}
