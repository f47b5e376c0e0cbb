package org.bouncekit.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.Evidence;
import org.bouncekit.classifier.RuleFileException;
import org.bouncekit.classifier.RuleProblem;
import org.bouncekit.core.Report;
import org.bouncekit.core.SmtpReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bouncekit classify PATH...} and {@code bouncekit classify --smtp TEXT...}: classifies every recipient of
 * the messages found under the paths, or SMTP replies, with the built-in rules and the user's rule files, and
 * writes JSON Lines on stdout.
 *
 * <p>For messages, each line is the {@code parse} row ({@link ReportRows.Row}, every field in the same order)
 * followed by the classification fields; for SMTP replies, each line describes one reply. The classification
 * fields are null when a row has no classification (a message that is not a report, a delivery report without
 * recipients).
 *
 * <p>Inputs are read, and errors reported, exactly as {@code parse} does (see {@link ReportRun}). A rule file that
 * cannot be read or has errors is a usage error: its problems go to stderr, nothing is classified, exit code 2.
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Classifies every recipient of the messages found under the PATHs (or, with --smtp, SMTP replies) "
                    + "by rules, and writes one JSON object per recipient or reply (JSON Lines) on stdout.",
            "",
            "PATHs are read as by 'bouncekit parse'. Each line has every field of 'parse', in the same order, "
                    + "then: reason (userunknown, mailboxfull, ...), type (hard, soft, block, auto_reply, complaint, "
                    + "delivered, undetermined), decision (suppress, retry, throttle, fix_sender, review_content, "
                    + "contact_recipient_admin, ignore), retryable (true or false), provider, rule, ruleSet, "
                    + "evidenceField (text, status, code, host, ...), evidenceSpan. They are null for a row "
                    + "without a classification (a message that is not a report).",
            "",
            "With --smtp, each line has: input (the reply as given, \\n turned into line ends), replyCode, "
                    + "status, text (the reply's text without codes), then the classification fields above.",
            "",
            "Fields are always present, null when unknown."
        },
        footer = {"", "Exit status: 0 all inputs read, 1 some input could not be read, 2 usage error or a --rules "
                + "file that cannot be read or has errors."})
final class ClassifyCommand implements Callable<Integer> {

