package org.bouncekit.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The hot path of message reading: the scans every reader in core makes over a message's bytes, each an index
 * moving forward over one byte array (never over Strings). Lines end with LF, CRLF or a lone CR alike. Line ends,
 * MIME boundary candidates and the one-line ASCII header case are found eight bytes at a time.
 *
 * <p>Thread-safe (stateless).
 */
public final class ByteCursor {

    /** Reads eight bytes of a byte array as one little-endian long (first byte in the low bits). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;

    private ByteCursor() {
    }

    /**
     * Finds the end of the line that starts at or after {@code from}.
     *
     * @param b    bytes
     * @param from start index
     * @param end  exclusive end
     * @return index of the first CR or LF at or after {@code from}, or {@code end}
     */
    public static int lineEnd(byte[] b, int from, int end) {
        int i = from;
        // Eight bytes at a time: mark the bytes equal to LF or CR with the "has zero byte" trick.
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(b, i);
            long mask = zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS);
            if (mask != 0) {
                return i + (Long.numberOfTrailingZeros(mask) >>> 3);
            }
        }
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return end;
    }

    /**
     * Finds a byte, eight bytes at a time.
     *
     * @param b      bytes
     * @param target the byte to find
     * @param from   start index
     * @param end    exclusive end
     * @return the index of the first {@code target} at or after {@code from}, or {@code end}
     */
    public static int indexOf(byte[] b, byte target, int from, int end) {
        long pattern = (target & 0xFFL) * ONES;
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long mask = zeroBytes((long) LONGS.get(b, i) ^ pattern);
            if (mask != 0) {
                return i + (Long.numberOfTrailingZeros(mask) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (b[i] == target) {
                return i;
            }
        }
        return end;
    }

    /**
     * The index of the first CR, LF or non-ASCII byte in {@code b[from, end)}, or {@code end}: lets header
     * decoding take its fast path (one line, ASCII) after one scan.
     *
     * @param b    bytes
     * @param from start index
     * @param end  exclusive end
     * @return the index found, or {@code end}
     */
    public static int firstBreakOrNonAscii(byte[] b, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(b, i);
            long mask = zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS) | (w & HIGH);
            if (mask != 0) {
                return i + (Long.numberOfTrailingZeros(mask) >>> 3);
            }
        }
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r' || c < 0) {
                return i;
            }
        }
        return end;
    }

    /**
     * Sets the high bit of each zero byte of {@code w}. Bytes above the first zero byte may be marked falsely
     * (a borrow), so only the lowest mark is exact; callers use only that one.
     */
    private static long zeroBytes(long w) {
        return (w - ONES) & ~w & HIGH;
    }

    /**
     * The index after the line break at {@code eol}.
     *
     * @param b   bytes
     * @param eol index of a CR or LF, or {@code end}
     * @param end exclusive end
     * @return the start of the next line
     */
    public static int afterBreak(byte[] b, int eol, int end) {
        if (eol >= end) {
            return end;
        }
        if (b[eol] == '\r' && eol + 1 < end && b[eol + 1] == '\n') {
            return eol + 2;
        }
        return eol + 1;
    }

    /**
     * The index of the line break just before {@code lineStart} (the CRLF, CR or LF that ends the previous line),
     * or {@code lineStart} itself when there is none inside {@code [floor, lineStart)}.
     *
     * @param b         bytes
     * @param floor     lowest index to consider
     * @param lineStart the start of a line
     * @return the index where the previous line's break begins
     */
    public static int breakBefore(byte[] b, int floor, int lineStart) {
        int i = lineStart;
        if (i > floor && b[i - 1] == '\n') {
            i--;
            if (i > floor && b[i - 1] == '\r') {
                i--;
            }
        } else if (i > floor && b[i - 1] == '\r') {
            i--;
        }
        return i;
    }

    /**
     * Whether {@code b[at, ...)} starts with {@code pattern}.
     *
     * @param b       bytes
     * @param at      index
     * @param end     exclusive end
     * @param pattern bytes to match
     * @return true on an exact match
     */
    public static boolean startsWith(byte[] b, int at, int end, byte[] pattern) {
        if (at + pattern.length > end) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (b[at + i] != pattern[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code b[at, ...)} starts with the ASCII {@code lowerPattern}, ignoring ASCII case.
     *
     * @param b            bytes
     * @param at           index
     * @param end          exclusive end
     * @param lowerPattern lower-case ASCII bytes
     * @return true on a match
     */
    public static boolean startsWithIgnoreCase(byte[] b, int at, int end, byte[] lowerPattern) {
        if (at + lowerPattern.length > end) {
            return false;
        }
        for (int i = 0; i < lowerPattern.length; i++) {
            int c = b[at + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerPattern[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every byte of {@code b[from, to)} is a space or a tab.
     *
     * @param b    bytes
     * @param from start
     * @param to   exclusive end
     * @return true for an empty or blank range
     */
    public static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
