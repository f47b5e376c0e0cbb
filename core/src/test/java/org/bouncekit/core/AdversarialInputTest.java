package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.bouncekit.testing.BoundedJvm;
import org.junit.jupiter.api.Test;

/**
 * Hostile messages, each generated in a child JVM with {@code -Xmx64m} (and 30 seconds) and read there with the
 * default {@link Limits} unless a case says otherwise: MIME nested 10,000 deep, 100,000 header fields, a 10 MB
 * header line, base64 garbage, invalid UTF-8 and NUL bytes, and lengths that lie. Each must end with the report
 * that is there plus a {@link Problem} naming the limit or the damage; never an {@link OutOfMemoryError}, a
 * {@link StackOverflowError}, a hang or another recipient or status than the message gives.
 */
class AdversarialInputTest {

    private static final String HEAP = "64m";
    private static final Duration TIME = Duration.ofSeconds(30);
    private static final String STATUS = "Reporting-MTA: dns; mx.sender.test\n\n"
            + "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n";

    /** Entry point of the child JVM: builds the case's input, parses it and prints {@link #describe}. */
    public static void main(String[] args) throws Exception {
        ReportParser parser = ReportParser.defaults();
        switch (args[0]) {
            case "deep-multipart" -> print(parser.parse(deepMultipart(10_000, false)));
            case "deep-report" -> print(parser.parse(deepMultipart(10_000, true)));
            case "deep-rfc822" -> print(parser.parse(deepRfc822(10_000)));
            case "many-fields" -> print(parser.parse(manyFields(100_000)));
            case "long-line" -> {
                byte[] m = longLine(10 << 20);
                print(parser.parse(m));
                print(ReportParser.builder().limits(Limits.relaxed()).build().parse(m));
            }
            case "base64-garbage" -> print(parser.parse(base64Garbage(7 << 20)));
            case "bad-bytes" -> {
                print(parser.parse(badBytes()));
                byte[] noise = new byte[4 << 20];
                new Random(7).nextBytes(noise);
                print(parser.parse(noise));
            }
            case "lying-lengths" -> {
                for (byte[] m : lyingLengths()) {
                    print(parser.parse(m));
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** One block per report: its type, one line per recipient, one line per problem, then "end". */
    private static void print(Report r) {
        StringBuilder sb = new StringBuilder(r.getClass().getSimpleName()).append('\n');
        if (r instanceof DeliveryReport d) {
            for (RecipientStatus s : d.recipients()) {
                sb.append("recipient ").append(s.recipient()).append(' ').append(s.action()).append(' ')
                        .append(s.status()).append('\n');
            }
        }
        if (r instanceof FeedbackReport f) {
            sb.append("incidents ").append(f.incidents()).append('\n');
        }
        for (Problem p : r.problems()) {
            String m = p.message();
            sb.append("problem ").append(p.kind()).append(' ').append(m.length() > 200 ? m.substring(0, 200) : m)
                    .append('\n');
        }
        System.out.print(sb.append("end\n"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String head(String more) {
        return "From: MAILER-DAEMON@mx.sender.test\nTo: bounces@sender.test\nSubject: Undelivered Mail\n"
                + more + "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;"
                + " boundary=\"B0UND\"\n\n";
    }

    /**
     * A DSN whose third part is a multipart nested {@code depth} deep, each level closed at the end; with
     * {@code reportInside}, the delivery-status part is at the bottom instead of in its place.
     */
    static byte[] deepMultipart(int depth, boolean reportInside) {
        StringBuilder sb = new StringBuilder(head(""));
        sb.append("--B0UND\nContent-Type: text/plain\n\nYour message could not be delivered.\n");
        if (!reportInside) {
            sb.append("--B0UND\nContent-Type: message/delivery-status\n\n").append(STATUS).append('\n');
        }
        sb.append("--B0UND\n");
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=\"n").append(i).append("\"\n\n--n").append(i)
                    .append('\n');
        }
        if (reportInside) {
            sb.append("Content-Type: message/delivery-status\n\n").append(STATUS).append('\n');
        } else {
            sb.append("Content-Type: text/plain\n\ndeepest\n");
        }
        for (int i = depth - 1; i >= 0; i--) {
            sb.append("--n").append(i).append("--\n");
        }
        return ascii(sb.append("--B0UND--\n").toString());
    }

    /** A DSN that returns a message/rfc822 enclosing a message/rfc822 ... {@code depth} deep. */
    static byte[] deepRfc822(int depth) {
        StringBuilder sb = new StringBuilder(head(""));
        sb.append("--B0UND\nContent-Type: message/delivery-status\n\n").append(STATUS).append('\n');
        sb.append("--B0UND\nContent-Type: message/rfc822\n\n");
        for (int i = 0; i < depth; i++) {
            sb.append("Subject: level ").append(i).append("\nContent-Type: message/rfc822\n\n");
        }
        return ascii(sb.append("Subject: bottom\n\nbody\n--B0UND--\n").toString());
    }

    /** A DSN whose header has {@code n} extra fields after its Content-Type. */
    static byte[] manyFields(int n) {
        StringBuilder sb = new StringBuilder("From: MAILER-DAEMON@mx.sender.test\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B0UND\"\n");
        for (int i = 0; i < n; i++) {
            sb.append("X-Field-").append(i).append(": value ").append(i).append('\n');
        }
        sb.append("\n--B0UND\nContent-Type: message/delivery-status\n\n").append(STATUS);
        return ascii(sb.append("\n--B0UND--\n").toString());
    }

    /** A DSN with one header line of {@code bytes} bytes, and a Diagnostic-Code of as many. */
    static byte[] longLine(int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 * bytes + 1024);
        out.writeBytes(ascii("From: MAILER-DAEMON@mx.sender.test\nX-Long: "));
        byte[] filler = new byte[bytes];
        Arrays.fill(filler, (byte) 'x');
        out.writeBytes(filler);
        out.writeBytes(ascii("\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;"
                + " boundary=\"B0UND\"\n\n--B0UND\nContent-Type: message/delivery-status\n\n" + STATUS
                + "Diagnostic-Code: smtp; 550 "));
        out.writeBytes(filler);
        out.writeBytes(ascii("\n\n--B0UND--\n"));
        return out.toByteArray();
    }

    /**
     * A DSN whose explanation is base64 that is not base64, whose report part is base64 with junk between its
     * quanta, and whose returned message is {@code bytes} of base64 mixed with junk (more than
     * {@link Limits#maxDecodedBytes()} once decoded).
     */
    static byte[] base64Garbage(int bytes) {
        StringBuilder sb = new StringBuilder(head(""));
        sb.append("--B0UND\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n");
        sb.append("!!!!====@@@@~~~~\u00ff\u00fe====QUJD=RE=VG\n$$$$\n");
        sb.append("--B0UND\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n");
        String encoded = Base64.getEncoder().encodeToString(ascii(STATUS));
        for (int i = 0; i < encoded.length(); i += 8) {
            sb.append(encoded, i, Math.min(i + 8, encoded.length())).append("!*\u00e9\u0000%");
        }
        sb.append("\n--B0UND\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n");
        Random random = new Random(1);
        String junk = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/!*%\u00e9\u0000 \t-_?~";
        StringBuilder line = new StringBuilder();
        while (sb.length() < bytes) {
            line.setLength(0);
            for (int j = 0; j < 76; j++) {
                line.append(junk.charAt(random.nextInt(junk.length())));
            }
            sb.append(line).append('\n');
        }
        return ascii(sb.append("--B0UND--\n").toString());
    }

    /** A DSN with invalid UTF-8 and NUL bytes in its header, its report fields and its bodies. */
    static byte[] badBytes() {
        String bad = "\u00c3\u0028\u00ff\u00fe\u0000\u00e2\u0082\u0000\u00f0\u0090\u0080";
        String s = "From: MAILER-DAEMON@mx.sender.test\nSubject: =?utf-8?B?w6g=?= " + bad + "\nX-" + bad + ": "
                + bad + "\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;"
                + " boundary=\"B0UND\"; charset=\"utf-8" + bad + "\"\n\n--B0UND\nContent-Type: text/plain;"
                + " charset=utf-8\n\n" + bad + " could not be delivered " + bad + "\n--B0UND\n"
                + "Content-Type: message/delivery-status; charset=" + bad + "\n\nReporting-MTA: dns; mx" + bad
                + "\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp;"
                + " 550 " + bad + "\nX-Junk: " + bad + "\n\n--B0UND\nContent-Type: message/rfc822\n\nSubject: "
                + bad + "\nMessage-ID: <" + bad + "@x>\n\n" + bad.repeat(10_000) + "\n--B0UND--\n";
        return ascii(s);
    }

    /** Messages that declare more than they hold. */
    static List<byte[]> lyingLengths() {
        String cl = "Content-Length: 99999999999999999999\n";
        return List.of(
                // 0: Content-Length fields that claim 10^20 bytes, on the message, a part and the returned message
                ascii(head(cl) + "--B0UND\nContent-Type: message/delivery-status\n" + cl + "\n" + STATUS
                        + "\n--B0UND\nContent-Type: message/rfc822\n" + cl + "\nSubject: x\n" + cl + "\nshort\n"
                        + "--B0UND--\n"),
                // 1: cut in the middle of the second recipient, the multipart never closed
                ascii(head("") + "--B0UND\nContent-Type: message/delivery-status\n\n" + STATUS
                        + "\nFinal-Recipient: rfc822; b@exa"),
                // 2: a boundary that never appears at all
                ascii(head("").replace("B0UND", "NEVER") + "--OTHER\n\n" + STATUS + "\n"),
                // 3: a base64 report part cut inside a quantum
                ascii(head("") + "--B0UND\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64"
                        + "\n\n" + Base64.getEncoder().encodeToString(ascii(STATUS)).substring(0, 61)
                        + "\n--B0UND--\n"),
                // 4: a report field folded on and on to the end of the input
                ascii(head("") + "--B0UND\nContent-Type: message/delivery-status\n\n" + STATUS
                        + "Diagnostic-Code: smtp; 550\n" + " more\n".repeat(200_000)),
                // 5: a feedback report that claims 10^20 incidents
                ascii("From: abuse@isp.test\nMIME-Version: 1.0\nContent-Type: multipart/report;"
                        + " report-type=feedback-report; boundary=\"B0UND\"\n\n--B0UND\nContent-Type:"
                        + " message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: x/1\nVersion: 1\n"
                        + "Incidents: 99999999999999999999\n\n--B0UND--\n"));
    }

    private static List<String> child(String name) throws Exception {
        return List.of(BoundedJvm.run(AdversarialInputTest.class, HEAP, TIME, name).split("\n"));
    }

    /** The lines of the n-th printed report. */
    private static List<String> block(List<String> lines, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            start = lines.subList(start, lines.size()).indexOf("end") + start + 1;
        }
        int end = lines.subList(start, lines.size()).indexOf("end") + start;
        return lines.subList(start, end);
    }

    private static void assertProblem(List<String> block, String kind, String text) {
        assertTrue(block.stream().anyMatch(l -> l.startsWith("problem " + kind) && l.contains(text)),
                () -> "no " + kind + " problem naming " + text + " in\n" + String.join("\n", block));
    }

    private static List<String> recipients(List<String> block) {
        return block.stream().filter(l -> l.startsWith("recipient ")).collect(Collectors.toList());
    }

    /** Under {@code -Xmx64m}: 10,000 nested multiparts are read to depth 32; the report beside them is whole. */
    @Test
    void multipartNestedTenThousandDeepStopsAtMaxMimeDepth() throws Exception {
        List<String> b = block(child("deep-multipart"), 0);
        assertEquals("DeliveryReport", b.get(0));
        assertEquals(List.of("recipient a@example.com FAILED 5.1.1"), recipients(b));
        assertProblem(b, "LIMIT_EXCEEDED", "limit maxMimeDepth");
    }

    /** Under {@code -Xmx64m}: a report 10,000 levels down is not reached, and no recipient is made up. */
    @Test
    void reportBelowTheDepthLimitIsNotReadAndTheLimitIsNamed() throws Exception {
        List<String> b = block(child("deep-report"), 0);
        assertEquals(List.of(), recipients(b));
        assertProblem(b, "LIMIT_EXCEEDED", "limit maxMimeDepth");
    }

    /** Under {@code -Xmx64m}: returned messages nested 10,000 deep: only the first header is read. */
    @Test
    void returnedMessagesNestedTenThousandDeepAreNotDescended() throws Exception {
        List<String> b = block(child("deep-rfc822"), 0);
        assertEquals(List.of("recipient a@example.com FAILED 5.1.1"), recipients(b));
    }

    /** Under {@code -Xmx64m}: 100,000 header fields; 1,000 are kept and the report is read. */
    @Test
    void hundredThousandHeaderFieldsStopAtMaxHeaderCount() throws Exception {
        List<String> b = block(child("many-fields"), 0);
        assertEquals(List.of("recipient a@example.com FAILED 5.1.1"), recipients(b));
        assertProblem(b, "LIMIT_EXCEEDED", "limit maxHeaderCount");
    }

    /** Under {@code -Xmx64m}: a 10 MB header line and a 10 MB report field, with the default and relaxed limits. */
    @Test
    void tenMegabyteHeaderLineIsCutAtMaxHeaderBytes() throws Exception {
        List<String> lines = child("long-line");
        List<String> defaults = block(lines, 0);
        // 20 MB of input: the defaults read 8 MiB of it, which ends inside the Diagnostic-Code
        assertProblem(defaults, "LIMIT_EXCEEDED", "limit maxInputBytes");
        assertProblem(defaults, "LIMIT_EXCEEDED", "limit maxHeaderBytes");
        assertTrue(recipients(defaults).stream().allMatch(r -> r.equals("recipient a@example.com FAILED 5.1.1")),
                () -> String.join("\n", defaults));
        List<String> relaxed = block(lines, 1);
        assertEquals(List.of("recipient a@example.com FAILED 5.1.1"), recipients(relaxed));
        assertProblem(relaxed, "LIMIT_EXCEEDED", "field X-Long longer than 1048576 bytes; cut (limit maxHeaderBytes)");
        assertProblem(relaxed, "LIMIT_EXCEEDED", "field Diagnostic-Code longer than 1048576 bytes");
    }

    /** Under {@code -Xmx64m}: 7 MB of base64 mixed with junk, and junk in the report part's base64. */
    @Test
    void base64GarbageIsAProblemNotAFailure() throws Exception {
        List<String> b = block(child("base64-garbage"), 0);
        assertEquals(List.of("recipient a@example.com FAILED 5.1.1"), recipients(b));
        assertProblem(b, "BAD_ENCODING", "report part has a damaged base64 encoding");
        assertProblem(b, "LIMIT_EXCEEDED", "enclosed message cut at 4194304 decoded bytes (limit maxDecodedBytes)");
    }

    /** Under {@code -Xmx64m}: invalid UTF-8 and NUL bytes everywhere, and 4 MB of random bytes. */
    @Test
    void invalidUtf8AndNulBytesLeaveTheReportIntact() throws Exception {
        List<String> lines = child("bad-bytes");
        assertEquals(List.of("recipient a@example.com FAILED 5.1.1"), recipients(block(lines, 0)));
        List<String> noise = block(lines, 1);
        assertEquals(List.of(), recipients(noise));
    }

    /**
     * Under {@code -Xmx64m}: Content-Length fields claiming 10^20 bytes, a report cut mid-recipient, a boundary that
     * never appears, base64 cut inside a quantum, a field folded 200,000 times (this found the cut that went
     * unreported, see {@link LimitsTest}), and an ARF claiming 10^20 incidents.
     */
    @Test
    void lengthsThatLieGiveWhatIsThere() throws Exception {
        List<String> lines = child("lying-lengths");
        assertEquals(List.of("recipient a@example.com FAILED 5.1.1"), recipients(block(lines, 0)));
        List<String> cut = block(lines, 1);
        assertEquals("recipient a@example.com FAILED 5.1.1", recipients(cut).get(0));
        // what is left of the second recipient is reported as such: no action, no status invented
        assertEquals(List.of("recipient b@exa null null"), recipients(cut).subList(1, recipients(cut).size()));
        assertProblem(cut, "MALFORMED_MIME", "is not closed");
        assertProblem(block(lines, 2), "MALFORMED_MIME", "never appears");
        List<String> base64Cut = block(lines, 3);
        assertEquals(List.of(), recipients(base64Cut));
        assertProblem(base64Cut, "INCOMPLETE_REPORT", "delivery status without recipient fields");
        List<String> folded = block(lines, 4);
        assertEquals(List.of("recipient a@example.com FAILED 5.1.1"), recipients(folded));
        assertProblem(folded, "LIMIT_EXCEEDED", "field Diagnostic-Code longer than 65536 bytes");
        List<String> arf = block(lines, 5);
        assertEquals("FeedbackReport", arf.get(0));
        assertEquals("incidents null", arf.get(1));
        assertProblem(arf, "MALFORMED_FIELD", "Incidents is not a number");
    }
}
