package org.bouncekit.dnsauth.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * DKIM canonicalization (RFC 6376 §3.4), header fields into a buffer, the body straight into a digest: what
 * canonicalization leaves as it is is read where it lies, not copied.
 *
 * <p>Stateless; thread-safe.
 */
public final class DkimCanon {

    private DkimCanon() {
    }

    /** A growable byte buffer without ByteArrayOutputStream's per-byte locking. Not thread-safe. */
    public static final class Bytes {
        byte[] buf = new byte[1024];
        int size;

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

        /**
         * Makes room for more bytes, to be written straight into {@link #buf} at {@link #size}.
         *
         * @param len how many
         */
        void reserve(int len) {
            if (size + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size * 2, size + len));
            }
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
            // never longer than the field: written straight into the buffer
            out.reserve(end - start + 1);
            byte[] o = out.buf;
            int u = out.size;
            for (int k = start; k < nameEnd; k++) {
                byte c = b[k];
                o[u++] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
            }
            o[u++] = ':';
            // the value unfolded, white space runs as one space, none at either end
            boolean space = false;
            boolean any = false;
            for (int k = colon + 1; k < end; k++) {
                byte c = b[k];
                if (c == ' ' || c == '\t') {
                    space = any;
                } else if (c != '\r' && c != '\n') {
                    if (space) {
                        o[u++] = ' ';
                        space = false;
                    }
                    o[u++] = c;
                    any = true;
                }
            }
            out.size = u;
        }
        if (crlf) {
            out.write('\r');
            out.write('\n');
        }
    }

    /**
     * Hashes the body from {@code from} to the end of the message, canonicalized, at most {@code limit} bytes of
     * it (the {@code l=} tag), without copying what needs no change.
     *
     * <p>One pass, eight bytes at a time: only a few bytes make a line's canonical form differ from its bytes
     * (relaxed: a tab, a space after a space, a CR after a space, a LF not after a CR; simple: a LF not after a CR).
     * Everything between them is passed on as it lies, many lines at once (short runs between them through a
     * buffer); at each, the white space run there becomes one space, or nothing before the line break, and the line
     * break CRLF.
     *
     * @param digest  the digest to update
     * @param b       the message bytes
     * @param from    the body's first byte
     * @param relaxed relaxed (else simple)
     * @param limit   the number of canonical bytes to hash, or -1 for all
     * @return the length of the whole canonical body (beyond the limit too)
     */
    public static long body(MessageDigest digest, byte[] b, int from, boolean relaxed, long limit) {
        Sink sink = new Sink(digest, limit < 0 ? Long.MAX_VALUE : limit);
        int end = contentEnd(b, from, b.length, relaxed); // trailing empty lines are dropped
        if (relaxed) {
            relaxedBody(sink, b, from, end);
        } else {
            simpleBody(sink, b, from, end);
        }
        return sink.finish();
    }

    /** Relaxed (RFC 6376 §3.4.4) over {@code [from, end)}, which ends after a LF or at the message's end. */
    private static void relaxedBody(Sink sink, byte[] b, int from, int end) {
        byte[] out = sink.buf;
        int u = sink.used; // the buffer's fill, kept here while changes are written straight into it
        int run = from; // the first byte not yet passed on, and where the scan for the next change starts
        while (true) {
            int p = nextRelaxedChange(b, run, end);
            if (p == end) {
                break;
            }
            // the bytes before are passed on as they are, up to the white space run that p ends or begins: it
            // starts at p or, after a single space, at p - 1 (more would have been a change earlier)
            int ws = p > run && b[p - 1] == ' ' ? p - 1 : p;
            int len = ws - run;
            if (len <= 32 && u <= Sink.ROOM - 32 && run <= b.length - 32) {
                // a short run, as between the changes within a line: 32 bytes copied without a call or a loop, len
                // of them kept (the rest is written over next)
                LONGS.set(out, u, (long) LONGS.get(b, run));
                LONGS.set(out, u + 8, (long) LONGS.get(b, run + 8));
                LONGS.set(out, u + 16, (long) LONGS.get(b, run + 16));
                LONGS.set(out, u + 24, (long) LONGS.get(b, run + 24));
                u += len;
            } else {
                sink.used = u;
                sink.write(b, run, len); // maybe straight into the digest
                u = sink.used;
            }
            int j = ws;
            while (j < end && (b[j] == ' ' || b[j] == '\t')) {
                j++;
            }
            if (j == end) {
                run = end; // the last line, without a line break, ends with white space
                out[u] = '\r';
                out[u + 1] = '\n';
                u += 2;
                break;
            }
            byte c = b[j];
            if (c == '\n' || c == '\r' && j + 1 < end && b[j + 1] == '\n') {
                run = c == '\n' ? j + 1 : j + 2;
                out[u] = '\r';
                out[u + 1] = '\n';
                u += 2;
            } else {
                run = j; // white space within the line (any CR but that of CRLF is content)
                out[u++] = ' ';
            }
        }
        sink.used = u;
        if (run < end) {
            if (b[end - 1] == '\n') {
                sink.write(b, run, end - run);
            } else {
                // the last line has no line break: without its one trailing space (more would have been a change)
                sink.write(b, run, (b[end - 1] == ' ' ? end - 1 : end) - run);
                sink.crlf();
            }
        }
    }

    /** Simple (RFC 6376 §3.4.3) over {@code [from, end)}: only a LF without its CR changes. */
    private static void simpleBody(Sink sink, byte[] b, int from, int end) {
        int run = from;
        while (true) {
            int p = nextBareLf(b, run, end);
            if (p == end) {
                break;
            }
            sink.write(b, run, p - run);
            sink.crlf();
            run = p + 1;
        }
        if (run < end) {
            sink.write(b, run, end - run);
            if (b[end - 1] != '\n') {
                sink.crlf(); // the last line had no line break
            }
        }
        if (end == from) {
            sink.crlf(); // an empty body is CRLF in simple canonicalization, nothing in relaxed
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long SPACES = ' ' * ONES;
    private static final long TABS = '\t' * ONES;
    private static final long CRS = '\r' * ONES;
    private static final long LFS = '\n' * ONES;
    /** Adding this sets the high bit of each byte of 0x20 or more (of bytes under 0x80). */
    private static final long FROM_SPACE = (0x80 - 0x20) * ONES;

    /** The high bit set in each byte of {@code x} equal to that of {@code pattern}, exactly. */
    private static long equal(long x, long pattern) {
        long t = x ^ pattern;
        return ~(((t & LOW7) + LOW7) | t | LOW7);
    }

    /** The high bit set in each byte of {@code x} under 0x20 (control characters: tab, CR, LF...), exactly. */
    private static long control(long x) {
        return ~(((x & LOW7) + FROM_SPACE) | x) & HIGH;
    }

    /**
     * The first byte from {@code k} on where relaxed canonicalization changes something: a tab, a space after a
     * space, a CR after a space, a LF not after a CR; {@code end} if none. The byte before {@code k} does not count
     * (it is a line break, or white space already dealt with).
     */
    private static int nextRelaxedChange(byte[] b, int k, int end) {
        long prevSpace = 0; // 0x80 when the last byte of the previous word is a space
        long prevCr = 0;
        while (k <= end - 8) {
            long x = (long) LONGS.get(b, k);
            long sp = equal(x, SPACES);
            long afterSpace = sp << 8 | prevSpace;
            long ctl = control(x);
            long ev = sp & afterSpace;
            prevSpace = sp >>> 56;
            if ((ev | ctl) != 0) {
                long cr = equal(x, CRS);
                ev |= equal(x, TABS) | cr & afterSpace | equal(x, LFS) & ~(cr << 8 | prevCr);
                if (ev != 0) {
                    return k + (Long.numberOfTrailingZeros(ev) >>> 3);
                }
                prevCr = cr >>> 56;
            } else {
                prevCr = 0;
            }
            k += 8;
        }
        boolean space = prevSpace != 0;
        boolean cr = prevCr != 0;
        for (; k < end; k++) {
            byte c = b[k];
            if (c == '\t' || (c == ' ' || c == '\r') && space || c == '\n' && !cr) {
                return k;
            }
            space = c == ' ';
            cr = c == '\r';
        }
        return end;
    }

    /** The first LF from {@code k} on, or {@code end}. */
    static int nextLf(byte[] b, int k, int end) {
        while (k <= end - 8) {
            long lf = equal((long) LONGS.get(b, k), LFS);
            if (lf != 0) {
                return k + (Long.numberOfTrailingZeros(lf) >>> 3);
            }
            k += 8;
        }
        for (; k < end; k++) {
            if (b[k] == '\n') {
                return k;
            }
        }
        return end;
    }

    /** The first LF not after a CR from {@code k} on (the byte before {@code k} does not count), or {@code end}. */
    private static int nextBareLf(byte[] b, int k, int end) {
        long prevCr = 0;
        while (k <= end - 8) {
            long x = (long) LONGS.get(b, k);
            if (control(x) != 0) {
                long cr = equal(x, CRS);
                long ev = equal(x, LFS) & ~(cr << 8 | prevCr);
                if (ev != 0) {
                    return k + (Long.numberOfTrailingZeros(ev) >>> 3);
                }
                prevCr = cr >>> 56;
            } else {
                prevCr = 0;
            }
            k += 8;
        }
        boolean cr = prevCr != 0;
        for (; k < end; k++) {
            byte c = b[k];
            if (c == '\n' && !cr) {
                return k;
            }
            cr = c == '\r';
        }
        return end;
    }

    /**
     * Where the body's content ends: after the line break of its last line that is not empty (for relaxed, not
     * only white space); {@code from} when there is none. A last line without a line break ends the content at the
     * message's end; a CR that is the message's last byte counts as a line break here (a cut-off CRLF), so a last
     * line that is nothing else is empty.
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
     * Feeds the digest through a small buffer (canonicalization makes many short runs; long ones go straight in),
     * up to the {@code l=} limit, and counts everything.
     */
    private static final class Sink {
        /** The buffer's size (beyond it, slack for CRLF after a full buffer). */
        static final int ROOM = 2048;

        final MessageDigest digest;
        final byte[] buf = new byte[ROOM + 8];
        int used;
        /** Canonical bytes passed on so far (the buffered ones not yet). */
        long total;
        /** How many more may reach the digest. */
        long room;

        Sink(MessageDigest digest, long room) {
            this.digest = digest;
            this.room = room;
        }

        void write(byte[] b, int off, int len) {
            if (len <= ROOM - used) {
                System.arraycopy(b, off, buf, used, len);
                used += len;
            } else {
                flush();
                if (len >= ROOM) {
                    hash(b, off, len); // a long run goes straight in
                } else {
                    System.arraycopy(b, off, buf, 0, len);
                    used = len;
                }
            }
        }

        void crlf() {
            if (ROOM - used < 2) {
                flush();
            }
            buf[used] = '\r';
            buf[used + 1] = '\n';
            used += 2;
        }

        void flush() {
            hash(buf, 0, used);
            used = 0;
        }

        private void hash(byte[] b, int off, int len) {
            total += len;
            int n = (int) Math.min(len, room);
            if (n > 0) {
                digest.update(b, off, n);
                room -= n;
            }
        }

        /** @return the length of everything written */
        long finish() {
            flush();
            return total;
        }
    }
}
