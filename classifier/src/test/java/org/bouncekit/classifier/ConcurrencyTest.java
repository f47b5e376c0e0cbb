package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.bouncekit.core.ReportParser;
import org.junit.jupiter.api.Test;

/** One parser and one classifier shared by 8 threads over the corpus give exactly the single-thread results. */
class ConcurrencyTest {

    private static final int THREADS = 8;

    @Test
    void eightThreadsAgreeWithOne() throws Exception {
        List<byte[]> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestData.root().resolve("bounces/set-of-emails/maildir/bsd"))) {
            for (Path f : files.sorted().toList()) {
                messages.add(Files.readAllBytes(f));
            }
        }
        assertTrue(messages.size() > 600, "the corpus is there: " + messages.size());
        ReportParser parser = ReportParser.defaults();
        Classifier classifier = Classifier.builder().build(); // a fresh one, not the shared default
        List<String> expected = new ArrayList<>();
        for (byte[] m : messages) {
            expected.add(describe(classifier, parser, m));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String[]>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t * messages.size() / THREADS; // each thread starts at a different message
                futures.add(pool.submit(() -> {
                    start.await();
                    String[] out = new String[messages.size()];
                    for (int round = 0; round < 2; round++) {
                        for (int k = 0; k < messages.size(); k++) {
                            int i = (k + offset) % messages.size();
                            out[i] = describe(classifier, parser, messages.get(i));
                        }
                    }
                    return out;
                }));
            }
            start.countDown();
            for (Future<String[]> f : futures) {
                String[] got = f.get();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected.get(i), got[i], "message " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String describe(Classifier classifier, ReportParser parser, byte[] message) {
        return classifier.classify(parser.parse(message)).toString();
    }
}
