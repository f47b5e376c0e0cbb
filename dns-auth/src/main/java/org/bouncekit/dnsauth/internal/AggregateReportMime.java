package org.bouncekit.dnsauth.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bouncekit.dnsauth.AggregateReportException;

/**
 * Finds the report attachment of an email carrying a DMARC aggregate report: a minimal MIME walker (RFC 2045,
 * RFC 2046) over the message's bytes, for this purpose only. It descends into multiparts and enclosed messages,
 * decodes base64 and quoted-printable, and keeps the first leaf whose content is gzip, zip or XML. Message text
 * ({@code text/plain}, {@code text/html} without a file name) is not looked at. BounceKit core's message reader
 * does not expose attachments, hence this walker.
 *
 * <p>Stateless; thread-safe. Each call walks one message.
 */
public final class AggregateReportMime {

    /** Types that announce a report; any other leaf is still sniffed, but text without a name is not. */
    private static final Set<String> REPORT_TYPES = Set.of("application/gzip", "application/x-gzip",
            "application/x-gzip-compressed", "application/gzip-compressed", "application/zip",
            "application/x-zip", "application/x-zip-compressed", "application/xml", "text/xml",
            "application/octet-stream");
    private static final String[] REPORT_NAMES = {".xml", ".gz", ".gzip", ".zip"};

    /**
     * The attachment found. Its array is the walk's own, not copied and never changed; thread-safe.
     *
     * @param contentType its media type, lower case ({@code application/gzip})
     * @param fileName    its file name, or null
     * @param content     its decoded content
     * @param format      what the content is
     */
    public record Attachment(String contentType, String fileName, byte[] content,
                             AggregateReportReader.Format format) {
    }

    private AggregateReportMime() {
    }

    /**
     * @param message  the whole message
     * @param maxParts MIME entities visited, the message itself included
     * @param maxDepth nesting of multiparts and enclosed messages
     * @param problems where problems go (damaged MIME, more than one report attachment)
     * @return the first report attachment
     * @throws AggregateReportException when a limit is breached, or the message has no report attachment
     */
    public static Attachment find(byte[] message, int maxParts, int maxDepth, AggregateReportProblems problems)
            throws AggregateReportException {
        Walk w = new Walk(message, maxParts, maxDepth, problems);
        w.entity(0, message.length, 0);
        if (w.first == null) {
            throw new AggregateReportException(AggregateReportException.Kind.NOT_A_REPORT, null,
                    "no DMARC report attachment (gzip, zip or XML) in the message (" + w.parts
                            + " MIME part(s) looked at)");
        }
        if (w.found > 1) {
            problems.add("the message holds " + w.found + " report attachments; only the first ("
                    + (w.first.fileName() == null ? w.first.contentType() : w.first.fileName()) + ") was read");
        }
        return w.first;
    }

    /** One walk. Not thread-safe. */
    private static final class Walk {
        private final byte[] b;
        private final int maxParts;
        private final int maxDepth;
        private final AggregateReportProblems problems;
        private int parts;
        private int found;
        private Attachment first;

        Walk(byte[] b, int maxParts, int maxDepth, AggregateReportProblems problems) {
            this.b = b;
            this.maxParts = maxParts;
            this.maxDepth = maxDepth;
            this.problems = problems;
        }

        void entity(int start, int end, int depth) throws AggregateReportException {
            if (++parts > maxParts) {
                throw AggregateReportStreams.limit("maxMimeParts", maxParts, "MIME part " + parts
                        + " at byte " + start);
            }
            if (depth > maxDepth) {
                throw AggregateReportStreams.limit("maxMimeDepth", maxDepth, "MIME part at byte " + start
                        + " is nested " + depth + " deep");
            }
            Map<String, String> fields = new HashMap<>();
            int body = headers(start, end, depth == 0, fields);
            ContentType ct = ContentType.parse(fields.get("content-type"));
            if (ct.type.startsWith("multipart/")) {
                String boundary = ct.params.get("boundary");
                if (boundary == null || boundary.isEmpty()) {
                    problems.add("MIME: " + ct.type + " at byte " + start + " has no boundary; skipped");
                    return;
                }
                for (int[] part : split(body, end, boundary, start)) {
                    entity(part[0], part[1], depth + 1);
                }
            } else if (ct.type.equals("message/rfc822") || ct.type.equals("message/global")) {
                entity(body, end, depth + 1);
            } else {
                leaf(ct, fields, body, end);
            }
        }

