package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncekit.testing.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes core's parsers with {@link Fuzz} ({@value Fuzz#DEFAULT_INPUTS} inputs each in CI, more with
 * {@code -Dbouncekit.fuzz.inputs}): {@link ReportParser} on mutated real bounces and {@link SmtpReply#parse} on
 * mutated reply lines. Both are documented never to throw on bad input. Every failure kept under
 * {@code src/test/resources/fuzz/PARSER/} is replayed by {@link #regressionFileStillPasses}.
 */
class ParserFuzzTest {

    /** A parser with small limits, so that inputs of fuzz size reach every limit. */
    private static final ReportParser TIGHT = ReportParser.builder().limits(Limits.builder().maxInputBytes(64 << 10)
            .maxHeaderCount(40).maxHeaderBytes(2048).maxMimeDepth(4).maxParts(12).maxRecipients(8).maxProblems(4)
            .maxDecodedBytes(8 << 10).build()).build();

    private static final byte[] PAD = "\n--B\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n"
            .getBytes(StandardCharsets.US_ASCII);

    /**
     * The message reader: a result for any bytes, with at most {@code maxProblems + 1} problems whose offsets lie in
     * the input and at most {@code maxRecipients} recipients; the same result, problems aside, for the message read
     * in place from a larger array ({@code parse(buf, off, len)}), whatever lies around it; totality under small
     * limits. Allocation: 32 MB plus 1 KB per input byte, for the three parses: real bounces take at most 24 bytes
     * per byte for one, but a text of a thousand recipients on consecutive lines reads each one's paragraph (up to
     * 16 lines) and takes about 300; the quadratic cases the fuzzer found took 8 KB per byte and more, growing with
     * the input.
     */
    static final Fuzz.Target REPORT_PARSER = new Fuzz.Target("core.ReportParser", input -> {
        Report r = ReportParser.defaults().parse(input);
        assertNotNull(r);
        if (!(r instanceof NotAReport)) {
            Fuzz.accepted(); // read as a report
        }
        assertTrue(r.problems().size() <= Limits.defaults().maxProblems() + 1, "problems: " + r.problems().size());
        for (Problem p : r.problems()) {
            assertTrue(p.offset() >= -1 && p.offset() <= input.length, () -> "offset outside the input: " + p);
        }
        if (r instanceof DeliveryReport d) {
            assertTrue(d.recipients().size() <= Limits.defaults().maxRecipients());
        }
        byte[] buf = new byte[input.length + 2 * PAD.length];
        System.arraycopy(PAD, 0, buf, 0, PAD.length);
        System.arraycopy(input, 0, buf, PAD.length, input.length);
        System.arraycopy(PAD, 0, buf, PAD.length + input.length, PAD.length);
        assertEquals(withoutProblems(r), withoutProblems(ReportParser.defaults().parse(buf, PAD.length,
                input.length)), "parse(buf, off, len) differs from parse(bytes)");
        Report t = TIGHT.parse(input);
        assertTrue(t.problems().size() <= 5);
    }, new Fuzz.Bound(32 << 20, 1024));

    /**
     * The report's components other than its problems (whose offsets count from the array's start), compared with
     * the records' own {@code equals}: deep, and without copying the strings that recipients share.
     */
    static List<Object> withoutProblems(Report r) {
        List<Object> out = new ArrayList<>();
        out.add(r.getClass());
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (!c.getName().equals("problems")) {
                try {
                    out.add(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /**
     * SMTP replies: never throws; a reply has a code of 0 or 200–599, a status when it has no code, at least one
     * line, and text without line ends. Allocation: 4 MB plus 64 bytes per input byte.
     */
    static final Fuzz.Target SMTP_REPLY = new Fuzz.Target("core.SmtpReply", input -> {
        String text = Fuzz.text(input);
        Optional<SmtpReply> parsed = SmtpReply.parse(text);
        if (parsed.isPresent()) {
            Fuzz.accepted();
            SmtpReply r = parsed.get();
            assertTrue(r.code() == 0 || r.code() >= 200 && r.code() <= 599);
            assertFalse(r.lines().isEmpty());
            assertTrue(r.code() != 0 || r.status() != null, "a reply without code has a status");
            assertTrue(r.text().indexOf('\n') < 0 && r.text().indexOf('\r') < 0, r.text());
        }
        SmtpReply.parse(new StringBuilder(text)); // any CharSequence
    }, new Fuzz.Bound(4 << 20, 64));

    static final Map<String, Fuzz.Target> TARGETS = Map.of(REPORT_PARSER.folder(), REPORT_PARSER,
            SMTP_REPLY.folder(), SMTP_REPLY);

    /** Every file of the shared bounce corpus, and generated DSNs. */
    static List<byte[]> messages() {
        List<byte[]> out = new ArrayList<>();
        for (Path p : TestData.files(TestData.setOfEmails())) {
            if (!p.getFileName().toString().equals("LICENSE")) {
                out.add(read(p));
            }
        }
        out.add(Messages.dsn("Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; a@example.com\n"
                + "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550-5.1.1 no\n 550 5.1.1 such user\n",
                "Subject: s").getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static final Pattern REPLY_LINE = Pattern.compile("(?m)^[ \\t>]*(?:Diagnostic-Code:\\s*\\w+;\\s*)?"
            + "([245]\\d\\d[ -].*(?:\\r?\\n[ \\t]+.*|\\r?\\n[245]\\d\\d-.*|\\r?\\n[245]\\d\\d .*){0,4})");

    /** Reply lines and Diagnostic-Code values found in the corpus, distinct, with hand-written hard cases. */
    static List<byte[]> replies(List<byte[]> messages) {
        Set<String> out = new LinkedHashSet<>(List.of("550-5.1.1 The email account does not exist.\r\n550 5.1.1 Try "
                + "again.", "5.7.1 blocked", "421 4.7.0 try later", "550 #5.0.0 Exchange", "550 does not 550-5.1.1 exist",
                "550 ... 4.7.1 confused", "250 ok", "452-4.2.2 full\n452-4.2.2 still\n452 4.2.2 full", ""));
        for (byte[] m : messages) {
            Matcher x = REPLY_LINE.matcher(new String(m, StandardCharsets.ISO_8859_1));
            while (x.find() && out.size() < 3000) {
                out.add(x.group(1));
            }
        }
        return out.stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).collect(Collectors.toList());
    }

    static final List<String> MAIL_TOKENS = List.of("Content-Type: multipart/report; report-type=delivery-status; "
                    + "boundary=\"B\"\n", "\n--B\n", "\n--B--\n", "Content-Type: message/delivery-status\n",
            "Content-Type: message/global-delivery-status\n", "Content-Type: message/rfc822\n",
            "Content-Type: text/rfc822-headers\n", "Content-Type: message/feedback-report\n",
            "Content-Type: text/plain; charset=\"iso-2022-jp\"\n", "Content-Type: text/plain; charset=x-unknown\n",
            "Content-Transfer-Encoding: base64\n", "Content-Transfer-Encoding: quoted-printable\n",
            "Content-Transfer-Encoding: x-uuencode\n", "begin 644 a.txt\n", "Final-Recipient: rfc822; a@b\n",
            "Original-Recipient: rfc822;<a@b>\n", "Final-Recipient: utf-8; a\\x{40}b\n", "Action: failed\n",
            "Action: delayed\n", "Status: 5.1.1\n", "Status: 4.999.9999999999\n", "Remote-MTA: dns; [192.0.2.1]\n",
            "Diagnostic-Code: smtp; 550-5.1.1 x\n", "Diagnostic-Code: X-Postfix; \n", "Arrival-Date: ",
            "Last-Attempt-Date: Thu, 1 Jan 1970 00:00:00 +9999\n", "Will-Retry-Until: ", "X-Failed-Recipients: ",
            "Feedback-Type: abuse\n", "User-Agent: x\n", "Version: 1\n", "Source-IP: 300.1.1.1\n",
            "Original-Mail-From: <>\n", "Arrival-Date: 31 Feb 2020 25:61:61\n", "Auto-Submitted: auto-replied\n",
            "Subject: Out of Office\n", "Subject: Undelivered Mail Returned to Sender\n",
            "From: MAILER-DAEMON@x\n", "Return-Path: <>\n", "X-Autoreply: yes\n", "Precedence: bulk\n",
            "=?utf-8?B?w6k=?=", "=?x?Q?=FF?=", "=?utf-8?Q?", "=\n", "=3D", "=FF", "AAAA====", "====",
            "{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[{\"emailAddress\":\"a@b\"}]}}",
            "\"diagnosticCode\":\"", "\\u0000", "\\ud800", "Received: from x by y; ", "<>@", "@", ":;", "\r\n\r\n",
            "\n\n", "\n ", "\t", "--", "boundary=", "charset=", "name*0*=", "filename*=utf-8''",
            "----- The following addresses had permanent fatal errors -----\n",
            "This is the mail system at host", "<a@b>: host x said: 550 5.1.1 no (in reply to RCPT TO command)\n");

    static final List<String[]> MAIL_NESTING = List.of(
            new String[] {"Content-Type: multipart/mixed; boundary=\"N\"\n\n--N\n", "\n--N--\n"},
            new String[] {"Content-Type: message/rfc822\n\n", ""},
            new String[] {"Content-Type: multipart/report; boundary=\"B\"\n\n--B\n", "\n--B--\n"},
            new String[] {"(", ")"}, new String[] {"<", ">"}, new String[] {"\"", "\""},
            new String[] {"{\"a\":", "}"}, new String[] {"[", "]"}, new String[] {"=?utf-8?B?", "?="});

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void reportParser() {
        Fuzz.Mutator m = new Fuzz.Mutator(messages(), MAIL_TOKENS, MAIL_NESTING, 1 << 20);
        Fuzz.Report r = Fuzz.run(REPORT_PARSER, m, Fuzz.inputs(), Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
        assertEquals(Fuzz.inputs(), r.inputs());
    }

    @Test
    void smtpReply() {
        Fuzz.Mutator m = new Fuzz.Mutator(replies(messages()), List.of("550", "550-", "\r\n550-", "\r\n550 ",
                "5.1.1", "4.7.0", "#5.0.0", "X.1.1", "smtp;", "<a@b>", "250 2.0.0 ", "5.", ".1.", "599", "200",
                "600", "199", "\r\n", "\n", "\r", " ", "\t", "-", "\u00a0", "\u2028", "5.1.123", "5.123.1",
                "5.1.1234"), List.of(new String[] {"550-", "\n"}, new String[] {"(", ")"}), 64 << 10);
        Fuzz.Report r = Fuzz.run(SMTP_REPLY, m, Fuzz.inputs(), Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }

    /** @return the kept failures, {@code PARSER/file}; empty (zero invocations) when there are none */
    static List<String> regressions() {
        return Fuzz.regressions("core");
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("regressions")
    void regressionFileStillPasses(String file) throws IOException {
        Fuzz.assertReplays(file, TARGETS);
    }
}
