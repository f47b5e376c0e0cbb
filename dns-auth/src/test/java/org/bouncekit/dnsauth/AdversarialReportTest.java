package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bouncekit.testing.BoundedJvm;
import org.junit.jupiter.api.Test;

/**
 * Hostile DMARC aggregate reports, each built and parsed by {@link AggregateReportParser#defaults()} in a child JVM
 * with a small heap and 60 seconds: compression bombs that inflate to four times the heap, in a report and in a
 * report email; XXE, billion laughs and other XML tricks; as many records as {@code maxXmlBytes} holds; and an
 * email as large as {@code maxInputBytes}. Each must end with a report or an {@link AggregateReportException}
 * naming the limit or the refusal; never an {@link OutOfMemoryError}, a {@link StackOverflowError} or a hang.
 * {@link AggregateReportParserTest} checks the same limits' messages in process.
 */
class AdversarialReportTest {

    private static final Duration TIME = Duration.ofSeconds(60);
    /** What a bomb inflates to: 256 MiB, four times the child's heap. */
    private static final long BOMB = 256L << 20;

    /** Entry point of the child JVM: runs one case, printing one line per input. */
    public static void main(String[] args) throws Exception {
        Map<String, Input> inputs = switch (args[0]) {
            case "bombs" -> bombs();
            case "hostile-xml" -> hostileXml();
            case "many-records" -> manyRecords();
            case "large-email" -> largeEmail();
            default -> throw new IllegalArgumentException(args[0]);
        };
        Map<String, BoundedJvm.Case> cases = new LinkedHashMap<>();
        inputs.forEach((name, input) -> cases.put(name, () -> {
            try {
                AggregateReport r = input.parse();
                return "rows " + r.rows().size() + " problems " + r.problems().size();
            } catch (AggregateReportException x) {
                return x.kind() + " " + x.limit() + " " + x.getMessage();
            }
        }));
        BoundedJvm.printCases(cases);
    }

    /** An input and how it is given to the parser. */
    @FunctionalInterface
    private interface Input {
        AggregateReport parse() throws IOException;
    }

    /** Bytes made on demand. */
    @FunctionalInterface
    private interface Bytes {
        byte[] get() throws IOException;
    }

