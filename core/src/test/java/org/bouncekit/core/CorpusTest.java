package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file of the shared real-bounce corpus parses; line-ending twins agree. */
class CorpusTest {

    private static final ReportParser PARSER = ReportParser.defaults();

    static Stream<Path> allFiles() {
        return TestData.files(TestData.setOfEmails()).stream()
                .filter(p -> !p.getFileName().toString().equals("LICENSE"));
    }

    /** Names that have a CRLF ({@code dos}) or CR-only ({@code mac}) copy. */
    static Stream<String> twins() {
        TreeSet<String> names = new TreeSet<>();
        for (String dir : List.of("maildir/dos", "maildir/mac")) {
            for (Path p : TestData.files(TestData.setOfEmails().resolve(dir))) {
                names.add(p.getFileName().toString());
            }
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFiles")
    void everyFileParses(Path file) throws IOException {
        Report fromPath = PARSER.parse(file);
        assertNotNull(fromPath);
        Report fromBytes = PARSER.parse(Files.readAllBytes(file));
        assertEquals(Summary.of(fromPath), Summary.of(fromBytes), "Path and byte[] inputs agree");
    }

    /**
     * The same message with LF ({@code bsd}), CRLF ({@code dos}) and CR-only ({@code mac}) line ends gives the same
     * result; the {@code bsd} copy is the reference where it exists.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("twins")
    void lineEndingTwinsGiveTheSameResult(String name) throws IOException {
        List<Path> copies = new ArrayList<>();
        for (String dir : List.of("bsd", "dos", "mac")) {
            Path p = TestData.setOfEmails().resolve("maildir").resolve(dir).resolve(name);
            if (Files.exists(p)) {
                copies.add(p);
            }
        }
        assertTrue(copies.size() >= 2, "twins of " + name);
        String expected = Summary.of(PARSER.parse(copies.get(0)));
        for (Path copy : copies.subList(1, copies.size())) {
            assertEquals(expected, Summary.of(PARSER.parse(copy)), copy + " vs " + copies.get(0));
        }
    }

    @Test
    void crOnlyFilesAreReadLikeTheirLfTwins() throws IOException {
        int reports = 0;
        List<Path> mac = TestData.files(TestData.setOfEmails().resolve("maildir/mac"));
        assertFalse(mac.isEmpty());
        for (Path p : mac) {
            if (!(PARSER.parse(p) instanceof NotAReport)) {
                reports++;
            }
        }
        int lfReports = 0;
        for (Path p : mac) {
            byte[] b = Files.readAllBytes(p);
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '\r') {
                    b[i] = '\n';
                }
            }
            if (!(PARSER.parse(b) instanceof NotAReport)) {
                lfReports++;
            }
        }
        assertTrue(reports > 0);
        assertEquals(lfReports, reports, "CR-only files read as reports exactly as often as their LF conversions");
    }

    @Test
    void tinyMailboxFilesGiveNotAReport() throws IOException {
        for (String name : List.of("size-0", "size-1", "size-2")) {
            Report r = PARSER.parse(TestData.setOfEmails().resolve("mailbox").resolve(name));
            assertTrue(r instanceof NotAReport, name);
        }
    }
}
