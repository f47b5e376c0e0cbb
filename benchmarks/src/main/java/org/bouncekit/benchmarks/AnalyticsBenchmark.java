package org.bouncekit.benchmarks;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.analytics.BounceAnalytics;
import org.bouncekit.classifier.analytics.BounceEvent;
import org.bouncekit.classifier.analytics.BounceEvents;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Analytics ingestion: {@link BounceAnalytics#add} of the events of the whole shared corpus (every recipient of
 * the {@code maildir/bsd} files, parsed and classified once in setup), against a baseline that counts the same
 * events by one key (the recipient domain) in a {@code ConcurrentHashMap} of {@code LongAdder}s, the least a
 * thread-safe counter does. {@code add} counts each event in seven dimensions and five crossings.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AnalyticsBenchmark -f 2 -wi 5 -i 5 -w 2s -r 3s -t 1 -prof gc
 * </pre>
 * Scores are events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AnalyticsBenchmark {

    /** The corpus's events; {@link #EVENTS} is their number, fixed so that scores are per event. */
    static final int EVENTS = 679;

    private List<BounceEvent> events;

    @Setup
    public void setUp() throws IOException {
        ReportParser parser = ReportParser.builder().correlationHeaders(BounceEvents.FIELDS.toArray(String[]::new))
                .build();
        Classifier classifier = Classifier.defaults();
        events = new ArrayList<>();
        for (byte[] m : CorpusLoader.loadBsdMaildir()) {
            Report r = parser.parse(m);
            events.addAll(BounceEvents.of(r, classifier.classify(r), Instant.parse("2026-01-01T00:00:00Z")));
        }
        if (events.size() != EVENTS) {
            throw new IllegalStateException(events.size() + " events, expected " + EVENTS);
        }
    }

    /** A fresh aggregator fed every event once, then a snapshot is not taken: ingestion alone. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public BounceAnalytics add() {
        BounceAnalytics a = BounceAnalytics.builder().build();
        for (BounceEvent e : events) {
            a.add(e);
        }
        return a;
    }

    /** Baseline: the same events counted by recipient domain alone, thread-safely. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public Map<String, LongAdder> baselineOneCounter() {
        ConcurrentHashMap<String, LongAdder> m = new ConcurrentHashMap<>();
        for (BounceEvent e : events) {
            String d = e.recipientDomain();
            m.computeIfAbsent(d == null ? "" : d, k -> new LongAdder()).increment();
        }
        return m;
    }
}
