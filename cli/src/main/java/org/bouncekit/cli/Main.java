package org.bouncekit.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code bouncekit} command: the top-level picocli command, holding the subcommands {@code parse} (reads
 * reports), {@code classify} (classifies their recipients, or SMTP replies, by rules), {@code rules} (lists the
 * rules, checks rule files), {@code spf} (checks a client address by SPF), {@code dkim} (verifies DKIM
 * signatures, signs messages), {@code dmarc} (authenticates a message by SPF, DKIM and DMARC), {@code audit}
 * (audits a sending domain's DNS) and {@code dnsbl} (checks an address against DNS blocklists).
 *
 * <p>Exit codes: 0 when every input was read (for {@code spf}, {@code dmarc}, {@code audit} and {@code dnsbl}: the
 * check completed, whatever its result; for {@code dkim verify}, whatever the signatures' results), 3 for
 * {@code audit --fail-on} when a finding is that severe, 1 when some input could not be read (or the output could
 * not be written, or {@code rules check} found problems), 2 for a usage error (unknown option or command, missing
 * argument), with the usage on stderr, or a {@code --rules} or {@code --zone} file that cannot be read or has
 * errors, an invalid {@code spf --ip}, a {@code dkim sign} key that cannot be used or a message it cannot sign.
 *
 * <p>Not thread-safe: an instance runs one command line. The static {@link #run} methods may be called from
 * several threads at once, each with its own streams.
 */
@Command(
        name = "bouncekit",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Reads mail delivery failures: bounces (DSNs and MTA formats), feedback reports (ARF) and "
                    + "auto-replies, and classifies them, or SMTP replies, by rules; checks senders by SPF; verifies "
                    + "and signs DKIM; authenticates messages by DMARC; audits a sending domain's DNS; checks "
                    + "addresses against DNS blocklists.",
            "",
            "Run 'bouncekit COMMAND --help' for a command's options and fields."
        },
        footer = {"", "Exit status: 0 all inputs read, 1 some input could not be read (or 'rules check' found "
                + "problems), 2 usage error."})
public final class Main implements Callable<Integer> {

    /** The version when no jar manifest says otherwise (running from classes, in tests). */
    static final String VERSION = "0.1.0-SNAPSHOT";

    @Spec
    private CommandSpec spec;

    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with its exit code. Standard output is written through a plain
     * {@link FileOutputStream} rather than {@link System#out}, which hides write errors, so that a closed pipe
     * ({@code | head}) stops the run at once; the commands buffer it themselves.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        System.exit(run(args, System.in, stdout, System.err, Progress.terminalAttached()));
    }

    /**
     * Runs a command line in-process, without exiting, with no progress display.
     *
     * @param args the arguments
     * @param in   what {@code -} reads
     * @param out  where results (and {@code --help}, {@code --version}) go; flushed, not closed
     * @param err  where errors and usage messages go; not closed
     * @return the exit code: 0, 1 or 2
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        int code = run(args, in, (OutputStream) out, err, false);
        if (out.checkError()) {
            err.println("bouncekit: cannot write output");
            return Math.max(code, 1);
        }
        return code;
    }

    static int run(String[] args, InputStream in, OutputStream out, PrintStream err, boolean progress) {
        Objects.requireNonNull(args, "args");
        CommandLine cmd = new CommandLine(new Main());
        cmd.addSubcommand("parse", new ParseCommand(in, out, err, progress));
        cmd.addSubcommand("classify", new ClassifyCommand(in, out, err, progress));
        cmd.addSubcommand("rules", RulesCommand.command(out, err));
        cmd.addSubcommand("spf", new SpfCommand(out, err));
        cmd.addSubcommand("dkim", DkimCommand.command(in, out, err));
        cmd.addSubcommand("dmarc", new DmarcCommand(in, out, err));
        cmd.addSubcommand("audit", new AuditCommand(out, err));
        cmd.addSubcommand("dnsbl", new DnsblCommand(out, err));
        cmd.addSubcommand("report", new ReportCommand(in, out, err, progress, java.time.Clock.systemUTC()));
        cmd.addSubcommand("plan", new PlanCommand(out, err, java.time.Clock.systemUTC()));
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(err, true);
        cmd.setOut(outWriter);
        cmd.setErr(errWriter);
        try {
            return cmd.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /**
     * Called when no subcommand is given: that is a usage error.
     *
     * @return never returns normally
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required command");
    }

    /** The version of the running jar. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? VERSION : v;
    }

    /** Supplies {@code --version}. Thread-safe (stateless). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bouncekit " + version(),
                    "Java ${java.version} (${java.vendor} ${java.vm.name})"};
        }
    }
}
