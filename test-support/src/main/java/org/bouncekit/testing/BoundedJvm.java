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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return output(main, heap, timeout, args).strip();
    }

    /** {@link #run}, its output as printed. */
    private static String output(Class<?> main, String heap, Duration timeout, String... args)
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
            String output = Files.readString(log, StandardCharsets.UTF_8);
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

    /** One case run in the child: it says what came out, on one line. */
    @FunctionalInterface
    public interface Case {
        /**
         * @return the outcome
         * @throws Exception a failure of the case, which fails the child
         */
        String run() throws Exception;
    }

    /**
     * In the child's {@code main}: runs the cases in order and prints {@code name: outcome}, a line each, for
     * {@link #cases} to read back.
     *
     * @param cases the cases, by name (names hold no {@code ": "})
     * @throws Exception what a case threw
     */
    public static void printCases(Map<String, ? extends Case> cases) throws Exception {
        for (Map.Entry<String, ? extends Case> c : cases.entrySet()) {
            System.out.println(c.getKey() + ": " + c.getValue().run().replace('\n', ' '));
        }
    }

    /**
     * Runs a group of cases in a child JVM ({@link #run}) and reads back what {@link #printCases} printed. Other lines
     * (a JDK parser's {@code [Fatal Error] ...} on standard error) are skipped.
     *
     * @param main    the class whose {@code main} runs the group
     * @param heap    the heap bound, as for {@code -Xmx}
     * @param timeout the time the child has
     * @param group   the group's name, the argument of {@code main}
     * @return each case's outcome, by name, in order
     * @throws IOException          when the child cannot be started or its output read
     * @throws InterruptedException when interrupted while waiting for the child
     */
    public static Map<String, String> cases(Class<?> main, String heap, Duration timeout, String group)
            throws IOException, InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : output(main, heap, timeout, group).split("\r?\n")) { // as printed, trailing spaces kept
            int colon = line.indexOf(": ");
            if (colon > 0 && !line.startsWith("[")) {
                out.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return out;
    }
}
