package org.bouncekit.classifier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LinearRegexTest {

    @Test
    void findsTheLeftmostMatch() {
        LinearRegex r = LinearRegex.compile("quota \\(\\d+ ?[km]b\\) exceeded");
        LinearRegex.Span s = r.find("550 mailbox quota (100 MB) exceeded now");
        assertEquals("quota (100 MB) exceeded", "550 mailbox quota (100 MB) exceeded now".substring(s.start(),
                s.end()));
        assertNull(r.find("quota exceeded"));
        assertTrue(LinearRegex.compile("^550 ").matches("550 x"));
        assertFalse(LinearRegex.compile("^550 ").matches("x 550 x"));
        assertTrue(LinearRegex.compile("full$").matches("mailbox full"));
        assertTrue(LinearRegex.compile("\\buser\\b").matches("no user here"));
        assertFalse(LinearRegex.compile("\\buser\\b").matches("no username here"));
        assertTrue(LinearRegex.compile("(?:ts0[1-3]|tss04)").matches("[TSS04] deferred"));
        assertTrue(LinearRegex.compile("a{2,3}b").matches("xaaab"));
        assertFalse(LinearRegex.compile("xa{2,3}b").matches("xaaaab"));
        assertTrue(LinearRegex.compile("[^a-z]5\\.1\\.1").matches("550 5.1.1 unknown"));
    }

    @Test
    void badPatternsNameTheOffset() {
        LinearRegex.PatternException e = assertThrows(LinearRegex.PatternException.class,
                () -> LinearRegex.compile("user (unknown"));
        assertEquals(5, e.offset());
        assertEquals(0, assertThrows(LinearRegex.PatternException.class, () -> LinearRegex.compile("*a")).offset());
        assertThrows(LinearRegex.PatternException.class, () -> LinearRegex.compile("(a)\\1"));
        assertThrows(LinearRegex.PatternException.class, () -> LinearRegex.compile("(?=a)"));
        assertThrows(LinearRegex.PatternException.class, () -> LinearRegex.compile("a{5,2}"));
        assertThrows(LinearRegex.PatternException.class, () -> LinearRegex.compile("[abc"));
        assertThrows(LinearRegex.PatternException.class, () -> LinearRegex.compile("(((a{1000}){1000}){1000})"));
    }

    /**
     * The catastrophic patterns of backtracking engines ({@code (a+)+$}, {@code (a|aa)*c}, {@code (.*a){12}})
     * against a megabyte that almost matches: the work is bounded by text length times program size, counted,
     * not timed.
     */
    @Test
    void repeatedEmptyGroupsCompileToNothing() {
        // a review finding: an empty group emits no instruction, so its repeats escaped the instruction limit and
        // four nested {1000} counts took a thousand to the fourth power steps to compile
        String nested = "(?:(?:(?:(?:){1000}){1000}){1000}){1000}x";
        LinearRegex r = LinearRegex.compile(nested, 10);
        assertEquals(LinearRegex.compile("x").size(), r.size());
        assertEquals(new LinearRegex.Span(3, 4), r.find("ab x"));
        assertEquals(LinearRegex.compile("ax").size(), LinearRegex.compile("a(){2,}()*x").size() - 2,
                "a star of an empty group keeps its loop: one split and one jump");
    }

    @Test
    void pathologicalPatternsRunInLinearSteps() {
        String text = "a".repeat(1 << 20) + "!";
        for (String p : new String[] {"(a+)+$", "(a|aa)*c", "(.*a){12}x", "(\\w+\\s?)*$x"}) {
            LinearRegex r = LinearRegex.compile(p);
            long[] steps = new long[1];
            r.find(text, steps);
            long bound = (text.length() + 1L) * 3L * r.size();
            assertTrue(steps[0] <= bound, p + ": " + steps[0] + " steps over the bound " + bound);
            // and the steps grow linearly: twice the text, at most about twice the work
            long[] half = new long[1];
            r.find(text.substring(text.length() / 2), half);
            assertTrue(steps[0] <= 2 * half[0] + 10L * r.size(), p + ": " + steps[0] + " vs " + half[0]);
        }
    }

    @Property(tries = 1000)
    void agreesWithJavaRegexOnSafePatterns(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        LinearRegex.Span s = LinearRegex.compile(pattern).find(text);
        if (m.find()) {
            assertEquals(m.start(), s.start(), pattern + " in " + text);
        } else {
            assertNull(s, pattern + " in " + text);
        }
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> atom = Arbitraries.of("a", "b", "ab", "[ab]", "[^a]", ".", "\\d", "(a|b)", "(ab|a)",
                "(?:ba)");
        Arbitrary<String> quant = Arbitraries.of("", "", "*", "+", "?", "{1,2}");
        return atom.flatMap(a -> quant.map(q -> a + q)).list().ofMinSize(1).ofMaxSize(4)
                .map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars('a', 'b', '1', ' ').ofMaxLength(12);
    }
}
