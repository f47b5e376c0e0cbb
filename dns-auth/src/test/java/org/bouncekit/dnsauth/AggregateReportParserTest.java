package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DMARC aggregate reports: the mail-dmarc sample, reports written to the RFC 7489 schema (and validated against
 * it) and to RFC 9990, their gzip, zip and email forms, and the hostile inputs (XXE, billion laughs, zip bombs)
 * each limit stops.
 */
class AggregateReportParserTest {

    private static final AggregateReportParser PARSER = AggregateReportParser.defaults();

    /** RFC 7489 appendix C, every optional element, two records (one IPv6, with override reasons). */
    static final String FULL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feedback>
              <version>1.0</version>
              <report_metadata>
                <org_name>mail.receiver.example</org_name>
                <email>dmarc-reports@receiver.example</email>
                <extra_contact_info>https://receiver.example/dmarc</extra_contact_info>
                <report_id>rx-2021-0001</report_id>
                <date_range>
                  <begin>1609459200</begin>
                  <end>1609545599</end>
                </date_range>
                <error>sp= is not one of none, quarantine, reject</error>
                <error>unknown tag ri2</error>
              </report_metadata>
              <policy_published>
                <domain>example.org</domain>
                <adkim>s</adkim>
                <aspf>r</aspf>
                <p>quarantine</p>
                <sp>reject</sp>
                <pct>50</pct>
                <fo>1</fo>
              </policy_published>
              <record>
                <row>
                  <source_ip>192.0.2.10</source_ip>
                  <count>12</count>
                  <policy_evaluated>
                    <disposition>none</disposition>
                    <dkim>pass</dkim>
                    <spf>fail</spf>
                  </policy_evaluated>
                </row>
                <identifiers>
                  <envelope_to>receiver.example</envelope_to>
                  <envelope_from>bounce.example.org</envelope_from>
                  <header_from>example.org</header_from>
                </identifiers>
                <auth_results>
                  <dkim>
                    <domain>example.org</domain>
                    <selector>s2021</selector>
                    <result>pass</result>
                    <human_result>good signature</human_result>
                  </dkim>
                  <dkim>
                    <domain>esp.example</domain>
                    <result>fail</result>
                  </dkim>
                  <spf>
                    <domain>bounce.example.org</domain>
                    <scope>mfrom</scope>
                    <result>softfail</result>
                  </spf>
                </auth_results>
              </record>
              <record>
                <row>
                  <source_ip>2001:db8:0:0:0:0:0:25</source_ip>
                  <count>3</count>
                  <policy_evaluated>
                    <disposition>quarantine</disposition>
                    <dkim>fail</dkim>
                    <spf>fail</spf>
                    <reason>
                      <type>sampled_out</type>
                    </reason>
                    <reason>
                      <type>local_policy</type>
                      <comment>forwarded by a trusted list</comment>
                    </reason>
                  </policy_evaluated>
                </row>
                <identifiers>
                  <envelope_from></envelope_from>
                  <header_from>example.org</header_from>
                </identifiers>
                <auth_results>
                  <spf>
                    <domain>mail.example.net</domain>
                    <scope>helo</scope>
                    <result>none</result>
                  </spf>
                </auth_results>
              </record>
            </feedback>
            """;

    /** RFC 7489 appendix C, only what the schema requires. */
    static final String MINIMAL = """
            <?xml version="1.0"?>
            <feedback>
              <version>1.0</version>
              <report_metadata>
                <org_name>Minimal Receiver</org_name>
                <email>postmaster@minimal.example</email>
                <report_id>m-1</report_id>
                <date_range><begin>1700000000</begin><end>1700086400</end></date_range>
              </report_metadata>
              <policy_published>
                <domain>example.com</domain>
                <p>reject</p>
                <sp>reject</sp>
                <pct>100</pct>
                <fo>0</fo>
              </policy_published>
              <record>
                <row>
                  <source_ip>198.51.100.7</source_ip>
                  <count>1</count>
                  <policy_evaluated><disposition>reject</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated>
                </row>
                <identifiers><envelope_from>example.com</envelope_from><header_from>example.com</header_from></identifiers>
                <auth_results><spf><domain>example.com</domain><scope>mfrom</scope><result>fail</result></spf></auth_results>
              </record>
            </feedback>
            """;

    /** RFC 9990: its namespace, generator, discovery_method, np, testing, human_result and extensions. */
    static final String RFC9990 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0" xmlns:ext="https://ext.example/arc">
              <version>1.0</version>
              <report_metadata>
                <org_name>Bis Receiver</org_name>
                <email>reports@bis.example</email>
                <report_id><![CDATA[<id-9990@bis.example>]]></report_id>
                <date_range><begin>1735689600</begin><end>1735775999</end></date_range>
                <generator>BisReporter 2.1</generator>
              </report_metadata>
              <policy_published>
                <domain>example.net</domain>
                <discovery_method>treewalk</discovery_method>
                <p>Reject</p>
                <sp>quarantine</sp>
                <np>reject</np>
                <testing>n</testing>
              </policy_published>
              <extension>
                <ext:arc-override>never</ext:arc-override>
              </extension>
              <record>
                <row>
                  <source_ip>2001:db8::1</source_ip>
                  <count>1000000000000</count>
                  <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>
                </row>
                <identifiers><header_from>news.example.net</header_from></identifiers>
                <auth_results>
                  <dkim><domain>example.net</domain><selector>k1</selector><result>pass</result></dkim>
                  <spf><domain>example.net</domain><result>pass</result><human_result>ip4 matched</human_result></spf>
                </auth_results>
                <ext:arc-results><ext:chain>pass</ext:chain></ext:arc-results>
              </record>
            </feedback>
            """;

