package org.bouncekit.core.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the raw bytes of a header field value into text: unfolding (RFC 5322 §2.2.3), 8-bit UTF-8 (RFC 6532) and
 * RFC 2047 encoded words. Thread-safe (stateless).
 */
public final class HeaderText {

    private HeaderText() {
    }

    /**
     * Unfolds and decodes a raw value: line breaks are removed, leading and trailing white space trimmed, bytes
     * decoded as UTF-8 when valid (else ISO-8859-1), and encoded words decoded.
     *
     * @param b    bytes
     * @param from start of the value (after the colon)
     * @param to   exclusive end
     * @return the value
     */
    public static String value(byte[] b, int from, int to) {
        return decodeEncodedWords(unfold(b, from, to));
    }

    /**
     * Unfolds and decodes bytes without decoding encoded words.
     *
     * @param b    bytes
     * @param from start
     * @param to   exclusive end
     * @return the unfolded text, trimmed
     */
    public static String unfold(byte[] b, int from, int to) {
        while (from < to && isWsp(b[from])) {
            from++;
        }
        while (to > from && (isWsp(b[to - 1]) || b[to - 1] == '\r' || b[to - 1] == '\n')) {
            to--;
        }
        int special = ByteCursor.firstBreakOrNonAscii(b, from, to);
        if (special == to) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1); // one ASCII line: the common case
        }
        if (ByteCursor.lineEnd(b, special, to) == to) {
            return Charsets.decode(b, from, to, null); // one line with 8-bit text
        }
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != '\r' && c != '\n') {
                out[n++] = c;
            }
        }
        return Charsets.decode(out, 0, n, null);
    }

    private static boolean isWsp(byte c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Decodes RFC 2047 encoded words ({@code =?charset?B|Q?text?=}); white space between adjacent encoded words is
     * dropped, and adjacent words in one charset are joined before decoding so split multibyte characters survive.
     * Malformed words are left as written.
     *
     * @param s text, possibly with encoded words
     * @return the decoded text
     */
    public static String decodeEncodedWords(String s) {
        int start = s.indexOf("=?");
        if (start < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, start);
        int i = start;
        ByteArrayOutputStream run = null;
        Charset runCharset = null;
        while (i < s.length()) {
            if (s.startsWith("=?", i)) {
                EncodedWord w = EncodedWord.at(s, i);
                if (w != null) {
                    if (run != null && !w.charset.equals(runCharset)) {
                        flush(out, run, runCharset);
                        run = null;
                    }
                    if (run == null) {
                        run = new ByteArrayOutputStream();
                        runCharset = w.charset;
                    }
                    run.write(w.bytes, 0, w.bytes.length);
                    i = w.end;
                    // white space followed by another encoded word is dropped
                    int j = i;
                    while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
                        j++;
                    }
                    if (j > i && s.startsWith("=?", j) && EncodedWord.at(s, j) != null) {
                        i = j;
                    }
                    continue;
                }
            }
            if (run != null) {
                flush(out, run, runCharset);
                run = null;
            }
            out.append(s.charAt(i));
            i++;
        }
        if (run != null) {
            flush(out, run, runCharset);
        }
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream run, Charset cs) {
        byte[] b = run.toByteArray();
        out.append(new String(b, 0, b.length, cs));
    }

    /** One encoded word. */
    private static final class EncodedWord {
        final Charset charset;
        final byte[] bytes;
        final int end;

        private EncodedWord(Charset charset, byte[] bytes, int end) {
            this.charset = charset;
            this.bytes = bytes;
            this.end = end;
        }

        static EncodedWord at(String s, int i) {
            int q1 = s.indexOf('?', i + 2);
            if (q1 < 0 || q1 - i > 80) {
                return null;
            }
            if (q1 + 2 >= s.length() || s.charAt(q1 + 2) != '?') {
                return null;
            }
            char enc = s.charAt(q1 + 1);
            int textStart = q1 + 3;
            int close = s.indexOf("?=", textStart);
            if (close < 0 || close - textStart > 4096) {
                return null;
            }
            String text = s.substring(textStart, close);
            if (text.indexOf(' ') >= 0 && (enc == 'B' || enc == 'b')) {
                return null;
            }
            String csName = s.substring(i + 2, q1);
            int star = csName.indexOf('*');
            if (star >= 0) {
                csName = csName.substring(0, star); // RFC 2231 language suffix
            }
            Charset cs = Charsets.lookup(csName).orElse(StandardCharsets.ISO_8859_1);
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            byte[] bytes;
            if (enc == 'B' || enc == 'b') {
                TransferDecoder.Decoded d = TransferDecoder.base64(raw, 0, raw.length, raw.length);
                bytes = Arrays.copyOf(d.bytes(), d.length());
            } else if (enc == 'Q' || enc == 'q') {
                for (int k = 0; k < raw.length; k++) {
                    if (raw[k] == '_') {
                        raw[k] = ' ';
                    }
                }
                TransferDecoder.Decoded d = TransferDecoder.quotedPrintable(raw, 0, raw.length, raw.length);
                bytes = Arrays.copyOf(d.bytes(), d.length());
            } else {
                return null;
            }
            return new EncodedWord(cs, bytes, close + 2);
        }
    }
}
