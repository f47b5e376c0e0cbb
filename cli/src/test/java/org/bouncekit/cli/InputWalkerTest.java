package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputWalkerTest {

    @TempDir
    Path dir;

    private static final InputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

    private static List<String> walk(List<String> paths, InputStream stdin, long max) {
        List<String> out = new ArrayList<>();
        try (InputWalker w = new InputWalker(paths, stdin, max)) {
            while (w.hasNext()) {
                InputWalker.Input i = w.next();
                if (i instanceof InputWalker.Message m) {
                    out.add(m.source() + "=" + new String(m.data(), 0, m.length(), StandardCharsets.ISO_8859_1));
                } else {
                    out.add(i.source() + " FAILED " + ((InputWalker.Failure) i).reason());
                }
            }
        }
        return out;
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.ISO_8859_1);
        return p;
    }

    @Test
    void mboxSplitsAtFromLinesAfterAnEmptyLineAndUnescapes() throws IOException {
        Path f = write("box", "From a Mon\nSubject: 1\n\nbody\nFrom inside a paragraph\n>From quoted\n"
                + ">>From twice\n>not from\n\n\nFrom b Tue\nSubject: 2\n\nlast\n\n");
        assertEquals(List.of(
                f + "#1=Subject: 1\n\nbody\nFrom inside a paragraph\nFrom quoted\n>From twice\n>not from\n\n",
                f + "#2=Subject: 2\n\nlast\n"), walk(List.of(f.toString()), NO_STDIN, 1000));
    }

    @Test
    void mboxWithCrlfAndCrOnlyLineEnds() throws IOException {
        Path crlf = write("crlf", "From a\r\nS: 1\r\n\r\nFrom b\r\nS: 2\r\n");
        Path cr = write("cr", "From a\rS: 1\r\rFrom b\rS: 2\r>From x\r");
        assertEquals(List.of(crlf + "#1=S: 1\r\n", crlf + "#2=S: 2\r\n", cr + "#1=S: 1\r", cr + "#2=S: 2\rFrom x\r"),
                walk(List.of(crlf.toString(), cr.toString()), NO_STDIN, 1000));
    }

    @Test
    void mboxMessagesMayBeEmpty() throws IOException {
        Path f = write("box", "From a\n\nFrom b\n");
        assertEquals(List.of(f + "#1=", f + "#2="), walk(List.of(f.toString()), NO_STDIN, 1000));
        Path g = write("just-from", "From ");
        assertEquals(List.of(g + "#1="), walk(List.of(g.toString()), NO_STDIN, 1000));
    }

    @Test
    void messagesAreCutOneByteAfterTheLimit() throws IOException {
        Path big = write("big", "x".repeat(100));
        Path box = write("box", "From a\n" + "y".repeat(50) + "\n" + "z".repeat(50) + "\n\nFrom b\nshort\n");
        assertEquals(List.of(big + "=" + "x".repeat(11), box + "#1=" + "y".repeat(11), box + "#2=short\n"),
                walk(List.of(big.toString(), box.toString()), NO_STDIN, 10));
    }

    @Test
    void stdinIsNotClosedAndMayBeAnMbox() {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream("From x\nA: 1\n\nFrom y\nB: 2\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertEquals(List.of("-#1=A: 1\n", "-#2=B: 2\n"), walk(List.of("-"), in, 1000));
        assertFalse(closed[0]);
    }

    @Test
    void failuresAreItemsAndTheWalkGoesOn() throws IOException {
        Path ok = write("ok", "hello");
        Path missing = dir.resolve("nope");
        List<String> r = walk(List.of(missing.toString(), ok.toString()), NO_STDIN, 1000);
        assertEquals(List.of(missing + " FAILED no such file or directory", ok + "=hello"), r);
    }

    @Test
    void symlinkLoopsAreReadOnce() throws IOException {
        write("d/a", "A");
        try {
            Files.createSymbolicLink(dir.resolve("d/loop"), dir.resolve("d"));
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symbolic links here
        }
        assertEquals(List.of(dir.resolve("d/a") + "=A"), walk(List.of(dir.resolve("d").toString()), NO_STDIN, 10));
    }

    @Test
    void messageChecksItsLength() {
        assertInstanceOf(IndexOutOfBoundsException.class, catchThrowable(
                () -> new InputWalker.Message("x", new byte[2], 3)));
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