        /** Reads the header block; returns where the body begins. Only the fields looked at are kept. */
        private int headers(int start, int end, boolean top, Map<String, String> fields) {
            int p = start;
            String name = null;
            StringBuilder value = null;
            boolean firstLine = true;
            while (p < end) {
                int lf = indexOf((byte) '\n', p, end);
                int next = lf < 0 ? end : lf + 1;
                int le = lf < 0 ? end : lf > p && b[lf - 1] == '\r' ? lf - 1 : lf;
                if (le == p) {
                    p = next; // the empty line ends the header block
                    break;
                }
                if (firstLine && top && startsWith(p, le, "From ")) {
                    firstLine = false;
                    p = next; // an mbox separator
                    continue;
                }
                if (b[p] == ' ' || b[p] == '\t') {
                    if (value != null) {
                        value.append(' ').append(latin1(p, le).strip());
                    }
                } else {
                    int colon = indexOf((byte) ':', p, le);
                    if (colon <= p || !fieldName(p, colon)) {
                        if (firstLine) {
                            return start; // no header block: all is body
                        }
                        p = next; // a damaged line
                        continue;
                    }
                    keep(fields, name, value);
                    name = latin1(p, colon).strip().toLowerCase(Locale.ROOT);
                    value = name.startsWith("content-") ? new StringBuilder(latin1(colon + 1, le).strip())
                            : null;
                }
                firstLine = false;
                p = next;
            }
            keep(fields, name, value);
            return Math.min(p, end);
        }

        private static void keep(Map<String, String> fields, String name, StringBuilder value) {
            if (name != null && value != null) {
                fields.putIfAbsent(name, value.toString());
            }
        }

        private boolean fieldName(int from, int to) {
            for (int i = from; i < to; i++) {
                int c = b[i] & 0xff;
                if (c <= 32 || c >= 127) {
                    return false;
                }
            }
            return true;
        }

        /** The ranges of the body parts between the delimiters of {@code boundary}. */
        private List<int[]> split(int from, int end, String boundary, int at) throws AggregateReportException {
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            List<int[]> out = new ArrayList<>();
            int partStart = -1;
            boolean closed = false;
            int p = from;
            while (p < end) {
                int lf = indexOf((byte) '\n', p, end);
                int next = lf < 0 ? end : lf + 1;
                int le = lf < 0 ? end : lf > p && b[lf - 1] == '\r' ? lf - 1 : lf;
                int kind = delimiterLine(p, le, delimiter);
                if (kind != 0) {
                    if (partStart >= 0) {
                        // the line break before the delimiter belongs to it
                        int partEnd = p;
                        if (partEnd > partStart && b[partEnd - 1] == '\n') {
                            partEnd--;
                            if (partEnd > partStart && b[partEnd - 1] == '\r') {
                                partEnd--;
                            }
                        }
                        out.add(new int[] {partStart, partEnd});
                        if (out.size() > maxParts) {
                            throw AggregateReportStreams.limit("maxMimeParts", maxParts,
                                    "multipart at byte " + at + " has more parts");
                        }
                    }
                    if (kind == 2) {
                        closed = true;
                        break;
                    }
                    partStart = next;
                }
                p = next;
            }
            if (!closed) {
                problems.add("MIME: multipart at byte " + at + " has no closing boundary");
                if (partStart >= 0 && partStart < end) {
                    out.add(new int[] {partStart, end});
                }
            }
            return out;
        }

        /** 0: not a delimiter line; 1: a delimiter; 2: the close delimiter. */
        private int delimiterLine(int p, int le, byte[] delimiter) {
            if (le - p < delimiter.length) {
                return 0;
            }
            for (int i = 0; i < delimiter.length; i++) {
                if (b[p + i] != delimiter[i]) {
                    return 0;
                }
            }
            int q = p + delimiter.length;
            int kind = 1;
            if (q + 2 <= le && b[q] == '-' && b[q + 1] == '-') {
                kind = 2;
                q += 2;
            }
            for (; q < le; q++) {
                if (b[q] != ' ' && b[q] != '\t') {
                    return 0; // a longer boundary that starts with this one
                }
            }
            return kind;
        }

        private void leaf(ContentType ct, Map<String, String> fields, int body, int end) {
            String fileName = ContentType.parse("x/x;" + valueAfterType(fields.get("content-disposition")))
                    .param("filename");
            if (fileName == null) {
                fileName = ct.param("name");
            }
            boolean named = fileName != null && reportName(fileName);
            boolean announced = REPORT_TYPES.contains(ct.type) || named;
            if (!announced && (ct.type.equals("text/plain") || ct.type.equals("text/html"))) {
                return;
            }
            String cte = fields.getOrDefault("content-transfer-encoding", "7bit").strip().toLowerCase(Locale.ROOT);
            byte[] content = switch (cte) {
                case "base64" -> base64(body, end);
                case "quoted-printable" -> quotedPrintable(body, end);
                case "7bit", "8bit", "binary" -> Arrays.copyOfRange(b, body, end);
                default -> {
                    problems.add("MIME: unknown Content-Transfer-Encoding \"" + cte + "\"; read as it is");
                    yield Arrays.copyOfRange(b, body, end);
                }
            };
            AggregateReportReader.Format format = AggregateReportReader.sniff(content, content.length);
            if (format == AggregateReportReader.Format.GZIP || format == AggregateReportReader.Format.ZIP
                    || format == AggregateReportReader.Format.XML) {
                found++;
                if (first == null) {
                    first = new Attachment(ct.type, fileName, content, format);
                }
            } else if (announced && !ct.type.equals("application/octet-stream")) {
                problems.add("MIME: attachment " + (fileName == null ? ct.type : fileName)
                        + " is neither gzip, zip nor XML; skipped");
            }
        }

