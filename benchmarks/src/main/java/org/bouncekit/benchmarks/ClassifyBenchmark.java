package org.bouncekit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.Rule;
import org.bouncekit.classifier.RuleSet;
import org.bouncekit.core.DeliveryReport;
import org.bouncekit.core.RecipientStatus;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
import org.bouncekit.core.SmtpReply;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Classification throughput: SMTP replies per second with the built-in rules and with ten times as many rules,
 * and parse + classify of whole messages.
 *
 * <p><b>What is measured.</b> The corpus {@code maildir/bsd} (629 messages) is loaded and parsed once; every
 * recipient's SMTP reply in it (those with a reply code) is kept, with the real provider replies that the corpus
 * has, about 400 replies of 30 to 700 characters. Each operation takes the next one:
 * <ul>
 * <li>{@link #classifyReply}: {@code classifier.classify(SmtpReply)}.</li>
 * <li>{@link #parseAndClassify}: {@code parser.parse(bytes)} then {@code classifier.classify(report)}, one message
 * per operation (compare with {@code ParseBenchmark.bounceKitParse}, the parse alone).</li>
 * </ul>
 * {@code rules=builtin} is the built-in rule sets; {@code rules=x10} adds nine times as many synthetic rules as
 * the built-in sets hold, shaped like real ones (phrases made of mail words, phrases with statuses, statuses
 * and codes with hosts, guarded regexes), so that every index (phrases, statuses, codes) grows tenfold.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ClassifyBenchmark -f 2 -wi 5 -i 5 -w 2s -r 3s -t 1 -prof gc \
 *     -jvmArgsAppend -Dbouncekit.testdata=$PWD/../shared/testdata
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClassifyBenchmark {

    /** Words real rules are made of, so that synthetic phrases share prefixes with real text. */
    private static final String[] WORDS = {"mailbox", "user", "recipient", "address", "rejected", "denied",
        "policy", "quota", "unknown", "blocked", "spam", "relay", "sender", "domain", "host", "message",
        "delivery", "account", "limit", "rate", "temporarily", "permanently", "service", "unavailable"};

    /** {@code builtin} or {@code x10}. */
    @Param({"builtin", "x10"})
    public String rules;

    private Classifier classifier;
    private final ReportParser parser = ReportParser.defaults();
    private SmtpReply[] replies;
    private byte[][] messages;

    /** Public for JMH. */
    public ClassifyBenchmark() {
    }

    /** Loads the corpus, collects its replies and builds the classifier. */
    @Setup(Level.Trial)
    public void load() {
        messages = CorpusLoader.loadBsdMaildir().toArray(new byte[0][]);
        List<SmtpReply> found = new ArrayList<>();
        for (byte[] m : messages) {
            Report r = parser.parse(m);
            if (r instanceof DeliveryReport d) {
                for (RecipientStatus s : d.recipients()) {
                    if (s.reply() != null && s.reply().code() != 0) {
                        found.add(s.reply());
                    }
                }
            }
        }
        replies = found.toArray(new SmtpReply[0]);
        Classifier.Builder b = Classifier.builder();
        if (rules.equals("x10")) {
            int builtIn = 0;
            for (RuleSet s : RuleSet.builtIn()) {
                builtIn += s.rules().size();
            }
            b.addRuleSet(synthetic(9 * builtIn, new Random(42)));
        }
        classifier = b.build();
    }

    /** Rules that look like real ones but match none of the corpus (their phrases carry a made-up token). */
    static RuleSet synthetic(int count, Random random) {
        List<Rule> out = new ArrayList<>();
        Reason[] reasons = Reason.values();
        for (int i = 0; i < count; i++) {
            Rule.Builder r = Rule.builder("synthetic." + i).reason(reasons[random.nextInt(reasons.length)]);
            String phrase = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)]
                    + " zq" + i;
            switch (i % 4) {
                case 0:
                    r.text(phrase, WORDS[random.nextInt(WORDS.length)] + " xk" + i);
                    break;
                case 1:
                    r.text(phrase).status("5." + (1 + random.nextInt(7)) + "." + random.nextInt(10));
                    break;
                case 2:
                    r.status("5." + (1 + random.nextInt(7)) + "." + random.nextInt(10)).code(550)
                            .host("mx" + i + ".synthetic.example");
                    break;
                default:
                    r.text(phrase).regex("zq" + i + " [a-z]+ \\d{3}");
                    break;
            }
            out.add(r.build());
        }
        return new RuleSet("synthetic", 1, out, List.of());
    }

    /** Per-thread cycling positions. */
    @State(Scope.Thread)
    public static class Cursor {
        int nextReply;
        int nextMessage;

        /** Public for JMH. */
        public Cursor() {
        }
    }

    /**
     * One SMTP reply per operation.
     *
     * @param c the per-thread position
     * @return the classification (consumed by JMH)
     */
    @Benchmark
    public Classification classifyReply(Cursor c) {
        int i = c.nextReply;
        c.nextReply = i + 1 == replies.length ? 0 : i + 1;
        return classifier.classify(replies[i]);
    }

    /**
     * One message per operation: parse, then classify every recipient.
     *
     * @param c the per-thread position
     * @return the classifications (consumed by JMH)
     */
    @Benchmark
    public List<Classification> parseAndClassify(Cursor c) {
        int i = c.nextMessage;
        c.nextMessage = i + 1 == messages.length ? 0 : i + 1;
        return classifier.classify(parser.parse(messages[i]));
    }
}
