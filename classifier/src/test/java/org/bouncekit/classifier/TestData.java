package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test data ({@code ../shared/testdata}); fails instead of skipping when {@code CI=true}. */
public final class TestData {

    private TestData() {
    }

    public static Path root() {
        String prop = System.getProperty("bouncekit.testdata");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared", "testdata");
        if (!Files.isDirectory(p)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("shared test data missing at " + p.toAbsolutePath() + " (required when CI=true)");
            }
            assumeTrue(false, "shared test data not present at " + p.toAbsolutePath());
        }
        return p;
    }
}
