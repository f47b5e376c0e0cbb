package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Locates the shared test data ({@code ../shared/testdata}); fails instead of skipping when {@code CI=true}. */
final class TestData {

    private TestData() {
    }

    static Path root() {
        String prop = System.getProperty("bouncekit.testdata");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared", "testdata");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "..", "shared", "testdata");
        }
        if (!Files.isDirectory(p)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("shared test data missing at " + p.toAbsolutePath() + " (required when CI=true)");
            }
            assumeTrue(false, "shared test data not present at " + p.toAbsolutePath());
        }
        return p;
    }

    static Path setOfEmails() {
        return root().resolve("bounces/set-of-emails");
    }

    /** Every regular file under {@code dir}, sorted. */
    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
