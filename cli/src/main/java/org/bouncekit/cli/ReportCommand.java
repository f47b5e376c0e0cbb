package org.bouncekit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.analytics.AnalyticsSnapshot;
import org.bouncekit.classifier.analytics.AuthReportRow;
import org.bouncekit.classifier.analytics.BounceAnalytics;
import org.bouncekit.classifier.analytics.BounceEvents;
import org.bouncekit.core.NotAReport;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
import org.bouncekit.dnsauth.AggregateReport;
import org.bouncekit.dnsauth.AggregateReportException;
import org.bouncekit.dnsauth.AggregateReportParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bouncekit report PATH... [--html FILE] [--json FILE]}: reads every message under the paths, classifies
 * the bounces, complaints and auto-replies, reads DMARC aggregate reports, and writes the numbers of
 * {@link BounceAnalytics}: a self-contained HTML report and the same numbers as one JSON object. Without
 * {@code --html} or {@code --json}, the JSON goes to stdout.
 *
 * <p>Exit codes: 0 when every input was read and every output written; 1 when some input could not be read (the
 * rest are counted) or an output could not be written; 2 for a usage error or a {@code --rules} file with errors.
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Reads every message under the PATHs (as 'bouncekit parse' does), classifies its recipients, counts "
                    + "them by recipient domain, provider, reason, type, decision, sending IP, campaign and time, "
                    + "reads DMARC aggregate reports (XML, gzip, zip or the report email) among them, and writes a "
                    + "report: --html FILE, a self-contained page with charts (no script, nothing fetched); "
                    + "--json FILE, the same numbers as one JSON object (- for stdout). Without either, the JSON "
                    + "goes to stdout.",
            "",
            "JSON fields: total, first, last, bucketSeconds, truncated, domains, providers, reasons, types, "
                    + "decisions, sendingIps, campaigns (arrays of {key, count, share}), buckets ({start, total, "
                    + "types, reasons}), domainRows, topRejectingDomains, suppressionCandidates, dmarcSources, "
                    + "dmarcDispositions.",
            "",
            "An event's time is the recipient's Last-Attempt-Date, else the report's Arrival-Date, else its Date, "
                    + "else the time the command started."
        },
        footer = {"", "Exit status: 0 all inputs read and outputs written, 1 some input could not be read or an "
                + "output could not be written, 2 usage error or a --rules file that cannot be read or has errors."})
final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "Files, directories, Maildirs, mbox files; - for stdin.")
    private List<String> paths;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML report to FILE.")
    private Path html;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON to FILE (- for stdout).")
    private String json;

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Bounce report",
            description = "The HTML report's title (default: ${DEFAULT-VALUE}).")
    private String title;

    @Option(names = "--bucket", paramLabel = "WIDTH", defaultValue = "day",
            description = "The time bucket: hour, day or week, or a duration such as 6h or 30m (default: "
                    + "${DEFAULT-VALUE}).")
    private String bucket;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "A rule file to apply after the built-in rules (repeatable), as for classify.")
    private List<Path> ruleFiles;

    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;
    private final boolean showProgress;
    private final Clock clock;

    ReportCommand(InputStream in, OutputStream out, PrintStream err, boolean showProgress, Clock clock) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.showProgress = showProgress;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        Duration width = bucket(bucket);
        if (width == null) {
            err.println("bouncekit: --bucket: expected hour, day, week or a duration such as 6h, 30m or 2d, from 1 "
                    + "minute to 31 days: " + bucket);
            return 2;
        }
        Classifier classifier = ClassifyCommand.classifier(ruleFiles, err);
        if (classifier == null) {
            return 2;
        }
        BounceAnalytics analytics = BounceAnalytics.builder().bucket(width).build();
        ReportParser parser = ReportParser.builder().correlationHeaders(BounceEvents.FIELDS.toArray(String[]::new))
                .build();
        AggregateReportParser dmarc = AggregateReportParser.defaults();
        Instant started = clock.instant();
        int read = ReportRun.run(paths, in, OutputStream.nullOutputStream(), err, showProgress, parser,
                new ReportRun.Rows<Void>() {
                    @Override
                    public List<Void> of(InputWalker.Message message, Report report) {
                        if (report instanceof NotAReport) {
                            aggregate(dmarc, analytics, message, started);
                        } else {
                            BounceEvents.of(report, classifier.classify(report), started).forEach(analytics::add);
                        }
                        return List.of();
                    }

                    @Override
                    public void write(Void row, JsonWriter json) {
                        // nothing is written per report
                    }
                });
        AnalyticsSnapshot snapshot = analytics.snapshot();
        boolean written = true;
        if (html != null) {
            written &= write(html, snapshot.toHtml(title));
        }
        if (json != null && !json.equals(InputWalker.STDIN)) {
            written &= write(Path.of(json), snapshot.toJson() + "\n");
        } else if (json != null || html == null) {
            try {
                out.write((snapshot.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                if (!ReportRun.isBrokenPipe(e)) {
                    err.println("bouncekit: cannot write output: " + InputWalker.reason(e));
                }
                written = false;
            }
        }
        return read == 0 && written ? 0 : 1;
    }

    /** Counts the rows of a DMARC aggregate report, when the message is one (else nothing: it is not a report). */
    private static void aggregate(AggregateReportParser dmarc, BounceAnalytics analytics, InputWalker.Message m,
                                  Instant fallback) {
        AggregateReport r;
        try {
            r = dmarc.parse(m.length() == m.data().length ? m.data() : Arrays.copyOf(m.data(), m.length()));
        } catch (AggregateReportException e) {
            return;
        }
        Instant begin = r.metadata() != null && r.metadata().begin() != null ? r.metadata().begin() : fallback;
        String reporter = r.metadata() == null ? null : r.metadata().orgName();
        for (AggregateReport.Row row : r.rows()) {
            if (row.sourceIpText() != null) {
                analytics.addAuthRow(new AuthReportRow(begin, reporter, row.sourceIpText(), row.count(),
                        row.headerFrom(), row.disposition(), row.dkim(), row.spf()));
            }
        }
    }

    private boolean write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            err.println("bouncekit: " + file + ": " + InputWalker.reason(e));
            return false;
        }
    }

    /**
     * @param text hour, day, week, or a number and a unit ({@code 30m}, {@code 6h}, {@code 2d}, {@code 1w})
     * @return the width, or null when the text is none or out of range (1 minute to 31 days)
     */
    static Duration bucket(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration d = switch (t) {
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            case "week" -> Duration.ofDays(7);
            default -> {
                if (!t.matches("[1-9][0-9]{0,5}[mhdw]")) {
                    yield null;
                }
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                yield switch (t.charAt(t.length() - 1)) {
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> Duration.ofDays(7 * n);
                };
            }
        };
        return d == null || d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(31)) > 0 ? null : d;
    }
}
