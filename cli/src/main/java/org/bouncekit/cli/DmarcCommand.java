package org.bouncekit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncekit.dnsauth.AuthResult;
import org.bouncekit.dnsauth.AuthenticationResults;
import org.bouncekit.dnsauth.DkimResult;
import org.bouncekit.dnsauth.DkimSignatureResult;
import org.bouncekit.dnsauth.DkimVerifier;
import org.bouncekit.dnsauth.DmarcEvaluator;
import org.bouncekit.dnsauth.DmarcResult;
import org.bouncekit.dnsauth.SpfChecker;
import org.bouncekit.dnsauth.SpfResult;
import org.bouncekit.dnsauth.spi.DnsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bouncekit dmarc FILE --ip IP --mail-from ADDRESS --helo NAME [--zone FILE]...}: authenticates one message
 * as a receiver would, by SPF, DKIM and DMARC, and writes one JSON object on stdout: {@code spf} (the object of
 * {@code bouncekit spf}), {@code dkim} (an array of the objects of {@code bouncekit dkim verify}), {@code dmarc},
 * {@code authenticationResults} (the Authentication-Results header field, RFC 8601) and {@code source}.
 *
 * <p>Exit codes: 0 when the message was authenticated, whatever the results; 1 when it cannot be read or the output
 * cannot be written; 2 for a usage error (a missing option, an invalid IP, a zone or Public Suffix List file that
 * cannot be read).
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "dmarc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Authenticates a message as a receiver would: SPF for the client IP and envelope sender, every DKIM "
                    + "signature, and DMARC (RFC 9989) for its From domain on those results; writes one JSON "
                    + "object on stdout.",
            "",
            "Fields: spf (the object 'bouncekit spf' writes), dkim (an array of the objects 'bouncekit dkim "
                    + "verify' writes, one per signature, or one with result none), dmarc (result: pass, fail, "
                    + "none, temperror, permerror; authorDomain, policyDomain, organizationalDomain, record, "
                    + "policy (the one that applies: p, sp or np), disposition (none, quarantine, reject), "
                    + "spfAligned, dkimAligned, alignedDkimDomain, testing, problems, trace), "
                    + "authenticationResults (the Authentication-Results header field) and source.",
            "",
            "The Organizational Domain comes from the DNS tree walk of RFC 9989; --rfc7489 takes it from the "
                    + "Public Suffix List instead (the bundled snapshot, or --psl FILE) and applies pct.",
            "",
            "With --zone, DNS data comes only from the zone files and no network is used; without it, the "
                    + "system's resolvers are asked."
        },
        footer = {"", "Exit status: 0 the message was authenticated (whatever the results), 1 it could not be "
                + "read or the output could not be written, 2 usage error, an invalid IP, or a zone or list file "
                + "that cannot be read."})
final class DmarcCommand implements Callable<Integer> {

    @Parameters(arity = "1", paramLabel = "FILE", description = "The message; - for stdin.")
    private String file;

    @Option(names = "--ip", required = true, paramLabel = "IP",
            description = "The SMTP client's address: an IPv4 or IPv6 literal.")
    private String ip;

    @Option(names = "--mail-from", required = true, paramLabel = "ADDRESS",
            description = "The envelope sender (MAIL FROM); \"\" for a null sender (the HELO name is then "
                    + "checked by SPF).")
    private String mailFrom;

    @Option(names = "--helo", required = true, paramLabel = "NAME",
            description = "The HELO/EHLO name the client gave (\"\" when unknown).")
    private String helo;

    @Mixin
    private ZoneOption zone = new ZoneOption();

    @Option(names = "--receiver", paramLabel = "NAME", defaultValue = SpfCommand.DEFAULT_RECEIVER,
            description = "The receiving host: the authserv-id of the Authentication-Results field and the "
                    + "receiver of Received-SPF (default: ${DEFAULT-VALUE}).")
    private String receiver;

