package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {

    /** Gmail's user-unknown reply, its lines separated by the two characters backslash and n. */
    private static final String GMAIL_NO_SUCH_USER = "550-5.1.1 The email account that you tried to reach does not "
            + "exist. Please try\\n550-5.1.1 double-checking the recipient's email address for typos or\\n"
            + "550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser";

    private static final String GMAIL_RATE_LIMIT = "421-4.7.28 [192.0.2.1] Our system has detected an unusual rate "
            + "of\\n421-4.7.28 unsolicited mail originating from your IP address. To protect our\\n421 4.7.28 users "
            + "from spam, mail sent from your IP address has been temporarily rate limited.";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, Mail.bytes(content));
        return p;
    }

    private Path writeRules(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static String block(String recipient, String fields) {
        return "Final-Recipient: rfc822; " + recipient + "\n" + fields + "\n";
    }

    @Test
    void userUnknownWithStatus511IsHardAndSuppressed() throws IOException {
        Path f = write("dsn.eml", Mail.dsn(List.of(block("alice@example.org", "Action: failed\nStatus: 5.1.1\n"
                + "Remote-MTA: dns; mail.example.org\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown"))));
        Cli.Result r = Cli.run("classify", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(1, r.rows().size(), r.out());
        Map<String, Object> row = r.row(0);
        assertEquals("alice@example.org", row.get("recipient"));
        assertEquals("userunknown", row.get("reason"), r.out());
        assertEquals("hard", row.get("type"), r.out());
        assertEquals("suppress", row.get("decision"), r.out());
        assertEquals(Boolean.FALSE, row.get("retryable"), r.out());
        assertNotNull(row.get("rule"), r.out());
        assertNotNull(row.get("ruleSet"), r.out());
        assertNotNull(row.get("evidenceField"), r.out());
        Cli.checkClassification(row, r.out());
    }

    @Test
    void eachRecipientGetsItsOwnClassification() throws IOException {
        Path f = write("dsn.eml", Mail.twoRecipientDsn());
        Cli.Result r = Cli.run("classify", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("alice@example.org", "bob@example.org"), r.column("recipient"), r.out());
        assertEquals("userunknown", r.row(0).get("reason"), r.out());
        assertEquals("hard", r.row(0).get("type"), r.out());
        // bob's delivery is only delayed: a transient problem, to be retried
        assertEquals("soft", r.row(1).get("type"), r.out());
        assertEquals("retry", r.row(1).get("decision"), r.out());
        assertEquals(Boolean.TRUE, r.row(1).get("retryable"), r.out());
    }

    @Test
    void classifyKeepsEveryParseFieldAndAddsTheClassificationAfterThem() throws IOException {
        write("in/a-dsn.eml", Mail.twoRecipientDsn());
        write("in/b-arf.eml", Mail.arf());
        write("in/c-auto.eml", Mail.autoReply());
        write("in/d-plain.eml", Mail.plain());
        String in = dir.resolve("in").toString();
        Cli.Result parse = Cli.run("parse", in);
        Cli.Result classify = Cli.run("classify", in);
        assertEquals(0, parse.code(), parse.err());
        assertEquals(0, classify.code(), classify.err());
        assertEquals(5, parse.rows().size(), parse.out());
        assertEquals(parse.rows().size(), classify.rows().size(), classify.out());
        for (int i = 0; i < parse.rows().size(); i++) {
            Map<String, Object> p = parse.row(i);
            Map<String, Object> c = classify.row(i);
            List<String> expectedKeys = new ArrayList<>(p.keySet());
            expectedKeys.addAll(Cli.CLASSIFICATION_FIELDS);
            assertEquals(expectedKeys, new ArrayList<>(c.keySet()), "row " + i);
            for (String k : p.keySet()) {
                assertEquals(p.get(k), c.get(k), "row " + i + " field " + k);
            }
            Cli.checkClassification(c, classify.out());
        }
        assertEquals(List.of("bounce", "delay", "feedback", "auto_reply", "not_a_report"), classify.column("kind"));
        assertEquals("feedback", classify.row(2).get("reason"));
        assertEquals("complaint", classify.row(2).get("type"));
        assertEquals("vacation", classify.row(3).get("reason"));
        assertEquals("ignore", classify.row(3).get("decision"));
        // a message that is not a report has no classification: every classification field is null
        for (String field : Cli.CLASSIFICATION_FIELDS) {
            assertNull(classify.row(4).get(field), field);
        }
    }

    @Test
    void deliveryReportWithoutRecipientsGivesOneRowWithoutClassification() {
        String dsn = """
                From: MAILER-DAEMON@mx.example.net
                To: sender@example.com
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/plain

                Sorry.

                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net

                --B--
                """;
        Cli.Result r = Cli.runWithStdin(Mail.bytes(dsn), "classify", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.rows().size(), r.out());
        assertEquals("bounce", r.row(0).get("kind"));
        assertEquals("mx.example.net", r.row(0).get("reportingMta"));
        for (String field : Cli.CLASSIFICATION_FIELDS) {
            assertNull(r.row(0).get(field), field);
        }
    }

    @Test
    void stdinAndAMissingFileAreHandledAsParseDoes() throws IOException {
        Path missing = dir.resolve("missing.eml");
        Cli.Result r = Cli.runWithStdin(Mail.bytes(Mail.twoRecipientDsn()), "classify", missing.toString(), "-");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bouncekit: " + missing + ": no such file or directory"), r.err());
        assertEquals(List.of("-", "-"), r.column("source"));
        assertEquals("userunknown", r.row(0).get("reason"), r.out());
    }

    @Test
    void multiLineGmailReplyWithBackslashN() {
        Cli.Result r = Cli.smtp(new byte[0], "classify", "--smtp", GMAIL_NO_SUCH_USER);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(1, r.rows().size(), r.out());
        Map<String, Object> row = r.row(0);
        assertEquals(GMAIL_NO_SUCH_USER.replace("\\n", "\n"), row.get("input"), "real line ends in input");
        assertEquals(550L, row.get("replyCode"));
        assertEquals("5.1.1", row.get("status"));
        String text = (String) row.get("text");
        assertTrue(text.startsWith("The email account that you tried to reach does not exist."), text);
        assertFalse(text.contains("550"), "codes of continuation lines removed: " + text);
        assertEquals("userunknown", row.get("reason"), r.out());
        assertEquals("hard", row.get("type"), r.out());
        assertEquals("suppress", row.get("decision"), r.out());
        assertEquals("gmail", row.get("provider"), r.out());
    }

    @Test
    void gmailRateLimitIsThrottled() {
        Cli.Result r = Cli.smtp(new byte[0], "classify", "--smtp", GMAIL_RATE_LIMIT);
        assertEquals(0, r.code(), r.err());
        Map<String, Object> row = r.row(0);
        assertEquals(421L, row.get("replyCode"));
        assertEquals("4.7.28", row.get("status"));
        assertEquals("speeding", row.get("reason"), r.out());
        assertEquals("throttle", row.get("decision"), r.out());
        assertEquals(Boolean.TRUE, row.get("retryable"), r.out());
        assertEquals("gmail", row.get("provider"), r.out());
        assertEquals("text", row.get("evidenceField"), r.out());
    }

    @Test
    void smtpDashReadsOneReplyPerLineOfStdin() {
        String stdin = "550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown\n"
                + "\n   \n"
                + "452-4.2.2 The recipient's inbox is full\\n452 4.2.2 Mailbox full\r\n";
        Cli.Result r = Cli.smtp(stdin.getBytes(StandardCharsets.UTF_8), "classify", "--smtp", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.rows().size(), "blank lines skipped: " + r.out());
        assertEquals(List.of(550L, 452L), r.column("replyCode"));
        assertEquals("452-4.2.2 The recipient's inbox is full\n452 4.2.2 Mailbox full", r.row(1).get("input"));
        assertEquals(List.of("userunknown", "mailboxfull"), r.column("reason"), r.out());
        assertEquals(List.of(false, true), r.column("retryable"), r.out());
    }

    @Test
    void smtpRepliesKeepTheirOrderAcrossArgumentsAndStdin() {
        Cli.Result r = Cli.smtp("552 5.2.2 Mailbox full\n".getBytes(StandardCharsets.UTF_8),
                "classify", "--smtp", GMAIL_RATE_LIMIT, "--smtp", "-", "--smtp", "mailbox full");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("speeding", "mailboxfull", "mailboxfull"), r.column("reason"), r.out());
        // a reply that starts with neither a code nor a status is classified by its words alone
        Map<String, Object> words = r.row(2);
        assertNull(words.get("replyCode"));
        assertNull(words.get("status"));
        assertEquals("mailbox full", words.get("text"));
    }

    @Test
    void overlongStdinReplyIsCutAtTheLimit() {
        String longReply = "552 5.2.2 mailbox full " + "x".repeat(ClassifyCommand.MAX_REPLY_CHARS);
        byte[] stdin = (longReply + "\n550 5.1.1 user unknown\n").getBytes(StandardCharsets.UTF_8);
        Cli.Result r = Cli.smtp(stdin, "classify", "--smtp", "-");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("line 1: longer than " + ClassifyCommand.MAX_REPLY_CHARS), r.err());
        assertEquals(2, r.rows().size(), r.out());
        assertEquals(longReply.substring(0, ClassifyCommand.MAX_REPLY_CHARS), r.row(0).get("input"));
        assertEquals(List.of("mailboxfull", "userunknown"), r.column("reason"));
    }

    @Test
    void userRuleFileOverridesABuiltInRule() throws IOException {
        Cli.Result before = Cli.smtp(new byte[0], "classify", "--smtp", GMAIL_NO_SUCH_USER);
        assertEquals("userunknown", before.row(0).get("reason"), before.out());
        assertEquals("providers", before.row(0).get("ruleSet"), before.out());
        assertEquals("gmail.nosuchuser", before.row(0).get("rule"), before.out());

        Path rules = writeRules("override.rules", """
                bouncekit-rules 1
                ruleset mine
                # our Gmail accounts report full mailboxes this way (an example, not Gmail's behaviour)
                rule gmail.nosuchuser
                  reason mailboxfull
                  provider gmail
                  text "the email account that you tried to reach does not exist"
                end
                """);
        Cli.Result after = Cli.smtp(new byte[0], "classify", "--rules", rules.toString(), "--smtp",
                GMAIL_NO_SUCH_USER);
        assertEquals(0, after.code(), after.err());
        Map<String, Object> row = after.row(0);
        assertEquals("mailboxfull", row.get("reason"), after.out());
        assertEquals("soft", row.get("type"), after.out());
        assertEquals("mine", row.get("ruleSet"), after.out());
        assertEquals("gmail.nosuchuser", row.get("rule"), after.out());
    }

    @Test
    void userRuleFileAddsAProviderRuleForRepliesAndMessages() throws IOException {
        String reply = "550 acme storage exhausted for this user";
        Path dsn = write("acme.eml", Mail.dsn(List.of(block("erin@acme.example", "Action: failed\n"
                + "Status: 5.0.0\nDiagnostic-Code: smtp; " + reply))));
        Cli.Result before = Cli.smtp(new byte[0], "classify", "--smtp", reply);
        assertNotEquals("mailboxfull", before.row(0).get("reason"), before.out());
        assertNull(before.row(0).get("provider"), before.out());
        Cli.Result beforeDsn = Cli.run("classify", dsn.toString());
        assertNotEquals("mailboxfull", beforeDsn.row(0).get("reason"), beforeDsn.out());

        Path rules = writeRules("acme.rules", """
                bouncekit-rules 1
                ruleset acme
                rule acme.storage
                  reason mailboxfull
                  provider acme
                  text "acme storage exhausted"
                end
                """);
        Cli.Result after = Cli.smtp(new byte[0], "classify", "--rules", rules.toString(), "--smtp", reply);
        assertEquals(0, after.code(), after.err());
        Map<String, Object> row = after.row(0);
        assertEquals("mailboxfull", row.get("reason"), after.out());
        assertEquals("acme", row.get("provider"), after.out());
        assertEquals("acme.storage", row.get("rule"), after.out());
        assertEquals("acme", row.get("ruleSet"), after.out());
        assertEquals("acme storage exhausted", row.get("evidenceSpan"), after.out());

        Cli.Result afterDsn = Cli.run("classify", "--rules", rules.toString(), dsn.toString());
        assertEquals(0, afterDsn.code(), afterDsn.err());
        assertEquals("mailboxfull", afterDsn.row(0).get("reason"), afterDsn.out());
        assertEquals("acme", afterDsn.row(0).get("provider"), afterDsn.out());
    }

    @Test
    void brokenRuleFileIsAUsageErrorWithEveryProblem() throws IOException {
        Path rules = writeRules("broken.rules", """
                bouncekit-rules 1
                ruleset broken
                rule broken.one
                  reason nosuchreason
                  text "unterminated
                end
                """);
        Cli.Result r = Cli.smtp(new byte[0], "classify", "--rules", rules.toString(), "--smtp", "550 5.1.1 no");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains(rules + ":4:10: unknown reason \"nosuchreason\""), r.err());
        assertTrue(r.err().contains(rules + ":5:8: unterminated quote"), r.err());
    }

    /** Regression: a rule file past the classifier's regex limit ended the command with a stack trace. */
    @Test
    void ruleFilePastTheClassifierLimitsIsAUsageErrorNamingTheLimit() throws IOException {
        // one file past the limit is refused when read, at the regex that passes it
        Path rules = writeRules("big.rules", regexRules("big", 40));
        Cli.Result r = Cli.smtp(new byte[0], "classify", "--rules", rules.toString(), "--smtp", "550 5.1.1 no");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals(rules + ":199:9: regex: the file's regexes compile to more than 20000 "
                + "instructions in all (limit MAX_TOTAL_PROGRAM)", r.err().strip());
        // two files under it each but past it together are refused by the classifier, naming the rule that passed it
        Path a = writeRules("a.rules", regexRules("a", 25));
        Path b = writeRules("b.rules", regexRules("b", 25));
        r = Cli.smtp(new byte[0], "classify", "--rules", a.toString(), "--rules", b.toString(), "--smtp",
                "550 5.1.1 no");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals("bouncekit: rules: the rules' regexes compile to more than 20000 instructions in all (limit "
                + "MAX_TOTAL_PROGRAM), passed at rule b:b.r14", r.err().strip());
    }

    private static String regexRules(String set, int rules) {
        StringBuilder text = new StringBuilder("bouncekit-rules 1\nruleset " + set + "\n");
        for (int i = 0; i < rules; i++) {
            text.append("rule ").append(set).append(".r").append(i)
                    .append("\n  regex \"x{500}y\"\n  reason mailboxfull\n  text \"quota\"\nend\n");
        }
        return text.toString();
    }

    @Test
    void missingRuleFileIsAUsageError() {
        Path missing = dir.resolve("missing.rules");
        Cli.Result r = Cli.smtp(new byte[0], "classify", "--rules", missing.toString(), "--smtp", "550 5.1.1 no");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("bouncekit: " + missing + ": no such file or directory"), r.err());
    }

    @Test
    void smtpWithAPathIsAUsageError() throws IOException {
        Path f = write("dsn.eml", Mail.twoRecipientDsn());
        Cli.Result r = Cli.run("classify", "--smtp", "550 5.1.1 no", f.toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("--smtp"), r.err());
        assertTrue(r.err().contains("Usage: bouncekit classify"), r.err());
    }

    @Test
    void classifyWithoutPathOrSmtpIsAUsageError() {
        Cli.Result r = Cli.run("classify");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("Usage: bouncekit classify"), r.err());
    }

    @Test
    void helpListsTheNewCommandsAndFields() {
        Cli.Result h = Cli.text("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("classify"), h.out());
        assertTrue(h.out().contains("rules"), h.out());
        Cli.Result ch = Cli.text("classify", "--help");
        assertEquals(0, ch.code());
        for (String option : List.of("--rules", "--smtp", "PATH")) {
            assertTrue(ch.out().contains(option), option + " in " + ch.out());
        }
        for (String field : Cli.SMTP_FIELDS) {
            assertTrue(ch.out().contains(field), field + " in " + ch.out());
        }
    }

    @Test
    void workersWriteExactlyWhatOneThreadWritesInInputOrder() throws IOException {
        Path corpus = Files.createDirectory(dir.resolve("many"));
        List<String> kinds = List.of(Mail.twoRecipientDsn(), Mail.arf(), Mail.autoReply(), Mail.plain());
        for (int i = 0; i < 400; i++) {
            Files.write(corpus.resolve(String.format("%04d.eml", i)), Mail.bytes(kinds.get(i % kinds.size())
                    .replace("hello", "hello " + i)));
        }
        Files.createDirectory(corpus.resolve("0200.eml.d")); // an empty directory among them: nothing to read
        Cli.Raw one;
        Cli.Raw four;
        String before = System.getProperty("bouncekit.workers");
        try {
            System.setProperty("bouncekit.workers", "1");
            one = Cli.raw(new byte[0], "classify", corpus.toString(), dir.resolve("missing").toString());
            System.setProperty("bouncekit.workers", "4");
            four = Cli.raw(new byte[0], "classify", corpus.toString(), dir.resolve("missing").toString());
        } finally {
            if (before == null) {
                System.clearProperty("bouncekit.workers");
            } else {
                System.setProperty("bouncekit.workers", before);
            }
        }
        assertEquals(1, one.code());
        assertEquals(1, four.code(), "the missing path is still an error");
        assertEquals(new String(one.out(), StandardCharsets.UTF_8), new String(four.out(), StandardCharsets.UTF_8));
        assertEquals(one.err(), four.err());
        String[] lines = new String(four.out(), StandardCharsets.UTF_8).split("\n");
        assertTrue(lines.length >= 400, () -> lines.length + " lines");
        assertTrue(lines[0].contains("0000.eml") && lines[lines.length - 1].contains("0399.eml"), "input order");
    }
}
