package org.bouncekit.cli;

import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A minimal streaming JSON writer (RFC 8259) for the CLI's JSON Lines output.
 *
 * <p>Hand-written on purpose instead of using Jackson or another JSON library: the command is started once per
 * invocation, often from shell scripts over a handful of files, so JVM start-up time dominates. A JSON library adds
 * megabytes to the jar and tens of milliseconds of class loading for what is, here, a flat object of strings and
 * numbers. This class writes exactly that and nothing more; it does not read JSON.
 *
 * <p>Strings are escaped as RFC 8259 §7 requires: {@code "}, {@code \} and every control character U+0000 to
 * U+001F, using the short forms ({@code \n}, {@code \t}, ...) where they exist and {@code \}{@code u00XX}
 * otherwise. U+007F, U+2028 and U+2029 are escaped too, so a line is also safe for JavaScript and for terminals.
 * A lone surrogate (a UTF-16 half without its partner) has no UTF-8 encoding, and its {@code \}{@code uD8XX}
 * escape is rejected or altered by many parsers (RFC 8259 §8.2), so it is written as U+FFFD REPLACEMENT CHARACTER.
 * All other characters are written as they are; the caller chooses the encoding of the {@link Writer} (UTF-8).
 *
 * <p>The writer checks the order of calls only as far as it needs to place commas: it does not verify that the
 * output is well formed.
 *
 * <p>Not thread-safe: use one instance per output stream from one thread.
 */
public final class JsonWriter implements Flushable {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Writer out;
    /** Per nesting level: true until the first member or element is written. */
    private boolean[] first = new boolean[8];
    private int depth;
    private boolean afterName;

    /**
     * Creates a writer.
     *
     * @param out where the JSON text goes; not closed by this class
     */
    public JsonWriter(Writer out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Starts an object.
     *
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter beginObject() throws IOException {
        beforeValue();
        out.write('{');
        push();
        return this;
    }

    /**
     * Ends the current object.
     *
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter endObject() throws IOException {
        pop();
        out.write('}');
        return this;
    }

    /**
     * Starts an array.
     *
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter beginArray() throws IOException {
        beforeValue();
        out.write('[');
        push();
        return this;
    }

    /**
     * Ends the current array.
     *
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter endArray() throws IOException {
        pop();
        out.write(']');
        return this;
    }

    /**
     * Writes a member whose value is an array of strings.
     *
     * @param name   the member name
     * @param values the strings (null ones written as null)
     * @return this writer
     * @throws IOException when writing fails
     */
    JsonWriter strings(String name, java.util.List<String> values) throws IOException {
        name(name).beginArray();
        for (String v : values) {
            value(v);
        }
        return endArray();
    }

    /**
     * Writes a member name; the next call writes its value.
     *
     * @param name the name
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter name(String name) throws IOException {
        separate();
        writeString(out, name);
        out.write(':');
        afterName = true;
        return this;
    }

    /**
     * Writes a string value, or {@code null}.
     *
     * @param value the value, may be null
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter value(String value) throws IOException {
        beforeValue();
        if (value == null) {
            out.write("null");
        } else {
            writeString(out, value);
        }
        return this;
    }

    /**
     * Writes a number value, or {@code null}.
     *
     * @param value the value, may be null
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter value(Long value) throws IOException {
        beforeValue();
        out.write(value == null ? "null" : value.toString());
        return this;
    }

    /**
     * Writes a number value.
     *
     * @param value the value
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter value(long value) throws IOException {
        beforeValue();
        out.write(Long.toString(value));
        return this;
    }

    /**
     * Writes {@code true} or {@code false}.
     *
     * @param value the value
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter value(boolean value) throws IOException {
        beforeValue();
        out.write(value ? "true" : "false");
        return this;
    }

    /**
     * Writes {@code null}.
     *
     * @return this writer
     * @throws IOException when the underlying writer fails
     */
    public JsonWriter nullValue() throws IOException {
        beforeValue();
        out.write("null");
        return this;
    }

    /**
     * Ends a JSON Lines record: writes a line feed. Call it after a top-level value.
     *
     * @return this writer
     * @throws IOException when the underlying writer fails
     * @throws IllegalStateException when an object or array is still open
     */
    public JsonWriter endLine() throws IOException {
        if (depth != 0) {
            throw new IllegalStateException("an object or array is still open");
        }
        out.write('\n');
        return this;
    }

    /**
     * Flushes the underlying writer.
     *
     * @throws IOException when the underlying writer fails
     */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * Returns {@code s} as a JSON string literal, quotes included, escaped as this class describes.
     *
     * @param s the text
     * @return the literal
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        try {
            writeString(sb, s);
        } catch (IOException e) {
            throw new AssertionError("StringBuilder does not throw", e);
        }
        return sb.toString();
    }

    private void push() {
        depth++;
        if (depth == first.length) {
            first = Arrays.copyOf(first, depth * 2);
        }
        first[depth] = true;
    }

    private void pop() {
        if (depth == 0) {
            throw new IllegalStateException("nothing to end");
        }
        depth--;
    }

    private void beforeValue() throws IOException {
        if (afterName) {
            afterName = false;
        } else {
            separate();
        }
    }

    private void separate() throws IOException {
        if (depth > 0) {
            if (first[depth]) {
                first[depth] = false;
            } else {
                out.write(',');
            }
        }
    }

    private static void writeString(Appendable out, String s) throws IOException {
        out.append('"');
        int n = s.length();
        int run = 0; // start of the pending run of characters written as they are
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                continue;
            }
            if (c > 0x7f && c != 0x2028 && c != 0x2029 && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a valid pair stays in the run
                continue;
            }
            out.append(s, run, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Character.isSurrogate(c)) {
                        out.append('\ufffd');
                    } else {
                        out.append('\\').append('u')
                                .append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    }
                }
            }
            run = i + 1;
        }
        out.append(s, run, n);
        out.append('"');
    }
}
