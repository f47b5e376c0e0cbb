package org.bouncekit.core.internal;

import java.util.Arrays;

/**
 * Base64 and quoted-printable decoding that tolerates what real mail contains (missing padding, stray characters,
 * bad escapes) and never produces more than a given number of bytes. Thread-safe (stateless).
 */
public final class TransferDecoder {

    private static final byte[] B64 = new byte[256];

    static {
        Arrays.fill(B64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            B64[alphabet.charAt(i)] = (byte) i;
        }
        // URL-safe variants appear in the wild too.
        B64['-'] = 62;
        B64['_'] = 63;
    }

    /** The result of a decode: bytes plus whether the input had defects or was cut at the limit. */
    public record Decoded(byte[] bytes, int length, boolean defective, boolean truncated) {
    }

    private TransferDecoder() {
    }

    /**
     * Decodes base64, skipping characters outside the alphabet and stopping at padding or the limit.
     *
     * @param b        input
     * @param from     start
     * @param to       exclusive end
     * @param maxBytes the most bytes to produce
     * @return decoded bytes
     */
    public static Decoded base64(byte[] b, int from, int to, int maxBytes) {
        int cap = (int) Math.min((long) maxBytes, ((long) (to - from)) * 3 / 4 + 3);
        byte[] out = new byte[Math.max(cap, 0)];
        int n = 0;
        int acc = 0;
        int bits = 0;
        boolean defective = false;
        boolean truncated = false;
        boolean padded = false;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c == '=') {
                padded = true;
                continue;
            }
            int v = B64[c];
            if (v < 0) {
                if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                    defective = true;
                }
                continue;
            }
            if (padded) {
                // data after padding: a second base64 run glued on; keep decoding it
                defective = true;
                padded = false;
                acc = 0;
                bits = 0;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                if (n >= out.length) {
                    truncated = true;
                    break;
                }
                out[n++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return new Decoded(out, n, defective, truncated);
    }

    /**
     * Decodes quoted-printable: {@code =HH} escapes and soft line breaks ({@code =} before CRLF, LF or CR); a bad
     * escape is kept as written.
     *
     * @param b        input
     * @param from     start
     * @param to       exclusive end
     * @param maxBytes the most bytes to produce
     * @return decoded bytes
     */
    public static Decoded quotedPrintable(byte[] b, int from, int to, int maxBytes) {
        byte[] out = new byte[Math.min(maxBytes, to - from)];
        int n = 0;
        boolean defective = false;
        boolean truncated = false;
        int i = from;
        while (i < to) {
            if (n >= out.length) {
                truncated = i < to;
                break;
            }
            byte c = b[i];
            if (c != '=') {
                out[n++] = c;
                i++;
                continue;
            }
            if (i + 1 < to && (b[i + 1] == '\r' || b[i + 1] == '\n')) {
                i = ByteCursor.afterBreak(b, i + 1, to);
                continue;
            }
            // "=" followed by trailing white space then a line break is also a soft break
            int j = i + 1;
            while (j < to && (b[j] == ' ' || b[j] == '\t')) {
                j++;
            }
            if (j > i + 1 && (j == to || b[j] == '\r' || b[j] == '\n')) {
                i = ByteCursor.afterBreak(b, j, to);
                continue;
            }
            int hi = i + 1 < to ? hex(b[i + 1]) : -1;
            int lo = i + 2 < to ? hex(b[i + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                out[n++] = (byte) ((hi << 4) | lo);
                i += 3;
                continue;
            }
            defective = true;
            out[n++] = c;
            i++;
        }
        return new Decoded(out, n, defective, truncated);
    }

    /**
     * The value of an ASCII hex digit.
     *
     * @param c a byte
     * @return 0–15, or -1
     */
    public static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
