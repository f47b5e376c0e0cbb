package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bouncekit.dnsauth.internal.DkimCanon;

/**
 * Body canonicalization (RFC 6376 §3.4.3, §3.4.4) against a reference written to be read, not to be fast: split into
 * lines, canonicalize each, drop the empty ones at the end, join with CRLF; byte for byte, with and without
 * {@code l=}.
 */
class DkimCanonProperties {

    private static final String HEADER = "From: <a@example.org>\r\nSubject: x\r\n\r\n";

    /** The reference: the body's canonical bytes, all of them. */
    static byte[] reference(byte[] body, boolean relaxed) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                // the line break is LF, or CRLF: a CR right before the LF belongs to it; any other CR is content
                int e = i > start && body[i - 1] == '\r' ? i - 1 : i;
                lines.add(Arrays.copyOfRange(body, start, e));
                start = i + 1;
            }
        }
        if (start < body.length) {
            // the last line, without a line break, is a line too; a lone CR ending it is taken for a cut-off CRLF
            // when nothing else of the line is left (so the line is empty, and dropped below) - as before the
            // one-pass rewrite
            byte[] last = Arrays.copyOfRange(body, start, body.length);
            if (last[last.length - 1] == '\r' && line(Arrays.copyOf(last, last.length - 1), relaxed).length == 0) {
                last = new byte[0];
            }
            lines.add(last);
        }
        List<byte[]> canonical = new ArrayList<>();
        for (byte[] l : lines) {
            canonical.add(line(l, relaxed));
        }
        while (!canonical.isEmpty() && canonical.get(canonical.size() - 1).length == 0) {
            canonical.remove(canonical.size() - 1); // empty lines at the end are ignored
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : canonical) {
            out.writeBytes(l);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        if (out.size() == 0 && !relaxed) {
            out.writeBytes(new byte[] {'\r', '\n'}); // simple: an empty body is CRLF
        }
        return out.toByteArray();
    }

    /** One line's content: simple as it is; relaxed with each run of spaces and tabs one space, none at the end. */
    private static byte[] line(byte[] content, boolean relaxed) {
        if (!relaxed) {
            return content;
        }
        String s = new String(content, StandardCharsets.ISO_8859_1).replaceAll("[ \t]+", " ");
        if (s.endsWith(" ")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A digest that keeps what it is given. */
    static final class Recorder extends MessageDigest {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Recorder() {
            super("recorder");
        }

        @Override
        protected void engineUpdate(byte input) {
            bytes.write(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            bytes.write(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            return bytes.toByteArray();
        }

        @Override
        protected void engineReset() {
            bytes.reset();
        }
    }

    /** Text in pieces that canonicalization cares about, short and long (past a word, past the 2 KB buffer). */
    @Provide
    Arbitrary<String> body() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of("a", "b", "xyz", ".", "é")),
                Tuple.of(8, Arbitraries.of(" ", "  ", "\t", " \t ", "\t\t", "   ")),
                Tuple.of(6, Arbitraries.of("\r\n", "\n", "\r", "\r\r\n", " \r\n", "\t\r\n", " \n",
                        "\r\n\r\n", "\n\n", " \r", "\r ")),
                Tuple.of(2, Arbitraries.of("the quick brown fox jumps over",
                        "Dear customer,  your order   #1 has shipped.\tTrack it \r\n\r\n",
                        "Your order 42 has shipped and should arrive within three working days.\r\n\r\n")),
                Tuple.of(1, Arbitraries.strings().withChars("ab \t\r\n").ofMaxLength(40)));
        return Arbitraries.frequencyOf(
                Tuple.of(6, piece.list().ofMaxSize(30)),
                Tuple.of(1, piece.list().ofMinSize(100).ofMaxSize(400)))
                .map(ps -> String.join("", ps));
    }

    private static void check(String body, boolean relaxed, long limit) {
        byte[] message = (HEADER + body).getBytes(StandardCharsets.ISO_8859_1);
        byte[] expected = reference(body.getBytes(StandardCharsets.ISO_8859_1), relaxed);
        Recorder d = new Recorder();
        long length = DkimCanon.body(d, message, HEADER.length(), relaxed, limit);
        byte[] hashed = d.digest();
        String what = (relaxed ? "relaxed" : "simple") + " l=" + limit + " body=" + body.replace("\r", "\\r")
                .replace("\n", "\\n").replace("\t", "\\t");
        assertEquals(expected.length, length, what);
        assertArrayEquals(limit < 0 ? expected : Arrays.copyOf(expected, (int) Math.min(limit, expected.length)),
                hashed, what);
    }

    @Property(tries = 2000)
    void bodyIsTheReference(@ForAll("body") String body, @ForAll boolean relaxed) {
        check(body, relaxed, -1);
    }

    @Property(tries = 1000)
    void bodyWithLimitIsTheReferenceCut(@ForAll("body") String body, @ForAll boolean relaxed,
                                        @ForAll("limit") long limit) {
        check(body, relaxed, limit);
    }

    @Provide
    Arbitrary<Long> limit() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 40), Arbitraries.longs().between(0, 20_000),
                Arbitraries.just(Long.MAX_VALUE));
    }

    @Example
    void edges() {
        for (boolean relaxed : new boolean[] {true, false}) {
            for (String body : List.of("", "\r\n", "\n", "\r", "\r\n\r\n", " ", " \t", "a", "a ", "a\t", "a\r",
                    "a \r", "a\r\n\r", "a\n \t\r", "a\n\r", " \r", "\r\r\n", "a  b\r\n", "a \rb\r\n", "a\rb \r\n",
                    "\t a \t b \t\r\n \r\n\t\n", "12345678  \r\n", "1234567  \r\n", "1234567\r\n\n",
                    "1234567 \r\n", "123456789abcdef \t\r\n")) {
                for (long limit : new long[] {-1, 0, 1, 2, 5, 100}) {
                    check(body, relaxed, limit);
                }
            }
        }
        // the reference itself, on RFC 6376 §3.4.5's example and the empty body
        assertArrayEquals(" C\r\nD E\r\n".getBytes(StandardCharsets.ISO_8859_1),
                reference(" C \r\nD \t E\r\n\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), true));
        assertArrayEquals(" C \r\nD \t E\r\n".getBytes(StandardCharsets.ISO_8859_1),
                reference(" C \r\nD \t E\r\n\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), false));
        assertArrayEquals("\r\n".getBytes(StandardCharsets.ISO_8859_1), reference(new byte[0], false));
        assertArrayEquals(new byte[0], reference(" \r\n\t\r\n".getBytes(StandardCharsets.ISO_8859_1), true));
    }
}
