package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs {@code parse} over the shared Sisimai sample set: every file gives at least one valid line. */
class CorpusTest {

    /** The shared test data; fails when missing and {@code CI=true}, otherwise skips. */
    static Path testdata() {
        String prop = System.getProperty("bouncekit.testdata");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared", "testdata");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "..", "shared", "testdata");
        }
        if (!Files.isDirectory(p.resolve("bounces/set-of-emails"))) {
            if ("true".equals(System.getenv("CI"))) {
                fail("shared test data missing at " + p.toAbsolutePath() + " (required when CI=true)");
            }
            assumeTrue(false, "shared test data not present at " + p.toAbsolutePath());
        }
        return p;
    }

    @Test
    void maildirAndMailboxTreesParse() throws IOException {
        Path set = testdata().resolve("bounces/set-of-emails");
        Path maildir = set.resolve("maildir");
        Path mailbox = set.resolve("mailbox");
        Cli.Result r = Cli.run("parse", maildir.toString(), mailbox.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());

        Map<String, Integer> linesPerFile = new HashMap<>();
        for (Map<String, Object> row : r.rows()) {
            String source = (String) row.get("source");
            int hash = source.lastIndexOf('#');
            String file = hash > 0 && source.substring(hash + 1).matches("\\d+") ? source.substring(0, hash) : source;
            linesPerFile.merge(file, 1, Integer::sum);
        }
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(maildir), Files.walk(mailbox))) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(files.size() > 800, "the sample set has its files: " + files.size());
        for (Path f : files) {
            assertTrue(linesPerFile.getOrDefault(f.toString(), 0) >= 1, "no output line for " + f);
        }
        assertEquals(files.size(), linesPerFile.size(), "only the files found give lines");
        assertTrue(r.rows().stream().anyMatch(row -> "bounce".equals(row.get("kind"))));
        assertTrue(r.rows().stream().anyMatch(row -> "feedback".equals(row.get("kind"))));
    }
}
