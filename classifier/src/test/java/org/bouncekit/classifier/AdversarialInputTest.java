package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncekit.classifier.internal.LinearRegex;
import org.bouncekit.testing.BoundedJvm;
import org.bouncekit.testing.BoundedJvm.Case;
import org.junit.jupiter.api.Test;

/**
 * Hostile rule files and texts, each run in a child JVM with {@code -Xmx64m} and 60 seconds: catastrophic regexes
 * (for a backtracking engine) against 100,000 characters, rule files of 100,000 rules, of regexes or phrases that
 * would not fit the heap, and lines of 10 MB and 100 MB. Each must end with a classification, or a
 * {@link RuleFileException} or {@link IllegalArgumentException} naming the limit; never an
 * {@link OutOfMemoryError}, a {@link StackOverflowError}, a hang or a rule that matches what it should not.
 */
class AdversarialInputTest {

    private static final Duration TIME = Duration.ofSeconds(60);

    /** Entry point of the child JVM: runs one group of cases, printing one line per case. */
    public static void main(String[] args) throws Exception {
        Map<String, Case> cases = switch (args[0]) {
            case "regex" -> regex();
            case "rule-files" -> ruleFiles();
            default -> throw new IllegalArgumentException(args[0]);
        };
        cases.replaceAll((name, c) -> () -> { // a documented refusal is an outcome, shown with its message
            try {
                return c.run();
            } catch (RuleFileException | IllegalArgumentException e) {
                String m = e.getMessage();
                return e.getClass().getSimpleName() + ": " + (m.length() > 300 ? m.substring(0, 300) : m);
            }
        });
        BoundedJvm.printCases(cases);
    }

