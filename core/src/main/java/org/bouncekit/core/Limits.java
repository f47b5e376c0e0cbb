package org.bouncekit.core;

/**
 * Every resource limit of message reading, in one immutable value with safe defaults and presets.
 *
 * <p>Nothing is unlimited. When an input reaches a limit, the parser stops consuming that resource, records a
 * {@link Problem.Kind#LIMIT_EXCEEDED} problem naming the limit, and returns the partial result it has.
 *
 * <pre>{@code
 * Limits limits = Limits.defaults().toBuilder().maxInputBytes(2 << 20).build();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; builders are not thread-safe.
 */
public final class Limits {

    private static final Limits DEFAULTS = new Builder().build();
    private static final Limits STRICT = new Builder()
            .maxInputBytes(2 << 20)
            .maxHeaderCount(300)
            .maxHeaderBytes(16 << 10)
            .maxMimeDepth(12)
            .maxParts(100)
            .maxRecipients(200)
            .maxProblems(32)
            .maxDecodedBytes(1 << 20)
            .build();
    private static final Limits RELAXED = new Builder()
            .maxInputBytes(128 << 20)
            .maxHeaderCount(10_000)
            .maxHeaderBytes(1 << 20)
            .maxMimeDepth(64)
            .maxParts(10_000)
            .maxRecipients(10_000)
            .maxProblems(256)
            .maxDecodedBytes(16 << 20)
            .build();

    private final long maxInputBytes;
    private final int maxHeaderCount;
    private final int maxHeaderBytes;
    private final int maxMimeDepth;
    private final int maxParts;
    private final int maxRecipients;
    private final int maxProblems;
    private final int maxDecodedBytes;

    private Limits(Builder b) {
        this.maxInputBytes = b.maxInputBytes;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxMimeDepth = b.maxMimeDepth;
        this.maxParts = b.maxParts;
        this.maxRecipients = b.maxRecipients;
        this.maxProblems = b.maxProblems;
        this.maxDecodedBytes = b.maxDecodedBytes;
    }

    /**
     * The defaults, fit for a mail pipeline: 8 MiB read per message, 1,000 header fields per entity, 64 KiB per
     * field, MIME depth 32, 1,000 parts, 1,000 recipients per report, 64 problems, 4 MiB decoded per part.
     *
     * @return the default limits
     */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /**
     * Tighter limits for untrusted, high-volume input where only reports matter: 2 MiB per message, 300 fields,
     * 16 KiB per field, depth 12, 100 parts, 200 recipients, 32 problems, 1 MiB decoded per part.
     *
     * @return the strict limits
     */
    public static Limits strict() {
        return STRICT;
    }

    /**
     * Looser limits for archives and forensic work: 128 MiB per message, 10,000 fields, 1 MiB per field, depth 64,
     * 10,000 parts and recipients, 256 problems, 16 MiB decoded per part.
     *
     * @return the relaxed limits
     */
    public static Limits relaxed() {
        return RELAXED;
    }

    /**
     * Starts a builder holding the {@link #defaults()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding these limits.
     *
     * @return a new builder initialised from this instance
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxInputBytes = maxInputBytes;
        b.maxHeaderCount = maxHeaderCount;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxMimeDepth = maxMimeDepth;
        b.maxParts = maxParts;
        b.maxRecipients = maxRecipients;
        b.maxProblems = maxProblems;
        b.maxDecodedBytes = maxDecodedBytes;
        return b;
    }

    /**
     * Bytes of one message that are read; the rest is not read and a problem says so. Bounce reports come before
     * the returned message, so a cut at this point loses at most the tail of a returned attachment.
     *
     * @return the limit in bytes
     */
    public long maxInputBytes() {
        return maxInputBytes;
    }

    /**
     * Header fields kept per entity (message or MIME part); further fields are skipped.
     *
     * @return the limit
     */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /**
     * Bytes kept of one header field (or report field) including its folded continuation lines.
     *
     * @return the limit in bytes
     */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /**
     * Nesting depth of multiparts and enclosed messages that is descended into.
     *
     * @return the limit
     */
    public int maxMimeDepth() {
        return maxMimeDepth;
    }

