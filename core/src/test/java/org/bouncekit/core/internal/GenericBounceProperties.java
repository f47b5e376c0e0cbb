package org.bouncekit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link GenericBounce#standsAlone}, which replaced a copy of the line per address (a fuzz finding: quadratic in a
 * line of many addresses), answers as the copy did: {@code line.replace(a, "").strip().length() <= 60}.
 */
class GenericBounceProperties {

    @Provide
    Arbitrary<String> line() {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of("a@b.c", "xa@b.c", "a@b.ca", "A@B.C", " ", "   ",
                        "\t", "\u2003", "<", ">", "...", "550 5.1.1", "user unknown"),
                Arbitraries.strings().withChars("ab@. x-").ofMaxLength(30),
                Arbitraries.strings().withChars(' ').ofMinLength(40).ofMaxLength(90));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void standsAloneAsTheCopyDid(@ForAll("line") String line, @ForAll("address") String a) {
        boolean copy = line.replace(a, "").strip().length() <= 60;
        assertEquals(copy, GenericBounce.standsAlone(line, a, GenericBounce.nonSpaceFrom(line)),
                () -> "line \"" + line + "\" address \"" + a + "\"");
    }

    @Provide
    Arbitrary<String> address() {
        return Arbitraries.of(List.of("a@b.c", "xa@b.c", "a@b.ca", "\"a b\"@c.d", "b.c", "@"));
    }
}