    @Option(names = "--rfc7489",
            description = "Find the Organizational Domain by the Public Suffix List (RFC 7489) and apply pct.")
    private boolean rfc7489;

    @Option(names = "--psl", paramLabel = "FILE",
            description = "A Public Suffix List file to use instead of the bundled snapshot (implies --rfc7489), "
                    + "such as /usr/share/publicsuffix/public_suffix_list.dat.")
    private Path psl;

    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;

    DmarcCommand(InputStream in, OutputStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        DnsClient dns = zone.dns(err);
        if (dns == null) {
            return 2;
        }
        DmarcEvaluator.Builder dmarcBuilder = DmarcEvaluator.builder(dns);
        if (psl != null) {
            try {
                dmarcBuilder.rfc7489(psl);
            } catch (IOException | RuntimeException e) {
                err.println("bouncekit: --psl: " + psl + ": " + SpfCommand.oneLine(e instanceof IOException io
                        ? InputWalker.reason(io) : String.valueOf(e.getMessage())));
                return 2;
            }
        } else if (rfc7489) {
            dmarcBuilder.rfc7489();
        }
        AuthenticationResults.Builder header;
        try {
            header = AuthenticationResults.builder(receiver);
        } catch (IllegalArgumentException e) {
            err.println("bouncekit: --receiver: " + SpfCommand.oneLine(e.getMessage()));
            return 2;
        }
        SpfResult spf;
        try {
            spf = SpfChecker.builder(dns).receiver(receiver).build().check(ip, mailFrom,
                    helo.isEmpty() ? null : helo);
        } catch (IllegalArgumentException e) {
            err.println("bouncekit: --ip: " + SpfCommand.oneLine(e.getMessage()));
            return 2;
        }
        byte[] message;
        try {
            message = DkimCommand.readMessage(in, file);
        } catch (IOException e) {
            err.println("bouncekit: " + file + ": " + InputWalker.reason(e));
            return 1;
        }
        if (message == null) {
            err.println("bouncekit: " + file + ": larger than 64 MiB, not authenticated");
            return 1;
        }
        DkimResult dkim = DkimVerifier.builder(dns).build().verify(message);
        DmarcResult dmarc = dmarcBuilder.build().evaluate(message, spf, dkim);
        header.add(AuthResult.of(spf)).addAll(AuthResult.allOf(dkim)).add(AuthResult.of(dmarc));

        return OneObject.print(out, err, json -> {
            json.beginObject();
            json.name("spf");
            SpfCommand.write(json, spf, receiver);
            json.name("dkim").beginArray();
            if (dkim.signatures().isEmpty()) {
                DkimCommand.writeRow(json, null, dkim.problems(), file);
            }
            for (DkimSignatureResult s : dkim.signatures()) {
                DkimCommand.writeRow(json, s, dkim.problems(), file);
            }
            json.endArray();
            json.name("dmarc");
            write(json, dmarc);
            json.name("authenticationResults").value(header.build().toHeaderField());
            json.name("source").value(file);
            json.endObject();
        });
    }

    /**
     * Writes a DMARC result as one JSON object.
     *
     * @param json the writer
     * @param r    the result
     * @throws IOException when writing fails
     */
    static void write(JsonWriter json, DmarcResult r) throws IOException {
        json.beginObject();
        json.name("result").value(r.verdict().token());
        json.name("authorDomain").value(r.authorDomain());
        json.name("policyDomain").value(r.policyDomain());
        json.name("organizationalDomain").value(r.organizationalDomain());
        json.name("record").value(r.record());
        json.name("policy").value(r.requestedPolicy());
        json.name("disposition").value(r.disposition());
        json.name("spfAligned").value(r.spfAligned());
        json.name("dkimAligned").value(r.dkimAligned());
        json.name("alignedDkimDomain").value(r.alignedDkimDomain());
        json.name("testing").value(r.testing());
        json.strings("problems", r.problems());
        json.strings("trace", r.trace());
        json.endObject();
    }
}
