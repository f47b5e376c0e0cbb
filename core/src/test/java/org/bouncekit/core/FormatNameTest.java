package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Non-standard bounces are reported under the name of the MTA, provider or gateway that wrote them: for every
 * {@code lhost-NAME-*} file of the corpus that is not a standard report, {@code format()} is {@code NAME}.
 */
class FormatNameTest {

    /** Reports read by their own standard, whose format is the standard's name. */
    private static final Set<String> STANDARD = Set.of("rfc3464", "rfc6533", "arf", "rfc3834", "none", "amazonses");

    /**
     * Files nothing identifies: {@code lhost-x1} to {@code x6} are bounces of MTAs the corpus itself calls
     * unknown; {@code mfilter-05} carries neither m-FILTER's X-Mailer nor its name in any header.
     */
    private static boolean unidentifiable(String family, String file) {
        return family.matches("x[1-6]") || file.endsWith("lhost-mfilter-05.eml");
    }

    @Test
    void nonStandardBouncesCarryTheirFormatName() throws IOException {
        ReportParser parser = ReportParser.defaults();
        List<String> wrong = new ArrayList<>();
        int named = 0;
        for (Path p : TestData.files(TestData.setOfEmails().resolve("maildir/bsd"))) {
            String name = p.getFileName().toString();
            if (!name.startsWith("lhost-")) {
                continue;
            }
            String family = name.substring(6, name.lastIndexOf('-'));
            Report r = parser.parse(p);
            if (STANDARD.contains(r.format()) || unidentifiable(family, name)) {
                continue;
            }
            named++;
            if (!r.format().equals(family)) {
                wrong.add(name + " read as " + r.format());
            }
        }
        assertTrue(named > 200, "non-standard bounces named: " + named);
        assertEquals(List.of(), wrong);
    }

    /** Every bounce whose text says at which command delivery failed reports that command. */
    @Test
    void theFailedCommandIsReported() throws IOException {
        ReportParser parser = ReportParser.defaults();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path p : TestData.files(TestData.setOfEmails().resolve("maildir/bsd"))) {
            String text = new String(java.nio.file.Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
            String expected = text.contains("in reply to RCPT TO command") ? "RCPT"
                    : text.contains("in reply to end of DATA command") ? "DATA" : null;
            if (expected == null || !(parser.parse(p) instanceof DeliveryReport d)) {
                continue;
            }
            checked++;
            if (d.recipients().stream().noneMatch(r -> expected.equals(r.smtpCommand()))) {
                missing.add(p.getFileName() + " expected " + expected);
            }
        }
        System.out.printf("bounces naming the failed command: %d, reported: %d%n", checked, checked - missing.size());
        assertTrue(checked > 30, "bounces naming the command: " + checked);
        assertTrue(missing.size() <= checked / 20, missing.size() + " of " + checked + " without it: " + missing);
    }
}
