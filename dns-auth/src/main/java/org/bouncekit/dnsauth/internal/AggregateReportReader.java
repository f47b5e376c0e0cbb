package org.bouncekit.dnsauth.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.bouncekit.dnsauth.AggregateReport;
import org.bouncekit.dnsauth.AggregateReportException;

/**
 * The engine of {@code AggregateReportParser}: tells XML, gzip, zip and email apart by their first bytes, and
 * reads each through bounded streams into {@link AggregateReportXml}. Nothing is held in memory whole except an
 * email (at most {@code maxInputBytes}) and its decoded attachment; XML and compressed data are streamed.
 *
 * <p>Immutable; thread-safe.
 */
public final class AggregateReportReader {

    /** Bytes looked at to tell the formats apart. */
    private static final int SNIFF = 512;

    /** What an input's first bytes say it is. Immutable; thread-safe. */
    public enum Format {
        /** gzip ({@code 1f 8b}). */
        GZIP,
        /** zip ({@code PK 03 04}, or the end record of an empty archive). */
        ZIP,
        /** XML: {@code <} after a byte-order mark and white space, or UTF-16 without a mark. */
        XML,
        /** Anything else: read as an email. */
        OTHER,
        /** No bytes at all. */
        EMPTY
    }

    /**
     * The limits, validated by the parser's builder. Immutable; thread-safe.
     *
     * @param maxInputBytes        bytes read from the caller's input
     * @param maxXmlBytes          bytes of XML given to the parser
     * @param maxDecompressedBytes bytes inflated from gzip or zip, all entries together
     * @param maxCompressionRatio  inflated bytes per compressed byte, judged past 1 MiB
     * @param maxRecords           {@code <record>} elements
     * @param maxZipEntries        entries of a zip file looked at
     * @param maxElementDepth      XML element depth
     * @param maxTextLength        characters of one element's text
     * @param maxMimeParts         MIME entities of an email
     * @param maxMimeDepth         MIME nesting of an email
     * @param maxProblems          problems kept
     */
    public record Config(long maxInputBytes, long maxXmlBytes, long maxDecompressedBytes, int maxCompressionRatio,
                         int maxRecords, int maxZipEntries, int maxElementDepth, int maxTextLength,
                         int maxMimeParts, int maxMimeDepth, int maxProblems) {
    }

    private final Config config;
    private final AggregateReportXml.Limits xmlLimits;

    /**
     * @param config the limits
     */
    public AggregateReportReader(Config config) {
        this.config = config;
        this.xmlLimits = new AggregateReportXml.Limits(config.maxRecords(), config.maxElementDepth(),
                config.maxTextLength());
    }

    /**
     * @param input the whole input
     * @return the report
     * @throws AggregateReportException when no report can be given
     */
    public AggregateReport read(byte[] input) throws AggregateReportException {
        if (input.length > config.maxInputBytes()) {
            throw AggregateReportStreams.limit("maxInputBytes", config.maxInputBytes(),
                    "the input has " + input.length + " bytes");
        }
        try {
            if (sniff(input, Math.min(input.length, SNIFF)) == Format.OTHER) {
                return message(input, new AggregateReportProblems(config.maxProblems()));
            }
            return read(new ByteArrayInputStream(input));
        } catch (AggregateReportException e) {
            throw e;
        } catch (IOException e) {
            // a byte array does not fail to be read; data errors are turned into AggregateReportException
            throw new AggregateReportException(AggregateReportException.Kind.UNREADABLE, e.getMessage(), e);
        }
    }

    /**
     * @param in the input, read as far as needed and not closed
     * @return the report
     * @throws AggregateReportException when no report can be given
     * @throws IOException              when reading {@code in} fails
     */
    public AggregateReport read(InputStream in) throws IOException {
        AggregateReportProblems problems = new AggregateReportProblems(config.maxProblems());
        AggregateReportStreams.Counted source = new AggregateReportStreams.Counted(in, config.maxInputBytes(),
                "maxInputBytes", "the input", true);
        try {
            BufferedInputStream buffered = new BufferedInputStream(source, 8192);
            buffered.mark(SNIFF);
            byte[] head = buffered.readNBytes(SNIFF);
            buffered.reset();
            return switch (sniff(head, head.length)) {
                case GZIP -> gzip(buffered, "gzip", problems);
                case ZIP -> zip(buffered, "zip", problems);
                case XML -> xml(buffered, "xml", problems);
                case EMPTY -> throw new AggregateReportException(AggregateReportException.Kind.UNREADABLE, null,
                        "the input is empty");
                case OTHER -> message(buffered.readAllBytes(), problems);
            };
        } catch (AggregateReportStreams.SourceFailure e) {
            throw e.original();
        }
    }

