package org.bouncekit.benchmarks;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse throughput of BounceKit against a Jakarta Mail (Angus) baseline, on the same messages in the same run.
 *
 * <p><b>What is measured.</b> Every file of the shared corpus {@code bounces/set-of-emails/maildir/bsd/*.eml}
 * (629 messages, about 6.5 KB each: DSNs, MTA-specific bounces, ARF reports, auto-replies and some non-reports) is
 * loaded into memory once. Each benchmark operation takes the <em>next</em> message of the corpus (a per-thread
 * index cycles through it), so the score in ops/s is <b>messages per second</b> averaged over the whole mix:
 * <ul>
 * <li>{@link #bounceKitParse}: {@code ReportParser.defaults().parse(bytes)}, the full BounceKit result (format,
 * recipients, statuses, diagnostic codes, original-message headers).</li>
 * <li>{@link #angusMultipartReport}: the baseline. {@code new MimeMessage(session, bytes)}, {@code getContent()},
 * and for an RFC 3464 {@code multipart/report} its {@link DeliveryStatus}: for each recipient the
 * {@code Final-Recipient} and {@code Status} fields, i.e. comparable recipient + status extraction. Angus only
 * understands standard DSNs, so it does less work than BounceKit on the MTA-specific bounces; messages it cannot
 * parse are caught and counted (printed at tear-down), never abort the run.</li>
 * </ul>
 *
 * <p><b>How to run.</b> From the repository root (both figures come from the same JVM run, one after the other):
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ParseBenchmark -f 2 -wi 5 -i 5 -w 2s -r 3s -t 1 -prof gc \
 *     -jvmArgsAppend -Dbouncekit.testdata=$PWD/../shared/testdata
 * </pre>
 *
 * <p>Keep five warm-up iterations: both parsers need about ten seconds of JIT compilation to reach a steady rate,
 * and fewer warm-up iterations show up as a low first measurement and a wide error.
 *
 * <p>The corpus location is a system property of the <em>forked</em> benchmark JVM, so pass it with
 * {@code -jvmArgsAppend -Dbouncekit.testdata=DIR} (a {@code -D} placed before {@code -jar} reaches only the JMH
 * launcher, not the fork). Without it, {@code ../shared/testdata} and {@code ../../shared/testdata} are tried
 * relative to the working directory. A missing corpus fails the trial with a message listing the paths tried.
 *
 * <p><b>Allocation per message.</b> With {@code -prof gc}, read the {@code ·gc.alloc.rate.norm} line of each
 * benchmark: bytes allocated per operation, i.e. per parsed message. It is the figure to compare (and to watch for
 * regressions); {@code gc.alloc.rate} in MB/s also depends on throughput. Use {@code -t 1} on small machines so the
 * two benchmarks do not compete for cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBenchmark {

    /** The corpus, shared read-only by all threads. */
    private byte[][] messages;

    /** Angus session, created once. */
    private Session session;

    private final ReportParser parser = ReportParser.defaults();

    /** Public for JMH. */
    public ParseBenchmark() {
    }

    /**
     * Loads the corpus and creates the mail session.
     */
    @Setup(Level.Trial)
    public void load() {
        List<byte[]> all = CorpusLoader.loadBsdMaildir();
        messages = all.toArray(new byte[0][]);
        session = Session.getInstance(new Properties());
    }

    /** Per-thread cycling position and baseline failure counters. */
    @State(Scope.Thread)
    public static class Cursor {

        /** Index of the next message. */
        int next;

        /** Messages on which Angus threw. */
        long angusFailures;

        /** Messages Angus read as a DSN (multipart/report with message/delivery-status). */
        long angusDsns;

        /** Public for JMH. */
        public Cursor() {
        }

        byte[] advance(byte[][] corpus) {
            int i = next;
            next = i + 1 == corpus.length ? 0 : i + 1;
            return corpus[i];
        }

        /**
         * Reports the baseline's counters for this thread (only when the baseline ran).
         */
        @TearDown(Level.Trial)
        public void report() {
            if (angusFailures + angusDsns > 0) {
                System.out.println("angus: " + angusDsns + " DSN reads, " + angusFailures + " messages failed");
            }
        }
    }

    /**
     * BounceKit: one message per operation.
     *
     * @param cursor the per-thread position in the corpus
     * @return the report (consumed by JMH)
     */
    @Benchmark
    public Report bounceKitParse(Cursor cursor) {
        return parser.parse(cursor.advance(messages));
    }

    /**
     * Baseline: Angus {@code MimeMessage} + {@code MultipartReport}/{@code DeliveryStatus}, one message per
     * operation.
     *
     * @param cursor the per-thread position in the corpus
     * @param bh     sink for the extracted values
     */
    @Benchmark
    public void angusMultipartReport(Cursor cursor, Blackhole bh) {
        byte[] bytes = cursor.advance(messages);
        try {
            MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(bytes));
            Object content = m.getContent();
            bh.consume(content);
            if (content instanceof MultipartReport mr && mr.getReport() instanceof DeliveryStatus ds) {
                int n = ds.getRecipientDSNCount();
                for (int i = 0; i < n; i++) {
                    InternetHeaders h = ds.getRecipientDSN(i);
                    bh.consume(h.getHeader("Final-Recipient", null));
                    bh.consume(h.getHeader("Status", null));
                }
                cursor.angusDsns++;
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            cursor.angusFailures++;
            bh.consume(e);
        }
    }
}
