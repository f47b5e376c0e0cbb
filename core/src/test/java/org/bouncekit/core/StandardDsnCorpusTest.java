package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * For the corpus files that are standard DSNs (a {@code message/delivery-status} part), the recipients and the
 * statuses equal {@code set-of-emails.expected.tsv}: the recipient where a row gives one, the status where the
 * message states one.
 */
class StandardDsnCorpusTest {

    /**
     * Files that are not one message. {@code rfc3464-28.eml} is two DSN messages written one after the other with
     * no mbox separator; a message ends with its closing MIME boundary, so only the first is read (the CLI reads
     * such files correctly when they carry mbox {@code From } lines).
     */
    private static final Set<String> NOT_ONE_MESSAGE = Set.of("maildir/bsd/rfc3464-28.eml");

    record Row(String file, String recipient, String status, String replyCode, String reason) {
    }

    static List<Row> rows() throws IOException {
        Path tsv = TestData.root().resolve("bounces/set-of-emails.expected.tsv");
        List<Row> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            out.add(new Row(f[0], f[2], f[3], f[4], f[5]));
        }
        return out;
    }

    @Test
    void recipientsAndStatusesMatchTheExpectations() throws IOException {
        ReportParser parser = ReportParser.defaults();
        int dsnRows = 0;
        int recipientChecks = 0;
        int statusChecks = 0;
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows()) {
            if (NOT_ONE_MESSAGE.contains(row.file())) {
                continue;
            }
            Path file = TestData.setOfEmails().resolve(row.file());
            Report r = parser.parse(file);
            if (!(r instanceof DeliveryReport d) || !isStandardDsn(d)) {
                continue;
            }
            dsnRows++;
            RecipientStatus match = null;
            if (!row.recipient().isEmpty()) {
                recipientChecks++;
                for (RecipientStatus s : d.recipients()) {
                    if (row.recipient().equalsIgnoreCase(s.recipient())) {
                        match = s;
                    }
                }
                if (match == null) {
                    mismatches.add(row.file() + ": recipient " + row.recipient() + " not in "
                            + d.recipients().stream().map(RecipientStatus::recipient).toList());
                    continue;
                }
            } else if (d.recipients().size() == 1) {
                match = d.recipients().get(0);
            }
            if (match != null && !row.status().isEmpty() && stated(match, row.status())) {
                statusChecks++;
                String actual = String.valueOf(match.effectiveStatus());
                if (!row.status().equals(actual)) {
                    mismatches.add(row.file() + ": " + row.recipient() + " status " + actual
                            + " expected " + row.status());
                }
            }
        }
        System.out.printf(Locale.ROOT, "standard DSN rows %d, recipient checks %d, status checks %d%n", dsnRows,
                recipientChecks, statusChecks);
        assertTrue(dsnRows > 300, "standard DSN rows: " + dsnRows);
        assertEquals(List.of(), mismatches);
    }

    /**
     * A standard DSN: an RFC 3464/6533 report whose recipient blocks name their recipients by address. Reports
     * whose recipient fields are missing or hold no address (a file path, a bare relay) are read from their text,
     * which is the work of the MTA format units, and are not counted here.
     */
    private static boolean isStandardDsn(DeliveryReport d) {
        if (!(d.format().equals("rfc3464") || d.format().equals("rfc6533")) || d.recipients().isEmpty()) {
            return false;
        }
        for (RecipientStatus s : d.recipients()) {
            boolean named = s.finalRecipient() != null && s.finalRecipient().value().matches("[^@/]+@[^@]+")
                    || s.originalRecipient() != null && s.originalRecipient().value().matches("[^@/]+@[^@]+");
            if (!named) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the recipient's block states the expected status (in its Status field or its Diagnostic-Code).
     * About a fifth of the expected statuses are codes Sisimai derives when a report carries none, or reads from
     * other parts of the message; those are not compared.
     */
    private static boolean stated(RecipientStatus s, String status) {
        for (Header h : s.fields()) {
            String text = h.value();
            int i = text.indexOf(status);
            while (i >= 0) {
                int end = i + status.length();
                boolean before = i == 0 || !Character.isDigit(text.charAt(i - 1)) && text.charAt(i - 1) != '.';
                boolean after = end == text.length() || !Character.isDigit(text.charAt(end));
                if (before && after) {
                    return true;
                }
                i = text.indexOf(status, i + 1);
            }
        }
        return false;
    }
}
