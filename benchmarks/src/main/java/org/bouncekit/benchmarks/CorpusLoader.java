package org.bouncekit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the shared bounce corpus ({@code bounces/set-of-emails/maildir/bsd/*.eml}) into memory, so that the
 * benchmarks measure parsing only, never file I/O.
 *
 * <p>The test-data directory comes from the system property {@value #PROPERTY}; without it,
 * {@code ../shared/testdata} and then {@code ../../shared/testdata} are tried, relative to the working directory.
 */
public final class CorpusLoader {

    /** System property naming the shared test-data directory (the one holding {@code bounces/}). */
    public static final String PROPERTY = "bouncekit.testdata";

    /** The corpus, relative to the test-data directory. */
    public static final String CORPUS = "bounces/set-of-emails/maildir/bsd";

    private CorpusLoader() {
    }

    /**
     * Reads every {@code *.eml} file of the corpus, in file-name order.
     *
     * @return the raw messages, never empty
     * @throws IllegalStateException when the corpus cannot be found or holds no message
     * @throws UncheckedIOException  when a file cannot be read
     */
    public static List<byte[]> loadBsdMaildir() {
        Path dir = corpusDirectory();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.eml")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no *.eml file in " + dir);
        }
        files.sort(null);
        List<byte[]> messages = new ArrayList<>(files.size());
        for (Path p : files) {
            try {
                messages.add(Files.readAllBytes(p));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return List.copyOf(messages);
    }

    private static Path corpusDirectory() {
        String configured = System.getProperty(PROPERTY);
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        } else {
            candidates.add(Path.of("..", "shared", "testdata"));
            candidates.add(Path.of("..", "..", "shared", "testdata"));
        }
        for (Path base : candidates) {
            Path dir = base.resolve(CORPUS);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        StringBuilder tried = new StringBuilder();
        for (Path base : candidates) {
            tried.append("\n  ").append(base.resolve(CORPUS).toAbsolutePath().normalize());
        }
        throw new IllegalStateException("benchmark corpus not found; tried:" + tried
                + "\nPass the shared test-data directory with -jvmArgsAppend -D" + PROPERTY + "=/path/to/shared/testdata");
    }
}