    // --- the sample and the schema ---------------------------------------------------------------------------

    @Test
    void mailDmarcSampleHasExactValues() throws IOException {
        Path file = TestData.root().resolve("auth/dmarc/mail-dmarc/test_dmarc.xml");
        AggregateReport r = PARSER.parse(file);

        assertNull(r.version());
        assertEquals("xml", r.container());
        assertEquals(new AggregateReport.Metadata("Test Sender", "noreply@test.example", null, "1234567890",
                Instant.parse("2021-01-01T00:00:00Z"), Instant.parse("2021-01-02T00:00:00Z"), List.of(), null),
                r.metadata());
        assertEquals(new AggregateReport.PolicyPublished("example.com", null, "r", "r", "none", "none", null, 100,
                null, null, null), r.policy());
        assertEquals(List.of(new AggregateReport.Row(ip("1.2.3.4"), 1, "none", "pass", "pass", List.of(),
                "example.com", null, null,
                List.of(new AggregateReport.DkimAuth("example.com", "default", "pass", null)),
                List.of(new AggregateReport.SpfAuth("example.com", "mfrom", "pass", null)))), r.rows());
        assertEquals(List.of(), r.problems());
        assertEquals(1, r.totalCount());
        assertTrue(r.rows().get(0).dmarcPass());
    }

    @Test
    void handWrittenReportsAreValidAgainstTheRfc7489Schema() throws Exception {
        String xsd = Files.readString(TestData.root().resolve("auth/dmarc/rfc7489-appendixC-rua-schema.xsd"));
        // The schema as published cannot be compiled: its type references are unprefixed, so they name no
        // namespace while the types are declared in the target namespace. Without targetNamespace it compiles,
        // and validates reports as reporters write them (no namespace).
        xsd = xsd.replaceFirst("\\s+targetNamespace=\"[^\"]*\"", "");
        SchemaFactory f = SchemaFactory.newDefaultInstance();
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        Schema schema = f.newSchema(new StreamSource(new StringReader(xsd)));
        for (String report : List.of(FULL, MINIMAL)) {
            schema.newValidator().validate(new StreamSource(new StringReader(report)));
        }
    }

    @Test
    void fullReportKeepsEveryOptionalElement() throws IOException {
        AggregateReport r = PARSER.parse(bytes(FULL));

        assertEquals("1.0", r.version());
        assertEquals(new AggregateReport.Metadata("mail.receiver.example", "dmarc-reports@receiver.example",
                "https://receiver.example/dmarc", "rx-2021-0001", Instant.parse("2021-01-01T00:00:00Z"),
                Instant.parse("2021-01-01T23:59:59Z"),
                List.of("sp= is not one of none, quarantine, reject", "unknown tag ri2"), null), r.metadata());
        assertEquals(new AggregateReport.PolicyPublished("example.org", null, "s", "r", "quarantine", "reject",
                null, 50, "1", null, null), r.policy());
        assertEquals(2, r.rows().size());
        assertEquals(new AggregateReport.Row(ip("192.0.2.10"), 12, "none", "pass", "fail", List.of(),
                "example.org", "bounce.example.org", "receiver.example",
                List.of(new AggregateReport.DkimAuth("example.org", "s2021", "pass", "good signature"),
                        new AggregateReport.DkimAuth("esp.example", null, "fail", null)),
                List.of(new AggregateReport.SpfAuth("bounce.example.org", "mfrom", "softfail", null))),
                r.rows().get(0));
        AggregateReport.Row v6 = r.rows().get(1);
        assertEquals(ip("2001:db8::25"), v6.sourceIp());
        assertEquals("2001:db8::25", v6.sourceIpText());
        assertEquals(3, v6.count());
        assertEquals("quarantine", v6.disposition());
        assertFalse(v6.dmarcPass());
        assertEquals(List.of(new AggregateReport.Reason("sampled_out", null),
                new AggregateReport.Reason("local_policy", "forwarded by a trusted list")), v6.reasons());
        assertEquals("", v6.envelopeFrom()); // a null reverse-path
        assertNull(v6.envelopeTo());
        assertEquals(List.of(), v6.dkimResults());
        assertEquals(List.of(new AggregateReport.SpfAuth("mail.example.net", "helo", "none", null)),
                v6.spfResults());
        assertEquals(15, r.totalCount());
        assertEquals(List.of(), r.problems());
    }

