package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.SuppressionState.Cause;
import org.bouncekit.classifier.policy.SuppressionState.Status;

/**
 * Any state, with any address (tabs, line breaks, backslashes, unpaired surrogates, any script) and any instants
 * (from {@link Instant#MIN} to {@link Instant#MAX}, nanoseconds included), comes back equal from its line, and its
 * line is one line of nine fields that survives a UTF-8 file.
 */
class SuppressionStateProperties {

    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<Character> c = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.chars().range('a', 'z')),
                Tuple.of(2, Arbitraries.of('\t', '\n', '\r', '\\', ',', '-', ' ', 'B', '\u00e9', '\u0130', '\u00a0',
                        '\u0000', '\u007f', '\u0085', '\ud800', '\udc00', '\u2028')),
                Tuple.of(3, Arbitraries.chars().all()));
        Arbitrary<String> part = c.list().ofMaxSize(20).map(SuppressionStateProperties::join);
        return Combinators.combine(part, part).as((local, domain) -> local + "@" + domain);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.longs().between(Instant.MIN.getEpochSecond(),
                        Instant.MAX.getEpochSecond()), Arbitraries.integers().between(0, 999_999_999))
                        .as(Instant::ofEpochSecond),
                Combinators.combine(Arbitraries.longs().between(0, 5_000_000_000L),
                        Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond),
                Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH));
    }

    @Provide
    Arbitrary<SuppressionState> states() {
        Arbitrary<Instant> instant = instants();
        Arbitrary<List<Instant>> soft = instant.list().ofMaxSize(6).map(l -> {
            List<Instant> sorted = new ArrayList<>(l);
            Collections.sort(sorted);
            return sorted;
        });
        Arbitrary<Reason> reason = Arbitraries.of(Reason.class).injectNull(0.2);
        Arbitrary<Cause> cause = Arbitraries.of(Cause.class);
        return Combinators.combine(addresses(), Arbitraries.of(Status.class), cause, instant, instant,
                Arbitraries.of(true, false), soft, reason).flatAs((address, status, why, a, b, never, bounces, r) ->
                instant.map(updated -> {
                    if (status == Status.ACTIVE) {
                        return new SuppressionState(address, status, null, null, null, bounces, r, updated);
                    }
                    Instant since = a.isBefore(b) ? a : b;
                    Instant until = never ? null : a.isBefore(b) ? b : a;
                    return new SuppressionState(address, status, why, since, until, bounces, r, updated);
                }));
    }

    @Property(tries = 1000)
    void everyStateComesBackFromItsLine(@ForAll("states") SuppressionState s) {
        String line = s.toLine();
        SuppressionState back = SuppressionState.parse(line);
        assertEquals(s, back);
        assertEquals(line, back.toLine());
    }

    @Property(tries = 1000)
    void theLineIsOneLineOfNineFieldsThatSurvivesUtf8(@ForAll("states") SuppressionState s) {
        String line = s.toLine();
        assertEquals(9, line.split("\t", -1).length, line);
        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u0085"), line);
        String throughAFile = new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(s, SuppressionState.parse(throughAFile));
    }

    @Property(tries = 1000)
    void normalisingTwiceChangesNothing(@ForAll("addresses") String address) {
        String once = SuppressionState.normalize(address);
        assertEquals(once, SuppressionState.normalize(once));
    }

    private static String join(List<Character> chars) {
        StringBuilder b = new StringBuilder(chars.size());
        for (char ch : chars) {
            b.append(ch);
        }
        return b.toString();
    }
}