    /** The longest SMTP reply read from stdin, in characters; the rest of a longer line is ignored. */
    static final int MAX_REPLY_CHARS = 64 * 1024;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Files, directories, Maildirs, mbox files; - for stdin. Not allowed with --smtp.")
    private List<String> paths;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "A rule file to apply after the built-in rules (repeatable; later files override "
                    + "earlier rules with the same id). Check one with 'bouncekit rules check FILE'.")
    private List<Path> ruleFiles;

    @Option(names = "--smtp", paramLabel = "TEXT",
            description = "Classify this SMTP reply instead of messages (repeatable). A literal \\n separates the "
                    + "lines of a multi-line reply, as in \"550-5.1.1 The email account\\n550 5.1.1 does not "
                    + "exist\". - reads replies from stdin, one a line, skipping blank lines.")
    private List<String> smtp;

    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;
    private final boolean showProgress;

    ClassifyCommand(InputStream in, OutputStream out, PrintStream err, boolean showProgress) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.showProgress = showProgress;
    }

    @Override
    public Integer call() {
        List<String> replies = smtp == null ? List.of() : smtp;
        List<String> inputs = paths == null ? List.of() : paths;
        if (!replies.isEmpty() && !inputs.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "PATH arguments cannot be given with --smtp: "
                    + String.join(" ", inputs));
        }
        if (replies.isEmpty() && inputs.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'PATH' (or --smtp)");
        }
        Classifier classifier = classifier(ruleFiles, err);
        if (classifier == null) {
            return 2;
        }
        if (!replies.isEmpty()) {
            return classifyReplies(classifier, replies);
        }
        return ReportRun.run(inputs, in, out, err, showProgress, new ReportRun.Rows<Classified>() {
            @Override
            public List<Classified> of(InputWalker.Message message, Report report) {
                List<ReportRows.Row> rows = ReportRows.of(message.source(), report);
                List<Classification> cs = classifier.classify(report);
                List<Classified> result = new ArrayList<>(rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    // both lists follow the report's recipient order; a row beyond the classifications has none
                    result.add(new Classified(rows.get(i), i < cs.size() ? cs.get(i) : null));
                }
                return result;
            }

            @Override
            public void write(Classified row, JsonWriter json) throws IOException {
                json.beginObject();
                row.row().writeMembers(json);
                writeClassification(json, row.classification());
                json.endObject();
            }
        });
    }

    /** A parse row and its classification, or null. */
    private record Classified(ReportRows.Row row, Classification classification) {
    }

    /**
     * The classifier with the built-in rules and the given rule files, in order. Every file is read, so that the
     * problems of all of them are reported at once.
     *
     * @param ruleFiles the user's rule files, may be null
     * @param err       where problems go: {@code file:line:column: message} for a rule file with errors,
     *                  {@code bouncekit: FILE: reason} for one that cannot be read
     * @return the classifier, or null when a file could not be read or has errors
     */
    static Classifier classifier(List<Path> ruleFiles, PrintStream err) {
        if (ruleFiles == null || ruleFiles.isEmpty()) {
            return Classifier.defaults();
        }
        Classifier.Builder builder = Classifier.builder();
        boolean ok = true;
        for (Path file : ruleFiles) {
            try {
                builder.addRuleFile(file);
            } catch (RuleFileException e) {
                for (RuleProblem p : e.problems()) {
                    err.println(p);
                }
                ok = false;
            } catch (IOException e) {
                err.println("bouncekit: " + file + ": " + RulesCommand.reason(e));
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // rules past the limits a classifier is built within (regex instructions, phrase table)
            err.println("bouncekit: rules: " + e.getMessage());
            return null;
        }
    }

    /**
     * Writes the classification fields, in their contract order, into an object the caller has begun.
     *
     * @param json the writer, inside an object
     * @param c    the classification, or null to write every field as null
     * @throws IOException when writing fails
     */
    static void writeClassification(JsonWriter json, Classification c) throws IOException {
        Evidence ev = c == null ? null : c.evidence();
        json.name("reason").value(c == null || c.reason() == null ? null : c.reason().token());
        json.name("type").value(c == null || c.type() == null ? null : c.type().token());
        json.name("decision").value(c == null || c.decision() == null ? null : c.decision().token());
        json.name("retryable");
        if (c == null) {
            json.nullValue();
        } else {
            json.value(c.retryable());
        }
        json.name("provider").value(c == null ? null : c.provider());
        json.name("rule").value(ev == null ? null : ev.ruleId());
        json.name("ruleSet").value(ev == null ? null : ev.ruleSet());
        json.name("evidenceField").value(ev == null ? null : ev.field());
        json.name("evidenceSpan").value(ev == null ? null : ev.span());
    }

    /**
     * Turns the two characters {@code \n} of a reply given on the command line (or a line of stdin) into line
     * ends.
     *
     * @param text the reply as typed
     * @return the reply with real line ends
     */
    static String unescape(String text) {
        return text.replace("\\n", "\n");
    }

    private int classifyReplies(Classifier classifier, List<String> replies) {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        JsonWriter json = new JsonWriter(writer);
        int failed = 0;
        try {
            for (String reply : replies) {
                if (!InputWalker.STDIN.equals(reply)) {
                    failed += writeReply(json, classifier, unescape(reply));
                    continue;
                }
                // not closed: stdin stays open
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                StringBuilder line = new StringBuilder();
                long number = 0;
                while (true) {
                    boolean more;
                    boolean waiting;
                    try {
                        more = readLine(lines, line);
                        waiting = more && !lines.ready();
                    } catch (IOException e) {
                        err.println("bouncekit: " + InputWalker.STDIN + ": " + InputWalker.reason(e));
                        failed++;
                        break;
                    }
                    if (!more) {
                        break;
                    }
                    number++;
                    if (line.length() > MAX_REPLY_CHARS) {
                        err.println("bouncekit: " + InputWalker.STDIN + ": line " + number + ": longer than "
                                + MAX_REPLY_CHARS + " characters; the rest is ignored");
                        line.setLength(MAX_REPLY_CHARS);
                    }
                    String text = line.toString();
                    if (!text.isBlank()) {
                        failed += writeReply(json, classifier, unescape(text));
                    }
                    if (waiting) {
                        json.flush(); // answer a reply at once when nothing else has arrived (a coprocess)
                    }
                }
            }
            json.flush();
        } catch (IOException e) {
            if (!ReportRun.isBrokenPipe(e)) {
                err.println("bouncekit: cannot write output: " + InputWalker.reason(e));
            }
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }

    /**
     * Reads one line (ended by LF, CRLF, CR or the end of input) into {@code line}, keeping at most one character
     * more than {@link #MAX_REPLY_CHARS} so that a longer line can be told apart.
     *
     * @return false at the end of input, when no line was left
     */
    private static boolean readLine(BufferedReader r, StringBuilder line) throws IOException {
        line.setLength(0);
        int c = r.read();
        if (c < 0) {
            return false;
        }
        while (c >= 0 && c != '\n' && c != '\r') {
            if (line.length() <= MAX_REPLY_CHARS) {
                line.append((char) c);
            }
            c = r.read();
        }
        if (c == '\r') {
            r.mark(1);
            if (r.read() != '\n') {
                r.reset();
            }
        }
        return true;
    }

    /** Classifies one reply and writes its line; returns 1 after an internal error (reported), else 0. */
    private int writeReply(JsonWriter json, Classifier classifier, String input) throws IOException {
        Optional<SmtpReply> parsed;
        Classification c;
        try {
            parsed = SmtpReply.parse(input);
            // without a reply code or status at the start, the words alone are classified
            c = parsed.isPresent() ? classifier.classify(parsed.get()) : classifier.classify(0, null, input, null);
        } catch (RuntimeException e) {
            // the parser and classifier never throw on bad input; this is a bug, but the other replies still count
            err.println("bouncekit: " + JsonWriter.quote(input) + ": internal error: " + e);
            return 1;
        }
        json.beginObject();
        writeReplyMembers(json, input, parsed, c);
        json.endObject();
        json.endLine();
        return 0;
    }

    /**
     * Writes the members of one {@code --smtp} line: {@code input}, {@code replyCode}, {@code status},
     * {@code text}, then the classification's.
     *
     * @param json  the writer, inside an object
     * @param input the reply as given
     * @param reply the parsed reply, or empty when the input does not start as one
     * @param c     its classification
     * @throws IOException when writing fails
     */
    static void writeReplyMembers(JsonWriter json, String input, Optional<SmtpReply> reply, Classification c)
            throws IOException {
        SmtpReply r = reply.orElse(null);
        json.name("input").value(input);
        json.name("replyCode").value(r == null || r.code() == 0 ? null : Long.valueOf(r.code()));
        json.name("status").value(r == null || r.status() == null ? null : r.status().toString());
        json.name("text").value(r == null ? input : r.text());
        writeClassification(json, c);
    }
}
