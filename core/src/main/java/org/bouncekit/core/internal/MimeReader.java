package org.bouncekit.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.bouncekit.core.Limits;
import org.bouncekit.core.Problem;

/**
 * Reads the MIME structure of a message (RFC 2045/2046, RFC 6532 for {@code message/global}) over a byte array:
 * header blocks, multiparts at any depth within the limits, and enclosed messages and header blocks. Bodies are
 * located, not copied. Not thread-safe; one per parse.
 */
public final class MimeReader {

    private static final byte[] FROM_ = "From ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_ = "content-".getBytes(StandardCharsets.US_ASCII);
    /** Recently seen field names, by hash; see {@link #fieldName}. */
    private static final AtomicReferenceArray<String> NAMES = new AtomicReferenceArray<>(512);

    private final Limits limits;
    private final ProblemSink problems;
    /** Entities created so far, for {@link Limits#maxParts()}. */
    private int entityCount;
    private boolean partLimitReported;
    private boolean depthLimitReported;

    /**
     * @param limits   limits to apply
     * @param problems where problems go
     */
    public MimeReader(Limits limits, ProblemSink problems) {
        this.limits = limits;
        this.problems = problems;
    }

    /**
     * Reads a whole message. A leading mbox {@code From } line and leading empty lines are skipped.
     *
     * @param buf   bytes
     * @param start start
     * @param end   exclusive end
     * @return the root entity
     */
    public Entity readMessage(byte[] buf, int start, int end) {
        int p = start;
        while (p < end && (buf[p] == '\r' || buf[p] == '\n')) {
            p++;
        }
        if (ByteCursor.startsWith(buf, p, end, FROM_)) {
            p = ByteCursor.afterBreak(buf, ByteCursor.lineEnd(buf, p, end), end);
        }
        return readEntity(buf, p, end, 0, ContentType.TEXT_PLAIN);
    }

    /**
     * Reads an entity (header block then body) in {@code buf[start, end)}.
     *
     * @param buf   bytes
     * @param start start
     * @param end   exclusive end
     * @param depth nesting depth, 0 for the message
     * @param dflt  content type when none is given
     * @return the entity
     */
    Entity readEntity(byte[] buf, int start, int end, int depth, ContentType dflt) {
        entityCount++;
        List<RawHeader> headers = new ArrayList<>();
        int bodyStart = readHeaders(buf, start, end, headers, false);
        String declared = firstValue(headers, "content-type");
        ContentType ct = ContentType.parse(declared, dflt);
        if (declared == null && depth == 0) {
            // a bounce whose MIME header was lost (sendmail's with an mbox "From " line): a body that shows
            // boundary lines is a multipart all the same
            String inferred = inferBoundary(buf, bodyStart, end);
            if (inferred != null) {
                ct = new ContentType("multipart/mixed", Map.of("boundary", inferred));
                problems.add(Problem.Kind.MALFORMED_MIME, "no Content-Type; read as multipart with the boundary \""
                        + inferred + "\" found in the body", start);
            }
        }
        Entity e = new Entity(buf, headers, ct, bodyStart, end, depth);
        if (depth >= limits.maxMimeDepth()) {
            if (!depthLimitReported && (ct.isMultipart() || isEnclosing(ct))) {
                depthLimitReported = true;
                problems.add(Problem.Kind.LIMIT_EXCEEDED, "MIME nesting deeper than " + limits.maxMimeDepth()
                        + " not read (limit maxMimeDepth)", start);
            }
            return e;
        }
        if (ct.isMultipart()) {
            readMultipart(e, depth);
        } else if (isEnclosing(ct)) {
            readEnclosed(e, depth);
        }
        return e;
    }

    private static boolean isEnclosing(ContentType ct) {
        String t = ct.mediaType();
        return t.equals("message/rfc822") || t.equals("message/global") || t.equals("text/rfc822-headers")
                || t.equals("message/global-headers") || t.equals("message/rfc822-headers");
    }

