package org.bouncekit.dnsauth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.bouncekit.dnsauth.internal.Checks;
import org.bouncekit.dnsauth.internal.AggregateReportReader;

/**
 * Reads DMARC aggregate reports (RFC 7489 appendix C, RFC 9990) from what arrives at a {@code rua} mailbox: the
 * XML itself, a gzip ({@code .xml.gz}) or zip ({@code .zip}) attachment, or the whole email, whose first gzip,
 * zip or XML attachment is read. The format is told by the first bytes, never by a name.
 *
 * <p>Reports come from strangers, so everything is bounded. The XML is read by the JDK's StAX parser with DTDs
 * disabled: a {@code <!DOCTYPE} is refused ({@link AggregateReportException.Kind#REFUSED}), so external
 * entities (XXE) and entity expansion ("billion laughs") cannot happen. Compressed data is inflated as it is
 * parsed, never whole, and refused once it inflates past {@link Builder#maxDecompressedBytes} or
 * {@link Builder#maxCompressionRatio} (zip bombs). Each breached limit throws
 * {@link AggregateReportException} naming the limit, its value and the position. Damage that leaves a report
 * (a bad value, a missing element, XML that breaks off after some records) is listed in
 * {@link AggregateReport#problems()} instead.
 *
 * <p>Immutable and thread-safe: build one and share it.
 *
 * <pre>{@code
 * AggregateReportParser parser = AggregateReportParser.defaults();
 * AggregateReport report = parser.parse(Path.of("google.com!example.org!1609459200!1609545599.zip"));
 * for (AggregateReport.Row row : report.rows()) {
 *     System.out.println(row.sourceIpText() + " " + row.count() + " " + (row.dmarcPass() ? "pass" : "fail"));
 * }
 * }</pre>
 */
public final class AggregateReportParser {

    private static final AggregateReportParser DEFAULTS = builder().build();

    private final AggregateReportReader reader;

    private AggregateReportParser(Builder b) {
        this.reader = new AggregateReportReader(new AggregateReportReader.Config(b.maxInputBytes, b.maxXmlBytes,
                b.maxDecompressedBytes, b.maxCompressionRatio, b.maxRecords, b.maxZipEntries, b.maxElementDepth,
                b.maxTextLength, b.maxMimeParts, b.maxMimeDepth, b.maxProblems));
    }

    /** @return a parser with the default limits (see {@link Builder}) */
    public static AggregateReportParser defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding the default limits */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a report from bytes in memory: XML, gzip, zip or an email.
     *
     * @param input the whole input
     * @return the report, with its problems
     * @throws AggregateReportException when a limit is breached, a DTD is declared, or no report can be read
     */
    public AggregateReport parse(byte[] input) throws AggregateReportException {
        return reader.read(Objects.requireNonNull(input, "input"));
    }

    /**
     * Reads a report from a stream: XML, gzip or zip data is streamed (only what the limits allow is read);
     * an email is read whole, up to {@link Builder#maxInputBytes}. The stream is not closed, and is read only as
     * far as the end of the report.
     *
     * @param in the input
     * @return the report, with its problems
     * @throws AggregateReportException when a limit is breached, a DTD is declared, or no report can be read
     * @throws IOException              when reading {@code in} fails (the stream's own exception)
     */
    public AggregateReport parse(InputStream in) throws IOException {
        return reader.read(Objects.requireNonNull(in, "in"));
    }