    /** An input built only when it is parsed, so that one case's inputs are never all in memory at once. */
    private static Input bytes(Bytes b) {
        return () -> AggregateReportParser.defaults().parse(b.get());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code <feedback>} and {@link #BOMB} bytes of short comments (well-formed as far as it goes), written to a
     * compressing stream; with {@code oneComment}, one comment of that length instead.
     */
    private static void bomb(OutputStream out, boolean oneComment) throws IOException {
        out.write(ascii("<?xml version=\"1.0\"?>\n<feedback>" + (oneComment ? "<!--" : "")));
        byte[] chunk = ascii(("<!--" + "0".repeat(4088) + "-->\n").repeat(16));
        if (oneComment) {
            Arrays.fill(chunk, (byte) '0');
        }
        for (long n = 0; n < BOMB; n += chunk.length) {
            out.write(chunk);
        }
    }

    private static byte[] gzipBomb(boolean oneComment) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz, 1 << 16)) {
            bomb(out, oneComment);
        }
        return gz.toByteArray();
    }

    private static Map<String, Input> bombs() throws IOException {
        byte[] gz = gzipBomb(false);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("receiver.example!example.org!1!2.xml"));
            bomb(out, false);
            out.closeEntry();
        }
        String mail = "From: dmarc@receiver.example\nSubject: Report Domain: example.org\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nA report.\n"
                + "--b\nContent-Type: application/%s; name=report.%s\nContent-Transfer-Encoding: base64\n\n%s\n--b--\n";
        Map<String, Input> in = new LinkedHashMap<>();
        in.put("gzip", bytes(() -> gz));
        in.put("zip", bytes(() -> zip.toByteArray()));
        in.put("zip-stream", () -> AggregateReportParser.defaults().parse(
                new ByteArrayInputStream(zip.toByteArray())));
        in.put("gzip-in-email", bytes(() -> ascii(String.format(mail, "gzip", "xml.gz",
                Base64.getMimeEncoder().encodeToString(gz)))));
        in.put("zip-in-email", bytes(() -> ascii(String.format(mail, "zip", "zip",
                Base64.getMimeEncoder().encodeToString(zip.toByteArray())))));
        in.put("one-comment-gzip", bytes(() -> gzipBomb(true)));
        in.put("sizes", () -> {
            System.out.println("compressed " + gz.length + " " + zip.size());
            return AggregateReportParser.defaults().parse(ascii(AggregateReportParserTest.MINIMAL));
        });
        return in;
    }

    private static Map<String, Input> hostileXml() throws IOException {
        Path secret = Files.createTempFile("secret", ".txt");
        Files.writeString(secret, "TOP-SECRET");
        secret.toFile().deleteOnExit();
        String minimal = AggregateReportParserTest.MINIMAL;
        String body = minimal.substring(minimal.indexOf("<feedback>"));
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [\n"
                + "<!ENTITY l0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            laughs.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10))
                    .append("\">\n");
        }
        laughs.append("]>\n").append(body.replace("Minimal Receiver", "&l9;"));
        String quadratic = "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [<!ENTITY a \"" + "a".repeat(100_000)
                + "\">]>\n" + body.replace("Minimal Receiver", "&a;".repeat(10_000));
        Map<String, Input> in = new LinkedHashMap<>();
        in.put("xxe", bytes(() -> ascii("<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [<!ENTITY x SYSTEM \""
                + secret.toUri() + "\">]>\n" + body.replace("Minimal Receiver", "&x;"))));
        in.put("external-dtd", bytes(() -> ascii("<?xml version=\"1.0\"?><!DOCTYPE feedback SYSTEM \"" + secret.toUri()
                + "\">" + body)));
        in.put("billion-laughs", bytes(() -> ascii(laughs.toString())));
        in.put("billion-laughs-gzip", bytes(() -> AggregateReportParserTest.gzip(ascii(laughs.toString()))));
        in.put("quadratic-blowup", bytes(() -> ascii(quadratic)));
        in.put("deep-elements", bytes(() -> ascii("<feedback>" + "<x>".repeat(100_000) + "</x>".repeat(100_000)
                + "</feedback>")));
        in.put("long-text", bytes(() -> ascii(body.replace("Minimal Receiver", "M".repeat(10 << 20)))));
        in.put("long-attribute", bytes(() -> ascii(body.replace("<org_name>", "<org_name a=\"" + "v".repeat(10 << 20)
                + "\">"))));
        in.put("long-name", bytes(() -> ascii(body.replace("<org_name>Minimal Receiver</org_name>",
                "<" + "n".repeat(1 << 20) + "/>"))));
        in.put("long-comment", bytes(() -> ascii(body.replace("<org_name>",
                "<!--" + "c".repeat(10 << 20) + "--><org_name>"))));
        in.put("long-comment-gt", bytes(() -> ascii(body.replace("<org_name>",
                "<!--" + "c>".repeat(5 << 20) + "--><org_name>"))));
        in.put("long-pi", bytes(() -> ascii(body.replace("<org_name>",
                "<?pi " + "p".repeat(10 << 20) + "?><org_name>"))));
        in.put("long-cdata", bytes(() -> ascii(body.replace("Minimal Receiver",
                "<![CDATA[" + "d".repeat(10 << 20) + "]]>"))));
        in.put("long-whitespace", bytes(() -> ascii(body.replace("<org_name>",
                " ".repeat(10 << 20) + "<org_name>"))));
        in.put("long-prolog-space", bytes(() -> ascii(" ".repeat(10 << 20) + body)));
        StringBuilder attributes = new StringBuilder("<org_name");
        for (int i = 0; i < 100_000; i++) {
            attributes.append(" a").append(i).append("=\"v\"");
        }
        in.put("many-attributes", bytes(() -> ascii(body.replace("<org_name>", attributes + ">"))));
        return in;
    }

    /** Gzip XML of short records, up to {@code xmlBytes} of it. */
    private static byte[] records(long xmlBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            String head = AggregateReportParserTest.MINIMAL.substring(0,
                    AggregateReportParserTest.MINIMAL.indexOf("<record>"));
            gz.write(ascii(head));
            long n = head.length();
            for (int i = 0; n < xmlBytes - 200; i++) {
                byte[] r = ascii("<record><row><source_ip>10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "."
                        + (i & 255) + "</source_ip><count>1</count></row></record>\n");
                gz.write(r);
                n += r.length;
            }
            gz.write(ascii("</feedback>\n"));
        }
        return out.toByteArray();
    }

    private static Map<String, Input> manyRecords() throws IOException {
        Map<String, Input> in = new LinkedHashMap<>();
        in.put("under-maxXmlBytes", bytes(() -> records(16L << 20)));
        in.put("over-maxXmlBytes", bytes(() -> records((16L << 20) + 1000)));
        return in;
    }

    /**
     * An email of nearly {@code maxInputBytes} (32 MiB) holding one base64 attachment that is not a report, built
     * in place (no copies); and a 1 GiB email from a stream that makes it up as it is read.
     */
    private static Map<String, Input> largeEmail() {
        byte[] head = ascii("From: dmarc@receiver.example\nSubject: Report Domain: example.org\n"
                + "Content-Type: application/gzip\nContent-Transfer-Encoding: base64\n\n");
        int lines = ((32 << 20) - head.length) / 77;
        Random random = new Random(3);
        Map<String, Input> in = new LinkedHashMap<>();
        in.put("at-maxInputBytes", () -> {
            byte[] mail = new byte[head.length + lines * 77];
            System.arraycopy(head, 0, mail, 0, head.length);
            byte[] chunk = new byte[57];
            for (int i = 0, p = head.length; i < lines; i++, p += 77) {
                random.nextBytes(chunk);
                if (i == 0) {
                    System.arraycopy(new byte[] {0x1f, (byte) 0x8b, 8, 0}, 0, chunk, 0, 4); // a gzip header
                }
                System.arraycopy(Base64.getEncoder().encode(chunk), 0, mail, p, 76);
                mail[p + 76] = '\n';
            }
            return AggregateReportParser.defaults().parse(mail);
        });
        in.put("gigabyte-stream", () -> AggregateReportParser.defaults().parse(new InputStream() {
            long left = 1L << 30;
            int at;

            @Override
            public int read() {
                if (left-- <= 0) {
                    return -1;
                }
                return at < head.length ? head[at++] & 0xff : left % 77 == 0 ? '\n' : 'A';
            }
        }));
        return in;
    }

    private static Map<String, String> child(String name, String heap) throws Exception {
        return BoundedJvm.cases(AdversarialReportTest.class, heap, TIME, name);
    }

    private static void assertLimit(String outcome, String limit) {
        assertTrue(outcome.startsWith("LIMIT_EXCEEDED " + limit + " report refused: " + limit + " ("), outcome);
    }

    /** Under {@code -Xmx64m}: 256 MiB bombs, as gzip, zip and attachments of an email, stop at the ratio limit. */
    @Test
    void compressionBombsStopAtTheRatioLimit() throws Exception {
        Map<String, String> out = child("bombs", "64m");
        for (String bomb : List.of("gzip", "zip", "zip-stream", "gzip-in-email", "zip-in-email")) {
            assertLimit(out.get(bomb), "maxCompressionRatio");
        }
        assertTrue(out.get("gzip").contains("gzip data inflates"), out.get("gzip"));
        assertTrue(out.get("zip-in-email").contains("zip data inflates"), out.get("zip-in-email"));
        assertEquals("LIMIT_EXCEEDED maxTextLength report refused: maxTextLength (65536) exceeded: a comment "
                + "beginning on line 2 is longer", out.get("one-comment-gzip"));
        assertEquals("rows 1 problems 0", out.get("sizes"));
    }

    /**
     * Under {@code -Xmx64m}: DTDs are refused before any entity is read; a DOCTYPE, tag, comment, processing
     * instruction or CDATA section of 10 MB stops at {@code maxTextLength} before the XML parser holds it whole (it
     * ran out of memory on each before that limit covered markup); the JDK's own limits stop the rest.
     */
    @Test
    void hostileXmlIsRefusedOrStoppedAtItsLimit() throws Exception {
        Map<String, String> out = child("hostile-xml", "64m");
        for (String doctype : List.of("xxe", "external-dtd", "billion-laughs", "billion-laughs-gzip")) {
            String o = out.get(doctype);
            assertTrue(o.startsWith("REFUSED null DOCTYPE refused at line "), doctype + ": " + o);
            assertTrue(o.endsWith(": DTDs are disabled (no external entities, no entity expansion)"), o);
            assertFalse(o.contains("TOP-SECRET"), o);
        }
        Map<String, String> markup = Map.of("quadratic-blowup", "a declaration beginning on line 2",
                "long-attribute", "a tag beginning on line 4", "many-attributes", "a tag beginning on line 4",
                "long-comment", "a comment beginning on line 4", "long-comment-gt", "a comment beginning on line 4",
                "long-pi", "a processing instruction beginning on line 4",
                "long-cdata", "a CDATA section beginning on line 4");
        markup.forEach((name, what) -> assertEquals("LIMIT_EXCEEDED maxTextLength report refused: maxTextLength "
                + "(65536) exceeded: " + what + " is longer", out.get(name), name));
        assertTrue(out.get("deep-elements").startsWith("LIMIT_EXCEEDED maxElementDepth report refused: "
                + "maxElementDepth (32) exceeded: element <x> at line 1, column "), out.get("deep-elements"));
        assertTrue(out.get("long-text").startsWith("LIMIT_EXCEEDED maxTextLength report refused: maxTextLength "
                + "(65536) exceeded: text of <org_name> at line 4, column "), out.get("long-text"));
        assertTrue(out.get("long-whitespace").startsWith("LIMIT_EXCEEDED maxTextLength "), out.get("long-whitespace"));
        // a name past the JDK's limit (1,000 characters) breaks the XML off: a report with no records
        assertTrue(out.get("long-name").startsWith("rows 0 problems "), out.get("long-name"));
        // 10 MB of white space before the root: not XML by its first bytes, so read as an email without a report
        assertTrue(out.get("long-prolog-space").startsWith("NOT_A_REPORT "), out.get("long-prolog-space"));
    }

    /** Under {@code -Xmx64m}: a 16 MiB report of short records is read whole; one more kilobyte is refused. */
    @Test
    void asManyRecordsAsMaxXmlBytesHoldsAreReadInSixtyFourMegabytes() throws Exception {
        Map<String, String> out = child("many-records", "64m");
        String under = out.get("under-maxXmlBytes");
        assertTrue(under.startsWith("rows "), under);
        assertTrue(Integer.parseInt(under.split(" ")[1]) > 200_000, under);
        assertLimit(out.get("over-maxXmlBytes"), "maxXmlBytes");
    }

    /**
     * Under {@code -Xmx96m}: an email is held whole with its decoded attachment, so one of {@code maxInputBytes}
     * (32 MiB) needs about three times that; a longer one is refused at the limit.
     */
    @Test
    void emailsAreHeldOnlyUpToMaxInputBytes() throws Exception {
        Map<String, String> out = child("large-email", "96m");
        assertTrue(out.get("at-maxInputBytes").startsWith("UNREADABLE null "), out.get("at-maxInputBytes"));
        assertEquals("LIMIT_EXCEEDED maxInputBytes report refused: maxInputBytes (33554432) exceeded: the input "
                + "goes on past byte 33554432", out.get("gigabyte-stream"));
    }
}
