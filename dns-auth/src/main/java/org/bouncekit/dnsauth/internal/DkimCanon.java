package org.bouncekit.dnsauth.internal;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * DKIM canonicalization (RFC 6376 §3.4), header fields into a buffer, the body straight into a digest: the message
 * bytes are read where they lie, never copied.
 *
 * <p>Stateless; thread-safe.
 */
public final class DkimCanon {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] SP = {' '};

    private DkimCanon() {
    }

    /** A growable byte buffer without ByteArrayOutputStream's per-byte locking. Not thread-safe. */
    public static final class Bytes {
        private byte[] buf = new byte[1024];
        private int size;

        /** @param b a byte to append */
        public void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, size * 2);
            }
            buf[size++] = (byte) b;
        }

        /**
         * @param b   bytes
         * @param off the first
         * @param len how many to append
         */
        public void write(byte[] b, int off, int len) {
            if (size + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size * 2, size + len));
            }
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        /** @return a copy of the bytes written */
        public byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /**
     * Appends one header field, canonicalized.
     *
     * @param out     the buffer
     * @param b       the message bytes
     * @param start   the field's first byte
     * @param end     the byte after its last line break (or after the last byte to use)
     * @param relaxed relaxed (else simple)
     * @param crlf    whether to end with CRLF (not for the signature field itself)
     */
    public static void header(Bytes out, byte[] b, int start, int end, boolean relaxed,
                              boolean crlf) {
        if (!relaxed) {
            // as it is, with every line break written CRLF, without its final break
            int e = end;
            if (e > start && b[e - 1] == '\n') {
                e--;
                if (e > start && b[e - 1] == '\r') {
                    e--;
                }
            }
            for (int k = start; k < e; k++) {
                if (b[k] == '\n' && (k == start || b[k - 1] != '\r')) {
                    out.write('\r');
                }
                out.write(b[k]);
            }
        } else {
            int colon = start;
            while (colon < end && b[colon] != ':') {
                colon++;
            }
            int nameEnd = colon;
            while (nameEnd > start && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            for (int k = start; k < nameEnd; k++) {
                byte c = b[k];
                out.write(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            out.write(':');
            // the value unfolded, white space runs as one space, none at either end; runs copied at once
            boolean space = false;
            boolean any = false;
            int k = colon + 1;
            while (k < end) {
                byte c = b[k];
                if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                    space |= (c == ' ' || c == '\t') && any;
                    k++;
                    continue;
                }
                int run = k;
                while (k < end && b[k] != ' ' && b[k] != '\t' && b[k] != '\r' && b[k] != '\n') {
                    k++;
                }
                if (space) {
                    out.write(' ');
                    space = false;
                }
                out.write(b, run, k - run);
                any = true;
            }
        }
        if (crlf) {
            out.write('\r');
            out.write('\n');
        }
    }

    /**
     * Hashes the body from {@code from} to the end of the message, canonicalized, at most {@code limit} bytes of
     * it (the {@code l=} tag), without copying it.
     *
     * @param digest  the digest to update
     * @param b       the message bytes
     * @param from    the body's first byte
     * @param relaxed relaxed (else simple)
     * @param limit   the number of canonical bytes to hash, or -1 for all
     * @return the length of the whole canonical body (beyond the limit too)
     */
    public static long body(MessageDigest digest, byte[] b, int from, boolean relaxed, long limit) {
        Sink sink = new Sink(digest, limit);
        int n = b.length;
        int end = contentEnd(b, from, n, relaxed); // trailing empty lines are dropped
        // lines whose canonical form is their own bytes (CRLF-terminated, and for relaxed without tabs, double
        // spaces or trailing spaces) are passed on as runs of the message's bytes, many lines at once
        int runStart = from;
        int i = from;
        while (i < end) {
            int lineEnd = i;
            boolean clean = true;
            byte prev = 0;
            while (lineEnd < n && b[lineEnd] != '\n') {
                byte c = b[lineEnd];
                if (relaxed && (c == '\t' || c == ' ' && prev == ' ')) {
                    clean = false;
                }
                prev = c;
                lineEnd++;
            }
            // [i, lineEnd) holds the line and maybe its CR
            boolean crlf = lineEnd < n && lineEnd > i && b[lineEnd - 1] == '\r';
            int contentEnd = crlf ? lineEnd - 1 : lineEnd;
            if (!crlf || relaxed && contentEnd > i && (b[contentEnd - 1] == ' ')) {
                clean = false;
            }
            int next = lineEnd < n ? lineEnd + 1 : n;
            if (!clean) {
                sink.write(b, runStart, i - runStart);
                line(sink, b, i, contentEnd, relaxed);
                runStart = next;
            }
            i = next;
        }
        sink.write(b, runStart, Math.min(i, end) - runStart);
        if (end == from && !relaxed) {
            sink.write(CRLF, 0, 2); // an empty body is CRLF in simple canonicalization, nothing in relaxed
        }
        sink.flush();
        return sink.total;
    }

    /** One line, canonicalized, with CRLF. */
    private static void line(Sink sink, byte[] b, int i, int e, boolean relaxed) {
        if (relaxed) {
            while (e > i && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (sink.limit < 0 && e - i + 2 <= sink.buf.length) {
                // straight into the buffer, a byte at a time: white space runs become one space
                if (e - i + 2 > sink.buf.length - sink.used) {
                    sink.flush();
                }
                byte[] buf = sink.buf;
                int u = sink.used;
                boolean space = false;
                for (int k = i; k < e; k++) {
                    byte c = b[k];
                    if (c == ' ' || c == '\t') {
                        space = true;
                    } else {
                        if (space) {
                            buf[u++] = ' ';
                            space = false;
                        }
                        buf[u++] = c;
                    }
                }
                buf[u++] = '\r';
                buf[u++] = '\n';
                sink.total += u - sink.used;
                sink.used = u;
                return;
            }
            int run = i;
            for (int k = i; k < e; k++) {
                byte c = b[k];
                if (c == ' ' || c == '\t') {
                    sink.write(b, run, k - run);
                    while (k + 1 < e && (b[k + 1] == ' ' || b[k + 1] == '\t')) {
                        k++;
                    }
                    sink.write(SP, 0, 1);
                    run = k + 1;
                }
            }
            sink.write(b, run, e - run);
        } else {
            sink.write(b, i, e - i);
        }
        sink.write(CRLF, 0, 2);
    }

    /**
     * Where the body's content ends: after the line break of its last line that is not empty (for relaxed, not
     * only white space); {@code from} when there is none. A last line without a line break ends the content at the
     * message's end.
     */
    private static int contentEnd(byte[] b, int from, int n, boolean relaxed) {
        int k = n;
        // step back over line breaks (and, relaxed, white space) to the last byte of content
        while (k > from) {
            byte c = b[k - 1];
            if (c == '\n' || c == '\r' && (k == n || b[k] == '\n') || relaxed && (c == ' ' || c == '\t')) {
                k--;
            } else {
                break;
            }
        }
        if (k == from) {
            return from;
        }
        // the end of that line, its line break included
        int e = k;
        while (e < n && b[e] != '\n') {
            e++;
        }
        return e < n ? e + 1 : n;
    }

    /**
     * Feeds the digest up to a limit, through a small buffer (canonicalization makes many short runs), and counts
     * everything.
     */
    private static final class Sink {
        final MessageDigest digest;
        final long limit;
        final byte[] buf = new byte[2048];
        int used;
        long total;

        Sink(MessageDigest digest, long limit) {
            this.digest = digest;
            this.limit = limit;
        }

        void write(byte[] b, int off, int len) {
            if (len <= 0) {
                return;
            }
            long room = limit < 0 ? len : Math.max(0, Math.min(len, limit - total));
            total += len;
            int n = (int) room;
            if (n > buf.length - used) {
                flush();
                if (n >= buf.length) {
                    digest.update(b, off, n); // a long run goes straight in
                    return;
                }
            }
            System.arraycopy(b, off, buf, used, n);
            used += n;
        }

        void flush() {
            if (used > 0) {
                digest.update(buf, 0, used);
                used = 0;
            }
        }
    }
}
