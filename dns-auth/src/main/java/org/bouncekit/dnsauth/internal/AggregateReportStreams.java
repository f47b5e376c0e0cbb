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
     * Counts the bytes read through it and refuses to read past a limit: the read that would go over it throws
     * {@link AggregateReportException}. Skips are reads (they are counted too).
     *
     * <p>Not thread-safe.
     */
    public static final class Counted extends FilterInputStream {
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
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
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
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            int r = buf.length == 0 ? 0 : read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the caller closes its own input
        }
    }

    /**
     * The inflated side of a gzip or zip stream: counts the bytes inflated, in total and against the compressed
     * bytes consumed, and refuses the stream when either limit is breached.
     *
     * <p>Not thread-safe.
     */
    public static final class Inflated extends FilterInputStream {
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
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
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
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            int r = buf.length == 0 ? 0 : read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
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