    private void readEnclosed(Entity e, int depth) {
        if (!takeEntity(e.bodyStart)) {
            return;
        }
        byte[] b = e.buf;
        int s = e.bodyStart;
        int t = e.bodyEnd;
        int reportAt = AT_POSITION;
        if (e.isEncoded()) {
            reportAt = e.bodyStart; // the decoded copy's positions are not the input's
            Entity.Bytes d = e.decodedBody(limits.maxDecodedBytes());
            if (d.truncated()) {
                problems.add(Problem.Kind.LIMIT_EXCEEDED, "enclosed message cut at " + limits.maxDecodedBytes()
                        + " decoded bytes (limit maxDecodedBytes)", e.bodyStart);
            }
            b = d.buf();
            s = d.start();
            t = d.end();
        }
        int p = s;
        while (p < t && (b[p] == '\r' || b[p] == '\n')) {
            p++; // some MTAs put a blank line first
        }
        // Only the enclosed message's header is read: reports need the returned message's identity, never the
        // structure of its body (often the largest part of a bounce), so that body is located, not parsed.
        List<RawHeader> hs = new ArrayList<>();
        int bodyStart = readHeaders(b, p, t, hs, false, reportAt);
        entityCount++;
        ContentType ct = e.contentType.mediaType().endsWith("headers") ? ContentType.TEXT_PLAIN
                : ContentType.parse(firstValue(hs, "content-type"), ContentType.TEXT_PLAIN);
        e.enclosed = new Entity(b, hs, ct, bodyStart, t, depth + 1);
    }

    private boolean takeEntity(int offset) {
        if (entityCount >= limits.maxParts()) {
            if (!partLimitReported) {
                partLimitReported = true;
                problems.add(Problem.Kind.LIMIT_EXCEEDED, "more than " + limits.maxParts()
                        + " MIME parts; the rest not read (limit maxParts)", offset);
            }
            return false;
        }
        return true;
    }

    private void readMultipart(Entity e, int depth) {
        String boundary = e.contentType.param("boundary");
        boolean usable = boundary != null && !boundary.isEmpty() && boundary.length() <= 200;
        if (usable && splitParts(e, depth, boundary)) {
            return;
        }
        // Broken senders declare one boundary and use another, or none at all: use the one the body shows.
        String inferred = inferBoundary(e.buf, e.bodyStart, e.bodyEnd);
        if (inferred != null && !inferred.equals(boundary) && splitParts(e, depth, inferred)) {
            problems.add(Problem.Kind.MALFORMED_MIME, "multipart boundary \"" + boundary + "\" not used; read with \""
                    + inferred + "\" found in the body", e.bodyStart);
            return;
        }
        problems.add(Problem.Kind.MALFORMED_MIME, usable ? "multipart boundary \"" + boundary + "\" never appears"
                : "multipart without a usable boundary", e.bodyStart);
    }

    /**
     * A boundary the body itself shows: a line {@code --token} (no white space) followed by a
     * {@code Content-} header line, within the first 500 lines, and not declared earlier in the body (which
     * would make it the boundary of a message quoted there).
     *
     * @return the token, or null
     */
    static String inferBoundary(byte[] b, int start, int end) {
        int p = start;
        for (int lines = 0; p < end && lines < 500; lines++) {
            int eol = ByteCursor.lineEnd(b, p, end);
            int len = eol - p;
            if (len > 3 && len <= 202 && b[p] == '-' && b[p + 1] == '-' && b[p + 2] != '-'
                    && b[p + 2] != ' ' && b[p + 2] != '\t') {
                boolean token = true;
                for (int i = p + 2; i < eol && token; i++) {
                    token = b[i] > ' ' && b[i] < 127;
                }
                int next = ByteCursor.afterBreak(b, eol, end);
                if (token && ByteCursor.startsWithIgnoreCase(b, next, end, CONTENT_)) {
                    String found = new String(b, p + 2, len - 2, StandardCharsets.ISO_8859_1);
                    // a boundary declared earlier in the body belongs to a message quoted there, not to this one
                    String before = new String(b, start, p - start, StandardCharsets.ISO_8859_1);
                    if (before.contains("=\"" + found + "\"") || before.contains("=" + found)) {
                        return null;
                    }
                    return found;
                }
            }
            p = ByteCursor.afterBreak(b, eol, end);
        }
        return null;
    }