    private AggregateReport message(byte[] message, AggregateReportProblems problems) throws IOException {
        AggregateReportMime.Attachment a = AggregateReportMime.find(message, config.maxMimeParts(),
                config.maxMimeDepth(), problems);
        InputStream in = new ByteArrayInputStream(a.content());
        return switch (a.format()) {
            case GZIP -> gzip(in, "message/gzip", problems);
            case ZIP -> zip(in, "message/zip", problems);
            default -> xml(in, "message/xml", problems);
        };
    }

    private AggregateReport xml(InputStream in, String container, AggregateReportProblems problems)
            throws IOException {
        AggregateReportStreams.Counted xml = new AggregateReportStreams.Counted(in, config.maxXmlBytes(),
                "maxXmlBytes", "the XML", false);
        return AggregateReportXml.read(new AggregateReportStreams.Markup(xml, config.maxTextLength()), container,
                xmlLimits, problems);
    }

    private AggregateReport gzip(InputStream in, String container, AggregateReportProblems problems)
            throws IOException {
        AggregateReportStreams.Counted compressed = counter(in);
        GZIPInputStream gz;
        try {
            gz = new GZIPInputStream(compressed);
        } catch (AggregateReportException | AggregateReportStreams.SourceFailure e) {
            throw e;
        } catch (IOException e) {
            throw new AggregateReportException(AggregateReportException.Kind.UNREADABLE,
                    "gzip data is damaged: " + e.getMessage(), e);
        }
        return xml(new AggregateReportStreams.Inflated(gz, compressed, config.maxDecompressedBytes(),
                config.maxCompressionRatio(), "gzip"), container, problems);
    }

    private AggregateReport zip(InputStream in, String container, AggregateReportProblems problems)
            throws IOException {
        AggregateReportStreams.Counted compressed = counter(in);
        ZipInputStream zip = new ZipInputStream(compressed);
        AggregateReportStreams.Inflated inflated = new AggregateReportStreams.Inflated(zip, compressed,
                config.maxDecompressedBytes(), config.maxCompressionRatio(), "zip");
        int entries = 0;
        try {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (++entries > config.maxZipEntries()) {
                    throw AggregateReportStreams.limit("maxZipEntries", config.maxZipEntries(),
                            "zip entry " + entries + " (" + e.getName() + ")");
                }
                if (e.isDirectory() || e.getName().startsWith("__MACOSX/")) {
                    inflated.drain();
                    continue;
                }
                byte[] head = inflated.readNBytes(SNIFF);
                if (sniff(head, head.length) == Format.XML) {
                    return xml(new SequenceInputStream(new ByteArrayInputStream(head), inflated), container,
                            problems);
                }
                inflated.drain();
            }
        } catch (AggregateReportException | AggregateReportStreams.SourceFailure e) {
            throw e;
        } catch (IOException e) {
            throw new AggregateReportException(AggregateReportException.Kind.UNREADABLE,
                    "zip data is damaged: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // ZipInputStream's answer to an entry name that is not valid UTF-8
            throw new AggregateReportException(AggregateReportException.Kind.UNREADABLE,
                    "zip data is damaged: " + e.getMessage() + " (an entry name)", e);
        }
        throw new AggregateReportException(AggregateReportException.Kind.NOT_A_REPORT, null,
                "the zip file holds no XML entry (" + entries + " entries)");
    }

    private static AggregateReportStreams.Counted counter(InputStream in) {
        return new AggregateReportStreams.Counted(in, Long.MAX_VALUE, "compressed", "compressed data", false);
    }

    /**
     * @param b the first bytes of an input
     * @param n how many of them there are
     * @return what they look like
     */
    public static Format sniff(byte[] b, int n) {
        if (n == 0) {
            return Format.EMPTY;
        }
        if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            return Format.GZIP;
        }
        if (n >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 && b[3] == 4 || b[2] == 5 && b[3] == 6)) {
            return Format.ZIP;
        }
        if (n >= 2 && ((b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff || (b[0] & 0xff) == 0xff
                && (b[1] & 0xff) == 0xfe)) {
            return Format.XML; // UTF-16 with a byte-order mark
        }
        if (n >= 2 && (b[0] == '<' && b[1] == 0 || b[0] == 0 && b[1] == '<')) {
            return Format.XML; // UTF-16 without one
        }
        int i = n >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf ? 3 : 0;
        while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i < n && b[i] == '<' ? Format.XML : Format.OTHER;
    }
}