    @Test
    void minimalReport() throws IOException {
        AggregateReport r = PARSER.parse(bytes(MINIMAL));

        assertEquals("Minimal Receiver", r.metadata().orgName());
        assertNull(r.metadata().extraContactInfo());
        assertEquals(List.of(), r.metadata().errors());
        assertEquals(new AggregateReport.PolicyPublished("example.com", null, null, null, "reject", "reject", null,
                100, "0", null, null), r.policy());
        AggregateReport.Row row = r.rows().get(0);
        assertEquals("reject", row.disposition());
        assertEquals(List.of(), row.dkimResults());
        assertEquals(List.of(), r.problems());
    }

    @Test
    void rfc9990ReportWithNamespaceAndExtensions() throws IOException {
        AggregateReport r = PARSER.parse(bytes(RFC9990));

        assertEquals("1.0", r.version());
        assertEquals("<id-9990@bis.example>", r.metadata().reportId());
        assertEquals("BisReporter 2.1", r.metadata().generator());
        assertEquals(new AggregateReport.PolicyPublished("example.net", "treewalk", null, null, "reject",
                "quarantine", "reject", null, null, null, "n"), r.policy());
        AggregateReport.Row row = r.rows().get(0);
        assertEquals(ip("2001:db8::1"), row.sourceIp());
        assertEquals(1_000_000_000_000L, row.count());
        assertEquals(List.of(new AggregateReport.SpfAuth("example.net", null, "pass", "ip4 matched")),
                row.spfResults());
        assertEquals(List.of(), r.problems()); // extensions are skipped without a word
    }

    // --- containers ------------------------------------------------------------------------------------------

    @Test
    void gzipZipAndFileAgree(@TempDir Path dir) throws IOException {
        AggregateReport plain = PARSER.parse(bytes(FULL));
        AggregateReport gz = PARSER.parse(gzip(bytes(FULL)));
        AggregateReport zip = PARSER.parse(zip("receiver.example!example.org!1609459200!1609545599.xml",
                bytes(FULL)));

        assertEquals("gzip", gz.container());
        assertEquals("zip", zip.container());
        assertEquals(plain.rows(), gz.rows());
        assertEquals(plain.rows(), zip.rows());
        assertEquals(plain.metadata(), zip.metadata());

        Path file = dir.resolve("report.xml.gz");
        Files.write(file, gzip(bytes(FULL)));
        assertEquals(plain.rows(), PARSER.parse(file).rows());
        try (InputStream in = new ByteArrayInputStream(zip("r.xml", bytes(MINIMAL)))) {
            assertEquals("m-1", PARSER.parse(in).metadata().reportId());
        }
    }

