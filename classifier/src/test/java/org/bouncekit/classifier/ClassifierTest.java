package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncekit.core.DeliveryReport;
import org.bouncekit.core.ReportParser;
import org.bouncekit.core.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTest {

    private static Classification classify(Classifier c, String reply) {
        return c.classify(SmtpReply.parse(reply).orElseThrow());
    }

    @Test
    void gmailUnknownUserIsHardAndSuppressed() {
        Classification c = classify(Classifier.defaults(), "550-5.1.1 The email account that you tried to reach "
                + "does not exist. Please try\n550 5.1.1 double-checking the recipient's email address. - gsmtp");
        assertEquals(Reason.USERUNKNOWN, c.reason());
        assertEquals(BounceType.HARD, c.type());
        assertEquals(Decision.SUPPRESS, c.decision());
        assertEquals("gmail", c.provider());
        assertEquals("providers", c.evidence().ruleSet());
        assertFalse(c.retryable());
    }

    @Test
    void autoReplySayingTheMailboxIsGoneSuppressesIt() {
        String gone = String.join("\r\n", "From: <kim@example.com>", "To: <news@sender.test>",
                "Subject: Automatic reply: Your order", "Auto-Submitted: auto-replied", "",
                "This mailbox is no longer in use. Please write to orders@example.com instead.", "");
        Classification c = Classifier.defaults().classify(
                ReportParser.defaults().parse(gone.getBytes(StandardCharsets.UTF_8)))
                .get(0);
        assertEquals(Reason.SUSPEND, c.reason());
        assertEquals(BounceType.AUTO_REPLY, c.type());
        assertEquals(Decision.SUPPRESS, c.decision());
        assertEquals("kim@example.com", c.recipient());
        assertEquals("no longer in use", c.evidence().span());

        String away = gone.replace("This mailbox is no longer in use. Please write to orders@example.com instead.",
                "I am out of the office until Monday and will answer then.");
        Classification v = Classifier.defaults().classify(
                ReportParser.defaults().parse(away.getBytes(StandardCharsets.UTF_8)))
                .get(0);
        assertEquals(Reason.VACATION, v.reason());
        assertEquals(Decision.IGNORE, v.decision());
    }

    @Test
    void rateLimitIsThrottled() {
        Classification c = classify(Classifier.defaults(), "421-4.7.28 Gmail has detected an unusual rate of "
                + "unsolicited mail originating from your IP address.");
        assertEquals(Reason.SPEEDING, c.reason());
        assertEquals(Decision.THROTTLE, c.decision());
        assertTrue(c.retryable());
    }

    @Test
    void aReceivingDomainsFilterAtZohoIsItsPolicy() {
        Classification c = classify(Classifier.defaults(), "541 5.4.1 Mail rejected by destination domain");
        assertEquals(Reason.POLICYVIOLATION, c.reason());
        assertEquals("zoho", c.provider());
        assertEquals(Decision.CONTACT_RECIPIENT_ADMIN, c.decision());
    }

    @Test
    void phrasesMatchAcrossLineBreaks() {
        Classification c = classify(Classifier.defaults(), "552-5.2.2 The recipient's mailbox is\n552 5.2.2 full");
        assertEquals(Reason.MAILBOXFULL, c.reason());
        Classification folded = Classifier.defaults().classify(0, null, "sorry, mailbox\r\n\t  is full", null);
        assertEquals(Reason.MAILBOXFULL, folded.reason());
        assertEquals("text", folded.evidence().field());
    }

    @Test
    void aBare5xxIsNeverAHardBounce() {
        Classification c = classify(Classifier.defaults(), "550 go away");
        assertNotEquals(BounceType.HARD, c.type());
    }

    @Test
    void enhancedStatusDecidesWhenTheTextSaysNothing() {
        Classification c = classify(Classifier.defaults(), "552 5.2.2 xyzzy");
        assertEquals(Reason.MAILBOXFULL, c.reason());
        assertEquals("status", c.evidence().field());
        assertEquals("5.2.2", c.evidence().span());
    }

    @Test
    void userRuleFileOverridesAndDisables(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.rules");
        Files.writeString(file, String.join("\n",
                "bouncekit-rules 1",
                "ruleset mine",
                "# a 5xx 'over quota' at acme is a transient rate limit",
                "rule mailboxfull",
                "  reason speeding",
                "  text \"over quota\"",
                "  provider acme",
                "  effect transient",
                "end",
                "disable generic:userunknown.status",
                ""));
        Classifier c = Classifier.builder().addRuleFile(file).build();
        Classification quota = classify(c, "552 5.2.2 user is over quota");
        assertEquals(Reason.SPEEDING, quota.reason());
        assertEquals("acme", quota.provider());
        assertEquals("mine", quota.evidence().ruleSet());
        Classification unknown = classify(c, "550 5.1.1 user unknown");
        // with the confirming rule off, the words alone decide: not trusted as a hard bounce
        assertEquals("userunknown", unknown.evidence().ruleId(), "the disabled rule no longer decides");
        assertEquals(Reason.FILTERED, unknown.reason());
    }

    @Test
    void rulesInCode() {
        Classifier c = Classifier.builder()
                .addRule(Rule.builder("acme.block").text("acme-block-42").reason(Reason.BLOCKED).provider("acme")
                        .build())
                .build();
        Classification x = classify(c, "554 5.7.1 rejected: ACME-BLOCK-42");
        assertEquals(Reason.BLOCKED, x.reason());
        assertEquals(Decision.FIX_SENDER, x.decision());
        assertThrows(IllegalStateException.class, () -> Rule.builder("x").reason(Reason.BLOCKED).build());
        assertThrows(IllegalArgumentException.class, () -> Rule.builder("bad id"));
    }

    @Test
    void brokenRuleFileReportsEveryErrorWithItsPlace() throws IOException {
        String text = String.join("\n",
                "bouncekit-rules 1",
                "ruleset broken",
                "rule a",
                "  reason nosuchreason",
                "  text unquoted",
                "  status 9.9.9",
                "end",
                "rule b",
                "  reason blocked",
                "  code 999",
                "end",
                "frobnicate",
                "rule c",
                "  reason blocked",
                "  text \"open quote",
                "");
        RuleFileException e = assertThrows(RuleFileException.class,
                () -> RuleSet.read("broken.rules", new StringReader(text)));
        List<String> found = e.problems().stream().map(RuleProblem::toString).toList();
        assertTrue(found.contains("broken.rules:4:10: unknown reason \"nosuchreason\""), found.toString());
        assertTrue(found.contains("broken.rules:5:8: phrases must be quoted"), found.toString());
        assertTrue(found.stream().anyMatch(s -> s.startsWith("broken.rules:6:10: status must look like")), found.toString());
        assertTrue(found.contains("broken.rules:10:8: reply code must be 200-599: 999"), found.toString());
        assertTrue(found.contains("broken.rules:12:1: unknown directive \"frobnicate\""), found.toString());
        assertTrue(found.contains("broken.rules:15:8: unterminated quote"), found.toString());
        assertTrue(found.contains("broken.rules:13:1: rule not closed with \"end\""), found.toString());
    }

    @Test
    void builtInRuleSetsLoad() {
        List<RuleSet> sets = RuleSet.builtIn();
        assertEquals(List.of("rfc3463", "generic", "providers"), sets.stream().map(RuleSet::name).toList());
        assertTrue(Classifier.defaults().describeRules().size() > 60);
    }
    /** A multipart/report DSN: a human-readable part, then the given per-recipient blocks. */
    private static List<Classification> dsn(String notification, String... recipientBlocks) {
        StringBuilder m = new StringBuilder(String.join("\r\n", "From: Mail Delivery System <MAILER-DAEMON@mx.sender.test>",
                "To: <news@sender.test>", "Subject: Undelivered Mail Returned to Sender", "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"", "", "--b",
                "Content-Type: text/plain", "", notification, "", "--b", "Content-Type: message/delivery-status", "",
                "Reporting-MTA: dns; mx.sender.test", ""));
        for (String block : recipientBlocks) {
            m.append(block.replace("\n", "\r\n")).append("\r\n\r\n");
        }
        m.append("--b--\r\n");
        return Classifier.defaults().classify(ReportParser.defaults().parse(m.toString().getBytes(
                StandardCharsets.UTF_8)));
    }

    @Test
    void theStatusCommentExplainsTheStatus() {
        Classification c = dsn("Delivery failed; will not continue trying.",
                "Final-Recipient: rfc822; kim@example.jp\nAction: failed\n"
                        + "Status: 5.2.1 (mailbox disabled, not accepting messages)\n"
                        + "Diagnostic-Code: smtp; 550 5.2.1 <kim@example.jp>... User Unknown").get(0);
        assertEquals(Reason.SUSPEND, c.reason());
        assertEquals("statusComment", c.evidence().field());
        assertEquals("mailbox disabled", c.evidence().span());
        assertNotEquals(BounceType.HARD, c.type());
    }

    @Test
    void theBouncesOwnWordsVetoAHardBounceWhenTheySayTheMailboxExists() {
        String block = "Final-Recipient: rfc822; kim@example.jp\nAction: failed\nStatus: 5.1.1\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <kim@example.jp>... User Unknown";
        Classification full = dsn("Your message to <kim> was automatically rejected:\nNot enough disk space",
                block).get(0);
        assertEquals(Reason.MAILBOXFULL, full.reason());
        assertEquals("notification", full.evidence().field());
        assertEquals(Decision.RETRY, full.decision());

        Classification unknown = dsn("Your message could not be delivered.", block).get(0);
        assertEquals(Reason.USERUNKNOWN, unknown.reason());
        assertEquals(BounceType.HARD, unknown.type());

        // with two recipients the words may be about the other one: each keeps its own verdict
        List<Classification> two = dsn("One mailbox is full.", block,
                "Final-Recipient: rfc822; lee@example.jp\nAction: failed\nStatus: 5.2.2\n"
                        + "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full");
        assertEquals(Reason.USERUNKNOWN, two.get(0).reason());
        assertEquals(Reason.MAILBOXFULL, two.get(1).reason());
    }

    @Test
    void anUnrecognisedReplyIsReadWithTheBouncesOwnWords() {
        Classification c = dsn("----- Transcript of session follows -----\nmail.local: unknown user: kim\n"
                        + "554 <kim@example.net>... Service unavailable",
                "Final-Recipient: rfc822; kim@example.net\nAction: failed\nStatus: 5.5.0\n"
                        + "Diagnostic-Code: smtp; 554 <kim@example.net>... Service unavailable").get(0);
        assertEquals(Reason.USERUNKNOWN, c.reason());
        assertEquals("notification", c.evidence().field());
        assertEquals("mail.local: unknown user", c.evidence().span());

        Classification held = dsn("Delivery failed.",
                "Final-Recipient: rfc822; kim@example.net\nAction: failed\nStatus: 5.5.0\n"
                        + "Diagnostic-Code: smtp; 554 <kim@example.net>... Service unavailable").get(0);
        assertEquals(Reason.ONHOLD, held.reason());
    }

    @Test
    void aBounceThatSaysNothingButBoilerplateIsUndefined() {
        String text = String.join("\r\n", "From: Mail Delivery System <MAILER-DAEMON@mx.sender.test>",
                "To: <news@sender.test>", "Subject: Undeliverable message", "",
                "This is an automatically generated Delivery Status Notification.", "",
                "Delivery to the following recipients failed permanently:", "", "   * kim@example.org", "");
        DeliveryReport report = (DeliveryReport) ReportParser.defaults().parse(text.getBytes(StandardCharsets.UTF_8));
        Classification c = Classifier.defaults().classify(report).get(0);
        assertEquals("kim@example.org", c.recipient());
        assertEquals("generic", report.format());
        assertEquals(Reason.UNDEFINED, c.reason());
        assertEquals(BounceType.UNDETERMINED, c.type());
    }
}
