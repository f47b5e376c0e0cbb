package org.bouncekit.dnsauth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message's header fields located in its bytes, and where its body begins, without copying anything. Lines may
 * end with CRLF or a bare LF (files on disk); DKIM hashes them as CRLF either way.
 *
 * <p>Immutable once built (the bytes are the caller's and must not change while in use); thread-safe.
 */
public final class RawMessage {

    /**
     * A header field: its name and its bytes, from the name to the end of its last line (line break included).
     *
     * @param name      the name as written (case kept)
     * @param lowerName the name in lower case
     * @param start the first byte
     * @param end   the byte after the field's last line break
     */
    public record Field(String name, String lowerName, int start, int end) {
        /**
         * @param name  the name as written
         * @param start the first byte
         * @param end   the byte after the field
         */
        public Field(String name, int start, int end) {
            this(name, name.toLowerCase(Locale.ROOT), start, end);
        }
    }

    private final byte[] bytes;
    private final List<Field> fields;
    private final int bodyStart;
    private final boolean truncated;

    private RawMessage(byte[] bytes, List<Field> fields, int bodyStart, boolean truncated) {
        this.bytes = bytes;
        this.fields = List.copyOf(fields);
        this.bodyStart = bodyStart;
        this.truncated = truncated;
    }

    /**
     * @param bytes     the message
     * @param maxFields at most this many fields are read; the rest of the header is skipped
     * @return the located header and body
     */
    public static RawMessage of(byte[] bytes, int maxFields) {
        List<Field> fields = new ArrayList<>();
        int n = bytes.length;
        int i = 0;
        int fieldStart = -1;
        String name = null;
        boolean truncated = false;
        while (i < n) {
            int lineEnd = lineEnd(bytes, i, n);
            int next = afterBreak(bytes, lineEnd, n);
            boolean empty = lineEnd == i;
            boolean continuation = !empty && (bytes[i] == ' ' || bytes[i] == '\t');
            if (!continuation && fieldStart >= 0) {
                if (fields.size() < maxFields) {
                    fields.add(new Field(name, fieldStart, i));
                } else {
                    truncated = true;
                }
                fieldStart = -1;
            }
            if (empty) {
                return new RawMessage(bytes, fields, next, truncated);
            }
            if (!continuation) {
                int colon = -1;
                for (int k = i; k < lineEnd; k++) {
                    if (bytes[k] == ':') {
                        colon = k;
                        break;
                    }
                }
                if (colon > i) {
                    int e = colon;
                    while (e > i && (bytes[e - 1] == ' ' || bytes[e - 1] == '\t')) {
                        e--;
                    }
                    fieldStart = i;
                    name = new String(bytes, i, e - i, StandardCharsets.ISO_8859_1);
                }
            }
            i = next;
        }
        if (fieldStart >= 0 && fields.size() < maxFields) {
            fields.add(new Field(name, fieldStart, n));
        }
        return new RawMessage(bytes, fields, n, truncated); // no body
    }

    /** The index of the line break (CR of CRLF, or LF) ending the line at {@code i}, or {@code n}. */
    static int lineEnd(byte[] b, int i, int n) {
        int k = DkimCanon.nextLf(b, i, n);
        return k < n && k > i && b[k - 1] == '\r' ? k - 1 : k;
    }

    /** The index after the line break at {@code lineEnd}. */
    static int afterBreak(byte[] b, int lineEnd, int n) {
        if (lineEnd >= n) {
            return n;
        }
        return b[lineEnd] == '\r' ? Math.min(n, lineEnd + 2) : lineEnd + 1;
    }

    /** @return the message bytes */
    public byte[] bytes() {
        return bytes;
    }

    /** @return the header fields in order */
    public List<Field> fields() {
        return fields;
    }

    /** @return where the body begins (the message length when there is none) */
    public int bodyStart() {
        return bodyStart;
    }

    /** @return whether fields beyond the limit were skipped */
    public boolean truncated() {
        return truncated;
    }

    /**
     * @param f a field
     * @return its value (after the colon) as text, line breaks kept (a DKIM tag-list skips them as white space)
     */
    public String rawValue(Field f) {
        int colon = f.start();
        while (bytes[colon] != ':') {
            colon++;
        }
        return new String(bytes, colon + 1, f.end() - colon - 1, StandardCharsets.ISO_8859_1);
    }

    /**
     * @param f a field
     * @return its value (after the colon), unfolded, as text
     */
    public String value(Field f) {
        int colon = f.start();
        while (bytes[colon] != ':') {
            colon++;
        }
        String raw = new String(bytes, colon + 1, f.end() - colon - 1, StandardCharsets.ISO_8859_1);
        if (raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int k = 0; k < raw.length(); k++) {
            char c = raw.charAt(k);
            if (c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
