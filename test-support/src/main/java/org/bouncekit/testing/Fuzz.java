package org.bouncekit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A seeded, dependency-free fuzzing engine for the parsers: mutations of real inputs, each input run on a watched
 * worker thread with its time and allocation measured, failures minimised and kept as files to replay.
 *
 * <p>The targets (parsers with their checks and seeds) live in each module's {@code ParserFuzzTest}; this engine is
 * shared through the {@code test-support} module, a test dependency of {@code core}, {@code classifier} and
 * {@code dns-auth}.
 *
 * <h2>What a fuzz run checks</h2>
 * For every input, a {@link Check} calls the parser and asserts what its javadoc promises: a result (with problems),
 * or exactly the exception the javadoc documents for that input, caught inside the check. Anything escaping the
 * check is a failure: another exception, an {@link Error} such as {@link StackOverflowError}, a broken assertion.
 * Two more failures are measured, not asserted:
 * <ul>
 *   <li><b>time</b>: each input runs on a worker thread and must finish within {@link #TIMEOUT} (2 s); a hung input
 *       is reported at once and its thread abandoned (a daemon, so the JVM still exits);</li>
 *   <li><b>allocation</b>: the bytes the worker thread allocates while it runs the check
 *       ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}) must stay within the target's
 *       {@link Bound}: a fixed allowance plus a factor times the input's size, documented with each target.</li>
 * </ul>
 *
 * <h2>Inputs</h2>
 * A {@link Mutator} starts from real inputs (corpus files, published vectors, built-in rule files) and applies one
 * to eight of: bit flips, interesting bytes, random insertions, deletion and duplication of slices, repetition of a
 * slice (long tokens), splicing with another seed, control bytes, invalid UTF-8 (overlong forms, lone surrogates,
 * bytes that never occur), lies in decimal numbers ({@code l=}, lengths, counts) and in binary length fields, long
 * runs of one byte, dictionary tokens of the format, deep nesting of the format's brackets, changed line ends,
 * truncation. The seeds themselves come first, unchanged. A fifth of the inputs mutate a recent input again, so that
 * mutations stack.
 *
 * <p>A {@link Grammar} generates inputs from a jqwik grammar of the format instead (the {@code GrammarFuzzTest}
 * classes): shapes and sizes no seed has, such as a DSN with forty recipients, an SPF record of nested macros, an
 * aggregate report with IPv6 rows and escaped text; a third of them are then mutated. Each parser is fuzzed both
 * ways, with {@link #inputs()} inputs each.
 *
 * <h2>Properties</h2>
 * <ul>
 *   <li>{@code -Dbouncekit.fuzz.inputs=N}: inputs per parser and way (default {@value #DEFAULT_INPUTS}, what CI
 *       runs); for a longer run of every parser (ten of them, both ways, two million inputs):
 *       {@code ./mvnw -B -pl core,classifier,dns-auth -am test -Dtest='ParserFuzzTest,GrammarFuzzTest'
 *       -Dsurefire.failIfNoSpecifiedTests=false -Dbouncekit.fuzz.inputs=100000};</li>
 *   <li>{@code -Dbouncekit.fuzz.seed=N} (decimal or {@code 0x} hex): the seed (default {@value #DEFAULT_SEED}, fixed
 *       so that CI is reproducible); each parser derives its own stream from it and its name; the line printed for
 *       each parser shows both, and the same seed gives the same inputs.</li>
 * </ul>
 * A failure is minimised (chunks removed while the same failure remains) and written to
 * {@code target/fuzz-failures/PARSER/}; once fixed, copy the file to {@code src/test/resources/fuzz/PARSER/}, where
 * the module's replay test runs it on every build.
 *
 * <h2>Why not Jazzer</h2>
 * Jazzer (libFuzzer for the JVM) guides mutation by coverage, which finds deep bugs that blind mutation misses. It
 * is not used here: it needs a native agent ({@code -javaagent} plus a JNI library per platform) and instruments
 * every class for coverage, which slows the tests and ties CI to the platforms Jazzer ships for; in JUnit it fuzzes
 * one target per JVM run ({@code JAZZER_FUZZ=1}) and otherwise only replays its inputs, so a CI-sized run over ten
 * parsers would need ten JVMs; and it would be the first dependency with native code, which this project avoids.
 * The parsers here are structured (MIME, tag lists, XML in gzip in MIME), so seeds from real data and
 * format-aware mutations reach most of their code without coverage feedback, and the checks above (documented
 * exceptions, time, allocation) are what coverage guidance would not add. The regression files are raw inputs, the
 * format libFuzzer and Jazzer read, so a later Jazzer target can start from them.
 *
 * <p>Not thread-safe: one fuzz run at a time per instance of {@link Runner}.
 */
public final class Fuzz {

    /** Inputs per parser when {@code bouncekit.fuzz.inputs} is not set. */
    public static final int DEFAULT_INPUTS = 10_000;
    /** The seed when {@code bouncekit.fuzz.seed} is not set. */
    public static final long DEFAULT_SEED = 20_260_707L;
    /** The longest one input may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** At most this many distinct failures are kept per run (minimising each takes time). */
    public static final int MAX_KEPT = 10;
    /** Time spent minimising one failure, at most. */
    public static final Duration MINIMISE_BUDGET = Duration.ofSeconds(20);

    /** Measures what a thread allocates (HotSpot and its descendants; every JDK this project builds with). */
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Inputs the parsers accepted (gave a value for, not a documented refusal), counted by the checks. */
    private static final java.util.concurrent.atomic.AtomicLong ACCEPTED = new java.util.concurrent.atomic.AtomicLong();

    private Fuzz() {
    }

    /**
     * Counts the current input as accepted by its parser; a check calls it where the parser gave a value rather than
     * a documented refusal, so that a run shows how many inputs got past the parser's outer checks.
     */
    public static void accepted() {
        ACCEPTED.incrementAndGet();
    }

    /** @return inputs per parser: {@code -Dbouncekit.fuzz.inputs}, else {@value #DEFAULT_INPUTS} */
    public static int inputs() {
        String v = System.getProperty("bouncekit.fuzz.inputs");
        int n = v == null || v.isBlank() ? DEFAULT_INPUTS : Integer.parseInt(v.strip().replace("_", ""));
        if (n < 1) {
            throw new IllegalArgumentException("bouncekit.fuzz.inputs must be positive: " + v);
        }
        return n;
    }

    /** @return the seed: {@code -Dbouncekit.fuzz.seed}, else {@value #DEFAULT_SEED} */
    public static long seed() {
        String v = System.getProperty("bouncekit.fuzz.seed");
        return v == null || v.isBlank() ? DEFAULT_SEED : Long.decode(v.strip());
    }

    /**
     * Runs the parser on one input and asserts what its javadoc promises; catches the documented exceptions
     * itself. Whatever it throws is a failure.
     */
    @FunctionalInterface
    public interface Check {
        /**
         * @param input the input
         * @throws Exception anything but what the parser documents: a failure
         */
        void run(byte[] input) throws Exception;
    }

    /**
     * How much a check may allocate for one input: {@code base + perByte × input length}.
     *
     * @param base    bytes allowed whatever the input
     * @param perByte bytes allowed per input byte
     */
    public record Bound(long base, long perByte) {
        /**
         * @param inputLength the input's length in bytes
         * @return the bytes allowed for it
         */
        public long of(int inputLength) {
            return base + perByte * inputLength;
        }

        @Override
        public String toString() {
            return megabytes(base) + " + " + perByte + " B/input byte";
        }
    }

    /**
     * A parser to fuzz.
     *
     * @param name   {@code module.Parser}; the part after the dot names the regression folder
     * @param check  what one input must satisfy
     * @param bound  the allocation allowed per input
     * @param warmUp an input run before measuring, outcome ignored, so that loading what the parser loads once
     *               (classes, a public suffix list) is not counted against the first input that needs it
     */
    public record Target(String name, Check check, Bound bound, byte[] warmUp) {
        /**
         * A target warmed up on the empty input only.
         *
         * @param name  {@code module.Parser}
         * @param check what one input must satisfy
         * @param bound the allocation allowed per input
         */
        public Target(String name, Check check, Bound bound) {
            this(name, check, bound, new byte[0]);
        }

        /** @return the regression folder's name: the part of {@link #name} after the dot */
        public String folder() {
            return name.substring(name.indexOf('.') + 1);
        }
    }

    /**
     * What one input did.
     *
     * @param kind      null when it passed, else {@code exception}, {@code timeout} or {@code allocation}
     * @param error     what the check threw, or null
     * @param nanos     time taken
     * @param allocated bytes allocated by the worker thread
     */
    public record Outcome(String kind, Throwable error, long nanos, long allocated) {
        /** @return whether the input failed */
        public boolean failed() {
            return kind != null;
        }

        /** @return the kind, the error's class and the first frames inside BounceKit: one line per bug */
        public String signature() {
            if (error == null) {
                return kind;
            }
            StringBuilder sb = new StringBuilder(kind).append(' ').append(error.getClass().getName());
            int frames = 0;
            for (StackTraceElement e : error.getStackTrace()) {
                if (e.getClassName().startsWith("org.bouncekit.") && frames++ < 2) {
                    sb.append(" at ").append(e.getClassName()).append('.').append(e.getMethodName()).append(':')
                            .append(e.getLineNumber());
                }
            }
            return sb.toString();
        }
    }

    /** Totals of one run, and the failures kept. */
    public record Report(String name, int inputs, int failures, long accepted, long maxNanos, int maxNanosInput,
                  long maxAllocated, int maxAllocatedInput, long seed, long stream, long elapsedNanos,
                  Map<String, Path> kept, Map<String, Throwable> errors) {

        /**
         * @param bound the target's allocation bound
         * @return the one-line summary printed for the run
         */
        public String line(Bound bound) {
            return String.format(Locale.ROOT, "fuzz %s: %d inputs, %d failures, max %d ms (at %d input bytes), "
                            + "max %s allocated (at %d input bytes; bound %s), %d accepted, seed %d (stream 0x%x), "
                            + "%.1f s", name, inputs, failures, TimeUnit.NANOSECONDS.toMillis(maxNanos), maxNanosInput,
                    megabytes(maxAllocated), maxAllocatedInput, bound, accepted, seed, stream, elapsedNanos / 1e9);
        }
    }

    /** Runs checks on a watched worker thread. */
    public static final class Runner implements AutoCloseable {
        private final Duration timeout;
        private ExecutorService worker = newWorker();

        /** @param timeout the longest one input may take */
        public Runner(Duration timeout) {
            this.timeout = timeout;
        }

        /** A runner with {@link #TIMEOUT}. */
        public Runner() {
            this(TIMEOUT);
        }

        private static ExecutorService newWorker() {
            return Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fuzz-worker");
                t.setDaemon(true); // a hung input must not keep the JVM alive
                return t;
            });
        }

        /**
         * Runs the target on an empty input and on its {@link Target#warmUp} input, outcomes ignored, so that
         * loading and initialising what the parser loads once is not counted against the first real input.
         *
         * @param target the parser
         */
        public void warmUp(Target target) {
            run(target, new byte[0]);
            run(target, target.warmUp());
        }

        /**
         * Runs one input.
         *
         * @param target the parser
         * @param input  the input
         * @return its failure kind, error, time and allocation
         */
        public Outcome run(Target target, byte[] input) {
            Future<Outcome> f = worker.submit(() -> {
                long a0 = allocated();
                long t0 = System.nanoTime();
                Throwable error = null;
                try {
                    target.check().run(input);
                } catch (Throwable e) { // Errors too: a StackOverflowError is a finding
                    error = e;
                }
                long nanos = System.nanoTime() - t0;
                long allocated = allocated() - a0;
                String kind = error != null ? "exception"
                        : allocated > target.bound().of(input.length) ? "allocation" : null;
                return new Outcome(kind, error, nanos, allocated);
            });
            try {
                return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                worker.shutdownNow(); // the stuck thread is abandoned; the next input gets a fresh one
                worker = newWorker();
                return new Outcome("timeout", null, timeout.toNanos(), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public void close() {
            worker.shutdownNow();
        }
    }

    /**
     * Where a run's inputs come from: a {@link Mutator}, a format-aware generator built on one, or a {@link Grammar}.
     */
    @FunctionalInterface
    public interface Source {
        /**
         * @param random the run's random source, the only one used
         * @return the next input
         */
        byte[] next(SplittableRandom random);

        /**
         * @return how the inputs are made, shown in the run's line; a source other than {@code mutation} also gets
         *         its own random stream
         */
        default String kind() {
            return "mutation";
        }
    }

    /**
     * Inputs generated from a grammar of the format, a jqwik {@link net.jqwik.api.Arbitrary}: well-formed inputs of
     * every shape the grammar allows, of sizes the seeds do not have, and, for one in three, broken by a
     * {@link Mutator} after generation so that the breakage sits inside a valid structure. Each input is drawn with a
     * {@link java.util.Random} seeded from the run's stream, so that a run is reproducible from its seed.
     *
     * <p>jqwik's generators need its lifecycle: build and run this inside a jqwik {@code @Example} (the
     * {@code GrammarFuzzTest} classes), not inside a JUnit Jupiter {@code @Test}.
     */
    public static final class Grammar implements Source {
        /** jqwik's generation size: how large lists and strings grow, as in a property's default. */
        private static final int GEN_SIZE = 1000;

        private final net.jqwik.api.RandomGenerator<byte[]> generator;
        private final Mutator mutator;

        /**
         * @param grammar the format's grammar
         * @param mutator breaks a third of the generated inputs
         */
        public Grammar(net.jqwik.api.Arbitrary<byte[]> grammar, Mutator mutator) {
            this.generator = grammar.generator(GEN_SIZE);
            this.mutator = mutator;
        }

        @Override
        public byte[] next(SplittableRandom r) {
            byte[] b = generator.next(new java.util.Random(r.nextLong())).value();
            return r.nextInt(3) == 0 ? mutator.mutateSome(b, r) : b;
        }

        @Override
        public String kind() {
            return "grammar";
        }
    }

    /**
     * Fuzzes one target with inputs from a source; prints the summary line, keeps minimised failures under
     * {@code target/fuzz-failures/}.
     *
     * @param target the parser
     * @param source where inputs come from
     * @param inputs how many
     * @param seed   the run's seed ({@code -Dbouncekit.fuzz.seed}); the target's own stream mixes in its name
     * @return the totals
     */
    public static Report run(Target target, Source source, int inputs, long seed) {
        String stream = source.kind().equals("mutation") ? target.name() : target.name() + "/" + source.kind();
        long own = seed ^ (stream.hashCode() * 0x9E3779B97F4A7C15L);
        SplittableRandom random = new SplittableRandom(own);
        Map<String, byte[]> firstInput = new LinkedHashMap<>();
        Map<String, Throwable> errors = new LinkedHashMap<>();
        int failures = 0;
        long maxNanos = 0;
        byte[] slowest = new byte[0];
        long maxAllocated = 0;
        int maxAllocatedInput = 0;
        long start = System.nanoTime();
        try (Runner runner = new Runner()) {
            runner.warmUp(target);
            long accepted0 = ACCEPTED.get();
            for (int i = 0; i < inputs; i++) {
                byte[] input = source.next(random);
                Outcome o = runner.run(target, input);
                if (o.nanos() > maxNanos) {
                    maxNanos = o.nanos();
                    slowest = input;
                }
                if (o.allocated() > maxAllocated) {
                    maxAllocated = o.allocated();
                    maxAllocatedInput = input.length;
                }
                if (o.failed()) {
                    failures++;
                    String sig = o.signature();
                    if (!firstInput.containsKey(sig) && firstInput.size() < MAX_KEPT) {
                        firstInput.put(sig, input);
                        errors.put(sig, o.error());
                    }
                }
            }
            long elapsed = System.nanoTime() - start;
            long accepted = ACCEPTED.get() - accepted0;
            Map<String, Path> kept = new LinkedHashMap<>();
            firstInput.forEach((sig, input) -> {
                keep(target, sig, "-original", input); // as found; the minimised one may fail more mildly
                byte[] small = sig.equals("timeout") ? input : minimise(input, runner, target, sig);
                kept.put(sig, keep(target, sig, "", small));
            });
            write(Path.of("target", "fuzz-slowest", target.folder() + ".bin"), slowest); // to look into
            Report r = new Report(target.name() + " (" + source.kind() + ")", inputs, failures, accepted, maxNanos,
                    slowest.length, maxAllocated, maxAllocatedInput, seed, own, elapsed, kept, errors);
            System.out.println(r.line(target.bound()));
            kept.forEach((sig, path) -> System.out.println("  failure " + sig + " kept as " + path));
            return r;
        }
    }

    /**
     * @param r a run's totals
     * @return the report's failures as one assertion message, with the first stack trace
     */
    public static String describe(Report r) {
        StringBuilder sb = new StringBuilder(r.name()).append(": ").append(r.failures()).append(" failing inputs");
        r.kept().forEach((sig, path) -> sb.append("\n  ").append(sig).append("\n    reproducer: ").append(path));
        r.errors().values().stream().filter(Objects::nonNull).findFirst().ifPresent(e -> {
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            sb.append("\nfirst error:\n").append(w);
        });
        return sb.toString();
    }

    /**
     * @param file the regression file, {@code PARSER/file}
     * @param o    what replaying it did
     * @return why a replayed file failed: its failure, the error with its stack, the time and allocation
     */
    public static String explain(String file, Outcome o) {
        StringBuilder sb = new StringBuilder(file).append(": ").append(o.signature())
                .append(String.format(Locale.ROOT, " (%d ms, %s allocated)", TimeUnit.NANOSECONDS.toMillis(o.nanos()),
                        megabytes(o.allocated())));
        if (o.error() != null) {
            java.io.StringWriter w = new java.io.StringWriter();
            o.error().printStackTrace(new java.io.PrintWriter(w));
            sb.append('\n').append(w);
        }
        return sb.toString();
    }

    /**
     * Removes chunks, halving their size, as long as the same failure remains (delta debugging, one pass per size).
     * An allocation failure must remain at least twice over its bound (or, for one that was not, nearly as far over
     * as it was), so that minimising does not end on an input that is over its bound only by its fixed allowance.
     *
     * @param input     the failing input
     * @param runner    runs the candidates
     * @param target    the parser
     * @param signature the failure to keep
     * @return the smallest input found that still fails so
     */
    public static byte[] minimise(byte[] input, Runner runner, Target target, String signature) {
        long deadline = System.nanoTime() + MINIMISE_BUDGET.toNanos();
        Outcome first = runner.run(target, input);
        double ratio = first.allocated() / (double) target.bound().of(input.length);
        double keep = Math.min(2, 0.9 * ratio);
        byte[] cur = input;
        int chunk = Math.max(1, cur.length / 2);
        while (System.nanoTime() < deadline) {
            boolean removed = false;
            for (int at = 0; at < cur.length && System.nanoTime() < deadline; ) {
                int n = Math.min(chunk, cur.length - at);
                byte[] cand = new byte[cur.length - n];
                System.arraycopy(cur, 0, cand, 0, at);
                System.arraycopy(cur, at + n, cand, at, cur.length - at - n);
                Outcome o = runner.run(target, cand);
                if (o.failed() && o.signature().equals(signature) && (!o.kind().equals("allocation")
                        || o.allocated() >= keep * target.bound().of(cand.length))) {
                    cur = cand;
                    removed = true;
                } else {
                    at += n;
                }
            }
            if (!removed) {
                if (chunk == 1) {
                    break;
                }
                chunk = Math.max(1, chunk / 2);
            }
        }
        return cur;
    }

    private static Path keep(Target target, String signature, String suffix, byte[] input) {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(signature.getBytes(StandardCharsets.UTF_8)), 0, 6);
            return write(Path.of("target", "fuzz-failures", target.folder(), signature.substring(0,
                    signature.indexOf(' ') < 0 ? signature.length() : signature.indexOf(' ')) + "-" + hash + suffix
                    + ".bin"), input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, byte[] input) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, input);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The regression files kept under a resource folder ({@code fuzz/} on the test class path), as
     * {@code PARSER/file} names, sorted; empty when the folder is missing or empty.
     *
     * @param root the folder, null when it is not on the class path
     * @return the names
     */
    public static List<String> regressionFiles(Path root) {
        if (root == null || !Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root, 2)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getParent() != null && !p.getParent().equals(root))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the {@code fuzz/} folder of the test class path, or null when there is none */
    public static Path regressionRoot() {
        URL url = Fuzz.class.getResource("/fuzz");
        if (url == null || !"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The regression files of the module whose tests run, for a parameterised replay test; printed, so that the build
     * log shows what was replayed.
     *
     * @param module the module's name, for the printed line
     * @return the kept failures, {@code PARSER/file}; empty when there are none
     */
    public static List<String> regressions(String module) {
        List<String> files = regressionFiles(regressionRoot());
        System.out.println("fuzz regressions " + module + ": replaying " + files.size() + " files " + files);
        return files;
    }

    /**
     * Replays one regression file and fails, explaining why, when its input still fails.
     *
     * @param file    {@code PARSER/file}
     * @param targets the module's targets, by folder
     * @throws IOException when the file cannot be read
     */
    public static void assertReplays(String file, Map<String, Target> targets) throws IOException {
        Outcome o = replay(regressionRoot(), file, targets);
        org.junit.jupiter.api.Assertions.assertFalse(o.failed(), () -> explain(file, o));
    }

    /**
     * Replays one regression file through its target, with the same time and allocation checks.
     *
     * @param root    the regression folder
     * @param name    {@code PARSER/file}
     * @param targets the module's targets, by folder
     * @return the outcome (failed or not)
     * @throws IOException when the file cannot be read
     */
    public static Outcome replay(Path root, String name, Map<String, Target> targets) throws IOException {
        String folder = name.substring(0, name.indexOf('/'));
        Target t = targets.get(folder);
        if (t == null) {
            throw new IllegalStateException("no fuzz target for regression folder '" + folder + "'; targets: "
                    + targets.keySet());
        }
        byte[] input = Files.readAllBytes(root.resolve(name));
        try (Runner runner = new Runner()) {
            runner.warmUp(t);
            return runner.run(t, input);
        }
    }

    /**
     * Reads bytes as text the way a Java caller could hand it over: UTF-8, except that encoded surrogates
     * ({@code ED A0 80}) become lone surrogates and every byte that is not part of a well-formed sequence becomes
     * U+FFFD. So invalid UTF-8 in a regression file reaches a {@code String} parser as unpaired surrogates and
     * replacement characters.
     *
     * @param b the bytes
     * @return the text
     */
    public static String text(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int need = c < 0x80 ? 0 : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2 : c >= 0xF0 && c < 0xF5
                    ? 3 : -1;
            if (need < 0 || i + need >= b.length) {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int cp = need == 0 ? c : c & (0x3F >> need);
            boolean ok = true;
            for (int k = 1; k <= need; k++) {
                int d = b[i + k] & 0xFF;
                if ((d & 0xC0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = cp << 6 | d & 0x3F;
            }
            int min = need == 1 ? 0x80 : need == 2 ? 0x800 : need == 3 ? 0x10000 : 0;
            if (!ok || cp < min || cp > 0x10FFFF) {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            sb.appendCodePoint(cp);
            i += need + 1;
        }
        return sb.toString();
    }

    /**
     * @param bytes a number of bytes
     * @return it in megabytes, to one decimal
     */
    public static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /**
     * Makes inputs from seeds. Not thread-safe.
     */
    public static final class Mutator implements Source {

        private static final byte[] INTERESTING = bytes("\0\u007f\r\n \t:;=\"\\<>()%{}@,.-/+[]&#'*?!_");
        private static final byte[] HIGH = {(byte) 0x80, (byte) 0xFF, (byte) 0xC0, (byte) 0xFE};
        private static final byte[][] INVALID_UTF8 = {
                {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
                {(byte) 0xFE}, {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xC3},
                {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}};
        private static final String[] NUMBER_LIES = {"0", "-1", "1", "-0", "00000000000000000001", "65535", "65536",
                "2147483647", "2147483648", "-2147483648", "4294967296", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999", "1e9", "0x10",
                "1.5", "NaN", "", " 1", "+1", "٣"};

        private final List<byte[]> seeds;
        private final List<byte[]> dictionary;
        private final List<byte[][]> nesting;
        private final int maxLength;
        private final byte[][] recent = new byte[64][];
        private int made;

        /**
         * @param seeds      real inputs, at least one
         * @param dictionary tokens of the format (header names, tags, keywords)
         * @param nesting    opener and closer pairs of the format, to nest deeply
         * @param maxLength  longer inputs are cut to this
         */
        public Mutator(List<byte[]> seeds, List<String> dictionary, List<String[]> nesting, int maxLength) {
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("no seeds");
            }
            this.seeds = List.copyOf(seeds);
            this.dictionary = dictionary.stream().map(Mutator::bytes).collect(Collectors.toList());
            this.nesting = nesting.stream().map(p -> new byte[][] {bytes(p[0]), bytes(p[1])})
                    .collect(Collectors.toList());
            this.maxLength = maxLength;
        }

        /**
         * @param s a token
         * @return its UTF-8 bytes
         */
        public static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        /** @return the number of seeds */
        public int seedCount() {
            return seeds.size();
        }

        /**
         * The next input: the seeds first, unchanged, then mutations of seeds and of recent inputs.
         *
         * @param r the random source
         * @return an input
         */
        @Override
        public byte[] next(SplittableRandom r) {
            byte[] out;
            if (made < seeds.size()) {
                out = seeds.get(made);
            } else {
                int recentCount = Math.min(made - seeds.size(), recent.length);
                out = recentCount > 0 && r.nextInt(5) == 0 ? recent[r.nextInt(recentCount)]
                        : seeds.get(r.nextInt(seeds.size()));
                int n = 1 + r.nextInt(1 + r.nextInt(8));
                for (int i = 0; i < n; i++) {
                    out = mutate(out, r);
                }
                if (out.length > maxLength) {
                    out = Arrays.copyOf(out, maxLength);
                }
                recent[(made - seeds.size()) % recent.length] = out;
            }
            made++;
            return out;
        }

        /**
         * Applies one to eight mutations to a part of a structured input; the result is cut to the longest input.
         *
         * @param b the part
         * @param r the random source
         * @return the mutated copy
         */
        public byte[] mutateSome(byte[] b, SplittableRandom r) {
            byte[] out = b;
            int n = 1 + r.nextInt(1 + r.nextInt(8));
            for (int i = 0; i < n; i++) {
                out = mutate(out, r);
            }
            return out.length > maxLength ? Arrays.copyOf(out, maxLength) : out;
        }

        /**
         * One mutation; never changes {@code b}.
         *
         * @param b the input
         * @param r the random source
         * @return the mutated copy (or {@code b} when the mutation does not apply)
         */
        public byte[] mutate(byte[] b, SplittableRandom r) {
            int len = b.length;
            int at = len == 0 ? 0 : r.nextInt(len + 1);
            switch (r.nextInt(16)) {
                case 0: { // flip a bit
                    if (len == 0) {
                        return insert(b, 0, new byte[] {(byte) r.nextInt(256)});
                    }
                    byte[] c = b.clone();
                    int i = r.nextInt(len);
                    c[i] ^= (byte) (1 << r.nextInt(8));
                    return c;
                }
                case 1: { // an interesting byte, replacing or inserted
                    byte v = r.nextInt(4) == 0 ? HIGH[r.nextInt(HIGH.length)] : INTERESTING[r.nextInt(
                            INTERESTING.length)];
                    if (len > 0 && r.nextBoolean()) {
                        byte[] c = b.clone();
                        c[r.nextInt(len)] = v;
                        return c;
                    }
                    return insert(b, at, new byte[] {v});
                }
                case 2: { // random bytes
                    byte[] v = new byte[1 + r.nextInt(8)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (byte) r.nextInt(256);
                    }
                    return insert(b, at, v);
                }
                case 3: // delete a slice
                    return len == 0 ? b : delete(b, Math.min(at, len - 1), sliceLength(r, len - Math.min(at,
                            len - 1)));
                case 4: { // duplicate a slice elsewhere
                    if (len == 0) {
                        return b;
                    }
                    int from = r.nextInt(len);
                    byte[] slice = Arrays.copyOfRange(b, from, from + sliceLength(r, len - from));
                    return insert(b, at, slice);
                }
                case 5: { // repeat a short slice: long tokens, many fields
                    if (len == 0) {
                        return b;
                    }
                    int from = r.nextInt(len);
                    byte[] slice = Arrays.copyOfRange(b, from, from + 1 + r.nextInt(Math.min(32, len - from)));
                    return insert(b, from, repeat(slice, 2 + r.nextInt(r.nextBoolean() ? 50 : 3000)));
                }
                case 6: { // splice with another seed
                    byte[] other = seeds.get(r.nextInt(seeds.size()));
                    int from = other.length == 0 ? 0 : r.nextInt(other.length);
                    byte[] c = Arrays.copyOf(b, at + other.length - from);
                    System.arraycopy(other, from, c, at, other.length - from);
                    return c;
                }
                case 7: { // control bytes
                    byte[] v = new byte[1 + r.nextInt(4)];
                    for (int i = 0; i < v.length; i++) {
                        int c = r.nextInt(33);
                        v[i] = (byte) (c == 32 ? 0x7F : c);
                    }
                    return insert(b, at, v);
                }
                case 8: // invalid UTF-8
                    return insert(b, at, INVALID_UTF8[r.nextInt(INVALID_UTF8.length)]);
                case 9: // a lie in a decimal number: lengths, counts, times
                    return numberLie(b, r);
                case 10: { // a lie in a binary length field
                    if (len < 2) {
                        return b;
                    }
                    byte[] c = b.clone();
                    int n = Math.min(len - 1, 1 << r.nextInt(3));
                    int i = r.nextInt(len - n + 1);
                    int pattern = r.nextInt(4);
                    for (int k = 0; k < n; k++) {
                        c[i + k] = (byte) (pattern == 0 ? 0xFF : pattern == 1 ? 0 : pattern == 2
                                ? (k == n - 1 ? 0x7F : 0xFF) : (k == 0 ? 0x80 : 0));
                    }
                    return c;
                }
                case 11: { // a long run of one byte
                    byte v = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : INTERESTING[r.nextInt(INTERESTING.length)];
                    byte[] run = new byte[64 << r.nextInt(11)];
                    Arrays.fill(run, r.nextBoolean() ? (byte) 'a' : v);
                    return insert(b, at, run);
                }
                case 12: // a token of the format
                    if (dictionary.isEmpty()) {
                        return b;
                    }
                    return insert(b, at, dictionary.get(r.nextInt(dictionary.size())));
                case 13: { // deep nesting
                    if (nesting.isEmpty()) {
                        return b;
                    }
                    byte[][] pair = nesting.get(r.nextInt(nesting.size()));
                    int depth = 2 + r.nextInt(r.nextBoolean() ? 40 : 5000);
                    byte[] open = repeat(pair[0], depth);
                    byte[] c = insert(b, at, open);
                    if (r.nextInt(4) != 0) {
                        int closeAt = at + open.length + r.nextInt(c.length - at - open.length + 1);
                        c = insert(c, closeAt, repeat(pair[1], r.nextInt(4) == 0 ? depth / 2 : depth));
                    }
                    return c;
                }
                case 14: // line ends
                    return lineEnds(b, r);
                default: // cut short
                    return len == 0 ? b : Arrays.copyOf(b, r.nextInt(len));
            }
        }

        private static int sliceLength(SplittableRandom r, int available) {
            if (available <= 1) {
                return Math.max(0, available);
            }
            int max = r.nextInt(4) == 0 ? available : Math.min(available, 64);
            return 1 + r.nextInt(max);
        }

        private byte[] numberLie(byte[] b, SplittableRandom r) {
            if (b.length == 0) {
                return b;
            }
            int start = r.nextInt(b.length);
            int i = start;
            while (i < b.length && !isDigit(b[i])) {
                i++;
            }
            if (i == b.length) {
                i = 0;
                while (i < start && !isDigit(b[i])) {
                    i++;
                }
                if (i == start) {
                    return insert(b, start, bytes(NUMBER_LIES[r.nextInt(NUMBER_LIES.length)]));
                }
            }
            int end = i;
            while (end < b.length && isDigit(b[end])) {
                end++;
            }
            byte[] lie = bytes(NUMBER_LIES[r.nextInt(NUMBER_LIES.length)]);
            byte[] c = new byte[b.length - (end - i) + lie.length];
            System.arraycopy(b, 0, c, 0, i);
            System.arraycopy(lie, 0, c, i, lie.length);
            System.arraycopy(b, end, c, i + lie.length, b.length - end);
            return c;
        }

        private static boolean isDigit(byte x) {
            return x >= '0' && x <= '9';
        }

        private static byte[] lineEnds(byte[] b, SplittableRandom r) {
            String s = new String(b, StandardCharsets.ISO_8859_1);
            String out;
            switch (r.nextInt(4)) {
                case 0:
                    out = s.replace("\r\n", "\n").replace("\n", "\r\n");
                    break;
                case 1:
                    out = s.replace("\r\n", "\n").replace('\n', '\r');
                    break;
                case 2:
                    out = s.replace("\r", "");
                    break;
                default:
                    out = s.replace("\n", r.nextBoolean() ? "\n\n" : "\n ");
                    break;
            }
            return out.getBytes(StandardCharsets.ISO_8859_1);
        }

        private static byte[] insert(byte[] b, int at, byte[] v) {
            byte[] c = new byte[b.length + v.length];
            System.arraycopy(b, 0, c, 0, at);
            System.arraycopy(v, 0, c, at, v.length);
            System.arraycopy(b, at, c, at + v.length, b.length - at);
            return c;
        }

        private static byte[] delete(byte[] b, int at, int n) {
            byte[] c = new byte[b.length - n];
            System.arraycopy(b, 0, c, 0, at);
            System.arraycopy(b, at + n, c, at, b.length - at - n);
            return c;
        }

        private static byte[] repeat(byte[] v, int times) {
            byte[] c = new byte[v.length * times];
            for (int i = 0; i < times; i++) {
                System.arraycopy(v, 0, c, i * v.length, v.length);
            }
            return c;
        }
    }
}
