package org.bouncekit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The eight-bytes-at-a-time scans agree with a plain byte loop, at every start and end offset. */
class ByteCursorProperties {

    /** No target byte: outside the range of byte values. */
    private static final int NONE = Integer.MIN_VALUE;

    @Provide
    Arbitrary<byte[]> bytes() {
        // Mostly the bytes the scans look for and their neighbours, so that hits and near misses are frequent.
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '\n', (byte) '\r', (byte) '-', (byte) 0x0B, (byte) 0x0C,
                (byte) 0x0E, (byte) 0x09, (byte) ',', (byte) '.', (byte) 0x80, (byte) 0xFF, (byte) 0x8A, (byte) 0x00,
                (byte) 0x01, (byte) 'a');
        return Arbitraries.oneOf(interesting, Arbitraries.bytes()).array(byte[].class).ofMaxSize(70);
    }

    @Property(tries = 3_000)
    void lineEndMatchesAPlainLoop(@ForAll("bytes") byte[] b) {
        for (int from = 0; from <= b.length; from++) {
            for (int end = from; end <= b.length; end += 3) {
                assertEquals(plain(b, from, end, true, false, NONE), ByteCursor.lineEnd(b, from, end));
            }
        }
    }

    @Property(tries = 3_000)
    void firstBreakOrNonAsciiMatchesAPlainLoop(@ForAll("bytes") byte[] b) {
        for (int from = 0; from <= b.length; from++) {
            assertEquals(plain(b, from, b.length, true, true, NONE), ByteCursor.firstBreakOrNonAscii(b, from, b.length));
        }
    }

    @Property(tries = 3_000)
    void indexOfMatchesAPlainLoop(@ForAll("bytes") byte[] b) {
        for (byte target : new byte[] {'-', '\n', (byte) 0xFF, 0}) {
            for (int from = 0; from <= b.length; from++) {
                assertEquals(plain(b, from, b.length, false, false, target), ByteCursor.indexOf(b, target, from,
                        b.length));
            }
        }
    }

    private static int plain(byte[] b, int from, int end, boolean breaks, boolean nonAscii, int target) {
        for (int i = from; i < end; i++) {
            if (breaks && (b[i] == '\n' || b[i] == '\r') || nonAscii && b[i] < 0 || target != NONE && b[i] == target) {
                return i;
            }
        }
        return end;
    }
}