    private static Path ruleFile(int rules, String condition) throws IOException {
        Path f = Files.createTempFile("adversarial", ".rules");
        f.toFile().deleteOnExit();
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("bouncekit-rules 1\nruleset hostile\n");
            for (int i = 0; i < rules; i++) {
                w.write("rule r" + i + "\n  " + condition.replace("#", Integer.toString(i))
                        + "\n  reason mailboxfull\nend\n");
            }
        }
        return f;
    }

    private static String classify(Classifier c, String text) {
        Evidence e = c.classify(550, null, text, null).evidence();
        return e.ruleSet() + ":" + e.ruleId();
    }

    private static Map<String, Case> regex() {
        Map<String, Case> c = new LinkedHashMap<>();
        String text = "a".repeat(100_000) + "!";
        for (String p : new String[] {"(a+)+$", "(a|aa)*b", "(.*a){20}!x", "((a*)*)*b"}) {
            c.put("steps " + p, () -> {
                LinearRegex r = LinearRegex.compile(p);
                long[] steps = new long[1];
                LinearRegex.Span s = r.find(text, steps);
                return "match " + s + " steps " + steps[0] + " bound " + (text.length() + 1L) * 3 * r.size();
            });
        }
        c.put("classify-long", () -> {
            Path f = Files.createTempFile("catastrophic", ".rules");
            f.toFile().deleteOnExit();
            Files.writeString(f, "bouncekit-rules 1\nruleset hostile\nrule catastrophic\n  regex \"(a+)+$\"\n"
                    + "  reason mailboxfull\nend\n");
            Classifier cl = Classifier.builder().addRuleFile(f).build();
            // cut at 8 KiB, the text ends in 'a's; its real end is the '!', so the rule must not match
            return classify(cl, text) + " / short: " + classify(cl, "a".repeat(5_000));
        });
        return c;
    }

    private static Map<String, Case> ruleFiles() {
        Map<String, Case> c = new LinkedHashMap<>();
        c.put("100000-rules", () -> {
            RuleSet.read(ruleFile(100_000, "text \"phrase #\""));
            return "read";
        });
        c.put("24999-short-rules", () -> {
            Classifier cl = Classifier.builder().addRuleFile(ruleFile(24_999, "text \"quota r#;\"")).build();
            return classify(cl, "552 quota r24998; try later");
        });
        c.put("regex-rules-over-the-limit", () -> {
            Classifier.builder().addRuleFile(ruleFile(24_999, "regex \"x{500}y\"")).build();
            return "built";
        });
        c.put("regex-rules-at-the-limit", () -> {
            Classifier cl = Classifier.builder().addRuleFile(ruleFile(19, "regex \"x{500}y#\"")).build();
            // the child JVM's timeout guards against a hang; the work bound is the regex step count shown above
            return classify(cl, "x".repeat(100_000));
        });
        c.put("phrase-rules-over-the-limit", () -> {
            Classifier.builder().addRuleFile(ruleFile(24_999, "text \"p#-" + "x".repeat(180) + "\"")).build();
            return "built";
        });
        c.put("10MB-line", () -> {
            Path f = Files.createTempFile("long-line", ".rules");
            f.toFile().deleteOnExit();
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                w.write("bouncekit-rules 1\nruleset hostile\n# ");
                char[] x = new char[1 << 20];
                Arrays.fill(x, 'x');
                for (int i = 0; i < 10; i++) {
                    w.write(x);
                }
                w.write("\nrule after\n  text \"quota\"\n  reason mailboxfull\nend\n");
            }
            RuleSet.read(f);
            return "read";
        });
        c.put("100MB-line-from-a-reader", () -> {
            Reader header = new StringReader("bouncekit-rules 1\nruleset hostile\n# ");
            Reader line = new Reader() {
                long left = 100L << 20;

                @Override
                public int read(char[] buf, int off, int len) throws IOException {
                    int h = header.read(buf, off, len);
                    if (h > 0) {
                        return h;
                    }
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    Arrays.fill(buf, off, off + n, 'x');
                    left -= n;
                    return n;
                }

                @Override
                public void close() {
                    // nothing held
                }
            };
            RuleSet.read("hostile.rules", line);
            return "read";
        });
        return c;
    }

    private static Map<String, String> child(String name) throws Exception {
        return BoundedJvm.cases(AdversarialInputTest.class, "64m", TIME, name);
    }

    /**
     * Under {@code -Xmx64m}: patterns that backtrack catastrophically elsewhere run over 100,001 characters in at
     * most (length + 1) × 3 × program size steps; in a rule file, {@code (a+)+$} answers at once, does not match at
     * the 8 KiB cut of a longer text (it did: {@code $} took the cut for the end of the text), and matches a short
     * text that ends in 'a'.
     */
    @Test
    void catastrophicRegexesRunInLinearSteps() throws Exception {
        Map<String, String> out = child("regex");
        for (String p : new String[] {"(a+)+$", "(a|aa)*b", "(.*a){20}!x", "((a*)*)*b"}) {
            String o = out.get("steps " + p);
            String[] w = o.split(" ");
            assertEquals("null", w[1], p + ": " + o);
            assertTrue(Long.parseLong(w[3]) <= Long.parseLong(w[5]), p + ": " + o);
        }
        assertEquals("default:none / short: hostile:catastrophic", out.get("classify-long"));
    }

    /**
     * Under {@code -Xmx64m}: a file of 100,000 rules stops at 100,000 lines; 24,999 short rules (99,998 lines) load
     * and classify; rule files whose regexes or phrases would not fit the heap (they ran it out of memory) are
     * refused at the regex limit ({@code RuleEngine.MAX_TOTAL_PROGRAM}, 20,000 instructions; when the file is read,
     * once, at the regex that passes it) and the matcher's table limit (4,000,000 entries), and at the regex limit an
     * adversarial text still classifies within the child's timeout; lines of 10 MB and 100 MB are refused as too
     * long without being held (the 10 MB one ran the heap out).
     */
    @Test
    void oversizedRuleFilesStopAtTheirLimits() throws Exception {
        Map<String, String> out = child("rule-files");
        String lines = out.get("100000-rules");
        assertTrue(lines.startsWith("RuleFileException: ") && lines.contains(":100001:1: more than 100000 lines"),
                lines);
        assertEquals("hostile:r24998", out.get("24999-short-rules"));
        String regexes = out.get("regex-rules-over-the-limit");
        assertTrue(regexes.startsWith("RuleFileException: ") && regexes.contains(":9: regex: the file's regexes "
                + "compile to more than 20000 instructions in all (limit MAX_TOTAL_PROGRAM)"), regexes);
        assertEquals(1, regexes.split("MAX_TOTAL_PROGRAM", -1).length - 1, () -> "reported once: " + regexes);
        assertEquals("default:none", out.get("regex-rules-at-the-limit"));
        assertTrue(out.get("phrase-rules-over-the-limit").startsWith("IllegalArgumentException: the rules' phrases "
                + "need a matcher of more than 4000000 entries ("), out.get("phrase-rules-over-the-limit"));
        for (String line : new String[] {"10MB-line", "100MB-line-from-a-reader"}) {
            assertTrue(out.get(line).startsWith("RuleFileException: ") && out.get(line).contains(":3:4097: line "
                    + "longer than 4096 characters"), line + ": " + out.get(line));
        }
    }
}
