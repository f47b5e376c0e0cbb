package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the rule file reader does with the inputs the fuzzers ({@link ParserFuzzTest}, {@link GrammarFuzzTest}) found
 * wrong: an empty host suffix, and regexes that together pass the classifier's instruction limit, are problems of
 * the file, with their line and column; neither escapes {@link RuleSet#read} nor waits for the classifier.
 */
class FuzzFindingsTest {

    @Test
    void anEmptyHostSuffixIsAProblemOfTheFile() {
        String file = "bouncekit-rules 1\nruleset x\nrule o\n  reason blocked\n  host example.com \"\"\nend\n";
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleSet.read("x.rules",
                new StringReader(file)));
        assertEquals(List.of(new RuleProblem("x.rules", 5, 20, "host suffix must not be blank")), e.problems());
    }

    @Test
    void regexesOverTheClassifiersTotalAreAProblemOfTheFile() throws Exception {
        String big = "  regex \"(abcdefghijklmn){0,500}\"\n"; // fits alone, as LinearRegex allows each regex
        String file = "bouncekit-rules 1\nruleset x\nrule a\n  reason blocked\n" + big + big + big + "end\n";
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleSet.read("x.rules",
                new StringReader(file)));
        assertEquals(1, e.problems().size(), e.problems()::toString);
        RuleProblem p = e.problems().get(0);
        assertEquals(7, p.line(), p::toString); // two fit, the third passes the total
        assertEquals(9, p.column(), p::toString);
        assertTrue(p.message().contains("limit MAX_TOTAL_PROGRAM"), p::toString);
        // the same regexes in a file of their own each are read; the classifier refuses them together, naming it
        RuleSet one = RuleSet.read("one.rules", new StringReader("bouncekit-rules 1\nruleset one\nrule a\n"
                + "  reason blocked\n" + big + big + "end\n"));
        RuleSet two = RuleSet.read("two.rules", new StringReader("bouncekit-rules 1\nruleset two\nrule b\n"
                + "  reason blocked\n" + big + "end\n"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Classifier.builder()
                .addRuleSet(one).addRuleSet(two).build());
        assertTrue(refused.getMessage().contains("MAX_TOTAL_PROGRAM"), refused::getMessage);
    }

    @Test
    void compilingAFilesRegexesCostsOneBudgetHoweverManyTheyAre() {
        StringBuilder file = new StringBuilder("bouncekit-rules 1\nruleset x\n");
        for (int i = 0; i < 1000; i++) { // each regex alone compiles past the 20,000 instructions of one pattern
            file.append("rule r").append(i)
                    .append("\n  reason blocked\n  text \"x\"\n  regex \"(?:abcdefghijklmnopqrstuvwxyz){0,1000}\"\nend\n");
        }
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleSet.read("x.rules",
                new StringReader(file.toString())));
        // the first spends the file's budget and is refused as too large, once; the 999 others are only parsed (their
        // syntax is checked), not compiled, and their rules are not reported for the condition left out
        assertEquals(List.of(new RuleProblem("x.rules", 6, 10, "regex: pattern compiles to more than 20000 "
                + "instructions")), e.problems());
    }

    @Test
    void afterTheRegexLimitLaterRegexesAreStillCheckedForSyntaxAndLength() {
        // a review finding: once the budget was spent, later problems were lost and rules got a false "no condition";
        // a rule whose only condition is refused is reported for that condition, not again for having none
        String big = "  regex \"(abcdefghijklmn){0,500}\"\n";
        String file = "bouncekit-rules 1\nruleset x\nrule a\n  reason blocked\n" + big + big + big + "end\n"
                + "rule b\n  reason blocked\n  regex \"(unclosed\"\nend\n"
                + "rule c\n  reason blocked\n  regex \"" + "x".repeat(1001) + "\"\nend\n"
                + "rule d\n  reason blocked\n  regex \"fine\"\nend\n";
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleSet.read("x.rules",
                new StringReader(file)));
        assertEquals(List.of("x.rules:7:9: regex: the file's regexes compile to more than 20000 instructions in all "
                        + "(limit MAX_TOTAL_PROGRAM)", "x.rules:11:10: regex: missing ')'",
                "x.rules:15:9: regex must be 1-1000 characters"),
                e.problems().stream().map(RuleProblem::toString).toList());
    }
}
