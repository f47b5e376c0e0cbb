package org.bouncekit.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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
         * leave half a line on stdout.
         *
         * @param source the message's source name
         * @param report the parsed report
         * @return the rows, in output order
         */
        List<T> of(String source, Report report);

        /**
         * The output rows of one report, for a command that also needs the message's bytes.
         *
         * @param message the message as read
         * @param report  the parsed report
         * @return the rows, in output order
         */
        default List<T> of(InputWalker.Message message, Report report) {
            return of(message.source(), report);
        }

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
        Progress progress = new Progress(err, showProgress);
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        JsonWriter json = new JsonWriter(writer);
        int failed = 0;
        try (InputWalker walker = new InputWalker(paths, in, parser.limits().maxInputBytes())) {
            while (walker.hasNext()) {
                InputWalker.Input item = walker.next();
                if (item instanceof InputWalker.Failure f) {
                    progress.clear();
                    err.println("bouncekit: " + f.source() + ": " + f.reason());
                    failed++;
                    continue;
                }
                InputWalker.Message m = (InputWalker.Message) item;
                List<T> lines;
                try {
                    Report report = parser.parse(m.data(), 0, m.length());
                    lines = rows.of(m, report);
                } catch (RuntimeException e) {
                    // The parser and classifier never throw on bad input; this is a bug, but the rest of the run
                    // is still useful.
                    progress.clear();
                    err.println("bouncekit: " + m.source() + ": internal error: " + e);
                    failed++;
                    continue;
                }
                for (T row : lines) {
                    rows.write(row, json);
                    json.endLine();
                }
                progress.message(m.length());
            }
            json.flush();
        } catch (IOException e) {
            progress.clear();
            if (!isBrokenPipe(e)) {
                err.println("bouncekit: cannot write output: " + InputWalker.reason(e));
            }
            return 1;
        }
        progress.finish();
        return failed == 0 ? 0 : 1;
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
