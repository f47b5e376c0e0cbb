package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What {@link AuthenticationResults} writes parses back to the same value, folded or not; parsing any text
 * terminates without throwing, and what it reads can be written and read again unchanged.
 *
 * <p>jqwik properties; the class name ends in {@code Test} so that surefire's default includes run it.
 */
class AuthenticationResultsPropertiesTest {

    private static final String KEYWORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    /** Characters that need quoting or escaping, or that the parser treats specially. */
    private static final String AWKWARD = " \t\"\\()<>@,;:/[]?=.'éü日";

    private static Arbitrary<String> keyword(String... known) {
        return Arbitraries.oneOf(Arbitraries.of(known),
                Arbitraries.strings().withChars(KEYWORD_CHARS).ofMinLength(1).ofMaxLength(10));
    }

    /** Values of every shape: tokens, addresses (quoted local parts too), IPv6, empty, and awkward text. */
    private static Arbitrary<String> value() {
        Arbitrary<String> atom = Arbitraries.strings().withChars("abcXYZ019.-+_").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> label = Arbitraries.strings().withChars("abz09-").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars(AWKWARD).ofMaxLength(16);
        return Arbitraries.oneOf(
                atom,
                Combinators.combine(atom, domain).as((l, d) -> l + "@" + d),
                domain.map(d -> "@" + d),
                Combinators.combine(text, domain).as((l, d) -> quoted(l) + "@" + d),
                Arbitraries.of("2001:db8::1", "::ffff:192.0.2.1", "192.0.2.200", "<>", "gfT/i2HB", "a=b", ""),
                text);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Provide
    Arbitrary<AuthenticationResults> fields() {
        Arbitrary<AuthResult.Property> property = Combinators.combine(
                        keyword("smtp", "header", "body", "policy"),
                        keyword("mailfrom", "helo", "d", "s", "i", "a", "b", "from", "iprev", "auth"),
                        value())
                .as(AuthResult.Property::new);
        Arbitrary<AuthResult> result = Combinators.combine(
                        keyword("spf", "dkim", "dmarc", "arc", "iprev", "auth", "none", "x-custom"),
                        Arbitraries.integers().between(-1, 3),
                        keyword("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror", "policy"),
                        value().injectNull(0.3),
                        property.list().ofMaxSize(4))
                .as(AuthResult::new);
        Arbitrary<String> authservId = Arbitraries.oneOf(
                Arbitraries.of("example.org", "mx.google.com", "mx example", "\u65e5\u672c.jp", ""), value());
        return Combinators.combine(authservId, Arbitraries.integers().between(-1, 2), result.list().ofMaxSize(4))
                .as((id, v, rs) -> new AuthenticationResults(id, v, rs, List.of()));
    }

    @Property(tries = 2000)
    void writtenValuesParseBack(@ForAll("fields") AuthenticationResults ar) {
        assertEquals(ar, AuthenticationResults.parse(ar.toHeaderValue()), ar.toHeaderValue());
        assertEquals(ar, AuthenticationResults.parse(ar.toHeaderField()), ar.toHeaderField());
    }

    @Property(tries = 500)
    void foldingOnlyAddsLineBreaks(@ForAll("fields") AuthenticationResults ar) {
        String field = ar.toHeaderField();
        String[] lines = field.split("\r\n", -1);
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].startsWith(" ") && lines[i].length() > 1, field);
        }
        assertEquals("Authentication-Results: " + ar.toHeaderValue(), field.replace("\r\n", ""));
    }

    @Provide
    Arbitrary<String> fieldish() {
        Arbitrary<String> piece = Arbitraries.of("example.org", " 1", ";", "; ", "spf", "=", "pass", " ", "\r\n ",
                "(", ")", "(c)", "\\", "\"", "\"q\"", "smtp", ".", "mailfrom", "a@b.c", "@", "/", "1", "reason",
                "none", "header.d=x", "2001:db8::1", "\t", "\u0000", "\u00e9");
        return Arbitraries.oneOf(
                piece.list().ofMaxSize(30).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(60));
    }

    @Property(tries = 3000)
    void parsingIsTotalAndStable(@ForAll("fieldish") String text) {
        AuthenticationResults first = AuthenticationResults.parse(text);
        assertNotNull(first);
        assertTrue(first.problems().size() <= AuthenticationResults.MAX_PROBLEMS + 1);
        AuthenticationResults again = AuthenticationResults.parse(first.toHeaderValue());
        assertEquals(List.of(), again.problems(), first.toHeaderValue());
        assertEquals(first.authservId(), again.authservId());
        assertEquals(first.version(), again.version());
        assertEquals(first.results(), again.results());
    }
}
