package org.bouncekit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncekit.core.Report;
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
                    + "diagnostic, remoteMta, reportingMta, messageId, feedbackType; then verpRecipient, "
                    + "effectiveStatus, smtpCommand, problems."
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
        return ReportRun.run(paths, in, out, err, showProgress, new ReportRun.Rows<ReportRows.Row>() {
            @Override
            public List<ReportRows.Row> of(InputWalker.Message message, Report report) {
                return ReportRows.of(message.source(), report);
            }

            @Override
            public void write(ReportRows.Row row, JsonWriter json) throws IOException {
                row.writeTo(json);
            }
        });
    }
}
