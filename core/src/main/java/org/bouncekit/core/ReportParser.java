package org.bouncekit.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncekit.core.internal.ReportReader;

/**
 * Reads delivery reports, feedback reports and auto-replies from raw messages: the entry point of BounceKit's core.
 *
 * <pre>{@code
 * ReportParser parser = ReportParser.defaults();
 * Report report = parser.parse(Path.of("bounce.eml"));
 * if (report instanceof DeliveryReport dsn) {
 *     for (RecipientStatus r : dsn.recipients()) {
 *         System.out.println(r.recipient() + " " + r.action() + " " + r.status());
 *     }
 * }
 * }</pre>
 *
 * <p>Parsing never throws on bad input: a damaged message gives a partial result with {@link Report#problems()}.
 * Only reading an {@link InputStream} or a file can fail, with the {@link IOException} of the source. At most
 * {@link Limits#maxInputBytes()} bytes are read from any input.
 *
 * <p>Instances are immutable and thread-safe: share one parser across threads.
 */
public final class ReportParser {

    private static final ReportParser DEFAULTS = builder().build();

    private final Limits limits;
    private final Verp verp;
    private final List<String> correlationHeaders;
    private final ReportReader reader;

    private ReportParser(Builder b) {
        this.limits = b.limits;
        this.verp = b.verp;
        this.correlationHeaders = List.copyOf(b.correlationHeaders);
        this.reader = new ReportReader(limits, verp, correlationHeaders);
    }

    /**
     * A parser with {@link Limits#defaults()}, the {@link Verp#defaultPattern()} and the default correlation
     * headers.
     *
     * @return the shared default parser
     */
    public static ReportParser defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a message held in memory.
     *
     * @param message the raw message bytes (RFC 5322, any line ends)
     * @return the report, never null
     * @throws NullPointerException if {@code message} is null
     */
    public Report parse(byte[] message) {
        return parse(message, 0, message.length);
    }

    /**
     * Reads a message held in part of an array.
     *
     * @param buf    bytes
     * @param offset where the message starts
     * @param length its length
     * @return the report, never null
     * @throws IndexOutOfBoundsException if the range lies outside {@code buf}
     */
    public Report parse(byte[] buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        boolean cut = length > limits.maxInputBytes();
        int end = cut ? offset + (int) limits.maxInputBytes() : offset + length;
        return reader.read(buf, offset, end, cut);
    }

    /**
     * Reads a message from a stream, at most {@link Limits#maxInputBytes()} of it; the stream is not closed.
     *
     * @param in the stream
     * @return the report, never null
     * @throws IOException when reading the stream fails
     */
    public Report parse(InputStream in) throws IOException {
        long max = limits.maxInputBytes();
        byte[] buf = new byte[(int) Math.min(max + 1, 64 * 1024)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > max) {
                    break;
                }
                buf = Arrays.copyOf(buf, (int) Math.min(max + 1, (long) buf.length * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        boolean cut = n > max;
        return reader.read(buf, 0, cut ? (int) max : n, cut);
    }

    /**
     * Reads a message file, at most {@link Limits#maxInputBytes()} of it.
     *
     * @param file the file
     * @return the report, never null
     * @throws IOException when the file cannot be read
     */
    public Report parse(Path file) throws IOException {
        long size = Files.size(file);
        long max = limits.maxInputBytes();
        if (size <= max) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = in.readNBytes((int) size + 1);
                if (buf.length <= max) {
                    return reader.read(buf, 0, buf.length, false);
                }
                return reader.read(buf, 0, (int) max, true);
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = in.readNBytes((int) max);
            return reader.read(buf, 0, buf.length, true);
        }
    }

    /**
     * The limits this parser applies.
     *
     * @return the limits
     */
    public Limits limits() {
        return limits;
    }

    /**
     * The VERP pattern used to decode the report's envelope recipient.
     *
     * @return the pattern, or null when VERP decoding is off
     */
    public Verp verp() {
        return verp;
    }

    /**
     * The names of the original message's fields kept in {@link OriginalMessage#correlationHeaders()}.
     *
     * @return lower-case field names
     */
    public List<String> correlationHeaders() {
        return correlationHeaders;
    }

    /**
     * Builds a {@link ReportParser}. Setters validate at once; {@link #build()} copies, so a builder can be reused.
     * Not thread-safe.
     */
    public static final class Builder {
        private Limits limits = Limits.defaults();
        private Verp verp = Verp.defaultPattern();
        private List<String> correlationHeaders = List.of("x-campaign-id", "x-mailer", "feedback-id",
                "x-job", "x-ses-configuration-set", "x-mailgun-variables", "x-sg-eid", "x-pm-message-id");

        private Builder() {
        }

        /**
         * Sets the limits.
         *
         * @param limits the limits
         * @return this builder
         * @throws NullPointerException if {@code limits} is null
         */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets the VERP pattern, or turns VERP decoding off with null.
         *
         * @param verp the pattern, or null
         * @return this builder
         */
        public Builder verp(Verp verp) {
            this.verp = verp;
            return this;
        }

        /**
         * Chooses the original message's header fields to keep for correlating a report with the sending campaign
         * (defaults: {@code X-Campaign-ID}, {@code X-Mailer}, {@code Feedback-ID}, {@code X-Job},
         * {@code X-SES-Configuration-Set}, {@code X-Mailgun-Variables}, {@code X-SG-EID},
         * {@code X-PM-Message-Id}).
         *
         * @param names field names, any case
         * @return this builder
         * @throws NullPointerException     if a name is null
         * @throws IllegalArgumentException if a name is blank or contains a colon or white space
         */
        public Builder correlationHeaders(String... names) {
            List<String> out = new ArrayList<>(names.length);
            for (String n : names) {
                Objects.requireNonNull(n, "header name");
                if (n.isBlank() || n.indexOf(':') >= 0 || n.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("not a header field name: \"" + n + "\"");
                }
                out.add(n.toLowerCase(Locale.ROOT));
            }
            this.correlationHeaders = out;
            return this;
        }

        /**
         * Builds the parser.
         *
         * @return an immutable parser
         */
        public ReportParser build() {
            return new ReportParser(this);
        }
    }
}
