package org.bouncekit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Charsets#lookup} finds what {@link Charset#forName} finds, by name or alias in any case, and nothing for
 * names the runtime does not know, without asking the JDK for them (a fuzz finding: each such question scanned the
 * charset providers, and a message of thousands of made-up names took seconds).
 */
class CharsetsTest {

    /** Names mail uses for another charset than the JDK's of that name (cp932 is windows-31j in mail). */
    private static final Set<String> MAIL_ALIASES = Set.of("cp932", "ms932", "x-sjis", "shift-jis", "sjis",
            "ks_c_5601-1987", "ks_c_5601", "x-euc-jp", "ansi_x3.4-1968", "ascii", "latin1", "iso8859-1",
            "iso-8859-8-i", "x-gbk", "gb18030-2000", "utf8", "unicode-1-1-utf-8");

    @Test
    void everyCharsetOfTheRuntimeByNameAndAlias() {
        int n = 0;
        for (Charset c : Charset.availableCharsets().values()) {
            List<String> names = new ArrayList<>(List.of(c.name(), c.name().toUpperCase(Locale.ROOT)));
            names.addAll(c.aliases());
            for (String name : names) {
                if (!MAIL_ALIASES.contains(name.toLowerCase(Locale.ROOT))) {
                    assertEquals(Optional.of(Charset.forName(name)), Charsets.lookup(" " + name + " "), name);
                    n++;
                }
            }
        }
        assertTrue(n > 500, "names and aliases checked: " + n);
    }

    @Test
    void mailAliasesAndUnknownNames() {
        assertEquals(Optional.of(Charset.forName("windows-31j")), Charsets.lookup("CP932"));
        assertEquals(Optional.of(Charset.forName("UTF-8")), Charsets.lookup("utf8"));
        for (String unknown : List.of("x-unknown", "utf-8b", "a b", "\u0001", "=?", "x".repeat(65), "")) {
            assertEquals(Optional.empty(), Charsets.lookup(unknown), unknown);
        }
        for (int i = 0; i < 2_000; i++) { // past the cache's 512 entries: still answered, still nothing
            assertEquals(Optional.empty(), Charsets.lookup("x-made-up-" + i));
        }
    }
}
