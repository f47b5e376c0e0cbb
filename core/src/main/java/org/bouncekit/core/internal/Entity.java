package org.bouncekit.core.internal;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;

/**
 * A message or MIME part as read: its header fields, content type, where its body lies, and its children (the
 * parts of a multipart, or the message enclosed in a {@code message/rfc822} part). Bodies are not decoded until
 * asked for. Not thread-safe; belongs to one parse.
 */
public final class Entity {

    /** The buffer holding this entity's bytes (a decoded copy for an encoded enclosed message). */
    final byte[] buf;
    final List<RawHeader> headers;
    final ContentType contentType;
    /** Content-Transfer-Encoding in lower case, "7bit" when absent. */
    final String transferEncoding;
    /** Body range in {@link #buf}: {@code bodyStart <= bodyEnd}. */
    final int bodyStart;
    final int bodyEnd;
    final int depth;
    /** Parts of a multipart; empty otherwise. */
    List<Entity> parts = List.of();
    /** The enclosed message of a message/rfc822-like part, or headers of a text/rfc822-headers part; else null. */
    Entity enclosed;

    Entity(byte[] buf, List<RawHeader> headers, ContentType contentType, int bodyStart, int bodyEnd, int depth) {
        this.buf = buf;
        this.headers = headers;
        this.contentType = contentType;
        String cte = header("content-transfer-encoding");
        this.transferEncoding = cte == null ? "7bit" : cte.strip().toLowerCase(Locale.ROOT);
        this.bodyStart = bodyStart;
        this.bodyEnd = bodyEnd;
        this.depth = depth;
    }

    /** @return the header fields in order */
    public List<RawHeader> headers() {
        return headers;
    }

    /**
     * @param lowerName a lower-case field name
     * @return the decoded value of the first such field, or null
     */
    public String header(String lowerName) {
        for (int hi = 0, hn = headers.size(); hi < hn; hi++) {
            RawHeader h = headers.get(hi);
            if (h.is(lowerName)) {
                return h.value();
            }
        }
        return null;
    }

    /** @return the content type */
    public ContentType contentType() {
        return contentType;
    }

    /** @return the parts of a multipart, else empty */
    public List<Entity> parts() {
        return parts;
    }

    /** @return the enclosed message or header block, or null */
    public Entity enclosed() {
        return enclosed;
    }

    /** @return the offset of the body in this entity's buffer */
    public int bodyStart() {
        return bodyStart;
    }

    /** @return true when the body is base64 or quoted-printable encoded */
    boolean isEncoded() {
        return transferEncoding.equals("base64") || transferEncoding.equals("quoted-printable");
    }

    /**
     * The body after transfer decoding, at most {@code maxBytes}.
     *
     * @param maxBytes limit
     * @return the decoded bytes (the buffer range itself when not encoded)
     */
    public Bytes decodedBody(int maxBytes) {
        if (transferEncoding.equals("base64")) {
            TransferDecoder.Decoded d = TransferDecoder.base64(buf, bodyStart, bodyEnd, maxBytes);
            return new Bytes(d.bytes(), 0, d.length(), d.defective(), d.truncated());
        }
        if (transferEncoding.equals("quoted-printable")) {
            TransferDecoder.Decoded d = TransferDecoder.quotedPrintable(buf, bodyStart, bodyEnd, maxBytes);
            return new Bytes(d.bytes(), 0, d.length(), d.defective(), d.truncated());
        }
        int end = (int) Math.min(bodyEnd, (long) bodyStart + maxBytes);
        return new Bytes(buf, bodyStart, end, false, end < bodyEnd);
    }

    /**
     * The body as text in its declared charset (UTF-8 or ISO-8859-1 when none is declared or known).
     *
     * @param maxBytes limit on decoded bytes
     * @return the text
     */
    public String text(int maxBytes) {
        Bytes b = decodedBody(maxBytes);
        Charset cs = Charsets.lookup(contentType.param("charset")).orElse(null);
        return Charsets.decode(b.buf(), b.start(), b.end(), cs);
    }

    /**
     * A range of bytes and how decoding went.
     *
     * @param buf       bytes
     * @param start     start
     * @param end       exclusive end
     * @param defective true when the encoding had errors
     * @param truncated true when cut at the limit
     */
    public record Bytes(byte[] buf, int start, int end, boolean defective, boolean truncated) {
    }
}
