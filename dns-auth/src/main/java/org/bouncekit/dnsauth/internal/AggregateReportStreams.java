package org.bouncekit.dnsauth.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.bouncekit.dnsauth.AggregateReportException;

/**
 * The bounded streams an aggregate report is read through: every byte read from the input, inflated from gzip or
 * zip, or given to the XML parser is counted, and a limit is enforced while reading, before the bytes are used.
 *
 * <p>Stateless factory; the streams themselves are not thread-safe.
 */
public final class AggregateReportStreams {

    /** Inflated bytes after which the compression ratio is judged: a small file may compress very well. */
    public static final long RATIO_FLOOR = 1L << 20;

    private AggregateReportStreams() {
    }

    /**
     * @param limit the builder's name of the limit
     * @param value its value
     * @param what  what went over it, and where
     * @return the exception to throw
     */
    public static AggregateReportException limit(String limit, long value, String what) {
        return new AggregateReportException(AggregateReportException.Kind.LIMIT_EXCEEDED, limit,
                "report refused: " + limit + " (" + value + ") exceeded: " + what);
    }

    /**
     * An I/O failure of the caller's own input, kept apart from failures of the data (bad gzip, bad XML) so that
     * it reaches the caller as it was thrown.
     *
     * <p>Immutable; thread-safe.
     */
    public static final class SourceFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        /** @return the caller's exception */
        public IOException original() {
            return (IOException) getCause();
        }
    }

    /**
     * The part the guarding streams share: every read goes through {@link #read(byte[], int, int)}, where the
     * guard is; {@code skip} reads (so that skipped bytes count too) and {@code mark} is not supported.
     *
     * <p>Not thread-safe.
     */
    abstract static class Guarded extends FilterInputStream {
        private final byte[] one = new byte[1];

        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public abstract int read(byte[] b, int off, int len) throws IOException;

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            int r = buf.length == 0 ? 0 : read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /**
     * Counts the bytes read through it and refuses to read past a limit: the read that would go over it throws
     * {@link AggregateReportException}. Skips are reads (they are counted too).
     *
     * <p>Not thread-safe.
     */
    public static final class Counted extends Guarded {
        /** Bytes read so far; never more than {@code max}. */
        private long count;
        private final long max;
        private final String limit;
        private final String what;
        private final boolean source;

        /**
         * @param in     the stream to read
         * @param max    bytes that may be read; {@link Long#MAX_VALUE} to count only
         * @param limit  the limit's name, for the error
         * @param what   what the bytes are ("input", "XML"), for the error
         * @param source whether {@code in} is the caller's input, whose I/O failures become {@link SourceFailure}
         */
        public Counted(InputStream in, long max, String limit, String what, boolean source) {
            super(in);
            this.max = max;
            this.limit = limit;
            this.what = what;
            this.source = source;
        }

        /** @return the bytes read so far */
        public long count() {
            return count;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            // one byte past the limit is asked for, to know whether the input goes on
            long room = max - count;
            int want = (int) Math.min(len, room < Integer.MAX_VALUE ? room + 1 : Integer.MAX_VALUE);
            int n;
            try {
                n = in.read(b, off, want);
            } catch (AggregateReportException | SourceFailure e) {
                throw e;
            } catch (IOException e) {
                throw source ? new SourceFailure(e) : e;
            }
            if (n > 0) {
                if (n > room) {
                    throw limit(limit, max, what + " goes on past byte " + max);
                }
                count += n;
            }
            return n;
        }


        @Override
        public void close() {
            // the caller closes its own input
        }
    }

    /**
     * Bounds every piece of markup the XML parser would hold whole: a tag with its attributes, a comment, a CDATA
     * section, a processing instruction, a declaration ({@code <!DOCTYPE ...>} with its internal subset). The JDK's
     * StAX parser buffers each of these entirely before it reports it (element text, by contrast, comes in chunks
     * and is bounded where it is read), so one 16 MiB attribute or comment would need several times that in heap.
     * The read that would take one piece past {@code max} characters throws {@link AggregateReportException}
     * ({@code maxTextLength}). UTF-16 (told by a byte-order mark or a zero byte next to the first '<') is read in
     * two-byte units; any other encoding byte by byte, which finds the ASCII delimiters exactly in UTF-8 and the
     * ISO-8859 family.
     *
     * <p>Not thread-safe.
     */
    public static final class Markup extends Guarded {
        private static final int TEXT = 0;
        private static final int OPEN = 1; // after '<'
        private static final int BANG = 2; // after "<!", telling a comment or CDATA from a declaration
        private static final int TAG = 3;
        private static final int COMMENT = 4;
        private static final int CDATA = 5;
        private static final int PI = 6;
        private static final int DECL = 7;
        private static final String CDATA_OPEN = "[CDATA[";

        private final int max;
        /** 0 until the first two bytes are seen, then 1 (bytes) or 2 (UTF-16 units). */
        private int width;
        private boolean bigEndian;
        /** The first byte of a UTF-16 unit whose second byte has not been read yet, or -1. */
        private int half = -1;
        private int state = TEXT;
        /** Characters of the current piece of markup, its '<' included. */
        private int length;
        /** Lines read so far, from 1; the line where the current piece began. */
        private long line = 1;
        private long startLine;
        /** The quote open in a tag or declaration, or 0. */
        private int quote;
        /** The last two characters, for the ends "-->", "]]>" and "?>". */
        private int last1;
        private int last2;
        /** In a declaration: '<' minus '>' outside quotes, comments and instructions; a comment or PI inside. */
        private int depth;
        private int inner;
        /** After "<!": how much of "--" or "[CDATA[" has been seen. */
        private final StringBuilder bang = new StringBuilder(7);

        /**
         * @param in  the XML
         * @param max the most characters of one piece of markup ({@code maxTextLength})
         */
        public Markup(InputStream in, int max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            for (int i = off; i < off + n; i++) {
                int v = b[i] & 0xff;
                if (width == 0) {
                    if (half < 0) {
                        half = v;
                        continue;
                    }
                    width = half == 0xfe && v == 0xff || half == 0 && v == '<' ? 2
                            : half == 0xff && v == 0xfe || half == '<' && v == 0 ? -2 : 1;
                    bigEndian = width == 2;
                    int first = half;
                    half = -1;
                    if (width == 1) {
                        take(first);
                        take(v);
                    } else {
                        width = 2;
                        take(bigEndian ? first << 8 | v : v << 8 | first);
                    }
                } else if (width == 1) {
                    take(v);
                } else if (half < 0) {
                    half = v;
                } else {
                    take(bigEndian ? half << 8 | v : v << 8 | half);
                    half = -1;
                }
            }
            return n;
        }

        /** One character (a byte, or a UTF-16 unit) through the state machine. */
        private void take(int c) throws AggregateReportException {
            if (c == '\n') {
                line++;
            }
            if (state == TEXT) {
                if (c == '<') {
                    state = OPEN;
                    length = 1;
                    startLine = line;
                }
                return;
            }
            if (++length > max) {
                throw limit("maxTextLength", max, what() + " beginning on line " + startLine + " is longer");
            }
            switch (state) {
                case OPEN -> {
                    if (c == '!') {
                        state = BANG;
                        bang.setLength(0);
                    } else if (c == '?') {
                        state = PI;
                        last1 = 0;
                    } else {
                        state = TAG;
                        quote = 0;
                        tag(c);
                    }
                }
                case BANG -> {
                    bang.append((char) c);
                    if (bang.length() == 2 && bang.charAt(0) == '-' && c == '-') {
                        state = COMMENT;
                        last1 = 0;
                        last2 = 0;
                    } else if (bang.length() == CDATA_OPEN.length() && CDATA_OPEN.contentEquals(bang)) {
                        state = CDATA;
                        last1 = 0;
                        last2 = 0;
                    } else if (!CDATA_OPEN.startsWith(bang.toString()) && !(bang.length() == 1 && c == '-')) {
                        state = DECL;
                        depth = 1;
                        quote = 0;
                        inner = 0;
                        last1 = '!';
                        last2 = '<';
                        for (int k = 0; k < bang.length() && state == DECL; k++) {
                            decl(bang.charAt(k));
                        }
                    }
                }
                case TAG -> tag(c);
                case COMMENT -> ends(c, '-', '-');
                case CDATA -> ends(c, ']', ']');
                case PI -> {
                    if (c == '>' && last1 == '?') {
                        state = TEXT;
                    }
                    last1 = c;
                }
                default -> decl(c);
            }
        }

        private void tag(int c) {
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                state = TEXT;
            }
        }

        /** Ends the piece at {@code a b >}. */
        private void ends(int c, int a, int b) {
            if (c == '>' && last1 == b && last2 == a) {
                state = TEXT;
            }
            last2 = last1;
            last1 = c;
        }

        private void decl(int c) {
            if (inner == COMMENT) {
                if (c == '>' && last1 == '-' && last2 == '-') {
                    inner = 0;
                }
            } else if (inner == PI) {
                if (c == '>' && last1 == '?') {
                    inner = 0;
                }
            } else if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '-' && last1 == '-' && last2 == '!') {
                inner = COMMENT; // "<!--" inside the internal subset: its '<' is not a nesting
                depth--;
                c = 0; // "<!-->" does not end it
            } else if (c == '?' && last1 == '<') {
                inner = PI;
                depth--;
                c = 0;
            } else if (c == '<') {
                depth++;
            } else if (c == '>' && --depth == 0) {
                state = TEXT;
            }
            last2 = last1;
            last1 = c;
        }

        private String what() {
            return switch (state) {
                case TAG, OPEN -> "a tag";
                case COMMENT -> "a comment";
                case CDATA -> "a CDATA section";
                case PI -> "a processing instruction";
                default -> "a declaration";
            };
        }

    }

    /**
     * The inflated side of a gzip or zip stream: counts the bytes inflated, in total and against the compressed
     * bytes consumed, and refuses the stream when either limit is breached.
     *
     * <p>Not thread-safe.
     */
    public static final class Inflated extends Guarded {
        /** Bytes inflated so far, across zip entries. */
        private long count;
        private final Counted compressed;
        private final long maxBytes;
        private final int maxRatio;
        private final String format;

        /**
         * @param inflater   the gzip or zip stream
         * @param compressed the compressed bytes it reads, counted
         * @param maxBytes   bytes that may be inflated ({@code maxDecompressedBytes})
         * @param maxRatio   inflated bytes per compressed byte allowed past {@link #RATIO_FLOOR}
         * @param format     {@code gzip} or {@code zip}, for the error
         */
        public Inflated(InputStream inflater, Counted compressed, long maxBytes, int maxRatio, String format) {
            super(inflater);
            this.compressed = compressed;
            this.maxBytes = maxBytes;
            this.maxRatio = maxRatio;
            this.format = format;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, maxBytes - count + 1));
            } catch (AggregateReportException | SourceFailure e) {
                throw e;
            } catch (IOException e) {
                throw new IOException(format + " data is damaged: " + e.getMessage(), e);
            }
            if (n > 0) {
                count += n;
                if (count > maxBytes) {
                    throw limit("maxDecompressedBytes", maxBytes, format + " data inflates past byte " + maxBytes
                            + " (at compressed byte " + compressed.count() + ")");
                }
                long used = Math.max(compressed.count(), 1);
                if (count > RATIO_FLOOR && count / used > maxRatio) {
                    throw limit("maxCompressionRatio", maxRatio, format + " data inflates " + count + " bytes from "
                            + used + " (ratio " + count / used + ", judged past " + RATIO_FLOOR + " bytes)");
                }
            }
            return n;
        }


        @Override
        public void close() {
            // the zip stream stays open for its next entry
        }

        /**
         * Reads the rest of the current data through the limits, discarding it.
         *
         * @throws IOException when a limit is breached or the data is bad
         */
        public void drain() throws IOException {
            byte[] buf = new byte[8192];
            while (read(buf, 0, buf.length) >= 0) {
                // discarded
            }
        }
    }
}
