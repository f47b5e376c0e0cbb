package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncekit.core.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User rule sets from a file and through ServiceLoader: they override a built-in rule by id and add a provider;
 * providers apply in their declared order, not the class path's.
 */
class RuleSetProviderTest {

    private static final String OVER_QUOTA = "452-4.2.2 The email account that you tried to reach is over quota.\n"
            + "452 4.2.2 Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp";

    private static Classification classify(Classifier c, String reply) {
        return c.classify(SmtpReply.parse(reply).orElseThrow());
    }

    @Test
    void builtInOverQuotaIsATransientMailboxFull() {
        Classification c = classify(Classifier.defaults(), OVER_QUOTA);
        assertEquals(Reason.MAILBOXFULL, c.reason());
        assertEquals(BounceType.SOFT, c.type());
        assertTrue(c.retryable());
        assertEquals("providers", c.evidence().ruleSet());
    }

    @Test
    void serviceLoaderProvidersOverrideByIdAndAddAProvider() {
        Classifier c = Classifier.builder().loadProviders().build();
        Classification quota = classify(c, OVER_QUOTA);
        assertEquals("acme", quota.evidence().ruleSet(), "the provider's rule replaced the built-in one");
        assertEquals("gmail.overquota", quota.evidence().ruleId());
        assertEquals(Decision.SUPPRESS, quota.decision());
        assertFalse(quota.retryable(), "the override declares the reply permanent");
        Classification acme = classify(c, "554 5.7.1 Service unavailable; listed at acme-rbl-7");
        assertEquals(Reason.BLOCKED, acme.reason());
        assertEquals("acme", acme.provider(), "Acme (order 0) is applied after Early (order -1)");
        List<String> sets = c.ruleSets().stream().map(RuleSet::name).toList();
        assertEquals(List.of("rfc3463", "generic", "providers", "early", "acme"), sets);
        assertTrue(c.describeRules().contains("acme:acme.blocked -> blocked"));
        assertFalse(c.describeRules().contains("early:acme.blocked -> badreputation"));
    }

    @Test
    void userFileOverridesAndAddsAProvider(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.rules");
        Files.writeString(file, String.join("\n",
                "bouncekit-rules 1",
                "ruleset mine",
                "rule gmail.overquota",
                "  reason mailboxfull",
                "  provider gmail",
                "  text \"is over quota\"",
                "  effect permanent",
                "end",
                "rule contoso.gateway",
                "  reason policyviolation",
                "  provider contoso",
                "  regex \"cgw-\\d{3}\"",
                "  code 550 554",
                "end",
                ""));
        Classifier c = Classifier.builder().addRuleFile(file).build();
        Classification quota = classify(c, OVER_QUOTA);
        assertEquals("mine", quota.evidence().ruleSet());
        assertEquals(BounceType.SOFT, quota.type(), "mailboxfull is never hard");
        assertFalse(quota.retryable());
        Classification gw = classify(c, "550 5.7.1 Refused by gateway CGW-104");
        assertEquals(Reason.POLICYVIOLATION, gw.reason());
        assertEquals("contoso", gw.provider());
        assertEquals("cgw-104", gw.evidence().span());
    }

    @Test
    void brokenFileReportsEveryErrorWithLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.rules");
        Files.writeString(file, String.join("\n",
                "bouncekit-rules 1",
                "ruleset broken",
                "rule a",
                "  reason nosuchreason",
                "  text \"unterminated",
                "  status 9.9.9",
                "  regex \"(a\"",
                "end",
                "rule a",
                "  reason blocked",
                "  text \"x\"",
                "end",
                ""));
        List<RuleProblem> problems = RuleSet.check(file);
        List<String> shown = problems.stream().map(RuleProblem::toString).toList();
        String name = file.toString();
        assertTrue(shown.contains(name + ":4:10: unknown reason \"nosuchreason\""), shown.toString());
        assertTrue(shown.stream().anyMatch(s -> s.startsWith(name + ":5:8: ")), shown.toString());
        assertTrue(shown.stream().anyMatch(s -> s.startsWith(name + ":6:10: ")), shown.toString());
        assertTrue(shown.stream().anyMatch(s -> s.equals(name + ":7:10: regex: missing ')'")), shown.toString());
        assertTrue(shown.contains(name + ":9:6: rule id a used twice"), shown.toString());
        // the four refused lines are reported, not again the rule they leave without a reason or condition; the
        // duplicate's body is read without cascading errors
        assertEquals(5, problems.size(), shown::toString);
    }
}
