package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bouncekit.testing.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzing engine ({@link Fuzz}) finds what it is meant to find: an undocumented exception (minimised and kept),
 * a hang (stopped by the watchdog), an allocation over the bound; it is reproducible from its seed, starts with the
 * seeds, and lists regression files (none when the folder is missing). The copies of {@link Fuzz} in the other
 * modules are the same file.
 */
class FuzzEngineTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anUndocumentedExceptionIsAFailureMinimisedAndKept() throws IOException {
        Fuzz.Target t = new Fuzz.Target("core.FuzzEngineSelfTest", in -> {
            if (new String(in, StandardCharsets.ISO_8859_1).contains("BOOM")) {
                throw new IllegalStateException("boom");
            }
        }, new Fuzz.Bound(64 << 20, 64));
        byte[] seed = ascii("some text around BOOM and more text after it");
        Fuzz.Mutator m = new Fuzz.Mutator(List.of(seed, ascii("harmless")), List.of(), List.of(), 1024);
        Fuzz.Report r = Fuzz.run(t, m, 200, 1);
        assertTrue(r.failures() >= 1, "the seed itself fails");
        String sig = r.kept().keySet().iterator().next();
        assertTrue(sig.startsWith("exception java.lang.IllegalStateException"), sig);
        assertEquals("BOOM", Files.readString(r.kept().get(sig), StandardCharsets.ISO_8859_1));
        assertTrue(Fuzz.describe(r).contains("boom"));
    }

    @Test
    void aHangIsStoppedByTheWatchdog() {
        Fuzz.Target t = new Fuzz.Target("core.FuzzEngineSelfTest", in -> {
            if (in.length > 0 && in[0] == 'h') {
                Thread.sleep(60_000);
            }
        }, new Fuzz.Bound(64 << 20, 64));
        try (Fuzz.Runner runner = new Fuzz.Runner(Duration.ofMillis(200))) {
            long t0 = System.nanoTime();
            Fuzz.Outcome o = runner.run(t, ascii("hang"));
            assertEquals("timeout", o.kind());
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
            assertFalse(runner.run(t, ascii("fine")).failed(), "a fresh worker takes the next input");
        }
    }

    @Test
    void allocationOverTheBoundIsAFailure() {
        List<byte[]> sink = new ArrayList<>();
        Fuzz.Target t = new Fuzz.Target("core.FuzzEngineSelfTest", in -> sink.add(new byte[in.length * 1000]),
                new Fuzz.Bound(1 << 20, 100));
        try (Fuzz.Runner runner = new Fuzz.Runner()) {
            assertFalse(runner.run(t, new byte[10]).failed());
            Fuzz.Outcome o = runner.run(t, new byte[10_000]);
            assertEquals("allocation", o.kind());
            assertTrue(o.allocated() >= 10_000_000, o.allocated() + "");
        }
    }

    @Test
    void anErrorSuchAsStackOverflowIsAFailure() {
        Fuzz.Target t = new Fuzz.Target("core.FuzzEngineSelfTest", in -> recurse(in.length), new Fuzz.Bound(1 << 30, 0));
        try (Fuzz.Runner runner = new Fuzz.Runner()) {
            Fuzz.Outcome o = runner.run(t, new byte[1]);
            assertEquals("exception", o.kind());
            assertTrue(o.error() instanceof StackOverflowError);
        }
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void sameSeedSameInputsAndTheSeedsComeFirst() {
        List<byte[]> seeds = List.of(ascii("Subject: a\n\nbody 123\n"), ascii("550 5.1.1 no"));
        List<String[]> nesting = List.<String[]>of(new String[] {"(", ")"});
        Fuzz.Mutator a = new Fuzz.Mutator(seeds, List.of("Status: "), nesting, 1 << 16);
        Fuzz.Mutator b = new Fuzz.Mutator(seeds, List.of("Status: "), nesting, 1 << 16);
        Fuzz.Mutator c = new Fuzz.Mutator(seeds, List.of("Status: "), nesting, 1 << 16);
        SplittableRandom ra = new SplittableRandom(7);
        SplittableRandom rb = new SplittableRandom(7);
        SplittableRandom rc = new SplittableRandom(8);
        assertArrayEquals(seeds.get(0), a.next(ra));
        assertArrayEquals(seeds.get(1), a.next(ra));
        b.next(rb);
        b.next(rb);
        c.next(rc);
        c.next(rc);
        boolean differs = false;
        int changed = 0;
        for (int i = 0; i < 500; i++) {
            byte[] x = a.next(ra);
            assertArrayEquals(x, b.next(rb));
            differs |= !java.util.Arrays.equals(x, c.next(rc));
            changed += seeds.stream().noneMatch(s -> java.util.Arrays.equals(s, x)) ? 1 : 0;
            assertTrue(x.length <= 1 << 16);
        }
        assertTrue(differs, "another seed gives other inputs");
        assertTrue(changed > 450, "mutations change the input: " + changed);
    }

    @Test
    void regressionFilesAreListedAndAMissingFolderListsNone(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), Fuzz.regressionFiles(dir.resolve("missing")));
        assertEquals(List.of(), Fuzz.regressionFiles(null));
        assertEquals(List.of(), Fuzz.regressionFiles(dir));
        Files.createDirectories(dir.resolve("SmtpReply"));
        Files.createDirectories(dir.resolve("ReportParser"));
        Files.write(dir.resolve("SmtpReply/b.txt"), ascii("550"));
        Files.write(dir.resolve("ReportParser/a.eml"), ascii("Subject: x\n\n"));
        Files.write(dir.resolve("stray.txt"), ascii("not in a parser folder"));
        assertEquals(List.of("ReportParser/a.eml", "SmtpReply/b.txt"), Fuzz.regressionFiles(dir));
        Fuzz.Outcome o = Fuzz.replay(dir, "SmtpReply/b.txt", Map.of("SmtpReply", ParserFuzzTest.SMTP_REPLY));
        assertFalse(o.failed());
        assertNull(o.error());
    }

    @Test
    void bytesBecomeTextAsAJavaCallerCouldPassIt() {
        assertEquals("a\u00e9\ud83d\ude00", Fuzz.text("a\u00e9\ud83d\ude00".getBytes(StandardCharsets.UTF_8)));
        assertEquals("\ud800x", Fuzz.text(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, 'x'}));
        assertEquals("\ufffd\ufffdx", Fuzz.text(new byte[] {(byte) 0xC0, (byte) 0x80, 'x'}));
        assertEquals("\ufffd", Fuzz.text(new byte[] {(byte) 0xE2, (byte) 0x82}).substring(0, 1));
        assertEquals("\ufffd\ufffd", Fuzz.text(new byte[] {(byte) 0xFF, (byte) 0xFE}));
    }
}
