package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * One small, in-process test per defect that {@link AdversarialInputTest} found (each failed before its fix); the
 * memory the limits save is shown there, under a heap bound.
 */
class AdversarialRegressionTest {

    private static String ruleOf(Classifier c, String text) {
        Evidence e = c.classify(550, null, text, null).evidence();
        return e.ruleSet() + ":" + e.ruleId();
    }

    /** A text longer than 8 KiB is cut there, and {@code $} and {@code \b} took the cut for the end of the text. */
    @Test
    void regexAnchorsDoNotMatchWhereALongTextIsCut() {
        Classifier c = Classifier.builder()
                .addRule(Rule.builder("ends-in-a").regex("(a+)+$").reason(Reason.MAILBOXFULL).build())
                .addRule(Rule.builder("quota-word").regex("\\bquota\\b").reason(Reason.MAILBOXFULL).build())
                .build();
        assertEquals("default:none", ruleOf(c, "a".repeat(9_000) + "!"));
        assertEquals("code:ends-in-a", ruleOf(c, "a".repeat(8_000)));
        // cut right after "quota", which goes on as "quotas"
        assertEquals("default:none", ruleOf(c, "y".repeat(8_186) + " quotas more"));
        assertEquals("code:quota-word", ruleOf(c, "y".repeat(8_000) + " quota more"));
    }

    /** 25,000 rules of {@code x{500}y} ran a 64 MB heap out of memory; 2,000 took 13 s per classification. */
    @Test
    void regexesBeyondTheTotalProgramLimitAreRefused() {
        Classifier.Builder b = Classifier.builder();
        for (int i = 0; i < 40; i++) {
            b.addRule(Rule.builder("x" + i).regex("x{500}y").reason(Reason.MAILBOXFULL).build());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("the rules' regexes compile to more than 20000 instructions in all (limit MAX_TOTAL_PROGRAM), "
                + "passed at rule code:x39", e.getMessage());
    }

    /** 25,000 phrases of 190 characters asked the phrase matcher for a table of hundreds of megabytes. */
    @Test
    void phrasesBeyondTheMatcherLimitAreRefused() {
        Classifier.Builder b = Classifier.builder();
        for (int i = 0; i < 500; i++) {
            b.addRule(Rule.builder("p" + i).text(i + "-" + "x".repeat(180)).reason(Reason.MAILBOXFULL).build());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().startsWith("the rules' phrases need a matcher of more than 4000000 entries ("),
                e.getMessage());
        assertTrue(e.getMessage().contains("; limit MAX_ENTRIES), passed at phrase \""), e.getMessage());
    }
}
