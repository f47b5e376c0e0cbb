package org.bouncekit.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.RuleProblem;
import org.bouncekit.classifier.RuleSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bouncekit rules COMMAND}: the classifier's rules. {@code rules list} prints the active rules,
 * {@code rules check FILE...} validates rule files.
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Lists the classifier's rules or checks rule files (the format is described in the "
                + "javadoc of org.bouncekit.classifier.RuleSet).",
        footer = {"", "Exit status: 0 success, 1 a rule file has problems or cannot be read, 2 usage error."})
final class RulesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private RulesCommand() {
    }

    /**
     * The {@code rules} command with its subcommands.
     *
     * @param out where results go; flushed, not closed
     * @param err where errors go
     * @return the command line to add to the top-level command
     */
    static CommandLine command(OutputStream out, PrintStream err) {
        CommandLine rules = new CommandLine(new RulesCommand());
        rules.addSubcommand("list", new ListRules(out, err));
        rules.addSubcommand("check", new CheckRules(out, err));
        return rules;
    }

    /**
     * Called when no subcommand is given: that is a usage error.
     *
     * @return never returns normally
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required command: list or check");
    }

    /**
     * Why a rule file could not be read, in a few words.
     *
     * @param e the failure
     * @return the reason, such as {@code no such file or directory} or {@code not UTF-8 text}
     */
    static String reason(IOException e) {
        return e instanceof CharacterCodingException ? "not UTF-8 text" : InputWalker.reason(e);
    }

    /** Writes lines of text on stdout; returns the exit code, 1 when writing fails (quietly for a closed pipe). */
    private static int print(OutputStream out, PrintStream err, List<String> lines) {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        try {
            for (String line : lines) {
                w.write(line);
                w.write('\n');
            }
            w.flush();
            return 0;
        } catch (IOException e) {
            if (!ReportRun.isBrokenPipe(e)) {
                err.println("bouncekit: cannot write output: " + InputWalker.reason(e));
            }
            return 1;
        }
    }

    /** {@code bouncekit rules list}. Not thread-safe: an instance runs once. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {
                "Prints the active rules, one a line: SET:ID -> REASON, set by set: the built-in sets "
                        + "(rfc3463, generic, providers), then the --rules files, whose rules replace earlier "
                        + "ones with the same id."
            },
            footer = {"", "Exit status: 0 success, 1 the output could not be written, 2 usage error or a --rules "
                    + "file that cannot be read or has errors."})
    static final class ListRules implements Callable<Integer> {

        @Option(names = "--rules", paramLabel = "FILE",
                description = "A rule file to apply after the built-in rules (repeatable).")
        private List<Path> ruleFiles;

        private final OutputStream out;
        private final PrintStream err;

        ListRules(OutputStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            Classifier classifier = ClassifyCommand.classifier(ruleFiles, err);
            if (classifier == null) {
                return 2;
            }
            return print(out, err, classifier.describeRules());
        }
    }

    /** {@code bouncekit rules check FILE...}. Not thread-safe: an instance runs once. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {
                "Checks rule files. Every problem is printed on stdout as FILE:LINE:COLUMN: MESSAGE; a file "
                        + "without problems gives the line FILE: ok. A file that cannot be read is reported on "
                        + "stderr."
            },
            footer = {"", "Exit status: 0 every file is valid, 1 some file has problems or cannot be read, "
                    + "2 usage error."})
    static final class CheckRules implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rule files.")
        private List<String> files;

        private final OutputStream out;
        private final PrintStream err;

        CheckRules(OutputStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            List<String> lines = new ArrayList<>();
            boolean bad = false;
            for (String f : files) {
                List<RuleProblem> problems;
                String name = f;
                try {
                    Path p = Path.of(f);
                    name = p.toString(); // the name the problems carry
                    problems = RuleSet.check(p);
                } catch (InvalidPathException e) {
                    err.println("bouncekit: " + f + ": invalid path: " + e.getMessage());
                    bad = true;
                    continue;
                } catch (IOException e) {
                    err.println("bouncekit: " + name + ": " + reason(e));
                    bad = true;
                    continue;
                }
                if (problems.isEmpty()) {
                    lines.add(name + ": ok");
                } else {
                    bad = true;
                    for (RuleProblem problem : problems) {
                        lines.add(problem.toString());
                    }
                }
            }
            int written = print(out, err, lines);
            return bad ? 1 : written;
        }
    }
}