        private static String valueAfterType(String disposition) {
            if (disposition == null) {
                return "";
            }
            int semi = disposition.indexOf(';');
            return semi < 0 ? "" : disposition.substring(semi + 1);
        }

        private static boolean reportName(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            for (String suffix : REPORT_NAMES) {
                if (n.endsWith(suffix)) {
                    return true;
                }
            }
            return false;
        }

        /** Lenient base64: characters outside the alphabet are skipped, decoding stops at padding. */
        private byte[] base64(int from, int to) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) / 4 * 3 + 3);
            int acc = 0;
            int bits = 0;
            for (int i = from; i < to; i++) {
                int c = b[i];
                int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
                        : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : c == '=' ? -2 : -1;
                if (v == -2) {
                    break;
                }
                if (v < 0) {
                    continue;
                }
                acc = acc << 6 | v;
                bits += 6;
                if (bits >= 8) {
                    bits -= 8;
                    out.write(acc >> bits & 0xff);
                }
            }
            if (bits >= 6) {
                problems.add("MIME: base64 content ends with a stray character");
            }
            return out.toByteArray();
        }

        private byte[] quotedPrintable(int from, int to) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c != '=') {
                    out.write(c);
                    continue;
                }
                if (i + 1 < to && b[i + 1] == '\n') {
                    i += 1; // a soft line break
                } else if (i + 2 < to && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    i += 2;
                } else if (i + 2 < to && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                    out.write(hex(b[i + 1]) << 4 | hex(b[i + 2]));
                    i += 2;
                } else {
                    out.write(c);
                }
            }
            return out.toByteArray();
        }

        private static int hex(byte c) {
            return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        }

        private int indexOf(byte c, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] == c) {
                    return i;
                }
            }
            return -1;
        }

        private boolean startsWith(int from, int to, String s) {
            if (to - from < s.length()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (b[from + i] != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String latin1(int from, int to) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    /** A parsed Content-Type (or, with a dummy type, Content-Disposition's parameters). */
    private static final class ContentType {
        final String type;
        final Map<String, String> params;

        private ContentType(String type, Map<String, String> params) {
            this.type = type;
            this.params = params;
        }

        String param(String name) {
            return params.get(name);
        }

        /** Without a field, text/plain (RFC 2045 §5.2). RFC 2231 continuations and encodings are joined. */
        static ContentType parse(String field) {
            if (field == null) {
                return new ContentType("text/plain", Map.of());
            }
            List<String> pieces = splitParams(field);
            String type = pieces.get(0).strip().toLowerCase(Locale.ROOT);
            if (type.indexOf('/') < 0) {
                type = "text/plain";
            }
            Map<String, String> params = new HashMap<>();
            Map<String, TreeMap<Integer, String>> continued = new HashMap<>();
            for (int i = 1; i < pieces.size(); i++) {
                String piece = pieces.get(i);
                int eq = piece.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = piece.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = unquote(piece.substring(eq + 1).strip());
                boolean encoded = name.endsWith("*");
                if (encoded) {
                    name = name.substring(0, name.length() - 1);
                    value = decode2231(value, name.indexOf('*') < 0 || name.endsWith("*0"));
                }
                int star = name.indexOf('*');
                if (star > 0) {
                    try {
                        int index = Integer.parseInt(name.substring(star + 1));
                        continued.computeIfAbsent(name.substring(0, star), k -> new TreeMap<>()).put(index, value);
                    } catch (NumberFormatException e) {
                        // not a continuation; ignored
                    }
                    continue;
                }
                params.putIfAbsent(name, value);
            }
            continued.forEach((name, segments) -> params.putIfAbsent(name, String.join("", segments.values())));
            return new ContentType(type, params);
        }

        private static List<String> splitParams(String field) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (quoted && c == '\\' && i + 1 < field.length()) {
                    cur.append(c).append(field.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ';' && !quoted) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    continue;
                }
                cur.append(c);
            }
            out.add(cur.toString());
            return out;
        }

        private static String unquote(String v) {
            if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
                return v;
            }
            StringBuilder sb = new StringBuilder(v.length());
            for (int i = 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length() - 1) {
                    c = v.charAt(++i);
                }
                sb.append(c);
            }
            return sb.toString();
        }

        /** {@code charset'language'percent-encoded} (the prefix only on the first segment), read as UTF-8. */
        private static String decode2231(String v, boolean first) {
            String s = v;
            if (first) {
                int q1 = s.indexOf('\'');
                int q2 = q1 < 0 ? -1 : s.indexOf('\'', q1 + 1);
                if (q2 > 0) {
                    s = s.substring(q2 + 1);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                    out.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                    i += 2;
                } else {
                    byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    out.write(enc, 0, enc.length);
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        private static int hex(char c) {
            return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        }
    }
}
