package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncekit.core.DeliveryReport;
import org.bouncekit.core.RecipientStatus;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
import org.bouncekit.core.SmtpReply;
import org.bouncekit.testing.Concurrently;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One {@link ReportParser} and one {@link Classifier}, each shared by {@value Concurrently#THREADS} threads started
 * together, give exactly the single-thread results, round after round with the threads in other orders: on every
 * message of the shared corpus ({@code maildir/}: LF, CRLF and CR-only files, damaged and non-bounces) and on every
 * SMTP reply found in it. The shared objects are fresh when the first round starts, so that anything they build
 * lazily is built under contention.
 */
class ConcurrencyTest {

    private static List<byte[]> messages;
    private static List<Report> reports;
    private static List<SmtpReply> replies;

    @BeforeAll
    static void corpus() throws IOException {
        messages = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TestData.root().resolve("bounces/set-of-emails/maildir"))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                messages.add(Files.readAllBytes(f));
            }
        }
        assertTrue(messages.size() > 800, "the corpus is there: " + messages.size());
        ReportParser parser = ReportParser.defaults();
        reports = messages.stream().map(parser::parse).toList();
        Set<SmtpReply> found = new LinkedHashSet<>();
        for (Report r : reports) {
            if (r instanceof DeliveryReport d) {
                for (RecipientStatus s : d.recipients()) {
                    if (s.reply() != null) {
                        found.add(s.reply());
                    }
                }
            }
        }
        replies = List.copyOf(found);
        assertTrue(replies.size() > 300, "replies in the corpus: " + replies.size());
    }

    @Test
    void theParserGivesTheSameReports() throws Exception {
        ReportParser shared = ReportParser.builder().build();
        Concurrently.agreeWithOneThread("parse", indices(messages.size()), 2,
                i -> ReportParser.defaults().parse(messages.get(i)), i -> shared.parse(messages.get(i)));
    }

    @Test
    void theClassifierGivesTheSameClassificationsOfReports() throws Exception {
        Classifier one = Classifier.builder().build();
        Classifier shared = Classifier.builder().build();
        Concurrently.agreeWithOneThread("classify(Report)", indices(reports.size()), 3,
                i -> one.classify(reports.get(i)), i -> shared.classify(reports.get(i)));
    }

    @Test
    void theClassifierGivesTheSameClassificationsOfReplies() throws Exception {
        Classifier one = Classifier.builder().build();
        Classifier shared = Classifier.builder().build();
        Concurrently.agreeWithOneThread("classify(SmtpReply)", replies, 10, one::classify, shared::classify);
        // the shared default too, and the form that takes the reply's parts and the remote host
        Concurrently.agreeWithOneThread("classify(code, status, text, host)", replies, 5,
                r -> one.classify(r.code(), r.status(), r.text(), "mx.example.net"),
                r -> Classifier.defaults().classify(r.code(), r.status(), r.text(), "mx.example.net"));
    }

    /** Indices rather than the byte arrays, so that a failure message names the input briefly. */
    private static List<Integer> indices(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }
}
