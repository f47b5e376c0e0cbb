package org.bouncekit.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncekit.dnsauth.DkimResult;
import org.bouncekit.dnsauth.DkimSignatureResult;
import org.bouncekit.dnsauth.DkimSigner;
import org.bouncekit.dnsauth.DkimVerdict;
import org.bouncekit.dnsauth.DkimVerifier;
import org.bouncekit.dnsauth.spi.DnsClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bouncekit dkim COMMAND}: DKIM (RFC 6376, RFC 8463 Ed25519, RFC 8301).
 *
 * <p>{@code dkim verify FILE... [--zone FILE]... [--lenient]} verifies every signature of each message (files,
 * directories, Maildirs, mbox files and {@code -}, read as {@code parse} reads them) and writes one JSON object per
 * signature, in the order of the header: {@code domain}, {@code selector}, {@code algorithm}, {@code result} (the
 * {@link DkimVerdict#token()}), {@code reason} (these five are a contract, in this order), then {@code identity},
 * {@code signedHeaders}, {@code bodyLength}, {@code keyBits}, {@code testing}, {@code notes}, {@code problems} and
 * {@code source}. A message without signature gives one object whose {@code result} is {@code none}, so that a
 * reader sees every message. With {@code --zone}, the keys come only from the zone files; without it, from the
 * system's resolvers ({@link SpfCommand#dns}).
 *
 * <p>{@code dkim sign --domain D --selector S --key FILE [options] FILE} writes the message, byte for byte, after
 * its new {@code DKIM-Signature} field.
 *
 * <p>Exit codes: 0 when every message was verified, whatever the results (or the message was signed); 1 when a
 * message cannot be read (the others are still verified) or the output cannot be written; 2 for a usage error: a
 * missing or unknown option (with the usage, as every command), an invalid option value, a zone or key file that
 * cannot be read or used, or a message without From field to sign (one line {@code bouncekit: ...} on stderr, as
 * for {@code spf}).
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "dkim",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Verifies the DKIM signatures of messages (JSON Lines, one object per signature) or signs a "
                + "message (RFC 6376, RFC 8463 Ed25519, RFC 8301).",
        footer = {"", "Exit status: 0 success, 1 a message could not be read (or the output could not be written), "
                + "2 usage error or a zone or key file that cannot be used."})
final class DkimCommand implements Callable<Integer> {

    /**
     * The largest message read, in bytes (64 MiB): the messages are held in memory whole, and a message cut short
     * would not verify. A larger one is reported as unreadable.
     */
    static final int MAX_MESSAGE_BYTES = 64 << 20;

    /** The largest key file read, in bytes: a PEM RSA key of 16,384 bits is about 13 KB. */
    static final int MAX_KEY_BYTES = 1 << 20;

    /** The longest {@code --expire}: 100 years, so that {@code x=} keeps within its 12 digits. */
    static final long MAX_EXPIRE_SECONDS = 100L * 365 * 24 * 3600;

    /** The {@code reason} of the line written for a message without signature. */
    static final String NO_SIGNATURE = "no DKIM-Signature field";

    @Spec
    private CommandSpec spec;

    private DkimCommand() {
    }

    /**
     * The {@code dkim} command with its subcommands.
     *
     * @param in  what {@code -} reads
     * @param out where results go; flushed, not closed
     * @param err where errors go
     * @return the command line to add to the top-level command
     */
    static CommandLine command(InputStream in, OutputStream out, PrintStream err) {
        CommandLine dkim = new CommandLine(new DkimCommand());
        dkim.addSubcommand("verify", new Verify(in, out, err));
        dkim.addSubcommand("sign", new Sign(in, out, err));
        return dkim;
    }

    /**
     * Called when no subcommand is given: that is a usage error.
     *
     * @return never returns normally
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required command: verify or sign");
    }

    /** {@code bouncekit dkim verify FILE... [--zone FILE]... [--lenient]}. Not thread-safe: an instance runs once. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {
                "Verifies every DKIM signature of each message and writes one JSON object per signature (JSON "
                        + "Lines) on stdout, in the order of the message's header.",
                "",
                "A FILE is a message file, a directory (read recursively in name order, skipping names that start "
                        + "with '.'), a Maildir (its tmp/ skipped), an mbox (messages named FILE#1, FILE#2, ...) or "
                        + "- for stdin. Messages are read whole, up to 64 MiB.",
                "",
                "Fields: domain (d=), selector (s=), algorithm (a=), result (pass, fail, policy, neutral, "
                        + "temperror, permerror; none for a message without signature), reason (why it is not a "
                        + "pass, or null); then identity (i=, by default @domain), signedHeaders (array, h= as "
                        + "written), bodyLength (l=, or null when the whole body is signed), keyBits (the key's "
                        + "size, 256 for Ed25519, or null when no key was read), testing (true when the key record "
                        + "says t=y), notes (array: l=, leniencies), problems (array: the message's own problems, "
                        + "such as signatures beyond the limit of 10) and source (the file, FILE#n, or -).",
                "",
                "A message without a DKIM-Signature field still gives one line: result none, reason \""
                        + NO_SIGNATURE + "\", domain, selector, algorithm and identity null. So every message "
                        + "read gives at least one line.",
                "",
                "With --zone, DNS data comes only from the zone files and no network is used; without it, the "
                        + "system's resolvers are asked."
            },
            footer = {"", "Exit status: 0 every message was verified (whatever the results), 1 some input could "
                    + "not be read (the rest are still verified) or the output could not be written, 2 usage "
                    + "error, or a zone file that cannot be read or parsed."})
    static final class Verify implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE",
                description = "Messages: files, directories, Maildirs, mbox files; - for stdin.")
        private List<String> files;

        @Mixin
        private ZoneOption zone = new ZoneOption();

        @Option(names = "--lenient",
                description = "Pass what RFC 8301 forbids (rsa-sha1, RSA keys under 1024 bits) and signatures "
                        + "without v=, each noted in notes: for reading old mail, never for deciding.")
        private boolean lenient;

        private final InputStream in;
        private final OutputStream out;
        private final PrintStream err;

        Verify(InputStream in, OutputStream out, PrintStream err) {
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
            DkimVerifier.Builder builder = DkimVerifier.builder(dns);
            if (lenient) {
                builder.lenient();
            }
            DkimVerifier verifier = builder.build();
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            JsonWriter json = new JsonWriter(writer);
            int failed = 0;
            try (InputWalker walker = new InputWalker(files, in, MAX_MESSAGE_BYTES)) {
                while (walker.hasNext()) {
                    InputWalker.Input item = walker.next();
                    if (item instanceof InputWalker.Failure f) {
                        err.println("bouncekit: " + f.source() + ": " + f.reason());
                        failed++;
                        continue;
                    }
                    InputWalker.Message m = (InputWalker.Message) item;
                    if (m.length() > MAX_MESSAGE_BYTES) {
                        err.println("bouncekit: " + m.source() + ": larger than 64 MiB, not verified");
                        failed++;
                        continue;
                    }
                    DkimResult result;
                    try {
                        byte[] bytes = m.length() == m.data().length ? m.data() : Arrays.copyOf(m.data(),
                                m.length());
                        result = verifier.verify(bytes);
                    } catch (RuntimeException e) {
                        // the verifier never throws on bad input; this is a bug, but the other messages still count
                        err.println("bouncekit: " + m.source() + ": internal error: " + e);
                        failed++;
                        continue;
                    }
                    write(json, result, m.source());
                    // a line per message as soon as it is known: verifying through DNS takes time
                    json.flush();
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
    }

    /**
     * Writes the lines of one message: one per signature, in the order of the header, or one {@code none} line
     * when it has no signature.
     *
     * @param json   the writer
     * @param result the verification
     * @param source the message's source name
     * @throws IOException when writing fails
     */
    static void write(JsonWriter json, DkimResult result, String source) throws IOException {
        if (result.signatures().isEmpty()) {
            writeRow(json, null, result.problems(), source);
            json.endLine();
        }
        for (DkimSignatureResult s : result.signatures()) {
            writeRow(json, s, result.problems(), source);
            json.endLine();
        }
    }

    /**
     * Writes one signature's result as one JSON object, the contract fields first and in order, without the line
     * end.
     *
     * @param json     the writer
     * @param s        the signature's result, or null for a message without signature
     * @param problems the message's problems
     * @param source   the message's source name
     * @throws IOException when writing fails
     */
    static void writeRow(JsonWriter json, DkimSignatureResult s, List<String> problems, String source)
            throws IOException {
        json.beginObject();
        json.name("domain").value(s == null ? null : s.domain());
        json.name("selector").value(s == null ? null : s.selector());
        json.name("algorithm").value(s == null ? null : s.algorithm());
        json.name("result").value(s == null ? DkimVerdict.NONE.token() : s.verdict().token());
        json.name("reason").value(s == null ? NO_SIGNATURE : s.reason());
        json.name("identity").value(s == null ? null : s.identity());
        json.strings("signedHeaders", s == null ? List.of() : s.signedHeaders());
        json.name("bodyLength").value(s == null || s.bodyLength() < 0 ? null : Long.valueOf(s.bodyLength()));
        json.name("keyBits").value(s == null || s.keyBits() <= 0 ? null : Long.valueOf(s.keyBits()));
        json.name("testing").value(s != null && s.testing());
        json.strings("notes", s == null ? List.of() : s.notes());
        json.strings("problems", problems);
        json.name("source").value(source);
        json.endObject();
    }

    /**
     * {@code bouncekit dkim sign --domain D --selector S --key FILE [options] FILE}. Not thread-safe: an instance
     * runs once.
     */
    @Command(
            name = "sign",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {
                "Signs a message with DKIM and writes it on stdout: the message's bytes exactly as read, with the "
                        + "DKIM-Signature field put first (written with the message's line ends, CRLF or LF).",
                "",
                "The algorithm follows the key: rsa-sha256 for an RSA key (at least 1024 bits; 2048 recommended), "
                        + "ed25519-sha256 for an Ed25519 key (RFC 8463). The key file holds a PEM private key "
                        + "(BEGIN PRIVATE KEY, PKCS#8; BEGIN RSA PRIVATE KEY, PKCS#1) or a raw Ed25519 seed (32 "
                        + "bytes in base64). Publish the public key at SELECTOR._domainkey.DOMAIN.",
                "",
                "Signed by default, when present: From, Sender, Reply-To, To, Cc, Subject, Date, Message-ID, "
                        + "In-Reply-To, References, MIME-Version, Content-Type, Content-Transfer-Encoding, "
                        + "List-Id, List-Unsubscribe, List-Unsubscribe-Post, Feedback-ID; From, To, Subject, Date "
                        + "and the like are over-signed (signed once more than present, so that none can be "
                        + "added)."
            },
            footer = {"", "Exit status: 0 signed, 1 the message could not be read or the output could not be "
                    + "written, 2 usage error, an invalid option value, a key file that cannot be read or holds "
                    + "no usable key, or a message without From field (said on one line of stderr)."})
    static final class Sign implements Callable<Integer> {

        @Option(names = "--domain", required = true, paramLabel = "DOMAIN",
                description = "The signing domain (d=).")
        private String domain;

        @Option(names = "--selector", required = true, paramLabel = "SELECTOR",
                description = "The selector (s=): the key is published at SELECTOR._domainkey.DOMAIN.")
        private String selector;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "The private key: PEM (PKCS#8 or PKCS#1 RSA, PKCS#8 Ed25519) or a raw Ed25519 seed "
                        + "in base64.")
        private Path keyFile;

        @Option(names = "--canonicalization", paramLabel = "HEADER/BODY", defaultValue = "relaxed/relaxed",
                description = "relaxed/relaxed, simple/simple, relaxed/simple or simple/relaxed; one word alone "
                        + "is the header's, the body's then simple (RFC 6376 3.5). Default: ${DEFAULT-VALUE}.")
        private String canonicalization;

        @Option(names = "--identity", paramLabel = "IDENTITY",
                description = "The agent or user identifier (i=), such as alice@DOMAIN or @sub.DOMAIN: in the "
                        + "signing domain or a subdomain of it.")
        private String identity;

        @Option(names = "--headers", split = ",", paramLabel = "NAME",
                description = "The header fields to sign, a comma-separated list (From is required), instead of "
                        + "the default list.")
        private List<String> headers;

        @Option(names = "--expire", paramLabel = "SECONDS",
                description = "Signatures expire this many seconds after signing (x=); by default they do not.")
        private Long expire;

        @Parameters(arity = "1", paramLabel = "FILE", description = "The message; - for stdin.")
        private String file;

        private final InputStream in;
        private final OutputStream out;
        private final PrintStream err;

        Sign(InputStream in, OutputStream out, PrintStream err) {
            this.in = in;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            boolean[] canon = canonicalization(canonicalization);
            if (canon == null) {
                return usage("--canonicalization", "expected relaxed/relaxed, simple/simple, relaxed/simple, "
                        + "simple/relaxed, relaxed or simple: " + canonicalization);
            }
            if (expire != null && (expire < 1 || expire > MAX_EXPIRE_SECONDS)) {
                return usage("--expire", "expected 1 to " + MAX_EXPIRE_SECONDS + " seconds: " + expire);
            }
            if (headers != null) {
                for (String h : headers) {
                    if (!isFieldName(h.strip())) {
                        return usage("--headers", "not a header field name: '" + h + "'");
                    }
                }
            }
            PrivateKey key = key(keyFile);
            if (key == null) {
                return 2;
            }
            DkimSigner.Builder builder;
            try {
                builder = DkimSigner.builder(domain, selector, key);
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                if (m.startsWith("invalid domain")) {
                    return usage("--domain", m);
                }
                if (m.startsWith("invalid selector")) {
                    return usage("--selector", m);
                }
                return usage(keyFile.toString(), m); // the key's type or size
            }
            builder.canonicalization(canon[0], canon[1]);
            if (headers != null) {
                try {
                    builder.headers(headers.toArray(String[]::new));
                } catch (IllegalArgumentException e) {
                    return usage("--headers", e.getMessage());
                }
            }
            if (identity != null) {
                try {
                    builder.identity(identity);
                } catch (IllegalArgumentException e) {
                    return usage("--identity", e.getMessage());
                }
            }
            if (expire != null) {
                builder.expireAfter(Duration.ofSeconds(expire));
            }
            DkimSigner signer = builder.build();

            byte[] message;
            try {
                message = readMessage(in, file);
            } catch (IOException e) {
                err.println("bouncekit: " + file + ": " + InputWalker.reason(e));
                return 1;
            }
            if (message == null) {
                err.println("bouncekit: " + file + ": larger than 64 MiB, not signed");
                return 1;
            }
            byte[] signed;
            try {
                signed = signer.sign(message);
            } catch (IllegalArgumentException e) {
                // the message has no From field
                return usage(file, e.getMessage());
            }
            try {
                out.write(signed);
                out.flush();
            } catch (IOException e) {
                if (!ReportRun.isBrokenPipe(e)) {
                    err.println("bouncekit: cannot write output: " + InputWalker.reason(e));
                }
                return 1;
            }
            return 0;
        }

        /** Reports a usage error on one line of stderr; returns its exit code, 2. */
        private int usage(String what, String message) {
            err.println("bouncekit: " + what + ": " + SpfCommand.oneLine(message));
            return 2;
        }

        /** Reads the key file; null after reporting why it holds no usable key. */
        private PrivateKey key(Path file) {
            byte[] bytes;
            try (InputStream k = Files.newInputStream(file)) {
                bytes = k.readNBytes(MAX_KEY_BYTES + 1);
            } catch (IOException e) {
                usage(file.toString(), InputWalker.reason(e));
                return null;
            }
            if (bytes.length > MAX_KEY_BYTES) {
                usage(file.toString(), "not a usable private key: larger than 1 MiB");
                return null;
            }
            try {
                // PEM and base64 are ASCII; any other byte makes the text no key, which readKey then says
                return DkimSigner.readKey(new String(bytes, StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException e) {
                usage(file.toString(), e.getMessage());
                return null;
            }
        }

    }

    /**
     * Reads one message whole: a file, or stdin for {@code -} (which is not closed).
     *
     * @param in   stdin
     * @param name the file name, or {@code -}
     * @return the message's bytes, or null when it is larger than {@link #MAX_MESSAGE_BYTES}
     * @throws IOException when the file cannot be read
     */
    static byte[] readMessage(InputStream in, String name) throws IOException {
        byte[] bytes;
        if (name.equals(InputWalker.STDIN)) {
            bytes = in.readNBytes(MAX_MESSAGE_BYTES + 1);
        } else {
            try (InputStream f = Files.newInputStream(Path.of(name))) {
                bytes = f.readNBytes(MAX_MESSAGE_BYTES + 1);
            }
        }
        return bytes.length > MAX_MESSAGE_BYTES ? null : bytes;
    }

    /**
     * Reads {@code --canonicalization}.
     *
     * @param c the option's value
     * @return relaxed header and relaxed body, or null when the value is not one of the forms
     */
    static boolean[] canonicalization(String c) {
        String[] parts = c.split("/", -1);
        if (parts.length > 2) {
            return null;
        }
        Boolean header = relaxed(parts[0]);
        Boolean body = parts.length == 1 ? Boolean.FALSE : relaxed(parts[1]);
        return header == null || body == null ? null : new boolean[] {header, body};
    }

    private static Boolean relaxed(String word) {
        return switch (word) {
            case "relaxed" -> Boolean.TRUE;
            case "simple" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A header field name (RFC 5322 2.2): printable US-ASCII except colon, at least one. */
    static boolean isFieldName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                return false;
            }
        }
        return true;
    }
}