    @Test
    void zipSkipsDirectoriesAndOtherEntries() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("reports/"));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("__MACOSX/._report.xml"));
            z.write(new byte[] {0, 5, 22, 7, 0, 2, 0, 0});
            z.closeEntry();
            z.putNextEntry(new ZipEntry("README.txt"));
            z.write(bytes("not the report"));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("reports/report.xml"));
            z.write(bytes(MINIMAL));
            z.closeEntry();
        }
        assertEquals("m-1", PARSER.parse(out.toByteArray()).metadata().reportId());
    }

    @Test
    void multipartEmailWithGzipAttachment() throws IOException {
        String name = "receiver.example!example.org!1609459200!1609545599.xml.gz";
        String mail = "Return-Path: <dmarc@receiver.example>\r\n"
                + "From: DMARC <dmarc@receiver.example>\r\n"
                + "To: rua@example.org\r\n"
                + "Subject: Report Domain: example.org Submitter: receiver.example Report-ID: <rx-2021-0001>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed;\r\n\tboundary=\"==b1==\"\r\n"
                + "\r\n"
                + "This is a multi-part message in MIME format.\r\n"
                + "--==b1==\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "This is an aggregate report from receiver.example.\r\n"
                + "--==b1==\r\n"
                + "Content-Type: application/gzip;\r\n name=\"" + name + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment;\r\n filename=\"" + name + "\"\r\n"
                + "\r\n"
                + base64Lines(gzip(bytes(FULL)))
                + "--==b1==--\r\n"
                + "epilogue\r\n";
        AggregateReport r = PARSER.parse(bytes(mail));

        assertEquals("message/gzip", r.container());
        assertEquals(PARSER.parse(bytes(FULL)).rows(), r.rows());
        assertEquals(List.of(), r.problems());
    }

    @Test
    void singlePartEmailWithZipBody() throws IOException {
        String mail = "From: noreply-dmarc-support@google.example\n"
                + "Subject: Report domain: example.com Submitter: google.example Report-ID: 123\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: application/zip; \n\tname=\"google.example!example.com!1700000000!1700086400.zip\"\n"
                + "Content-Disposition: attachment; \n\tfilename=\"google.example!example.com!1700000000!1700086400.zip\"\n"
                + "Content-Transfer-Encoding: base64\n"
                + "\n"
                + base64Lines(zip("google.example!example.com!1700000000!1700086400.xml", bytes(MINIMAL)))
                        .replace("\r\n", "\n");
        AggregateReport r = PARSER.parse(new ByteArrayInputStream(bytes(mail)));

        assertEquals("message/zip", r.container());
        assertEquals("m-1", r.metadata().reportId());
    }

    @Test
    void forwardedEmailWithQuotedPrintableXml() throws IOException {
        String qp = MINIMAL.replace("=", "=3D").replace("\n", "\r\n");
        String inner = "From: dmarc@receiver.example\r\n"
                + "Subject: Report Domain: example.com\r\n"
                + "Content-Type: multipart/mixed; boundary=inner\r\n"
                + "\r\n"
                + "--inner\r\n"
                + "Content-Type: multipart/alternative; boundary=alt\r\n"
                + "\r\n"
                + "--alt\r\n"
                + "Content-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--alt\r\n"
                + "Content-Type: text/html\r\n\r\n<html><body>see attached</body></html>\r\n"
                + "--alt--\r\n"
                + "--inner\r\n"
                + "Content-Type: text/xml; charset=utf-8\r\n"
                + "Content-Disposition: attachment; filename*=utf-8''receiver%21example.com%211.xml\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n"
                + "\r\n"
                + qp
                + "--inner--\r\n";
        String outer = "From: postmaster@example.com\r\n"
                + "Subject: Fwd: Report Domain: example.com\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
                + "\r\n"
                + "--outer\r\n"
                + "Content-Type: text/plain\r\n\r\nFYI\r\n"
                + "--outer\r\n"
                + "Content-Type: message/rfc822\r\n\r\n"
                + inner
                + "--outer--\r\n";
        AggregateReport r = PARSER.parse(bytes(outer));

        assertEquals("message/xml", r.container());
        assertEquals("m-1", r.metadata().reportId());
        assertEquals(List.of(), r.problems());
    }

    @Test
    void emailWithTwoReportsReadsTheFirstAndSaysSo() throws IOException {
        String mail = "Content-Type: multipart/mixed; boundary=b\n\n"
                + "--b\nContent-Type: application/gzip\nContent-Transfer-Encoding: base64\n\n"
                + base64Lines(gzip(bytes(MINIMAL))).replace("\r\n", "\n")
                + "--b\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n"
                + base64Lines(zip("r.xml", bytes(FULL))).replace("\r\n", "\n")
                + "--b--\n";
        AggregateReport r = PARSER.parse(bytes(mail));

        assertEquals("m-1", r.metadata().reportId());
        assertEquals(List.of("the message holds 2 report attachments; only the first (application/gzip) was read"),
                r.problems());
    }

    @Test
    void emailWithoutReportIsNotAReport() {
        String mail = "From: a@example.org\nSubject: hello\nContent-Type: text/plain\n\nJust text.\n";
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(bytes(mail)));
        assertEquals(AggregateReportException.Kind.NOT_A_REPORT, e.kind());
        assertTrue(e.getMessage().startsWith("no DMARC report attachment"), e.getMessage());
    }

    // --- damaged input: problems, or a clear refusal ---------------------------------------------------------

    @Test
    void badValuesBecomeProblemsAndTheRestIsKept() throws IOException {
        String xml = MINIMAL.replace("<source_ip>198.51.100.7</source_ip>", "<source_ip>mail.example</source_ip>")
                .replace("<count>1</count>", "<count>many</count>")
                .replace("<disposition>reject</disposition>", "<disposition>discard</disposition>")
                .replace("<pct>100</pct>", "<pct>150</pct>")
                .replace("<fo>0</fo>", "<fo>0</fo><colour>blue</colour>");
        AggregateReport r = PARSER.parse(bytes(xml));

        assertEquals(List.of(
                "line 14: <pct> is not 0 to 100: \"150\"",
                "line 15: unknown element <colour> in <policy_published> ignored",
                "line 19: <source_ip> is not an IP address: \"mail.example\"",
                "line 20: <count> is not a message count: \"many\"; 0 used",
                "line 21: <disposition> has an unknown value: \"discard\"",
                "line 17: <record> without a valid <source_ip>"), r.problems());
        AggregateReport.Row row = r.rows().get(0);
        assertNull(row.sourceIp());
        assertEquals(0, row.count());
        assertEquals("discard", row.disposition());
        assertNull(r.policy().pct());
    }

    @Test
    void xmlThatBreaksOffKeepsTheRecordsBefore() throws IOException {
        String xml = FULL.substring(0, FULL.indexOf("<source_ip>2001"));
        AggregateReport r = PARSER.parse(bytes(xml));

        assertEquals(1, r.rows().size());
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().get(0).startsWith("XML breaks off at line "), r.problems().toString());
        assertTrue(r.problems().get(0).endsWith("1 record(s) read before it"), r.problems().toString());
    }

    @Test
    void truncatedGzipKeepsTheRecordsBefore() throws IOException {
        byte[] gz = gzip(bytes(FULL));
        AggregateReport r = PARSER.parse(Arrays.copyOf(gz, gz.length * 3 / 4));

        assertEquals("rx-2021-0001", r.metadata().reportId());
        assertTrue(r.problems().get(0).contains("gzip data is damaged"), r.problems().toString());
    }

    @Test
    void problemsAreBounded() throws IOException {
        StringBuilder xml = new StringBuilder("<feedback>");
        for (int i = 0; i < 10; i++) {
            xml.append("<unknown").append(i).append("/>");
        }
        xml.append("</feedback>");
        AggregateReport r = AggregateReportParser.builder().maxProblems(3).build().parse(bytes(xml.toString()));

        assertEquals(4, r.problems().size());
        assertEquals("13 more problem(s) dropped (maxProblems 3)", r.problems().get(3));
    }

    @Test
    void otherRootIsNotAReport() {
        AggregateReportException e = assertThrows(AggregateReportException.class,
                () -> PARSER.parse(bytes("<?xml version=\"1.0\"?>\n<html><body/></html>")));
        assertEquals(AggregateReportException.Kind.NOT_A_REPORT, e.kind());
        assertEquals("not a DMARC aggregate report: the root element is <html>, not <feedback>", e.getMessage());
    }

    @Test
    void unreadableInputs() {
        for (byte[] input : List.of(new byte[0], bytes("<feedback"), bytes("<<>>"), new byte[] {0x1f, (byte) 0x8b, 1},
                zipOf("notes.txt", bytes("no xml here")))) {
            AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(input));
            assertTrue(e.kind() == AggregateReportException.Kind.UNREADABLE
                    || e.kind() == AggregateReportException.Kind.NOT_A_REPORT, e.kind() + " " + e.getMessage());
            assertNull(e.limit());
        }
    }

    @Test
    void zipEntryNameThatIsNotUtf8IsUnreadable() {
        // regression (found by AggregateReportProperties): ZipInputStream threw IllegalArgumentException
        byte[] zip = zip("r.xml", bytes(MINIMAL));
        zip[30] = (byte) 0xff; // the first byte of the entry's name, flagged as UTF-8
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(zip));
        assertEquals(AggregateReportException.Kind.UNREADABLE, e.kind());
        assertTrue(e.getMessage().startsWith("zip data is damaged: "), e.getMessage());
    }

    @Test
    void aFailingInputStreamFailsWithItsOwnException() {
        IOException disk = new IOException("disk on fire");
        InputStream in = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n >= FULL.length() / 2) {
                    throw disk;
                }
                return FULL.charAt(n++);
            }
        };
        IOException e = assertThrows(IOException.class, () -> PARSER.parse(in));
        assertSame(disk, e);
    }

    @Test
    void mimeNestingBeyondTheLimitIsRefused() {
        String mail = "Content-Type: multipart/mixed; boundary=b0\n\n";
        for (int i = 1; i <= 12; i++) {
            mail += "--b" + (i - 1) + "\nContent-Type: multipart/mixed; boundary=b" + i + "\n\n";
        }
        String deep = mail;
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(bytes(deep)));
        assertLimit(e, "maxMimeDepth", null);
        assertTrue(e.getMessage().endsWith(" is nested 11 deep"), e.getMessage());
    }

    // --- hostile XML -----------------------------------------------------------------------------------------

    @Test
    void xxeIsRefusedBeforeAnyEntityIsRead(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + MINIMAL.substring(MINIMAL.indexOf("<feedback>"))
                        .replace("<org_name>Minimal Receiver</org_name>", "<org_name>&xxe;</org_name>");
        for (byte[] input : List.of(bytes(xxe), gzip(bytes(xxe)), zip("r.xml", bytes(xxe)))) {
            AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(input));
            assertEquals(AggregateReportException.Kind.REFUSED, e.kind());
            assertTrue(e.getMessage().startsWith("DOCTYPE refused at line 2, column "), e.getMessage());
            assertTrue(e.getMessage().endsWith(": DTDs are disabled (no external entities, no entity expansion)"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("TOP-SECRET"));
        }
    }

    @Test
    void externalDtdAndParameterEntitiesAreRefused(@TempDir Path dir) throws IOException {
        Path dtd = dir.resolve("evil.dtd");
        Files.writeString(dtd, "<!ENTITY % all \"<!ENTITY send SYSTEM 'file:///etc/hostname'>\"> %all;");
        for (String doc : List.of(
                "<?xml version=\"1.0\"?><!DOCTYPE feedback SYSTEM \"" + dtd.toUri() + "\"><feedback/>",
                "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY % p SYSTEM \"" + dtd.toUri() + "\"> %p;]>"
                        + "<feedback>&send;</feedback>")) {
            AggregateReportException e = assertThrows(AggregateReportException.class,
                    () -> PARSER.parse(bytes(doc)));
            assertEquals(AggregateReportException.Kind.REFUSED, e.kind());
            assertTrue(e.getMessage().startsWith("DOCTYPE refused at line 1"), e.getMessage());
        }
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            doc.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                doc.append(i == 1 ? "&lol;" : "&lol" + (i - 1) + ";");
            }
            doc.append("\">\n");
        }
        doc.append("]>\n<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>\n");
        for (byte[] input : List.of(bytes(doc.toString()), gzip(bytes(doc.toString())))) {
            AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(input));
            assertEquals(AggregateReportException.Kind.REFUSED, e.kind());
            assertTrue(e.getMessage().startsWith("DOCTYPE refused at line 13"), e.getMessage());
            assertTrue(e.getMessage().contains("DTDs are disabled"), e.getMessage());
        }
    }

    @Test
    void deepNestingIsRefusedAtTheDepthLimit() {
        String deep = "<feedback>" + "<x>".repeat(40) + "</x>".repeat(40) + "</feedback>";
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(bytes(deep)));
        assertLimit(e, "maxElementDepth", "report refused: maxElementDepth (32) exceeded: element <x> at line 1, "
                + "column 107 is at depth 33");
    }

    @Test
    void longTextIsRefusedAtTheTextLimit() {
        String xml = MINIMAL.replace("Minimal Receiver", "M".repeat(70_000));
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(bytes(xml)));
        assertLimit(e, "maxTextLength", null);
        assertTrue(e.getMessage().startsWith("report refused: maxTextLength (65536) exceeded: text of <org_name>"),
                e.getMessage());
    }

    /**
     * Regression: the JDK's StAX parser holds an attribute value, a comment, a processing instruction, a CDATA
     * section or a DOCTYPE whole before it reports it, so one of 10 MB ran a 64 MB heap out of memory (see
     * {@link AdversarialReportTest}); each is now bounded by {@code maxTextLength} as it streams in, in UTF-8 and in
     * UTF-16, while markup that only looks like an end ('>' in quotes, in a comment) is read as it should.
     */
    @Test
    void markupLongerThanTheTextLimitIsRefused() throws IOException {
        AggregateReportParser small = AggregateReportParser.builder().maxTextLength(100).build();
        String body = MINIMAL.substring(MINIMAL.indexOf("<feedback>"));
        String filler = "x>".repeat(60);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("a tag", body.replace("<org_name>", "<org_name a=\"" + filler + "\">"));
        cases.put("a comment", body.replace("<org_name>", "<!--" + filler + "--><org_name>"));
        cases.put("a processing instruction", body.replace("<org_name>", "<?pi " + filler + "?><org_name>"));
        cases.put("a CDATA section", body.replace("Minimal Receiver", "<![CDATA[" + filler + "]]>"));
        cases.put("a declaration", "<!DOCTYPE feedback [<!-- > --><!ENTITY e \"" + filler + "\">]>" + body);
        for (Map.Entry<String, String> c : cases.entrySet()) {
            for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                    StandardCharsets.UTF_16)) {
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"" + cs.name() + "\"?>" + c.getValue()).getBytes(cs);
                AggregateReportException e = assertThrows(AggregateReportException.class, () -> small.parse(xml),
                        c.getKey() + " " + cs);
                assertLimit(e, "maxTextLength", "report refused: maxTextLength (100) exceeded: " + c.getKey()
                        + " beginning on line " + (c.getKey().equals("a declaration") ? 1 : 4) + " is longer");
            }
        }
        String tricky = body.replace("<org_name>", "<!-- -> > ]]> ?> --><?pi > ?><org_name a=\"> '\" b='\">'>")
                .replace("Minimal Receiver", "<![CDATA[> -->]]>");
        for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16)) {
            AggregateReport r = small.parse(("<?xml version=\"1.0\" encoding=\"" + cs.name() + "\"?>" + tricky)
                    .getBytes(cs));
            assertEquals("> -->", r.metadata().orgName());
            assertEquals(1, r.rows().size());
        }
    }

    @Test
    void recordsBeyondTheLimitAreRefused() {
        AggregateReportParser two = AggregateReportParser.builder().maxRecords(1).build();
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> two.parse(bytes(FULL)));
        assertLimit(e, "maxRecords", null);
        assertTrue(e.getMessage().startsWith("report refused: maxRecords (1) exceeded: another <record> at line 58"),
                e.getMessage());
    }

    @Test
    void inputBeyondTheLimitIsRefused() {
        AggregateReportParser small = AggregateReportParser.builder().maxInputBytes(1024).build();
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> small.parse(bytes(FULL)));
        assertLimit(e, "maxInputBytes", "report refused: maxInputBytes (1024) exceeded: the input has "
                + bytes(FULL).length + " bytes");
        e = assertThrows(AggregateReportException.class, () -> small.parse(new ByteArrayInputStream(bytes(FULL))));
        assertLimit(e, "maxInputBytes", "report refused: maxInputBytes (1024) exceeded: the input goes on past "
                + "byte 1024");
    }

    @Test
    void xmlBeyondTheLimitIsRefused() {
        AggregateReportParser small = AggregateReportParser.builder().maxXmlBytes(1000).build();
        AggregateReportException e = assertThrows(AggregateReportException.class,
                () -> small.parse(gzip(bytes(FULL))));
        assertLimit(e, "maxXmlBytes", "report refused: maxXmlBytes (1000) exceeded: the XML goes on past byte 1000");
    }

    @Test
    void zipEntriesBeyondTheLimitAreRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < 3; i++) {
                z.putNextEntry(new ZipEntry("note" + i + ".txt"));
                z.write(bytes("note"));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("report.xml"));
            z.write(bytes(MINIMAL));
            z.closeEntry();
        }
        AggregateReportParser two = AggregateReportParser.builder().maxZipEntries(2).build();
        AggregateReportException e = assertThrows(AggregateReportException.class,
                () -> two.parse(out.toByteArray()));
        assertLimit(e, "maxZipEntries", "report refused: maxZipEntries (2) exceeded: zip entry 3 (note2.txt)");
        assertEquals("m-1", PARSER.parse(out.toByteArray()).metadata().reportId());
    }

    @Test
    void mimePartsBeyondTheLimitAreRefused() {
        StringBuilder mail = new StringBuilder("Content-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 5; i++) {
            mail.append("--b\nContent-Type: text/plain\n\npart ").append(i).append('\n');
        }
        mail.append("--b--\n");
        AggregateReportParser three = AggregateReportParser.builder().maxMimeParts(3).build();
        AggregateReportException e = assertThrows(AggregateReportException.class,
                () -> three.parse(bytes(mail.toString())));
        assertLimit(e, "maxMimeParts", null);
    }

    // --- compression bombs: 1 GiB that compresses to about 1 MiB, never written out whole ------------------

    /**
     * {@code <feedback>} and 1 GiB of short comments: well-formed XML as far as it goes, each piece of it small (one
     * long comment would be stopped at {@code maxTextLength} before any ratio is judged).
     */
    private static byte[] gzipBomb;
    private static byte[] zipBomb;

    private static synchronized byte[] gzipBomb() throws IOException {
        if (gzipBomb == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(2 << 20);
            try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
                writeBomb(gz);
            }
            gzipBomb = out.toByteArray();
        }
        return gzipBomb;
    }

    private static synchronized byte[] zipBomb() throws IOException {
        if (zipBomb == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(2 << 20);
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                z.putNextEntry(new ZipEntry("receiver.example!example.org!1!2.xml"));
                writeBomb(z);
                z.closeEntry();
            }
            zipBomb = out.toByteArray();
        }
        return zipBomb;
    }

    private static void writeBomb(OutputStream out) throws IOException {
        out.write(bytes("<?xml version=\"1.0\"?>\n<feedback>"));
        byte[] zeros = bytes(("<!--" + "0".repeat(4088) + "-->\n").repeat(16));
        for (int i = 0; i < (1 << 30) / zeros.length; i++) {
            out.write(zeros);
        }
    }

    @Test
    void gzipBombIsRefusedByTheCompressionRatio() throws IOException {
        byte[] bomb = gzipBomb();
        assertTrue(bomb.length < 2 << 20, "the bomb is small: " + bomb.length);
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(bomb));
        assertLimit(e, "maxCompressionRatio", null);
        assertTrue(e.getMessage().startsWith("report refused: maxCompressionRatio (200) exceeded: gzip data inflates "),
                e.getMessage());
    }

    @Test
    void zipBombIsRefusedByTheCompressionRatio() throws IOException {
        byte[] bomb = zipBomb();
        assertTrue(bomb.length < 2 << 20, "the bomb is small: " + bomb.length);
        AggregateReportException e = assertThrows(AggregateReportException.class,
                () -> PARSER.parse(new ByteArrayInputStream(bomb)));
        assertLimit(e, "maxCompressionRatio", null);
        assertTrue(e.getMessage().startsWith("report refused: maxCompressionRatio (200) exceeded: zip data inflates "),
                e.getMessage());
    }

    @Test
    void bombInAnEmailIsRefusedToo() throws IOException {
        String mail = "Subject: Report Domain: example.org\nContent-Type: application/gzip\n"
                + "Content-Transfer-Encoding: base64\n\n" + Base64.getMimeEncoder().encodeToString(gzipBomb());
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> PARSER.parse(bytes(mail)));
        assertLimit(e, "maxCompressionRatio", null);
    }

    @Test
    void bombPastALaxRatioIsRefusedByTheXmlLimit() throws IOException {
        AggregateReportParser lax = AggregateReportParser.builder().maxCompressionRatio(100_000)
                .maxXmlBytes(4 << 20).build();
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> lax.parse(zipBomb()));
        assertLimit(e, "maxXmlBytes", "report refused: maxXmlBytes (4194304) exceeded: the XML goes on past byte "
                + "4194304");
    }

    @Test
    void skippedEntriesCountTowardsTheDecompressionLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("padding.bin"));
            byte[] zeros = new byte[1 << 16];
            for (int i = 0; i < 1024; i++) { // 64 MiB
                z.write(zeros);
            }
            z.closeEntry();
            z.putNextEntry(new ZipEntry("report.xml"));
            z.write(bytes(MINIMAL));
            z.closeEntry();
        }
        AggregateReportParser lax = AggregateReportParser.builder().maxCompressionRatio(100_000)
                .maxDecompressedBytes(8 << 20).build();
        AggregateReportException e = assertThrows(AggregateReportException.class, () -> lax.parse(out.toByteArray()));
        assertLimit(e, "maxDecompressedBytes", null);
        assertTrue(e.getMessage().startsWith("report refused: maxDecompressedBytes (8388608) exceeded: zip data "
                + "inflates past byte 8388608"), e.getMessage());
    }

    // --- the builder -----------------------------------------------------------------------------------------

    @Test
    void builderRefusesValuesOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AggregateReportParser.builder().maxCompressionRatio(1));
        assertEquals("maxCompressionRatio must be 2 to 100000: 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxXmlBytes(0));
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxInputBytes(2L << 30));
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxRecords(0));
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxElementDepth(4));
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxTextLength(10));
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxZipEntries(0));
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxMimeParts(0));
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxMimeDepth(0));
        assertThrows(IllegalArgumentException.class, () -> AggregateReportParser.builder().maxProblems(0));
    }

    @Test
    void exceptionNamesItsLimitOnlyForLimits() {
        assertThrows(IllegalArgumentException.class, () -> new AggregateReportException(
                AggregateReportException.Kind.LIMIT_EXCEEDED, null, "no name"));
        assertThrows(IllegalArgumentException.class, () -> new AggregateReportException(
                AggregateReportException.Kind.REFUSED, "maxXmlBytes", "a name"));
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static void assertLimit(AggregateReportException e, String limit, String message) {
        assertEquals(AggregateReportException.Kind.LIMIT_EXCEEDED, e.kind(), e.getMessage());
        assertEquals(limit, e.limit());
        assertTrue(e.getMessage().contains(limit), e.getMessage());
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal); // a literal: never resolved
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] zip(String name, byte[] data) {
        return zipOf(name, data);
    }

    private static byte[] zipOf(String name, byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                z.putNextEntry(new ZipEntry(name));
                z.write(data);
                z.closeEntry();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Lines(byte[] data) {
        return Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data) + "\r\n";
    }
}
