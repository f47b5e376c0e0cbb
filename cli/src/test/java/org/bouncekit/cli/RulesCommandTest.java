package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {

    private static final String VALID = """
            bouncekit-rules 1
            ruleset acme
            rule acme.storage
              reason mailboxfull
              provider acme
              text "acme storage exhausted"
              status 5.2.2 4.2.*
            end
            rule gmail.nosuchuser
              reason mailboxfull
              provider gmail
              text "the email account that you tried to reach does not exist"
            end
            """;

    /** An unknown reason on line 4 (column 10) and an unterminated quote on line 5 (column 8). */
    private static final String BROKEN = """
            bouncekit-rules 1
            ruleset broken
            rule broken.one
              reason nosuchreason
              text "unterminated
            end
            """;

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<String> lines(String text) {
        assertTrue(text.isEmpty() || text.endsWith("\n"), "output ends with a line feed");
        return text.lines().toList();
    }

    @Test
    void checkPrintsEveryProblemWithFileLineAndColumn() throws IOException {
        Path f = write("broken.rules", BROKEN);
        Cli.Result r = Cli.text("rules", "check", f.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.err());
        List<String> out = lines(r.out());
        assertTrue(out.contains(f + ":4:10: unknown reason \"nosuchreason\""), r.out());
        assertTrue(out.contains(f + ":5:8: unterminated quote"), r.out());
        for (String line : out) {
            assertTrue(line.matches("\\Q" + f + "\\E:\\d+:\\d+: .+"), "file:line:column: message, not " + line);
        }
        assertFalse(r.out().contains(": ok"), r.out());
    }

    @Test
    void checkOfAValidFileSaysOk() throws IOException {
        Path f = write("acme.rules", VALID);
        Cli.Result r = Cli.text("rules", "check", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(f + ": ok\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void checkReportsEachFileAndAnUnreadableOneOnStderr() throws IOException {
        Path good = write("acme.rules", VALID);
        Path bad = write("broken.rules", BROKEN);
        Path missing = dir.resolve("missing.rules");
        Cli.Result r = Cli.text("rules", "check", good.toString(), missing.toString(), bad.toString());
        assertEquals(1, r.code());
        List<String> out = lines(r.out());
        assertEquals(good + ": ok", out.get(0), r.out());
        assertTrue(out.stream().skip(1).allMatch(l -> l.startsWith(bad + ":")), r.out());
        assertEquals("bouncekit: " + missing + ": no such file or directory\n", r.err());
    }

    @Test
    void checkOfOnlyAMissingFileExitsOne() {
        Path missing = dir.resolve("missing.rules");
        Cli.Result r = Cli.text("rules", "check", missing.toString());
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("bouncekit: " + missing + ": "), r.err());
    }

    @Test
    void listShowsTheBuiltInRuleSets() {
        Cli.Result r = Cli.text("rules", "list");
        assertEquals(0, r.code(), r.err());
        List<String> out = lines(r.out());
        assertTrue(out.size() > 50, r.out());
        for (String line : out) {
            assertTrue(line.matches("[A-Za-z0-9._-]+:\\S+ -> [a-z_]+"), "set:id -> reason, not " + line);
        }
        assertTrue(out.stream().anyMatch(l -> l.startsWith("rfc3463:")), r.out());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("generic:")), r.out());
        assertTrue(out.contains("providers:gmail.nosuchuser -> userunknown"), r.out());
    }

    @Test
    void listWithARuleFileShowsItsRulesAndTheOverride() throws IOException {
        Path f = write("acme.rules", VALID);
        Cli.Result r = Cli.text("rules", "list", "--rules", f.toString());
        assertEquals(0, r.code(), r.err());
        List<String> out = lines(r.out());
        assertTrue(out.contains("acme:acme.storage -> mailboxfull"), r.out());
        assertTrue(out.contains("acme:gmail.nosuchuser -> mailboxfull"), r.out());
        assertFalse(out.contains("providers:gmail.nosuchuser -> userunknown"), "replaced: " + r.out());
    }

    @Test
    void listWithABrokenRuleFileIsAUsageError() throws IOException {
        Path f = write("broken.rules", BROKEN);
        Cli.Result r = Cli.text("rules", "list", "--rules", f.toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains(f + ":4:10: "), r.err());
    }

    @Test
    void usageErrors() {
        Cli.Result none = Cli.text("rules");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("Usage: bouncekit rules"), none.err());
        Cli.Result noFile = Cli.text("rules", "check");
        assertEquals(2, noFile.code());
        assertTrue(noFile.err().contains("FILE"), noFile.err());
        Cli.Result unknown = Cli.text("rules", "frobnicate");
        assertEquals(2, unknown.code());
        assertEquals("", unknown.out());
    }
}
