package org.bouncekit.core.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Charset lookup with the aliases mail uses, and byte decoding that never throws. Thread-safe.
 */
public final class Charsets {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("utf8", "UTF-8"),
            Map.entry("unicode-1-1-utf-8", "UTF-8"),
            Map.entry("cp932", "windows-31j"),
            Map.entry("ms932", "windows-31j"),
            Map.entry("x-sjis", "Shift_JIS"),
            Map.entry("shift-jis", "Shift_JIS"),
            Map.entry("sjis", "Shift_JIS"),
            Map.entry("ks_c_5601-1987", "EUC-KR"),
            Map.entry("ks_c_5601", "EUC-KR"),
            Map.entry("x-euc-jp", "EUC-JP"),
            Map.entry("ansi_x3.4-1968", "US-ASCII"),
            Map.entry("ascii", "US-ASCII"),
            Map.entry("latin1", "ISO-8859-1"),
            Map.entry("iso8859-1", "ISO-8859-1"),
            Map.entry("iso-8859-8-i", "ISO-8859-8"),
            Map.entry("x-gbk", "GBK"),
            Map.entry("gb18030-2000", "GB18030"));

    /**
     * Every charset of the runtime by lower-case name and alias, read once. Asking the JDK for a name it does not
     * know ({@link Charset#forName}) scans the installed charset providers each time, about 100 KB and a tenth of a
     * millisecond; a message of thousands of made-up names (a fuzz finding) made that seconds, and so did any name
     * once the cache below was full.
     */
    private static final class Known {
        static final Map<String, Charset> BY_NAME = load();

        private static Map<String, Charset> load() {
            Map<String, Charset> m = new HashMap<>();
            for (Charset c : Charset.availableCharsets().values()) {
                m.put(c.name().toLowerCase(Locale.ROOT), c);
                for (String alias : c.aliases()) {
                    m.putIfAbsent(alias.toLowerCase(Locale.ROOT), c);
                }
            }
            return Map.copyOf(m);
        }
    }

    /** Cache of lookups; absent charsets are cached as empty. */
    private static final Map<String, Optional<Charset>> CACHE = new ConcurrentHashMap<>();

    private Charsets() {
    }

    /**
     * Finds a charset by a MIME name, case-insensitively and with mail's aliases.
     *
     * @param name a charset name, may be null or garbage
     * @return the charset, or empty when the runtime does not know it
     */
    public static Optional<Charset> lookup(String name) {
        if (name == null || name.isBlank() || name.length() > 64) {
            return Optional.empty();
        }
        Optional<Charset> cached = CACHE.get(name); // as written: the common case, no new string
        if (cached != null) {
            return cached;
        }
        String key = name.strip().toLowerCase(Locale.ROOT);
        cached = CACHE.get(key);
        if (cached != null) {
            if (CACHE.size() < 512) {
                CACHE.put(name, cached);
            }
            return cached;
        }
        Optional<Charset> found = Optional.ofNullable(Known.BY_NAME.get(ALIASES.getOrDefault(key, key)
                .toLowerCase(Locale.ROOT)));
        if (CACHE.size() < 512) {
            CACHE.put(key, found);
            CACHE.put(name, found);
        }
        return found;
    }

    /**
     * Decodes bytes as text: ASCII directly; otherwise with {@code charset}, replacing malformed input. When
     * {@code charset} is null, valid UTF-8 is taken as UTF-8 (RFC 6532) and anything else as ISO-8859-1, which maps
     * every byte to a character and so loses nothing.
     *
     * @param b       bytes
     * @param from    start
     * @param to      exclusive end
     * @param charset charset or null
     * @return the text
     */
    public static String decode(byte[] b, int from, int to, Charset charset) {
        if (isAscii(b, from, to)) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        if (charset == null || charset.equals(StandardCharsets.US_ASCII)) {
            String utf8 = strictUtf8(b, from, to);
            return utf8 != null ? utf8 : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        return new String(b, from, to - from, charset);
    }

    /**
     * Decodes strict UTF-8.
     *
     * @param b    bytes
     * @param from start
     * @param to   exclusive end
     * @return the text, or null when the bytes are not valid UTF-8
     */
    public static String strictUtf8(byte[] b, int from, int to) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(b, from, to - from));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Whether every byte is below 0x80.
     *
     * @param b    bytes
     * @param from start
     * @param to   exclusive end
     * @return true for ASCII
     */
    public static boolean isAscii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
