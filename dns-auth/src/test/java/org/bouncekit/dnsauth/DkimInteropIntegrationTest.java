package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves that signatures made by {@link DkimSigner} verify with an independent implementation: dkimpy's
 * {@code dkimverify} (Debian package {@code python3-dkim}). Every combination of {@code rsa-sha256} (2,048-bit key)
 * and {@code ed25519-sha256} with relaxed/relaxed and simple/simple canonicalization is checked on a plain CRLF
 * message, the same with LF line ends, one with folded and oddly spaced header fields, trailing white space and
 * blank lines at the end of its body, one with an empty body and one without a final line break. A changed body, a
 * changed signed field and a key that is not the signer's make {@code dkimverify} fail, so the test cannot pass
 * because the verifier accepts anything.
 *
 * <p>{@code dkimverify} reads the message on stdin, prints {@code signature ok} and exits 0 when the first
 * signature verifies; it prints {@code signature verification failed} and exits 1 when it does not, and ends with a
 * traceback and exit status 1 on a malformed signature or a body hash mismatch (dkimpy raises, and the command does
 * not catch). It fetches the key with a DNS TXT query and has no option to answer that query otherwise. So the test
 * runs {@code dkimverify}'s own {@code main()} under the Python interpreter named in its {@code #!} line, through a
 * small script that first replaces dkimpy's {@code load_pk_from_dns} with one that parses the record we give it
 * (dkimpy's own key parsing) and refuses any socket use through an audit hook: nothing reaches the network, and a
 * query for another name gets no record.
 *
 * <p>Without {@code dkimverify} (or without the {@code dkim} and {@code nacl} modules its interpreter needs) the
 * test is skipped, except under {@code CI=true}, where it fails ({@code .ci/run} installs {@code python3-dkim}).
 */
class DkimInteropIntegrationTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);
    private static final String MISSING = "dkimpy's dkimverify not found on PATH or in /usr/bin, or its Python "
            + "cannot import dkim and nacl (Debian: apt-get install python3-dkim)";
    private static final String DOMAIN = "example.org";
    private static final String SELECTOR = "sel";
    /** The name dkimpy asks for, with the final dot it adds. */
    private static final String KEY_NAME = SELECTOR + "._domainkey." + DOMAIN + ".";

    /**
     * {@code dkimverify} with its DNS answered from the command line: {@code SCRIPT NAME RECORD < message}. Each
     * question is written to stderr as {@code dns: TXT NAME}; dkimpy's debug log follows it there.
     */
    private static final String OFFLINE_DKIMVERIFY = """
            import logging
            import sys

            import dkim
            import dkim.dkimverify

            name, record = sys.argv[1].encode("ascii"), sys.argv[2].encode("ascii")
            real_load_pk_from_dns = dkim.load_pk_from_dns


            def txt(qname, timeout=5):
                sys.stderr.write("dns: TXT %s\\n" % qname.decode("ascii", "replace"))
                return record if qname.lower() == name.lower() else None


            def load_pk_from_dns(qname, dnsfunc=None, timeout=5):
                return real_load_pk_from_dns(qname, dnsfunc=txt, timeout=timeout)


            def no_network(event, args):
                if event.startswith("socket."):
                    raise RuntimeError("network use (%s) is refused by the test" % event)


            dkim.load_pk_from_dns = load_pk_from_dns
            sys.addaudithook(no_network)
            logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format="dkimpy %(levelname)s: %(message)s")
            sys.argv = ["dkimverify"]
            sys.exit(dkim.dkimverify.main())
            """;

    private static final String PLAIN = String.join("\r\n",
            "From: Alice <alice@example.org>",
            "To: bob@example.net",
            "Subject: Quarterly report",
            "Date: Thu, 26 Nov 2026 10:00:00 +0000",
            "Message-ID: <q4.1@example.org>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "Hello Bob,",
            "",
            "the figures are attached.",
            "", "");

    /** Messages by name: what each one exercises is in its name. */
    private static final Map<String, String> MESSAGES = Map.of(
            "plain CRLF", PLAIN,
            "LF line ends", PLAIN.replace("\r\n", "\n"),
            "folded fields, trailing white space, blank lines at the end", String.join("\r\n",
                    "Received: from mail.example.org by mx.example.net; Thu, 26 Nov 2026 10:00:01 +0000",
                    "from:   Alice   <alice@example.org>   ",
                    "TO: bob@example.net,",
                    "\tcarol@example.net ,  ",
                    "  dave@example.net",
                    "Subject: A  subject\t folded",
                    " \t over   three",
                    "\tlines  ",
                    "Date: Thu, 26 Nov 2026 10:00:00 +0000",
                    "Message-ID:<q4.2@example.org>",
                    "",
                    "  Leading white space, and   runs\t\tof it inside.  ",
                    "Trailing tab\t",
                    "   ",
                    "",
                    "Last text line.",
                    "",
                    " ",
                    "\t",
                    "",
                    "", ""),
            "empty body", String.join("\r\n",
                    "From: alice@example.org",
                    "Subject: nothing to say",
                    "", ""),
            "no final line break", String.join("\r\n",
                    "From: alice@example.org",
                    "Subject: unterminated",
                    "",
                    "first line",
                    "last line without a break"));

    @TempDir
    static Path dir;

    /** The interpreter command of dkimverify's {@code #!} line. */
    private static List<String> python;
    private static String dkimpyVersion;
    /** The script that runs dkimverify offline; null when dkimverify cannot be run. */
    private static Path script;
    private static KeyPair rsa;
    private static KeyPair ed25519;

    @BeforeAll
    static void prepare() throws Exception {
        String missing = probe();
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(MISSING + " (" + missing + "); required when CI=true (.ci/run installs python3-dkim)");
            }
            return; // each test is skipped by requireDkimverify()
        }
        rsa = newPair("rsa-sha256");
        ed25519 = newPair("ed25519-sha256");
        Path file = dir.resolve("dkimverify-offline.py");
        Files.writeString(file, OFFLINE_DKIMVERIFY, StandardCharsets.US_ASCII);
        script = file;
    }

    @BeforeEach
    void requireDkimverify() {
        assumeTrue(script != null, MISSING);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String message : MESSAGES.keySet().stream().sorted().toList()) {
            for (String algorithm : List.of("rsa-sha256", "ed25519-sha256")) {
                for (String canonicalization : List.of("relaxed/relaxed", "simple/simple")) {
                    out.add(Arguments.of(algorithm, canonicalization, message));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}, {2}")
    @MethodSource("cases")
    void dkimverifyAcceptsOurSignature(String algorithm, String canonicalization, String message)
            throws Exception {
        KeyPair pair = pair(algorithm);
        byte[] signed = signer(pair, canonicalization).sign(MESSAGES.get(message).getBytes(StandardCharsets.US_ASCII));
        Run run = dkimverify(signed, DkimSigner.publicKeyRecord(pair.getPublic()));

        assertEquals(0, run.exit(), () -> "dkimverify rejected our signature\n" + run.describe(signed));
        assertEquals("signature ok", run.stdout().strip(), () -> run.describe(signed));
        assertTrue(run.stderr().contains("dns: TXT " + KEY_NAME + "\n"),
                () -> "the key came from our record\n" + run.describe(signed));
        String text = new String(signed, StandardCharsets.US_ASCII);
        assertTrue(text.contains("a=" + algorithm + ";") && text.contains("c=" + canonicalization + ";"),
                () -> "signed with " + algorithm + " " + canonicalization + "\n" + run.describe(signed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-sha256", "ed25519-sha256"})
    void changedBodyFails(String algorithm) throws Exception {
        KeyPair pair = pair(algorithm);
        byte[] signed = signer(pair, "relaxed/relaxed").sign(PLAIN.getBytes(StandardCharsets.US_ASCII));
        byte[] changed = replace(signed, "the figures are attached.", "the figures are attached!");
        Run run = dkimverify(changed, DkimSigner.publicKeyRecord(pair.getPublic()));

        assertRejected(run, changed);
        assertTrue(run.stderr().contains("body hash mismatch"), () -> "for the body\n" + run.describe(changed));
        Run intact = dkimverify(signed, DkimSigner.publicKeyRecord(pair.getPublic()));
        assertEquals(0, intact.exit(), () -> "the unchanged message passes\n" + intact.describe(signed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-sha256", "ed25519-sha256"})
    void changedSignedFieldFails(String algorithm) throws Exception {
        KeyPair pair = pair(algorithm);
        byte[] signed = signer(pair, "relaxed/relaxed").sign(PLAIN.getBytes(StandardCharsets.US_ASCII));
        byte[] changed = replace(signed, "Subject: Quarterly report", "Subject: Quarterly result");
        Run run = dkimverify(changed, DkimSigner.publicKeyRecord(pair.getPublic()));

        assertRejected(run, changed);
        assertEquals("signature verification failed", run.stdout().strip(), () -> run.describe(changed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-sha256", "ed25519-sha256"})
    void anotherKeyFails(String algorithm) throws Exception {
        KeyPair pair = pair(algorithm);
        KeyPair other = newPair(algorithm);
        byte[] signed = signer(pair, "simple/simple").sign(PLAIN.getBytes(StandardCharsets.US_ASCII));
        Run run = dkimverify(signed, DkimSigner.publicKeyRecord(other.getPublic()));

        assertRejected(run, signed);
        assertEquals("signature verification failed", run.stdout().strip(), () -> run.describe(signed));
    }

    @Test
    void aQuestionForAnotherNameGetsNoKey() throws Exception {
        byte[] signed = DkimSigner.builder(DOMAIN, "other", key(rsa)).build()
                .sign(PLAIN.getBytes(StandardCharsets.US_ASCII));
        Run run = dkimverify(signed, DkimSigner.publicKeyRecord(rsa.getPublic()));

        assertRejected(run, signed);
        assertEquals("signature verification failed", run.stdout().strip(), () -> run.describe(signed));
        assertTrue(run.stderr().contains("dns: TXT other._domainkey." + DOMAIN + ".\n")
                && run.stderr().contains("missing public key"), () -> run.describe(signed));
    }

    // ---- signing

    private static KeyPair pair(String algorithm) {
        return switch (algorithm) {
            case "rsa-sha256" -> rsa;
            case "ed25519-sha256" -> ed25519;
            default -> throw new IllegalArgumentException(algorithm);
        };
    }

    private static KeyPair newPair(String algorithm) throws GeneralSecurityException {
        if (algorithm.equals("rsa-sha256")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static DkimSigner signer(KeyPair pair, String canonicalization) {
        String[] c = canonicalization.split("/");
        return DkimSigner.builder(DOMAIN, SELECTOR, key(pair))
                .canonicalization(c[0].equals("relaxed"), c[1].equals("relaxed")).build();
    }

    /** The private key as a user loads it: PKCS#8 PEM through {@link DkimSigner#readKey}. */
    private static PrivateKey key(KeyPair pair) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return DkimSigner.readKey(pem);
    }

    private static byte[] replace(byte[] message, String from, String to) {
        String text = new String(message, StandardCharsets.US_ASCII);
        assertTrue(text.contains(from), from);
        return text.replace(from, to).getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertRejected(Run run, byte[] message) {
        assertNotEquals(0, run.exit(), () -> "dkimverify accepted it\n" + run.describe(message));
        assertNotEquals("signature ok", run.stdout().strip(), () -> run.describe(message));
    }

    // ---- dkimverify

    /** What dkimverify wrote and how it ended. */
    private record Run(int exit, String stdout, String stderr) {
        String describe(byte[] message) {
            return "dkimpy " + dkimpyVersion + ", exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr
                    + "--- message\n" + new String(message, StandardCharsets.US_ASCII);
        }
    }

    /** Runs dkimverify on the message (stdin), its one DNS question for {@link #KEY_NAME} answered by the record. */
    private static Run dkimverify(byte[] message, String record) throws IOException, InterruptedException {
        Path in = Files.createTempFile(dir, "message", ".eml");
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Files.write(in, message);
        List<String> command = new ArrayList<>(python);
        command.addAll(List.of(script.toString(), KEY_NAME, record));
        int exit = run(command, in, out, err);
        return new Run(exit, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Runs a command to its end, at most {@link #RUN_LIMIT}; a process that outlives it is killed. */
    private static int run(List<String> command, Path in, Path out, Path err) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            fail(String.join(" ", command) + " did not end within " + RUN_LIMIT + ":\n" + Files.readString(err));
        }
        return p.exitValue();
    }

    /** Why dkimverify cannot be run here, or null when it can (then {@link #python} and the version are set). */
    private static String probe() throws IOException, InterruptedException {
        Path dkimverify = findDkimverify();
        if (dkimverify == null) {
            return "no dkimverify";
        }
        List<String> interpreter = interpreter(dkimverify);
        if (interpreter == null) {
            return dkimverify + " has no #! line";
        }
        List<String> command = new ArrayList<>(interpreter);
        command.addAll(List.of("-c", "import dkim, dkim.dkimverify, nacl, importlib.metadata as m; "
                + "print(m.version('dkimpy'))"));
        Path out = dir.resolve("probe.out");
        Path err = dir.resolve("probe.err");
        Path none = dir.resolve("probe.in");
        Files.write(none, new byte[0]);
        int exit = run(command, none, out, err);
        if (exit != 0) {
            return String.join(" ", command) + " ended with " + exit + ": " + Files.readString(err).strip();
        }
        python = interpreter;
        dkimpyVersion = Files.readString(out).strip();
        return null;
    }

    /** The command of a script's {@code #!} line ({@code /usr/bin/python3}, or {@code /usr/bin/env python3}). */
    private static List<String> interpreter(Path script) throws IOException {
        String first = Files.readAllLines(script, StandardCharsets.ISO_8859_1).stream().findFirst().orElse("");
        if (!first.startsWith("#!") || first.substring(2).isBlank()) {
            return null;
        }
        return List.of(first.substring(2).strip().split("[ \t]+"));
    }

    private static Path findDkimverify() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
        for (String d : path.split(":")) {
            Path p = d.isEmpty() ? null : Path.of(d, "dkimverify");
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