    /**
     * MIME entities read per message, counting every part at every depth.
     *
     * @return the limit
     */
    public int maxParts() {
        return maxParts;
    }

    /**
     * Recipients read per report.
     *
     * @return the limit
     */
    public int maxRecipients() {
        return maxRecipients;
    }

    /**
     * Problems recorded per input; one more entry says that further problems were dropped.
     *
     * @return the limit
     */
    public int maxProblems() {
        return maxProblems;
    }

    /**
     * Bytes of one part's decoded content (after base64 or quoted-printable) that are produced when a part is read.
     *
     * @return the limit in bytes
     */
    public int maxDecodedBytes() {
        return maxDecodedBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limits l
                && maxInputBytes == l.maxInputBytes
                && maxHeaderCount == l.maxHeaderCount
                && maxHeaderBytes == l.maxHeaderBytes
                && maxMimeDepth == l.maxMimeDepth
                && maxParts == l.maxParts
                && maxRecipients == l.maxRecipients
                && maxProblems == l.maxProblems
                && maxDecodedBytes == l.maxDecodedBytes;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(maxInputBytes);
        h = 31 * h + maxHeaderCount;
        h = 31 * h + maxHeaderBytes;
        h = 31 * h + maxMimeDepth;
        h = 31 * h + maxParts;
        h = 31 * h + maxRecipients;
        h = 31 * h + maxProblems;
        return 31 * h + maxDecodedBytes;
    }

    @Override
    public String toString() {
        return "Limits[maxInputBytes=" + maxInputBytes + ", maxHeaderCount=" + maxHeaderCount
                + ", maxHeaderBytes=" + maxHeaderBytes + ", maxMimeDepth=" + maxMimeDepth + ", maxParts=" + maxParts
                + ", maxRecipients=" + maxRecipients + ", maxProblems=" + maxProblems
                + ", maxDecodedBytes=" + maxDecodedBytes + "]";
    }

    /**
     * Builds {@link Limits}. Every setter validates at once and throws {@link IllegalArgumentException} for a value
     * below 1. Not thread-safe.
     */
    public static final class Builder {
        private long maxInputBytes = 8L << 20;
        private int maxHeaderCount = 1_000;
        private int maxHeaderBytes = 64 << 10;
        private int maxMimeDepth = 32;
        private int maxParts = 1_000;
        private int maxRecipients = 1_000;
        private int maxProblems = 64;
        private int maxDecodedBytes = 4 << 20;

        private Builder() {
        }

        /**
         * Sets {@link Limits#maxInputBytes()}.
         *
         * @param value bytes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxInputBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxInputBytes must be at least 1, was " + value);
            }
            this.maxInputBytes = value;
            return this;
        }

        /**
         * Sets {@link Limits#maxHeaderCount()}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxHeaderCount(int value) {
            this.maxHeaderCount = positive("maxHeaderCount", value);
            return this;
        }

        /**
         * Sets {@link Limits#maxHeaderBytes()}.
         *
         * @param value bytes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxHeaderBytes(int value) {
            this.maxHeaderBytes = positive("maxHeaderBytes", value);
            return this;
        }

        /**
         * Sets {@link Limits#maxMimeDepth()}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxMimeDepth(int value) {
            this.maxMimeDepth = positive("maxMimeDepth", value);
            return this;
        }

        /**
         * Sets {@link Limits#maxParts()}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxParts(int value) {
            this.maxParts = positive("maxParts", value);
            return this;
        }

        /**
         * Sets {@link Limits#maxRecipients()}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxRecipients(int value) {
            this.maxRecipients = positive("maxRecipients", value);
            return this;
        }

        /**
         * Sets {@link Limits#maxProblems()}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxProblems(int value) {
            this.maxProblems = positive("maxProblems", value);
            return this;
        }

        /**
         * Sets {@link Limits#maxDecodedBytes()}.
         *
         * @param value bytes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxDecodedBytes(int value) {
            this.maxDecodedBytes = positive("maxDecodedBytes", value);
            return this;
        }

        /**
         * Returns the limits set so far.
         *
         * @return a new immutable {@link Limits}
         */
        public Limits build() {
            return new Limits(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
