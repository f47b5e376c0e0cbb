package org.bouncekit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncekit.dnsauth.SpfChecker;
import org.bouncekit.dnsauth.SpfResult;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsJavaClient;
import org.bouncekit.dnsauth.spi.ZoneFileDnsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bouncekit spf --ip IP --sender ADDRESS --helo NAME [--zone FILE]...}: checks by SPF (RFC 7208) whether
 * the client address may send for the sender's domain (or, for a null sender, for the HELO name) and writes one
 * JSON object on stdout: {@code result}, {@code mechanism}, {@code explanation}, {@code lookups},
 * {@code voidLookups}, {@code problems} (these six are a contract, in this order), then {@code identity},
 * {@code domain}, {@code ip}, {@code sender}, {@code helo}, {@code trace} and {@code receivedSpf}.
 *
 * <p>With {@code --zone}, DNS data comes only from the zone files ({@link ZoneFileDnsClient}) and nothing is asked
 * of the network; without it, the system's resolvers are asked ({@link DnsJavaClient}).
 *
 * <p>Exit codes: 0 when the check completed, whatever its result (a {@code fail}, {@code temperror} or
 * {@code permerror} is an answer, written in {@code result}); 1 when the output cannot be written; 2 for a usage
 * error: a missing or unknown option (with the usage, as every command), an invalid IP literal, or a zone file that
 * cannot be read or parsed (one line {@code bouncekit: ...} on stderr, as for {@code classify --rules}).
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "spf",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Checks by SPF (RFC 7208) whether the client IP may send mail for the sender's domain, or for the "
                    + "HELO name when the sender is empty (a null sender, as for bounces), and writes one JSON "
                    + "object on stdout.",
            "",
            "Fields: result (pass, fail, softfail, neutral, none, temperror, permerror), mechanism (the directive "
                    + "that decided, or null), explanation (for a fail, or null), lookups and voidLookups (numbers), "
                    + "problems (array of strings); then identity (mailfrom or helo), domain, ip, sender, helo, "
                    + "trace (array of strings) and receivedSpf (the Received-SPF header field).",
            "",
            "With --zone, DNS data comes only from the zone files and no network is used; without it, the "
                    + "system's resolvers are asked."
        },
        footer = {"", "Exit status: 0 the check completed (whatever its result), 1 the output could not be "
                + "written, 2 usage error, an invalid IP, or a zone file that cannot be read or parsed."})
final class SpfCommand implements Callable<Integer> {

    /** The receiving host's name when {@code --receiver} is not given; the local host name is not looked up. */
    static final String DEFAULT_RECEIVER = "unknown";

    /** What dnsjava's zone parser writes for the name of an input read from a stream. */

    @Option(names = "--ip", required = true, paramLabel = "IP",
            description = "The SMTP client's address: an IPv4 or IPv6 literal.")
    private String ip;

    @Option(names = "--sender", required = true, paramLabel = "ADDRESS",
            description = "The envelope sender (MAIL FROM). \"\" (or <>) for a null sender: the HELO name is "
                    + "then checked, as postmaster@NAME.")
    private String sender;

    @Option(names = "--helo", required = true, paramLabel = "NAME",
            description = "The HELO/EHLO name the client gave (\"\" when unknown).")
    private String helo;

    @Mixin
    private ZoneOption zone = new ZoneOption();

    @Option(names = "--receiver", paramLabel = "NAME", defaultValue = DEFAULT_RECEIVER,
            description = "The receiving host's name, for %%{r} in explanations and the Received-SPF header "
                    + "(default: ${DEFAULT-VALUE}).")
    private String receiver;

    private final OutputStream out;
    private final PrintStream err;

    SpfCommand(OutputStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        DnsClient dns = zone.dns(err);
        if (dns == null) {
            return 2;
        }
        SpfChecker checker = SpfChecker.builder(dns).receiver(receiver).build();
        SpfResult result;
        try {
            result = checker.check(ip, sender, helo.isEmpty() ? null : helo);
        } catch (IllegalArgumentException e) {
            // the only argument the checker rejects is an address that is not a literal
            err.println("bouncekit: --ip: " + e.getMessage());
            return 2;
        }
        return OneObject.print(out, err, json -> write(json, result, receiver));
    }

    /**
     * The DNS the check asks: the zone files when there are any, else the system's resolvers.
     *
     * @param zoneFiles the zone files, may be null or empty
     * @param err       where a file that cannot be read or parsed is reported, on one line
     * @return the client, or null when a zone file could not be read
     */
    static DnsClient dns(List<Path> zoneFiles, PrintStream err) {
        if (zoneFiles == null || zoneFiles.isEmpty()) {
            return DnsJavaClient.builder().build();
        }
        try {
            return ZoneFileDnsClient.read(zoneFiles.toArray(Path[]::new));
        } catch (IOException e) {
            err.println("bouncekit: " + oneLine(zoneProblem(zoneFiles, e)));
            return null;
        }
    }

    /** What went wrong reading the zone files, the file at fault named first. */
    private static String zoneProblem(List<Path> zoneFiles, IOException e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) {
            return fse.getFile() + ": " + InputWalker.reason(e);
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        for (Path f : zoneFiles) {
            if (m.startsWith(f.toString() + ":")) {
                return m; // a parse error, already FILE:LINE: MESSAGE, as for rule files
            }
        }
        // a read error that names no file (such as a directory given as a file): read them one by one to find it
        for (Path f : zoneFiles) {
            try {
                ZoneFileDnsClient.read(f);
            } catch (IOException one) {
                return f + ": " + InputWalker.reason(one);
            }
        }
        return InputWalker.reason(e);
    }

    /**
     * Writes the result as one JSON object, the contract fields first and in order, without the line end.
     *
     * @param json     the writer
     * @param r        the result
     * @param receiver the receiving host, for the Received-SPF header
     * @throws IOException when writing fails
     */
    static void write(JsonWriter json, SpfResult r, String receiver) throws IOException {
        json.beginObject();
        json.name("result").value(r.verdict().token());
        json.name("mechanism").value(r.mechanism());
        json.name("explanation").value(r.explanation());
        json.name("lookups").value(r.lookups());
        json.name("voidLookups").value(r.voidLookups());
        json.strings("problems", r.problems());
        json.name("identity").value(r.identity());
        json.name("domain").value(r.domain());
        json.name("ip").value(r.clientIp());
        json.name("sender").value(r.sender());
        json.name("helo").value(r.helo());
        json.strings("trace", r.trace());
        json.name("receivedSpf").value(r.receivedSpf(receiver));
        json.endObject();
    }

    /** A message on one line: a parser's message may span several, and a record is quoted with its tabs. */
    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*[\\r\\n\\t]\\s*", " ");
    }
}
