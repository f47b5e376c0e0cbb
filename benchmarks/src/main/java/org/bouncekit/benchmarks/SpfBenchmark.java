package org.bouncekit.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncekit.dnsauth.SpfChecker;
import org.bouncekit.dnsauth.SpfResult;
import org.bouncekit.dnsauth.SpfSuite;
import org.bouncekit.dnsauth.SpfVerdict;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SPF evaluation with warm DNS data (answers held in memory, so the checker's own work is measured).
 *
 * <ul>
 * <li>{@link #typicalRecord}: one check of a typical record with three includes
 * ({@code include:_spf.mail.example include:spf.crm.example include:mailers.example.net ip4:... -all}, the
 * includes reaching ip4/ip6, {@code a} and {@code mx}); the client addresses rotate among five, which end at each
 * include, at the ip4 and at {@code -all}.</li>
 * <li>{@link #dnsAnswersOnly} (baseline, same run): the same DNS queries those five checks make, answered by the
 * same in-memory data, without evaluating anything: what the checker adds to the DNS it must ask.</li>
 * <li>{@link #rfc7208Suite}: the whole OpenSPF RFC 7208 suite (203 checks, each scenario's DNS built once), in
 * milliseconds per suite; pyspf 2.0.14, the reference, takes about 21 ms for it (../shared/testdata/README.md).</li>
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SpfBenchmark -f 2 -wi 5 -i 5 -w 2s -r 3s -t 1 -prof gc \
 *     -jvmArgsAppend -Dbouncekit.testdata=$PWD/../shared/testdata
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpfBenchmark {

    private static final String[] CLIENTS = {"2001:db8:10::25", "203.0.113.8", "203.0.113.99", "192.0.2.10",
        "192.0.2.200"};
    private static final SpfVerdict[] EXPECTED = {SpfVerdict.PASS, SpfVerdict.PASS, SpfVerdict.PASS,
        SpfVerdict.PASS, SpfVerdict.FAIL};

    private InMemoryDnsClient dns;
    private SpfChecker checker;
    private List<SpfSuite.Case> suite;
    private List<SpfChecker> suiteCheckers;
    private int next;
    /** The queries each of the five checks makes, in order, for the baseline. */
    private final List<List<String[]>> queries = new ArrayList<>();

    @Setup
    public void setUp() throws IOException {
        dns = InMemoryDnsClient.builder()
                .txt("example.org", "v=spf1 include:_spf.mail.example include:spf.crm.example "
                        + "include:mailers.example.net ip4:192.0.2.0/26 -all")
                .txt("_spf.mail.example", "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:10::/48 ~all")
                .txt("spf.crm.example", "v=spf1 a:out.crm.example -all")
                .a("out.crm.example", "203.0.113.7", "203.0.113.8")
                .txt("mailers.example.net", "v=spf1 mx -all")
                .mx("mailers.example.net", 10, "mx1.mailers.example.net")
                .a("mx1.mailers.example.net", "203.0.113.99")
                .build();
        checker = SpfChecker.builder(dns).build();
        for (int i = 0; i < CLIENTS.length; i++) {
            SpfResult r = checker.check(CLIENTS[i], "alice@example.org", "mail.example.org");
            if (r.verdict() != EXPECTED[i]) {
                throw new IllegalStateException(CLIENTS[i] + ": " + r.verdict() + " " + r.trace());
            }
            List<String[]> made = new ArrayList<>();
            queries.add(made);
            for (String step : r.trace()) {
                // "TXT example.org: ..." -> the query made
                int sp = step.indexOf(' ');
                int colon = step.indexOf(':', sp + 1);
                if (sp > 0 && colon > sp && isType(step.substring(0, sp))) {
                    made.add(new String[] {step.substring(0, sp), step.substring(sp + 1, colon)});
                }
            }
        }
        Path data = Path.of(System.getProperty("bouncekit.testdata", "../shared/testdata"));
        suite = SpfSuite.load(data.resolve("auth/spf/rfc7208-tests.yml"));
        suiteCheckers = new ArrayList<>();
        for (SpfSuite.Case c : suite) {
            suiteCheckers.add(SpfChecker.builder(c.dns()).build());
        }
        for (int i = 0; i < suite.size(); i++) {
            SpfSuite.Case c = suite.get(i);
            String why = c.mismatch(suiteCheckers.get(i).check(c.host(), c.mailfrom(), c.helo()));
            if (why != null && c.explanation() == null) {
                throw new IllegalStateException(why);
            }
        }
    }

    private static boolean isType(String s) {
        for (DnsType t : DnsType.values()) {
            if (t.name().equals(s)) {
                return true;
            }
        }
        return false;
    }

    @Benchmark
    public SpfVerdict typicalRecord() {
        int i = next;
        next = i == CLIENTS.length - 1 ? 0 : i + 1;
        return checker.check(CLIENTS[i], "alice@example.org", "mail.example.org").verdict();
    }

    /** The queries of the check {@link #typicalRecord} would make, answered and nothing more. */
    @Benchmark
    public int dnsAnswersOnly() {
        int i = next;
        next = i == CLIENTS.length - 1 ? 0 : i + 1;
        int n = 0;
        for (String[] q : queries.get(i)) {
            DnsAnswer a = dns.query(q[1], DnsType.valueOf(q[0])).toCompletableFuture().join();
            n += a.records().size();
        }
        return n;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int rfc7208Suite() {
        int lookups = 0;
        for (int i = 0; i < suite.size(); i++) {
            SpfSuite.Case c = suite.get(i);
            lookups += suiteCheckers.get(i).check(c.host(), c.mailfrom(), c.helo()).lookups();
        }
        return lookups;
    }
}
