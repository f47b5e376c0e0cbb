package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void presetsAndBuilderValidation() {
        assertEquals(8L << 20, Limits.defaults().maxInputBytes());
        assertTrue(Limits.strict().maxInputBytes() < Limits.defaults().maxInputBytes());
        assertTrue(Limits.relaxed().maxParts() > Limits.defaults().maxParts());
        assertEquals(Limits.defaults(), Limits.defaults().toBuilder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Limits.builder().maxMimeDepth(0));
        assertTrue(e.getMessage().contains("maxMimeDepth"));
        assertThrows(IllegalArgumentException.class, () -> Limits.builder().maxInputBytes(-1));
    }

    private static boolean hasLimitProblem(Report r, String limit) {
        return r.problems().stream()
                .anyMatch(p -> p.kind() == Problem.Kind.LIMIT_EXCEEDED && p.message().contains(limit));
    }

    @Test
    void tooManyHeadersAreSkippedWithAProblem() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            sb.append("X-H").append(i).append(": v\n");
        }
        sb.append("Subject: last\n\nbody\n");
        ReportParser parser = ReportParser.builder().limits(Limits.builder().maxHeaderCount(100).build()).build();
        Report r = parser.parse(sb.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(100, r.headers().size());
        assertTrue(hasLimitProblem(r, "maxHeaderCount"));
    }

    @Test
    void longHeaderIsCut() {
        String big = "x".repeat(200_000);
        Report r = ReportParser.defaults().parse(("Subject: " + big + "\n\nbody\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(Limits.defaults().maxHeaderBytes() - 1, Header.first(r.headers(), "Subject").length());
        assertTrue(hasLimitProblem(r, "maxHeaderBytes"));
    }

    /**
     * Regression: a folded field whose value filled {@code maxHeaderBytes} exactly at the end of a line, and then went
     * on, was cut without a problem (the cut was told from the value's length, which was already at the limit).
     */
    @Test
    void foldedFieldFillingTheLimitAtALineEndIsReportedWhenCut() {
        int max = Limits.defaults().maxHeaderBytes();
        // each fold adds 9 bytes to the raw value (a line break, then " 1234567"): pad the first line so that the
        // value is exactly max bytes long at the end of the last fold, and " more" goes past it
        String first = " x" + "y".repeat((max - 2) % 9);
        int folds = (max - first.length()) / 9;
        assertEquals(max, first.length() + 9 * folds);
        String folded = " 1234567\n".repeat(folds);
        Report r = ReportParser.defaults().parse(("Subject:" + first + "\n" + folded + " more\n\nbody\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertTrue(hasLimitProblem(r, "maxHeaderBytes"), r.problems()::toString);
        assertEquals(1, r.problems().stream().filter(p -> p.message().contains("maxHeaderBytes")).count());
    }

    @Test
    void deepNestingStopsAtTheDepthLimit() {
        StringBuilder sb = new StringBuilder("From: a@example.com\n");
        int depth = 500;
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        sb.append("Content-Type: text/plain\n\nleaf\n");
        Report r = ReportParser.defaults().parse(sb.toString().getBytes(StandardCharsets.US_ASCII));
        assertTrue(hasLimitProblem(r, "maxMimeDepth"), r.problems().toString());
        assertTrue(r.problems().size() <= Limits.defaults().maxProblems() + 1);
    }

    @Test
    void manyPartsStopAtThePartLimit() {
        StringBuilder sb = new StringBuilder("From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 3_000; i++) {
            sb.append("--b\nContent-Type: text/plain\n\n").append(i).append('\n');
        }
        sb.append("--b--\n");
        Report r = ReportParser.defaults().parse(sb.toString().getBytes(StandardCharsets.US_ASCII));
        assertTrue(hasLimitProblem(r, "maxParts"));
    }

    @Test
    void inputIsCutAtMaxInputBytes() throws IOException {
        byte[] msg = ("Subject: s\n\n" + "y".repeat(10_000)).getBytes(StandardCharsets.US_ASCII);
        ReportParser parser = ReportParser.builder().limits(Limits.builder().maxInputBytes(1_000).build()).build();
        assertTrue(hasLimitProblem(parser.parse(msg), "maxInputBytes"));
        assertTrue(hasLimitProblem(parser.parse(new ByteArrayInputStream(msg)), "maxInputBytes"));
        assertEquals("s", Header.first(parser.parse(new ByteArrayInputStream(msg)).headers(), "Subject"));
    }

    @Test
    void problemsAreBounded() {
        StringBuilder sb = new StringBuilder("From: a@example.com\n");
        for (int i = 0; i < 500; i++) {
            sb.append("Content-Type: multipart/mixed\n");
        }
        ReportParser parser = ReportParser.builder().limits(Limits.builder().maxProblems(3).build()).build();
        StringBuilder fields = new StringBuilder("Reporting-MTA: dns; x\n\n");
        for (int i = 0; i < 50; i++) {
            fields.append("Final-Recipient: rfc822; a").append(i).append("@example.com\nStatus: bad\n\n");
        }
        Report r = parser.parse(Messages.dsn(fields.toString(), "Subject: x").getBytes(StandardCharsets.UTF_8));
        assertEquals(4, r.problems().size());
        assertTrue(hasLimitProblem(r, "maxProblems"));
    }
}
