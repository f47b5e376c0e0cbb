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
import java.util.concurrent.Callable;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bouncekit parse PATH...}: parses every message found under the paths and writes JSON Lines on stdout, one
 * object per recipient (see {@link ReportRows.Row} for the fields).
 *
 * <p>An input that cannot be read is reported on stderr with its path and the reason; the rest is still read, and
 * the exit code is then 1.
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "parse",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Parses messages and writes one JSON object per recipient (JSON Lines) on stdout.",
            "",
            "A PATH is a message file, a directory (read recursively in name order, skipping names that start "
                    + "with '.'), a Maildir (its tmp/ skipped), an mbox (a file whose first line starts with "
                    + "\"From \"; messages are named PATH#1, PATH#2, ...) or - for stdin.",
            "",
            "Fields, always present, null when unknown: source, kind (bounce, delay, delivered, relayed, expanded, "
                    + "feedback, auto_reply, not_a_report), format, recipient, action, status, replyCode, "
                    + "diagnostic, remoteMta, reportingMta, messageId, feedbackType; then verpRecipient, problems."
        },
        footer = {"", "Exit status: 0 all inputs read, 1 some input could not be read, 2 usage error."})
final class ParseCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "Files, directories, Maildirs, mbox files; - for stdin.")
    private List<String> paths;

    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;
    private final boolean showProgress;

    ParseCommand(InputStream in, OutputStream out, PrintStream err, boolean showProgress) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.showProgress = showProgress;
    }

    @Override
    public Integer call() {
        ReportParser parser = ReportParser.defaults();
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
                Report report;
                try {
                    report = parser.parse(m.data(), 0, m.length());
                } catch (RuntimeException e) {
                    // The parser never throws on bad input; this is a bug, but the rest of the run is still useful.
                    progress.clear();
                    err.println("bouncekit: " + m.source() + ": internal error: " + e);
                    failed++;
                    continue;
                }
                for (ReportRows.Row row : ReportRows.of(m.source(), report)) {
                    row.writeTo(json);
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

    /** A reader such as {@code head} went away: stop quietly, as other Unix tools do. */
    private static boolean isBrokenPipe(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("broken pipe");
    }
}
