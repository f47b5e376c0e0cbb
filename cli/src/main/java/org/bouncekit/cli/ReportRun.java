package org.bouncekit.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;

/**
 * The loop shared by the commands that read mail ({@code parse}, {@code classify}): walks the paths, parses each
 * message and writes the command's JSON Lines, with the same error handling and exit codes for all of them.
 *
 * <ul>
 *   <li>An input that cannot be read is reported on stderr as {@code bouncekit: SOURCE: reason}; the rest is still
 *       read, and the exit code is then 1.</li>
 *   <li>A failure writing stdout ends the run with exit code 1; a closed pipe ({@code | head}) ends it quietly.</li>
 * </ul>
 *
 * <p>Messages are parsed and their rows computed on worker threads ({@link #workers()}), and written in input
 * order; {@link Rows#of} must therefore be thread-safe.
 *
 * <p>Thread-safe: a stateless utility; each call uses only its own arguments.
 */
final class ReportRun {

    /**
     * What a command makes of each parsed report.
     *
     * @param <T> the command's row type
     */
    interface Rows<T> {
        /**
         * The output rows of one report, computed in full before any is written, so that a failure here cannot
         * leave half a line on stdout. Called on worker threads: must be thread-safe.
         *
         * @param message the message as read (its source name and bytes)
         * @param report  the parsed report
         * @return the rows, in output order
         */
        List<T> of(InputWalker.Message message, Report report);

        /**
         * Writes one row as one JSON object, without the line end.
         *
         * @param row  the row
         * @param json the writer
         * @throws IOException when writing fails
         */
        void write(T row, JsonWriter json) throws IOException;
    }

    private ReportRun() {
    }

    /**
     * Runs the loop.
     *
     * @param paths        the paths as given; {@code -} is stdin
     * @param in           what {@code -} reads
     * @param out          where the JSON Lines go; flushed, not closed
     * @param err          where errors go
     * @param showProgress whether to draw the progress line on stderr
     * @param rows         what to write for each report
     * @param <T>          the row type
     * @return the exit code: 0 when every input was read, 1 otherwise
     */
    static <T> int run(List<String> paths, InputStream in, OutputStream out, PrintStream err, boolean showProgress,
                       Rows<T> rows) {
        return run(paths, in, out, err, showProgress, ReportParser.defaults(), rows);
    }

    /**
     * Runs the loop with a parser of the command's own.
     *
     * @param paths        the paths as given; {@code -} is stdin
     * @param in           what {@code -} reads
     * @param out          where the JSON Lines go; flushed, not closed
     * @param err          where errors go
     * @param showProgress whether to draw the progress line on stderr
     * @param parser       the report parser
     * @param rows         what to write for each report
     * @param <T>          the row type
     * @return the exit code: 0 when every input was read, 1 otherwise
     */
    static <T> int run(List<String> paths, InputStream in, OutputStream out, PrintStream err, boolean showProgress,
                       ReportParser parser, Rows<T> rows) {
        int workers = workers();
        Progress progress = new Progress(err, showProgress);
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        JsonWriter json = new JsonWriter(writer);
        ExecutorService pool = workers > 1 ? Executors.newFixedThreadPool(workers, ReportRun::daemon) : null;
        ArrayDeque<Pending<T>> window = new ArrayDeque<>();
        long windowBytes = 0;
        int failed = 0;
        try (InputWalker walker = new InputWalker(paths, in, parser.limits().maxInputBytes())) {
            while (walker.hasNext()) {
                InputWalker.Input item = walker.next();
                Pending<T> p;
                if (item instanceof InputWalker.Failure f) {
                    p = new Pending<>(f.source(), 0, null, f.reason());
                } else {
                    InputWalker.Message m = (InputWalker.Message) item;
                    Callable<List<T>> task = () -> rows.of(m, parser.parse(m.data(), 0, m.length()));
                    FutureTask<List<T>> f = new FutureTask<>(task);
                    if (pool != null) {
                        pool.execute(f);
                    } else {
                        f.run();
                    }
                    p = new Pending<>(m.source(), m.length(), f, null);
                }
                window.addLast(p);
                windowBytes += p.bytes();
                // results are written in input order; at most a window of messages is read ahead
                while (!window.isEmpty() && (window.size() > MAX_AHEAD || windowBytes > MAX_AHEAD_BYTES
                        || window.peekFirst().done())) {
                    Pending<T> first = window.removeFirst();
                    windowBytes -= first.bytes();
                    failed += write(first, rows, json, err, progress);
                }
            }
            while (!window.isEmpty()) {
                failed += write(window.removeFirst(), rows, json, err, progress);
            }
            json.flush();
        } catch (IOException e) {
            progress.clear();
            if (!isBrokenPipe(e)) {
                err.println("bouncekit: cannot write output: " + InputWalker.reason(e));
            }
            return 1;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        progress.finish();
        return failed == 0 ? 0 : 1;
    }

    /** Messages read ahead of the one being written, at most. */
    private static final int MAX_AHEAD = 256;
    /** Bytes read ahead, at most (one larger message still goes through alone). */
    private static final long MAX_AHEAD_BYTES = 32L << 20;

    /** A message in flight: its rows to come, or why it could not be read. */
    private record Pending<T>(String source, long bytes, Future<List<T>> rows, String failure) {
        boolean done() {
            return rows == null || rows.isDone();
        }
    }

    /** Writes one message's rows (waiting for them); returns 1 when it failed, else 0. */
    private static <T> int write(Pending<T> p, Rows<T> rows, JsonWriter json, PrintStream err, Progress progress)
            throws IOException {
        if (p.failure() != null) {
            progress.clear();
            err.println("bouncekit: " + p.source() + ": " + p.failure());
            return 1;
        }
        List<T> lines;
        try {
            lines = p.rows().get();
        } catch (ExecutionException e) {
            // The parser and classifier never throw on bad input; this is a bug, but the rest of the run is still
            // useful.
            progress.clear();
            err.println("bouncekit: " + p.source() + ": internal error: " + e.getCause());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (T row : lines) {
            rows.write(row, json);
            json.endLine();
        }
        progress.message(p.bytes());
        return 0;
    }

    /**
     * How many threads parse and classify: the processors available, at most 8; set by the system property
     * {@code bouncekit.workers} (1 runs everything on the calling thread).
     */
    static int workers() {
        String set = System.getProperty("bouncekit.workers");
        if (set != null) {
            try {
                return Math.max(1, Math.min(64, Integer.parseInt(set.strip())));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "bouncekit-worker");
        t.setDaemon(true);
        return t;
    }

    /**
     * Whether a write failed because the reader went away (such as {@code head}): the command then stops quietly,
     * as other Unix tools do.
     *
     * @param e the failure
     * @return true for a broken pipe
     */
    static boolean isBrokenPipe(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("broken pipe");
    }
}
