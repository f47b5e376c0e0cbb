package org.bouncekit.dnsauth.internal;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;

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
    public static void header(ByteArrayOutputStream out, byte[] b, int start, int end, boolean relaxed,
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
            // the value unfolded, white space runs as one space, none at either end
            boolean space = false;
            boolean any = false;
            for (int k = colon + 1; k < end; k++) {
                byte c = b[k];
                if (c == '\r' || c == '\n') {
                    continue;
                }
                if (c == ' ' || c == '\t') {
                    space = any;
                    continue;
                }
                if (space) {
                    out.write(' ');
                    space = false;
                }
                out.write(c);
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
        long pendingEmpty = 0; // empty lines held back: trailing ones are dropped
        boolean anyLine = false;
        int i = from;
        while (i < n) {
            int lineEnd = RawMessage.lineEnd(b, i, n);
            int next = RawMessage.afterBreak(b, lineEnd, n);
            int e = lineEnd;
            if (relaxed) {
                while (e > i && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                    e--;
                }
            }
            if (e == i) {
                pendingEmpty++;
            } else {
                for (; pendingEmpty > 0; pendingEmpty--) {
                    sink.write(CRLF, 0, 2);
                }
                if (relaxed) {
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
                anyLine = true;
            }
            i = next;
        }
        if (!anyLine && !relaxed) {
            sink.write(CRLF, 0, 2); // an empty body is CRLF in simple canonicalization, nothing in relaxed
        }
        return sink.total;
    }

    /** Feeds the digest up to a limit and counts everything. */
    private static final class Sink {
        final MessageDigest digest;
        final long limit;
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
            if (room > 0) {
                digest.update(b, off, (int) room);
            }
            total += len;
        }
    }
}
