package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncekit.classifier.internal.RuleEngine;
import org.bouncekit.classifier.policy.RetrySchedule;
import org.bouncekit.classifier.policy.SuppressionState;
import org.bouncekit.core.EnhancedStatus;
import org.bouncekit.testing.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the classifier's parsers with {@link Fuzz} ({@value Fuzz#DEFAULT_INPUTS} inputs each in CI, more with
 * {@code -Dbouncekit.fuzz.inputs}): rule files ({@link RuleSet#read}, then the rule engine built from what it read,
 * regexes included), Exim retry rules ({@link RetrySchedule#segmented}) and the suppression list's line form
 * ({@link SuppressionState#parse}). Each either gives a value or throws the one exception its javadoc documents.
 * Every failure kept under {@code src/test/resources/fuzz/PARSER/} is replayed by
 * {@link #regressionFileStillPasses}.
 */
class ParserFuzzTest {

    private static final List<String> REPLIES = List.of("550 5.1.1 <a@example.com>: Recipient address rejected: "
            + "User unknown in virtual mailbox table", "452 4.2.2 The email account that you tried to reach is over "
            + "quota", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org");

    /**
     * Rule files: a rule set, or a {@link RuleFileException} listing at least one problem, each with a line and a
     * column from 1; what was read builds a rule engine (phrases and linear-time regexes compiled) that matches the
     * input's own text and three real replies. Allocation: 20 MB plus 512 bytes per input byte. The bytes grow the
     * engine's phrase automaton; the 12 MB beyond the first 8 are for regexes, which a short input can make as large
     * as the limit allows: a file's regexes compile to at most 20,000 instructions ({@code MAX_TOTAL_PROGRAM}), at
     * about 100 bytes an instruction for each of the three compilations here (the reader's budget, the rule
     * builder's check, the engine), and each of the four matches allocates the virtual machine's thread lists, about
     * 55 bytes an instruction (a grammar fuzz finding: 8.8 MB for a 164-byte file of 18,007 instructions).
     */
    static final Fuzz.Target RULE_SET = new Fuzz.Target("classifier.RuleSet", input -> {
        String text = Fuzz.text(input);
        RuleSet set;
        try {
            set = RuleSet.read("fuzz.rules", new StringReader(text));
        } catch (RuleFileException e) {
            assertFalse(e.problems().isEmpty(), "a refusal names its problems");
            for (RuleProblem p : e.problems()) {
                assertTrue(p.line() >= 1 && p.column() >= 1, p::toString);
            }
            assertNotNull(e.getMessage());
            return;
        }
        assertNotNull(set.name());
        Fuzz.accepted();
        RuleEngine engine = new RuleEngine(List.of(set));
        engine.match(text.length() > 4096 ? text.substring(0, 4096) : text, null, 0, null, null, null);
        for (String reply : REPLIES) {
            engine.match(reply, new EnhancedStatus(5, 1, 1), 550, "mx.example.com", "RCPT", "postfix");
        }
    }, new Fuzz.Bound(20 << 20, 512));

    /**
     * Exim retry rules: a schedule, or {@link IllegalArgumentException}; a schedule prints a text that reads back as
     * an equal schedule, and gives a delay, never negative, for every attempt (with and without jitter). Allocation:
     * 2 MB plus 256 bytes per input byte.
     */
    static final Fuzz.Target RETRY_SCHEDULE = new Fuzz.Target("classifier.RetrySchedule", input -> {
        RetrySchedule s;
        try {
            s = RetrySchedule.segmented(Fuzz.text(input));
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
            return;
        }
        Fuzz.accepted();
        assertEquals(s, RetrySchedule.segmented(s.toString()), "toString reads back");
        RetrySchedule jittered = s.withJitter(0.5);
        Duration elapsed = Duration.ZERO;
        Duration previous = null;
        for (int failures = 1; failures <= 40; failures++) {
            RetrySchedule.Attempt a = new RetrySchedule.Attempt(failures, elapsed, previous, 0.999);
            Duration d = s.delay(a);
            assertFalse(d.isNegative(), d::toString);
            assertFalse(jittered.delay(a).isNegative());
            previous = d;
            elapsed = elapsed.plus(d).plusMinutes(1);
        }
        s.cutoff();
    }, new Fuzz.Bound(2 << 20, 256));

    /**
     * Suppression lines: a state, or {@link IllegalArgumentException}; a state writes a line that reads back
     * equal. Allocation: 2 MB plus 256 bytes per input byte.
     */
    static final Fuzz.Target SUPPRESSION_STATE = new Fuzz.Target("classifier.SuppressionState", input -> {
        SuppressionState s;
        try {
            s = SuppressionState.parse(Fuzz.text(input));
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
            return;
        }
        Fuzz.accepted();
        assertEquals(s, SuppressionState.parse(s.toLine()), "toLine reads back");
        s.isSuppressed(Instant.EPOCH);
    }, new Fuzz.Bound(2 << 20, 256));

    static final Map<String, Fuzz.Target> TARGETS = Map.of(RULE_SET.folder(), RULE_SET,
            RETRY_SCHEDULE.folder(), RETRY_SCHEDULE, SUPPRESSION_STATE.folder(), SUPPRESSION_STATE);

    /** The built-in rule files, the test provider's file, and each rule of them alone in a file. */
    static List<byte[]> ruleFiles() {
        List<byte[]> out = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (String name : List.of("rules/rfc3463.rules", "rules/generic.rules", "rules/providers.rules",
                "acme.rules")) {
            try (InputStream in = name.startsWith("rules/") ? RuleSet.class.getResourceAsStream(name)
                    : ParserFuzzTest.class.getResourceAsStream(name)) {
                files.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String f : files) {
            out.add(f.getBytes(StandardCharsets.UTF_8));
            for (String rule : f.split("\n(?=rule )")) {
                if (rule.startsWith("rule ")) {
                    out.add(("bouncekit-rules 1\nruleset fuzz\n" + rule).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        out.add(("bouncekit-rules 1\nruleset r\ndisable generic:userunknown acme:x\nrule a\n  reason blocked\n"
                + "  regex \"(a|b)*c{2,5}[^x-z]\\\\d+$\" \"^550\"\nend\n").getBytes(StandardCharsets.UTF_8));
        return out;
    }

    static final List<String> RULE_TOKENS = List.of("bouncekit-rules 1\n", "ruleset ", "rule ", "end\n", "\nend",
            "disable ", "  reason ", "  text ", "  regex ", "  status ", "  code ", "  host ", "  provider ",
            "  format ", "  command ", "  priority ", "  effect ", "  decision ", "userunknown", "mailboxfull",
            "blocked", "permanent", "transient", "suppress", "retry", "5.1.1", "4.", "550", "RCPT", "DATA", "\"",
            "\\\"", "\\\\", "\"\"", "(", ")", "*", "+", "?", "{1000}", "{2,}", "{,3}", "{99999999999}", "|", "[a-z]",
            "[^", "]", "\\d", "\\w", "\\b", "^", "$", ".*", "(?i)", "(?:", "\\1", "\\u0041", "\\x{41}", "#", "\n",
            "\t", " ", "-1", "2147483648", "generic:", ":");

    static final List<String[]> RULE_NESTING = List.of(new String[] {"(", ")"}, new String[] {"[", "]"},
            new String[] {"(?:", ")*"}, new String[] {"\"", "\""}, new String[] {"rule x\n  reason blocked\n", "end\n"});

    @Test
    void ruleFileParser() {
        Fuzz.Mutator m = new Fuzz.Mutator(ruleFiles(), RULE_TOKENS, RULE_NESTING, 256 << 10);
        Fuzz.Report r = Fuzz.run(RULE_SET, m, Fuzz.inputs(), Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }

    @Test
    void retrySchedules() {
        List<byte[]> seeds = new ArrayList<>();
        for (String s : List.of("F,2h,15m; G,16h,1h,1.5; F,4d,6h", " f , 120m ,15m ;g,16h,60m,1.50;F,3d24h,21600s; ",
                "F,5s4m3h2d1w,90s;G,14d,24h,2.000;H,21d,1s,100", "F,1h1h,30m30m", "H,5d,10m,3", "G,5d,1h,2",
                "F,1h,5m; F,1d,1h; F,5d,6h", "F,3650d,1s", "G,1d,1h,", "F,0s,1m", "F,1234567890s,1m")) {
            seeds.add(s.getBytes(StandardCharsets.UTF_8));
        }
        Fuzz.Mutator m = new Fuzz.Mutator(seeds, List.of("F,", "G,", "H,", ";", ",", "2h", "15m", "1.5", "1d", "1w",
                "30s", "100", "3650d", "3651d", "0.0001", "1e3", "-1", ".", "  "), List.of(), 4096);
        Fuzz.Report r = Fuzz.run(RETRY_SCHEDULE, m, Fuzz.inputs(), Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }

    @Test
    void suppressionStates() {
        Instant t0 = Instant.parse("2026-01-02T03:04:05.123456789Z");
        List<SuppressionState> states = List.of(SuppressionState.active("bob@example.com", t0),
                new SuppressionState("Tab\t\u00e9\\x\u0001\ud800@Example.com", SuppressionState.Status.SUPPRESSED,
                        SuppressionState.Cause.HARD_BOUNCE, t0, t0.plusSeconds(86_400), List.of(t0, t0.plusNanos(1)),
                        Reason.USERUNKNOWN, t0),
                new SuppressionState("c@d", SuppressionState.Status.SUPPRESSED, SuppressionState.Cause.SOFT_BOUNCES,
                        Instant.EPOCH, null, List.of(Instant.MIN, Instant.EPOCH), Reason.MAILBOXFULL, Instant.MAX),
                new SuppressionState("e@f", SuppressionState.Status.ACTIVE, null, null, null,
                        List.of(t0, t0, t0), Reason.FEEDBACK, t0));
        List<byte[]> seeds = new ArrayList<>();
        for (SuppressionState s : states) {
            seeds.add(s.toLine().getBytes(StandardCharsets.UTF_8));
        }
        Fuzz.Mutator m = new Fuzz.Mutator(seeds, List.of("\t", "v1", "-", ",", "suppressed", "active", "hard_bounce",
                "complaint", "soft_bounces", "manual", "userunknown", "\\t", "\\n", "\\\\", "\\u", "\\ud800",
                "\\u00zz", "+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z",
                "1970-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "T24:00:00Z"), List.of(), 64 << 10);
        Fuzz.Report r = Fuzz.run(SUPPRESSION_STATE, m, Fuzz.inputs(), Fuzz.seed());
        assertEquals(0, r.failures(), () -> Fuzz.describe(r));
    }

    /** @return the kept failures, {@code PARSER/file}; empty (zero invocations) when there are none */
    static List<String> regressions() {
        return Fuzz.regressions("classifier");
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("regressions")
    void regressionFileStillPasses(String file) throws IOException {
        Fuzz.assertReplays(file, TARGETS);
    }
}
