package org.bouncekit.core.internal;

import org.bouncekit.core.Header;

/**
 * A header field as found in the bytes: its name and where its raw value lies. The value is decoded only when
 * asked for. Not thread-safe (caches its value); belongs to one parse.
 */
public final class RawHeader {

    private final byte[] buf;
    /** The field name as written (ASCII). */
    final String name;
    /** Start of the raw value, just after the colon. */
    final int valueStart;
    /** Exclusive end of the raw value, before the final line break; grows as continuation lines are read. */
    int valueEnd;
    /** Set once the value was cut at {@code maxHeaderBytes}: the cut is reported once, and nothing more is added. */
    boolean cut;
    /** Offset of the field's first byte in the buffer. */
    final int offset;
    /**
     * Where problems with this field are reported: {@link #offset} when the buffer is the input, else the input
     * offset of the encoded part it was decoded from, or -1 when it has no single position there.
     */
    final int at;
    /** {@code name.toLowerCase(Locale.ROOT).hashCode()}, computed while the name was read: makes {@link #is} cheap. */
    private final int lowerHash;
    private String value;

    RawHeader(byte[] buf, String name, int lowerHash, int valueStart, int valueEnd, int offset, int at) {
        this.buf = buf;
        this.name = name;
        this.lowerHash = lowerHash;
        this.valueStart = valueStart;
        this.valueEnd = valueEnd;
        this.offset = offset;
        this.at = at;
    }

    /** @return the buffer the field was read from */
    byte[] buffer() {
        return buf;
    }

    /** @return the decoded value if it was already asked for, else null */
    String decodedOrNull() {
        return value;
    }

    /** @return the field name as written */
    public String name() {
        return name;
    }

    /** @return the unfolded, decoded value */
    public String value() {
        String v = value;
        if (v == null) {
            v = HeaderText.value(buf, valueStart, valueEnd);
            value = v;
        }
        return v;
    }

    /** @return the unfolded value without RFC 2047 decoding */
    public String unfolded() {
        return HeaderText.unfold(buf, valueStart, valueEnd);
    }

    /** @return the value with its line breaks kept: each physical line trimmed, joined by LF, then decoded */
    public String lines() {
        StringBuilder out = new StringBuilder(valueEnd - valueStart);
        int p = valueStart;
        while (p < valueEnd) {
            int eol = ByteCursor.lineEnd(buf, p, valueEnd);
            String line = HeaderText.unfold(buf, p, eol);
            if (!line.isEmpty()) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(line);
            }
            p = ByteCursor.afterBreak(buf, eol, valueEnd);
        }
        return HeaderText.decodeEncodedWords(out.toString());
    }

    /** @return the offset of the field in its buffer */
    public int offset() {
        return offset;
    }

    /**
     * @param lowerName a lower-case name
     * @return whether this field has that name, ignoring ASCII case
     */
    public boolean is(String lowerName) {
        if (lowerHash != lowerName.hashCode() || name.length() != lowerName.length()) {
            return false;
        }
        for (int i = 0; i < lowerName.length(); i++) {
            char c = name.charAt(i); // field names are ASCII: fold A-Z only
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** @return the field as an API value */
    public Header toHeader() {
        return new Header(name, value());
    }
}
