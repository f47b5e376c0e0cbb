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
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scoreboard over the real bounces of {@code maildir/bsd}: recipient recall, status agreement and reply-code
 * agreement against {@code set-of-emails.expected.tsv}, printed per format (the format a file's name gives, such
 * as {@code lhost-postfix}) so that a regression in one format shows by name, and asserted overall.
 *
 * <p>Each figure counts only what the message itself states: a recipient address, status or reply code that
 * appears in the file. Sisimai fills in placeholders ({@code ...@libsisimai.org.invalid}) and codes of its own
 * ({@code X.0.9NN}) where a bounce carries none; those are not compared.
 */
class ScoreboardTest {

    /*
     * The issue asks for recipient recall >= 0.99, status and reply-code agreement >= 0.98. The corpus is read at
     * 0.992 / 0.992 / 0.991, so 0.99 is asserted for all three: a regression of more than a handful of rows fails.
     */
    private static final double RECIPIENT_RECALL = 0.99;
    private static final double STATUS_AGREEMENT = 0.99;
    private static final double CODE_AGREEMENT = 0.99;

    /** Counts for one format. */
    static final class Score {
        int rows;
        int recipients;
        int recipientsFound;
        int statuses;
        int statusesAgreed;
        int codes;
        int codesAgreed;
        final List<String> misses = new ArrayList<>();

        void add(Score o) {
            rows += o.rows;
            recipients += o.recipients;
            recipientsFound += o.recipientsFound;
            statuses += o.statuses;
            statusesAgreed += o.statusesAgreed;
            codes += o.codes;
            codesAgreed += o.codesAgreed;
        }

        static String pct(int n, int d) {
            return d == 0 ? "    -" : String.format(Locale.ROOT, "%5.1f", 100.0 * n / d);
        }
    }

    /** One recipient as the parser saw it. */
    record Seen(String address, String status, int code) {
    }

    static List<Seen> seen(Report r) {
        List<Seen> out = new ArrayList<>();
        if (r instanceof DeliveryReport d) {
            for (RecipientStatus s : d.recipients()) {
                EnhancedStatus st = s.effectiveStatus();
                out.add(new Seen(s.recipient(), st == null ? null : st.toString(),
                        s.reply() == null ? 0 : s.reply().code()));
            }
        } else if (r instanceof FeedbackReport f) {
            for (String a : f.recipients()) {
                out.add(new Seen(a, null, 0));
            }
        } else if (r instanceof AutoReply a) {
            out.add(new Seen(a.responder(), null, 0));
        }
        return out;
    }

    static String format(String file) {
        String name = Path.of(file).getFileName().toString();
        int dash = name.lastIndexOf('-');
        return dash > 0 ? name.substring(0, dash) : name;
    }

    @Test
    void scoreboard() throws IOException {
        ReportParser parser = ReportParser.defaults();
        Map<String, Score> scores = new TreeMap<>();
        List<String> notBounces = new ArrayList<>();
        for (StandardDsnCorpusTest.Row row : StandardDsnCorpusTest.rows()) {
            String file = row.file();
            Path path = TestData.setOfEmails().resolve(file);
            if (file.startsWith("maildir/not/")) {
                if (parser.parse(path) instanceof DeliveryReport) {
                    notBounces.add(file);
                }
                continue;
            }
            if (!file.startsWith("maildir/bsd/")) {
                continue;
            }
            Score s = scores.computeIfAbsent(format(file), k -> new Score());
            s.rows++;
            Report r = parser.parse(path);
            List<Seen> seen = seen(r);
            String text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
            Seen match = null;
            boolean stated = !row.recipient().isEmpty()
                    && text.toLowerCase(Locale.ROOT).contains(row.recipient().toLowerCase(Locale.ROOT));
            if (stated) {
                s.recipients++;
                for (Seen x : seen) {
                    if (row.recipient().equalsIgnoreCase(x.address())) {
                        match = x;
                    }
                }
                if (match != null) {
                    s.recipientsFound++;
                } else {
                    s.misses.add(file + " recipient " + row.recipient() + " not in "
                            + seen.stream().map(Seen::address).toList());
                }
            } else if (!seen.isEmpty() && row.recipient().isEmpty()) {
                match = seen.get(0);
            } else if (seen.size() == 1) {
                match = seen.get(0); // a placeholder address the message does not hold: compare the one recipient
            }
            if (!row.status().isEmpty() && states(text, row.status())) {
                s.statuses++;
                if (match != null && row.status().equals(match.status())) {
                    s.statusesAgreed++;
                } else {
                    s.misses.add(file + " status " + (match == null ? null : match.status()) + " expected "
                            + row.status());
                }
            }
            if (!row.replyCode().isEmpty() && states(text, row.replyCode())) {
                s.codes++;
                if (match != null && row.replyCode().equals(Integer.toString(match.code()))) {
                    s.codesAgreed++;
                } else {
                    s.misses.add(file + " reply code " + (match == null ? null : match.code()) + " expected "
                            + row.replyCode());
                }
            }
        }
        Score total = new Score();
        StringBuilder board = new StringBuilder(String.format(Locale.ROOT, "%-28s %5s %6s %6s %6s%n", "format",
                "rows", "rcpt%", "stat%", "code%"));
        List<String> misses = new ArrayList<>();
        for (Map.Entry<String, Score> e : scores.entrySet()) {
            Score s = e.getValue();
            total.add(s);
            misses.addAll(s.misses);
            board.append(String.format(Locale.ROOT, "%-28s %5d %6s %6s %6s%n", e.getKey(), s.rows,
                    Score.pct(s.recipientsFound, s.recipients), Score.pct(s.statusesAgreed, s.statuses),
                    Score.pct(s.codesAgreed, s.codes)));
        }
        board.append(String.format(Locale.ROOT, "%-28s %5d %6s %6s %6s  (recipients %d/%d, statuses %d/%d, codes %d/%d)%n",
                "TOTAL", total.rows, Score.pct(total.recipientsFound, total.recipients),
                Score.pct(total.statusesAgreed, total.statuses), Score.pct(total.codesAgreed, total.codes),
                total.recipientsFound, total.recipients, total.statusesAgreed, total.statuses, total.codesAgreed,
                total.codes));
        System.out.print(board);
        misses.forEach(m -> System.out.println("  miss: " + m));
        assertEquals(List.of(), notBounces, "maildir/not files read as bounces");
        assertTrue(total.recipientsFound >= RECIPIENT_RECALL * total.recipients, "recipient recall");
        assertTrue(total.statusesAgreed >= STATUS_AGREEMENT * total.statuses, "status agreement");
        assertTrue(total.codesAgreed >= CODE_AGREEMENT * total.codes, "reply-code agreement");
    }

    /** Whether {@code text} holds {@code token} standing alone (not inside a longer number or code). */
    static boolean states(String text, String token) {
        int i = text.indexOf(token);
        while (i >= 0) {
            int end = i + token.length();
            boolean before = i == 0 || !Character.isDigit(text.charAt(i - 1)) && text.charAt(i - 1) != '.';
            boolean after = end == text.length() || !Character.isDigit(text.charAt(end))
                    && !(text.charAt(end) == '.' && end + 1 < text.length() && Character.isDigit(text.charAt(end + 1)));
            if (before && after) {
                return true;
            }
            i = text.indexOf(token, i + 1);
        }
        return false;
    }
}
