package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.Tuple;
import org.bouncekit.classifier.policy.SuppressionState;
import org.bouncekit.testing.Fuzz;

/**
 * Fuzzes the classifier's parsers with inputs generated from grammars ({@link Fuzz.Grammar}): rule files with any
 * mix of conditions, quoted phrases with escapes, and regexes built from a regex grammar (groups, classes,
 * alternation, counted repetition, nested quantifiers); Exim retry rules of every kind of segment and duration
 * spelling; and suppression lines written from generated states (any address characters, any instants between
 * {@link Instant#MIN} and {@link Instant#MAX}, up to the soft-bounce limit). The checks are {@link ParserFuzzTest}'s.
 */
class GrammarFuzzTest {

    // ------------------------------------------------------------------------------------------------ rule files

    /** A regex from a small grammar of Java's syntax; nested quantifiers included, as a careless user writes them. */
    static Arbitrary<String> regex() {
        return Arbitraries.recursive(GrammarFuzzTest::atom, GrammarFuzzTest::compound, 0, 3);
    }

    private static Arbitrary<String> atom() {
        return Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.strings().alpha().numeric().withChars(" .-").ofMinLength(1).ofMaxLength(10)),
                Tuple.of(20, Arbitraries.of("\\d", "\\w", "\\s", "\\b", ".", "[a-z]", "[^x]", "[0-9.]", "\\.", "^",
                        "$", "\\u00e9", "[[:alpha:]]", "\\t", "()", "(?:)")),
                Tuple.of(1, Arbitraries.of("(", ")", "[", "]", "{", "}", "\\", "*", "+", "?", "|", "(?<", "[z-a]",
                        "\\1", "\\k<n>", "\\Q550\\E", "\\p{L}", "(?i)", "(?=a)", "\\x41")));
    }

    private static Arbitrary<String> compound(Arbitrary<String> inner) {
        Arbitrary<String> quantifier = Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.of("*", "+", "?", "*?", "+?",
                "{2}", "{1,3}", "{2,}", "{0,100}", "*+")), Tuple.of(1, Arbitraries.of("{99999999999}", "{3,1}",
                "{0,1000}")));
        return Arbitraries.frequencyOf(
                Tuple.of(3, inner.list().ofMinSize(2).ofMaxSize(3).map(l -> String.join("", l))),
                Tuple.of(1, Combinators.combine(inner, quantifier).as((r, q) -> "(" + r + ")" + q)),
                Tuple.of(1, Combinators.combine(inner, quantifier).as((r, q) -> "(?:" + r + ")" + q)),
                Tuple.of(2, inner.list().ofMinSize(2).ofMaxSize(3).map(l -> "(" + String.join("|", l) + ")")),
                Tuple.of(1, inner.map(r -> "(" + r + ")")));
    }

    /** A quoted token: the rule-file syntax's {@code "..."} with {@code \"} and {@code \\} escapes. */
    static Arbitrary<String> quoted(Arbitrary<String> content) {
        return content.map(c -> "\"" + c.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    /** A condition line of a rule: one in twenty-one is broken (an unknown reason, status, code, word...). */
    static Arbitrary<String> condition() {
        return Arbitraries.frequencyOf(Tuple.of(20, validCondition()), Tuple.of(1, brokenCondition()));
    }

    private static Arbitrary<String> validCondition() {
        Arbitrary<String> phrase = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("user unknown", "mailbox full", "blocked using", "try again later",
                        "5.7.26", "spamhaus", "TSS04", "unusual rate", "\u00fcber")),
                Tuple.of(2, Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(30)),
                Tuple.of(1, Arbitraries.strings().ofMinLength(1).ofMaxLength(20)));
        Arbitrary<String> regex = Arbitraries.frequencyOf(Tuple.of(12, regex()), Tuple.of(1, Arbitraries.of("(a+)+$",
                "(a|aa)*b", "(.*a){12}", "^(\\w+\\s?)*$")));
        return Arbitraries.frequencyOf(
                Tuple.of(5, quoted(phrase).list().ofMinSize(1).ofMaxSize(6).map(l -> "text " + String.join(" ", l))),
                Tuple.of(4, quoted(regex).map(r -> "regex " + r)),
                Tuple.of(2, Arbitraries.of("5.1.1", "4.7.0", "5.7.*", "4.2.2", "5.*.*").list().ofMinSize(1)
                        .ofMaxSize(4).map(l -> "status " + String.join(" ", l))),
                Tuple.of(2, Arbitraries.integers().between(200, 599).list().ofMinSize(1).ofMaxSize(3)
                        .map(l -> "code " + String.join(" ", l.stream().map(String::valueOf).toList()))),
                Tuple.of(1, quoted(Arbitraries.of("gmail.com", "*.outlook.com", ".protection.outlook.com",
                        "mx.example", "xn--bcher-kva.example")).list().ofMinSize(1).ofMaxSize(3)
                        .map(l -> "host " + String.join(" ", l))),
                Tuple.of(1, Arbitraries.of("gmail", "microsoft", "mimecast").map(p -> "provider " + p)),
                Tuple.of(1, Arbitraries.of("postfix", "exim", "sendmail", "exchange").map(f -> "format " + f)),
                Tuple.of(1, Arbitraries.of("RCPT", "DATA", "MAIL", "CONNECT", "EHLO", "rcpt").map(c -> "command " + c)),
                Tuple.of(1, Arbitraries.integers().between(-50, 50).map(p -> "priority " + p)),
                Tuple.of(1, Arbitraries.of("permanent", "transient", "Permanent").map(e -> "effect " + e)),
                Tuple.of(1, Arbitraries.of(Decision.values())
                        .map(d -> "decision " + d.name().toLowerCase(Locale.ROOT))),
                Tuple.of(1, Arbitraries.of("# a comment", "")));
    }

    private static Arbitrary<String> brokenCondition() {
        return Arbitraries.oneOf(
                Arbitraries.of("reason nosuchreason", "reason", "reason blocked", "reason USERUNKNOWN extra", "text",
                        "text \"open", "text \"\"", "regex \"(\"", "regex \"[z-a]\"", "regex \"\\k<n>\"",
                        "regex \"(?<n>a)\"", "regex \"a\" \"b\"", "status 4.*", "status 5.1.1.1",
                        "status 6.0.0", "status x", "code 199", "code 600", "code x", "host \"\"", "provider x y",
                        "format ?", "command BOGUS", "priority 51", "priority -2147483649", "effect never",
                        "decision shrug", "bogus condition", "end extra", "ruleset again", "rule nested"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40));
    }

    /** A rule: its name, its reason (a rule without one is refused) and up to five more conditions. */
    static Arbitrary<String> rule() {
        return Combinators.combine(Arbitraries.strings().alpha().numeric().withChars(".-_").ofMinLength(1)
                        .ofMaxLength(16), Arbitraries.of(Reason.values()), condition().list().ofMaxSize(5),
                        Arbitraries.of("  ", "\t", " ", ""))
                .as((id, reason, conditions, indent) -> "rule " + id + "\n" + indent + "reason "
                        + reason.name().toLowerCase(Locale.ROOT) + "\n" + indent + String.join("\n" + indent,
                        conditions) + "\nend\n");
    }

    static Arbitrary<byte[]> ruleFiles() {
        Arbitrary<String> header = Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.just("bouncekit-rules 1\n")),
                Tuple.of(1, Arbitraries.of("bouncekit-rules 2\n", "", "bouncekit-rules\n",
                        "# hi\nbouncekit-rules 1\n")));
        Arbitrary<String> disable = Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.of("",
                "disable generic:userunknown\n", "disable nosuch:rule\n")), Tuple.of(1, Arbitraries.of(
                "disable a:b c:d\n", "disable\n")));
        return Combinators.combine(header, Arbitraries.strings().alpha().numeric().withChars("-_").ofMinLength(1)
                                .ofMaxLength(12), disable, rule().list().ofMinSize(0).ofMaxSize(6),
                        Arbitraries.of("\n", "\r\n"))
                .as((h, name, d, rules, eol) -> (h + "ruleset " + name + "\n" + d + String.join("", rules))
                        .replace("\n", eol).getBytes(StandardCharsets.UTF_8));
    }

    // ----------------------------------------------------------------------------------------- retry schedules

    /** A duration of {@code minutes}, spelled in one of the ways Exim accepts. */
    static String spell(long minutes, int way) {
        return switch (way) {
            case 0 -> minutes + "m";
            case 1 -> minutes * 60 + "s";
            case 2 -> minutes / 60 + "h" + minutes % 60 + "m";
            case 3 -> minutes / 1440 + "d" + minutes % 1440 / 60 + "h" + minutes % 60 + "m";
            default -> minutes % 10_080 == 0 ? minutes / 10_080 + "w" : minutes + "m";
        };
    }

    static Arbitrary<String> duration() {
        return Arbitraries.frequencyOf(Tuple.of(12, Combinators.combine(Arbitraries.longs().between(1, 3 * 1440),
                        Arbitraries.integers().between(0, 4)).as(GrammarFuzzTest::spell)),
                Tuple.of(1, Arbitraries.of("0s", "3650d", "3651d", "99999999999d", "1", "h", "-1h", "1.5h", "")));
    }

    /**
     * Exim retry rules: segments whose cutoffs rise (most of the time; a rule with a falling cutoff is refused), each
     * a fixed interval, a geometric or a random one, spelled in every way Exim allows.
     */
    static Arbitrary<byte[]> retryRules() {
        Arbitrary<String> factor = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.doubles().between(1.0, 4.0)
                .ofScale(3).map(String::valueOf)), Tuple.of(1, Arbitraries.of("0", "1", "0.5", "100", "1e3", "NaN",
                "", "2.")));
        Arbitrary<String> kind = Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.of("F", "G", "H")),
                Tuple.of(1, Arbitraries.of("X", "", "FF")));
        Arbitrary<String> segment = Combinators.combine(kind, duration(), factor).as((k, interval, f) -> k + ","
                + "%s," + interval + (k.equals("F") ? "" : "," + f));
        return Combinators.combine(segment.list().ofMinSize(1).ofMaxSize(6), Arbitraries.longs().between(1, 60 * 24
                        * 30).list().ofMinSize(6).ofMaxSize(6), Arbitraries.integers().between(0, 4),
                        Arbitraries.frequencyOf(Tuple.of(60,
                        Arbitraries.of(";", "; ", " ; ")), Tuple.of(1, Arbitraries.of(";;", ""))),
                        Arbitraries.of(true, false),
                        Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(true)), Tuple.of(1,
                                Arbitraries.just(false))))
                .as((segments, cutoffs, way, sep, lower, rising) -> {
                    List<Long> c = new ArrayList<>(cutoffs);
                    if (rising) {
                        c.sort(null);
                    }
                    List<String> out = new ArrayList<>();
                    long previous = 0;
                    for (int i = 0; i < segments.size(); i++) {
                        long cut = rising ? Math.max(c.get(i), previous + 1) : c.get(i);
                        previous = cut;
                        out.add(String.format(java.util.Locale.ROOT, segments.get(i), spell(cut, way)));
                    }
                    String s = String.join(sep, out);
                    return (lower ? s.toLowerCase(java.util.Locale.ROOT) : s).getBytes(StandardCharsets.UTF_8);
                });
    }

    // ---------------------------------------------------------------------------------------- suppression lines

    static Arbitrary<Instant> instant() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(0, 4_102_444_800L).map(Instant::ofEpochSecond)),
                Tuple.of(2, Combinators.combine(Arbitraries.longs().between(Instant.MIN.getEpochSecond(),
                        Instant.MAX.getEpochSecond()), Arbitraries.integers().between(0, 999_999_999))
                        .as(Instant::ofEpochSecond)),
                Tuple.of(1, Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH)));
    }

    static Arbitrary<byte[]> suppressionLines() {
        Arbitrary<String> address = Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().withCharRange('a', 'z').withChars(".-\u00e9").ofMinLength(1).ofMaxLength(30))
                .as((l, d) -> l + "@" + d);
        Arbitrary<SuppressionState> state = Combinators.combine(address, Arbitraries.of(SuppressionState.Status.class),
                        Arbitraries.of(SuppressionState.Cause.class), instant(), instant().injectNull(0.3),
                        instant().list().ofMaxSize(12), Arbitraries.of(Reason.class).injectNull(0.1), instant())
                .as(GrammarFuzzTest::state);
        return state.map(s -> s.toLine().getBytes(StandardCharsets.UTF_8));
    }

    /** A state as generated where the record allows it, else the nearest one it allows. */
    private static SuppressionState state(String address, SuppressionState.Status status,
                                          SuppressionState.Cause cause, Instant since, Instant until,
                                          List<Instant> bounces, Reason reason, Instant updated) {
        List<Instant> sorted = new ArrayList<>(bounces);
        sorted.sort(null);
        Instant end = until == null || until.isBefore(since) ? null : until;
        String addr = address.strip().isEmpty() ? "x" + address : address;
        return status == SuppressionState.Status.ACTIVE
                ? new SuppressionState(addr, status, null, null, null, sorted, reason, updated)
                : new SuppressionState(addr, status, cause, since, end, sorted, reason, updated);
    }

    // ---------------------------------------------------------------------------------------------------- runs

    @Example
    void ruleFileParser() {
        Fuzz.Mutator m = new Fuzz.Mutator(ParserFuzzTest.ruleFiles(), ParserFuzzTest.RULE_TOKENS,
                ParserFuzzTest.RULE_NESTING, 256 << 10);
        Fuzz.Report r = Fuzz.run(ParserFuzzTest.RULE_SET, new Fuzz.Grammar(ruleFiles(), m), Fuzz.inputs(),
                Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }

    @Example
    void retrySchedules() {
        Fuzz.Mutator m = new Fuzz.Mutator(List.of("F,2h,15m; G,16h,1h,1.5; F,4d,6h".getBytes(StandardCharsets.UTF_8)),
                List.of("F,", "G,", "H,", ";", ",", "2h", "1.5", "3650d"), List.of(), 4096);
        Fuzz.Report r = Fuzz.run(ParserFuzzTest.RETRY_SCHEDULE, new Fuzz.Grammar(retryRules(), m), Fuzz.inputs(),
                Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }

    @Example
    void suppressionStates() {
        Fuzz.Mutator m = new Fuzz.Mutator(List.of("v1\tx@y".getBytes(StandardCharsets.UTF_8)), List.of("\t", "\\t",
                "\\u", "\\\\", ",", "-", "suppressed", "active"), List.of(), 64 << 10);
        Fuzz.Report r = Fuzz.run(ParserFuzzTest.SUPPRESSION_STATE, new Fuzz.Grammar(suppressionLines(), m),
                Fuzz.inputs(), Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }
}
