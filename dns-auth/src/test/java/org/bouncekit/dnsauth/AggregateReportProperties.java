package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The aggregate report parser is total: damaged XML, gzip, zip and email inputs give a report or an
 * {@link AggregateReportException}, never another exception.
 */
class AggregateReportProperties {

    private static final AggregateReportParser PARSER = AggregateReportParser.builder()
            .maxRecords(100).maxProblems(20).build();

    private static final List<byte[]> SEEDS = List.of(
            AggregateReportParserTest.bytes(AggregateReportParserTest.FULL),
            AggregateReportParserTest.bytes(AggregateReportParserTest.RFC9990),
            AggregateReportParserTest.gzip(AggregateReportParserTest.bytes(AggregateReportParserTest.MINIMAL)),
            AggregateReportParserTest.zip("r.xml", AggregateReportParserTest.bytes(AggregateReportParserTest.FULL)),
            ("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/gzip\n"
                    + "Content-Transfer-Encoding: base64\n\n"
                    + java.util.Base64.getMimeEncoder().encodeToString(AggregateReportParserTest.gzip(
                            AggregateReportParserTest.bytes(AggregateReportParserTest.MINIMAL)))
                    + "\n--b--\n").getBytes(StandardCharsets.US_ASCII));

    /** A seed with some bytes changed and maybe cut short. */
    @Provide
    Arbitrary<byte[]> damaged() {
        return Combinators.combine(Arbitraries.integers().between(0, SEEDS.size() - 1),
                Arbitraries.integers().between(0, 1 << 20).list().ofMaxSize(6),
                Arbitraries.bytes().list().ofMaxSize(6),
                Arbitraries.doubles().between(0.05, 1.0)).as((seed, positions, values, keep) -> {
                    byte[] b = SEEDS.get(seed).clone();
                    for (int i = 0; i < Math.min(positions.size(), values.size()); i++) {
                        b[positions.get(i) % b.length] = values.get(i);
                    }
                    return Arrays.copyOf(b, Math.max(1, (int) (b.length * keep)));
                });
    }

    @Property(tries = 1000)
    void damagedInputGivesAReportOrAClearRefusal(@ForAll("damaged") byte[] input) {
        try {
            AggregateReport r = PARSER.parse(input);
            assertNotNull(r.metadata());
            assertTrue(r.problems().size() <= 21);
        } catch (AggregateReportException e) {
            assertNotNull(e.getMessage());
        }
    }

    @Property(tries = 1000)
    void anyBytesGiveAReportOrAClearRefusal(@ForAll byte[] input) {
        try {
            assertNotNull(PARSER.parse(input).rows());
        } catch (AggregateReportException e) {
            assertNotNull(e.kind());
        }
    }
}