    /**
     * Splits a multipart body at {@code boundary}.
     *
     * @return false when the boundary never appears (no parts were read)
     */
    private boolean splitParts(Entity e, int depth, String boundary) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = e.buf;
        int end = e.bodyEnd;
        ContentType childDefault = e.contentType.is("multipart/digest")
                ? ContentType.MESSAGE_RFC822 : ContentType.TEXT_PLAIN;
        List<Entity> parts = new ArrayList<>();
        int partStart = -1;
        boolean closed = false;
        int p = e.bodyStart;
        while (p < end) {
            // Jump from one '-' to the next (base64 has none) and look only at those starting a line.
            int dash = ByteCursor.indexOf(b, (byte) '-', p, end);
            if (dash == end) {
                break;
            }
            if (!ByteCursor.startsWith(b, dash, end, delim)) {
                p = dash + 1;
                continue;
            }
            int lineStart = dash;
            while (lineStart > e.bodyStart && (b[lineStart - 1] == ' ' || b[lineStart - 1] == '\t')) {
                lineStart--; // " --boundary": some MTAs indent it; accepted, the boundary is unique anyway
            }
            if (lineStart != e.bodyStart && b[lineStart - 1] != '\n' && b[lineStart - 1] != '\r') {
                p = dash + 1;
                continue;
            }
            p = dash;
            int eol = ByteCursor.lineEnd(b, p, end);
            int after = p + delim.length;
            boolean close = after + 2 <= eol && b[after] == '-' && b[after + 1] == '-';
            int tail = close ? after + 2 : after;
            if (ByteCursor.isBlank(b, tail, eol)) {
                if (partStart >= 0) {
                    int partEnd = ByteCursor.breakBefore(b, partStart, lineStart);
                    if (!addPart(parts, b, partStart, partEnd, depth, childDefault)) {
                        break;
                    }
                }
                if (close) {
                    closed = true;
                    break;
                }
                partStart = ByteCursor.afterBreak(b, eol, end);
            }
            p = ByteCursor.afterBreak(b, eol, end);
        }
        if (!closed) {
            if (partStart >= 0 && partStart < end && !partLimitReported) {
                addPart(parts, b, partStart, end, depth, childDefault);
            }
            if (partStart < 0) {
                return false;
            } else if (!partLimitReported) {
                problems.add(Problem.Kind.MALFORMED_MIME, "multipart \"" + boundary + "\" is not closed",
                        e.bodyEnd);
            }
        }
        e.parts = List.copyOf(parts);
        return true;
    }

    private boolean addPart(List<Entity> parts, byte[] b, int start, int end, int depth, ContentType dflt) {
        if (!takeEntity(start)) {
            return false;
        }
        parts.add(readEntity(b, start, end, depth + 1, dflt));
        return true;
    }

    /**
     * Reads a header block from {@code pos}: fields with their folded continuation lines, up to the empty line that
     * ends it. In a message header a line that is not a field ends the block (it is taken as the body's first
     * line); in report fields ({@code fieldsMode}) it is kept as a continuation of the field before.
     *
     * @param b          bytes
     * @param pos        start of the block
     * @param end        exclusive end
     * @param out        fields are added here, at most {@link Limits#maxHeaderCount()}
     * @param fieldsMode true for DSN/ARF report fields
     * @return the start of what follows the block (after the empty line)
     */
    public int readHeaders(byte[] b, int pos, int end, List<RawHeader> out, boolean fieldsMode) {
        return readHeaders(b, pos, end, out, fieldsMode, AT_POSITION);
    }

    /**
     * {@link #readHeaders(byte[], int, int, List, boolean)} for a buffer that may not be the input: problems, and
     * the fields' {@link RawHeader#at}, name {@code reportAt} instead of positions in {@code b}.
     *
     * @param reportAt {@link #AT_POSITION} when {@code b} is the input, else the input offset to report (the start
     *                 of the encoded part {@code b} was decoded from), or -1 for none
     */
    int readHeaders(byte[] b, int pos, int end, List<RawHeader> out, boolean fieldsMode, int reportAt) {
        int maxCount = limits.maxHeaderCount();
        int maxBytes = limits.maxHeaderBytes();
        RawHeader last = null;
        boolean countReported = false;
        int skipped = 0;
        while (pos < end) {
            int eol = ByteCursor.lineEnd(b, pos, end);
            if (eol == pos) {
                return ByteCursor.afterBreak(b, eol, end);
            }
            byte first = b[pos];
            if (first == ' ' || first == '\t') {
                if (ByteCursor.isBlank(b, pos, eol) && fieldsMode) {
                    // a line of white space only separates report field groups
                    return ByteCursor.afterBreak(b, eol, end);
                }
                if (last != null) {
                    extend(last, eol, maxBytes);
                } else if (skipped == 0 && out.isEmpty()) {
                    problems.add(Problem.Kind.MALFORMED_HEADER, "continuation line with no field before it",
                            at(pos, reportAt));
                }
                pos = ByteCursor.afterBreak(b, eol, end);
                continue;
            }
            int colon = fieldNameEnd(b, pos, eol);
            if (colon < 0) {
                if (fieldsMode && last != null) {
                    extend(last, eol, maxBytes);
                    pos = ByteCursor.afterBreak(b, eol, end);
                    continue;
                }
                if (fieldsMode) {
                    problems.add(Problem.Kind.MALFORMED_HEADER, "line is not a field", at(pos, reportAt));
                    pos = ByteCursor.afterBreak(b, eol, end);
                    continue;
                }
                if (out.isEmpty() && skipped == 0 && ByteCursor.startsWith(b, pos, end, FROM_)) {
                    pos = ByteCursor.afterBreak(b, eol, end); // mbox envelope line
                    continue;
                }
                problems.add(Problem.Kind.MALFORMED_HEADER,
                        "header ended by a line that is not a field; the rest is read as body", at(pos, reportAt));
                return pos;
            }
            if (out.size() >= maxCount) {
                skipped++;
                last = null;
                if (!countReported) {
                    countReported = true;
                    problems.add(Problem.Kind.LIMIT_EXCEEDED, "more than " + maxCount
                            + " header fields; the rest skipped (limit maxHeaderCount)", at(pos, reportAt));
                }
                pos = ByteCursor.afterBreak(b, eol, end);
                continue;
            }
            int nameEnd = colon;
            while (nameEnd > pos && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            int lowerHash = 0;
            for (int i = pos; i < nameEnd; i++) {
                int c = b[i];
                lowerHash = 31 * lowerHash + (c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            String name = fieldName(b, pos, nameEnd, lowerHash);
            last = new RawHeader(b, name, lowerHash, colon + 1, colon + 1, pos, at(pos, reportAt));
            extend(last, eol, maxBytes);
            out.add(last);
            pos = ByteCursor.afterBreak(b, eol, end);
        }
        return end;
    }

    /** Marks positions in the input itself: problems are reported where they are found. */
    static final int AT_POSITION = Integer.MIN_VALUE;

    private static int at(int pos, int reportAt) {
        return reportAt == AT_POSITION ? pos : reportAt;
    }

    private void extend(RawHeader h, int eol, int maxBytes) {
        if (h.cut) {
            return;
        }
        if (eol - h.valueStart <= maxBytes) {
            h.valueEnd = eol;
        } else {
            // a flag, not the length: a folded value may fill maxBytes exactly at a line end and then go on
            h.cut = true;
            h.valueEnd = h.valueStart + maxBytes;
            problems.add(Problem.Kind.LIMIT_EXCEEDED, "field " + h.name + " longer than " + maxBytes
                    + " bytes; cut (limit maxHeaderBytes)", h.at);
        }
    }

    /**
     * The field name as a String, shared with earlier parses when the same name (same case) was seen: a few dozen
     * names make up nearly every header, so this saves most name allocations. The slots hold immutable Strings, so
     * a race between threads at worst replaces one cached name with another.
     */
    private static String fieldName(byte[] b, int from, int to, int lowerHash) {
        int len = to - from;
        int slot = (lowerHash ^ (lowerHash >>> 16)) & (NAMES.length() - 1);
        String cached = NAMES.get(slot);
        if (cached != null && cached.length() == len) {
            boolean same = true;
            for (int i = 0; i < len; i++) {
                if (cached.charAt(i) != (char) b[from + i]) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return cached;
            }
        }
        String name = new String(b, from, len, StandardCharsets.ISO_8859_1);
        if (len <= 40) {
            NAMES.lazySet(slot, name);
        }
        return name;
    }

    /**
     * The index of the colon ending a field name on the line {@code [pos, eol)}, or -1 when the line does not
     * start with a field name (printable ASCII without colon, optionally followed by white space).
     */
    private static int fieldNameEnd(byte[] b, int pos, int eol) {
        int i = pos;
        int limit = Math.min(eol, pos + 200);
        while (i < limit) {
            byte c = b[i];
            if (c == ':') {
                return i > pos ? i : -1;
            }
            if (c == ' ' || c == '\t') {
                int j = i;
                while (j < limit && (b[j] == ' ' || b[j] == '\t')) {
                    j++;
                }
                return j < limit && b[j] == ':' && i > pos ? j : -1;
            }
            if (c < 33 || c > 126) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    /**
     * @param headers fields
     * @param lowerName lower-case field name
     * @return the first value, or null
     */
    static String firstValue(List<RawHeader> headers, String lowerName) {
        for (int hi = 0, hn = headers.size(); hi < hn; hi++) {
            RawHeader h = headers.get(hi);
            if (h.is(lowerName)) {
                return h.value();
            }
        }
        return null;
    }
}
