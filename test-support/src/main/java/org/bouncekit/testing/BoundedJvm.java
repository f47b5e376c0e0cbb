package org.bouncekit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in a child JVM with a heap bound and a time limit, and fails on anything but a
 * clean exit: an {@link OutOfMemoryError}, a {@link StackOverflowError}, any other uncaught throwable, or a child
 * still running at the time limit (it is then killed). The output goes to a file, so that a child that hangs cannot
 * block the reader.
 */
public final class BoundedJvm {

    private BoundedJvm() {
    }

    /**
     * @param main    the class whose {@code main} runs in the child
     * @param heap    the heap bound, as for {@code -Xmx} (for example {@code "64m"})
     * @param timeout the time the child has
     * @param args    the arguments of {@code main}
     * @return what the child printed (standard output and error), stripped
     * @throws IOException          when the child cannot be started or its output read
     * @throws InterruptedException when interrupted while waiting for the child
     */
    public static String run(Class<?> main, String heap, Duration timeout, String... args)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("bounded-jvm", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    main.getName()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (!finished) {
                fail("child " + List.of(args) + " still running after " + timeout + " (-Xmx" + heap + "): "
                        + output);
            }
            assertFalse(output.contains("OutOfMemoryError"), () -> "out of memory with -Xmx" + heap + ": " + output);
            assertFalse(output.contains("StackOverflowError"), () -> "stack overflow: " + output);
            assertEquals(0, p.exitValue(), () -> "child " + List.of(args) + " failed: " + output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