    /**
     * Reads a report from a file.
     *
     * @param file an {@code .xml}, {@code .xml.gz}, {@code .zip} or {@code .eml} file (the name does not matter)
     * @return the report, with its problems
     * @throws AggregateReportException when a limit is breached, a DTD is declared, or no report can be read
     * @throws IOException              when the file cannot be read
     */
    public AggregateReport parse(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return reader.read(in);
        }
    }

    /**
     * Builds an {@link AggregateReportParser}. Every setter validates at once and throws
     * {@link IllegalArgumentException} naming the limit for a value out of its range. Not thread-safe.
     */
    public static final class Builder {
        private long maxInputBytes = 32L << 20;
        private long maxXmlBytes = 16L << 20;
        private long maxDecompressedBytes = 64L << 20;
        private int maxCompressionRatio = 200;
        private int maxRecords = 1_000_000;
        private int maxZipEntries = 16;
        private int maxElementDepth = 32;
        private int maxTextLength = 64 << 10;
        private int maxMimeParts = 100;
        private int maxMimeDepth = 10;
        private int maxProblems = 100;

        private Builder() {
        }

        /**
         * @param bytes bytes read from the input: the XML, the compressed file or the email (default 32 MiB),
         *              1 to 1 GiB; an email is held in memory whole
         * @return this builder
         */
        public Builder maxInputBytes(long bytes) {
            this.maxInputBytes = Checks.range("maxInputBytes", bytes, 1, 1L << 30);
            return this;
        }

        /**
         * @param bytes bytes of XML read, after decompression (default 16 MiB), 1 to 1 TiB
         * @return this builder
         */
        public Builder maxXmlBytes(long bytes) {
            this.maxXmlBytes = Checks.range("maxXmlBytes", bytes, 1, 1L << 40);
            return this;
        }

        /**
         * @param bytes bytes inflated from a gzip or zip file, all entries together, skipped ones included
         *              (default 64 MiB), 1 to 1 TiB
         * @return this builder
         */
        public Builder maxDecompressedBytes(long bytes) {
            this.maxDecompressedBytes = Checks.range("maxDecompressedBytes", bytes, 1, 1L << 40);
            return this;
        }

        /**
         * @param ratio inflated bytes per compressed byte (default 200; XML reports compress 10 to 50 times),
         *              judged once more than 1 MiB has been inflated, 2 to 100,000
         * @return this builder
         */
        public Builder maxCompressionRatio(int ratio) {
            this.maxCompressionRatio = (int) Checks.range("maxCompressionRatio", ratio, 2, 100_000);
            return this;
        }

        /**
         * @param n {@code <record>} elements read (default 1,000,000), 1 to 100,000,000
         * @return this builder
         */
        public Builder maxRecords(int n) {
            this.maxRecords = (int) Checks.range("maxRecords", n, 1, 100_000_000);
            return this;
        }

        /**
         * @param n entries of a zip file looked at for the XML one (default 16), 1 to 10,000
         * @return this builder
         */
        public Builder maxZipEntries(int n) {
            this.maxZipEntries = (int) Checks.range("maxZipEntries", n, 1, 10_000);
            return this;
        }

        /**
         * @param n XML element depth, the root at 1 (default 32; a report needs 5), 5 to 1,000
         * @return this builder
         */
        public Builder maxElementDepth(int n) {
            this.maxElementDepth = (int) Checks.range("maxElementDepth", n, 5, 1_000);
            return this;
        }

        /**
         * @param chars characters of one element's text, and of any one piece of markup the XML parser holds
         *              whole (a tag with its attributes, a comment, a CDATA section, a processing instruction, a
         *              DOCTYPE; counted in bytes in UTF-8) (default 65,536), 64 to 2^30
         * @return this builder
         */
        public Builder maxTextLength(int chars) {
            this.maxTextLength = (int) Checks.range("maxTextLength", chars, 64, 1 << 30);
            return this;
        }

        /**
         * @param n MIME entities of an email looked at, the message included (default 100), 1 to 10,000
         * @return this builder
         */
        public Builder maxMimeParts(int n) {
            this.maxMimeParts = (int) Checks.range("maxMimeParts", n, 1, 10_000);
            return this;
        }

        /**
         * @param n nesting of multiparts and enclosed messages in an email (default 10), 1 to 100
         * @return this builder
         */
        public Builder maxMimeDepth(int n) {
            this.maxMimeDepth = (int) Checks.range("maxMimeDepth", n, 1, 100);
            return this;
        }

        /**
         * @param n problems kept per report; one more entry says how many were dropped (default 100), 1 to
         *          10,000
         * @return this builder
         */
        public Builder maxProblems(int n) {
            this.maxProblems = (int) Checks.range("maxProblems", n, 1, 10_000);
            return this;
        }

        /** @return the parser */
        public AggregateReportParser build() {
            return new AggregateReportParser(this);
        }
    }
}
