package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncekit.dnsauth.DkimSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bouncekit dkim verify} and {@code dkim sign}, always on zone files: nothing here asks the network. The keys
 * are made for each run; the zone publishes them at {@code sel} (RSA), {@code ed} (Ed25519) and {@code tst} (RSA,
 * {@code t=y}) under {@code _domainkey.example.org}.
 */
class DkimCommandTest {

    private static KeyPair rsa;
    private static KeyPair ed;

    @TempDir
    Path dir;

    private Path zone;
    private Path rsaPem;
    private Path rsaPkcs1;
    private Path edPem;
    private Path edSeed;
    private Path message;

    @BeforeAll
    static void keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @BeforeEach
    void files() throws IOException {
        String rsaRecord = DkimSigner.publicKeyRecord(rsa.getPublic());
        zone = write("example.org.zone", "$ORIGIN example.org.\n$TTL 3600\n"
                + "sel._domainkey IN TXT " + txt(rsaRecord) + "\n"
                + "ed._domainkey  IN TXT " + txt(DkimSigner.publicKeyRecord(ed.getPublic())) + "\n"
                + "tst._domainkey IN TXT " + txt(rsaRecord.replace("v=DKIM1; ", "v=DKIM1; t=y; ")) + "\n");
        byte[] pkcs8 = rsa.getPrivate().getEncoded();
        rsaPem = write("rsa.pem", pem("PRIVATE KEY", pkcs8));
        rsaPkcs1 = write("rsa-pkcs1.pem", pem("RSA PRIVATE KEY", pkcs1(pkcs8)));
        edPem = write("ed.pem", pem("PRIVATE KEY", ed.getPrivate().getEncoded()));
        byte[] edPkcs8 = ed.getPrivate().getEncoded();
        assertEquals(48, edPkcs8.length, "a PKCS#8 Ed25519 key without public key ends with the 32-byte seed");
        edSeed = write("ed.seed", Base64.getEncoder().encodeToString(Arrays.copyOfRange(edPkcs8, 16, 48)) + "\n");
        message = Files.write(dir.resolve("plain.eml"), Mail.bytes(Mail.plain()));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** A TXT record's data in zone-file form: character-strings of at most 255 bytes, in parentheses. */
    private static String txt(String text) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < text.length(); i += 200) {
            sb.append(" \"").append(text, i, Math.min(text.length(), i + 200)).append('"');
        }
        return sb.append(" )").toString();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: SEQUENCE { version, algorithm, OCTET STRING }. */
    private static byte[] pkcs1(byte[] pkcs8) {
        int[] pos = {0};
        header(pkcs8, pos, 0x30);
        int version = header(pkcs8, pos, 0x02);
        pos[0] += version;
        int algorithm = header(pkcs8, pos, 0x30);
        pos[0] += algorithm;
        int len = header(pkcs8, pos, 0x04);
        return Arrays.copyOfRange(pkcs8, pos[0], pos[0] + len);
    }

    /** Reads a DER tag and length at pos, leaving pos at the content; returns the content's length. */
    private static int header(byte[] der, int[] pos, int tag) {
        assertEquals(tag, der[pos[0]++] & 0xff, "DER tag");
        int b = der[pos[0]++] & 0xff;
        if (b < 0x80) {
            return b;
        }
        int len = 0;
        for (int i = 0; i < (b & 0x7f); i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    /** Runs {@code dkim sign --domain example.org ...}, expecting success; returns the signed message. */
    private static byte[] sign(byte[] stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("dkim", "sign", "--domain", "example.org"));
        all.addAll(List.of(args));
        Cli.Raw r = Cli.raw(stdin, all.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        return r.out();
    }

    private byte[] sign(String... args) {
        return sign(new byte[0], args);
    }

    private Path signedFile(String name, String... args) throws IOException {
        return Files.write(dir.resolve(name), sign(args));
    }

    /** Runs {@code dkim verify --zone ZONE ...}, expecting every message verified. */
    private List<Map<String, Object>> verify(String... args) {
        return verify(new byte[0], args);
    }

    private List<Map<String, Object>> verify(byte[] stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("dkim", "verify", "--zone", zone.toString()));
        all.addAll(List.of(args));
        Cli.Result r = Cli.dkim(stdin, all.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        return r.rows();
    }

    private Map<String, Object> verifyOne(Path file, String... more) {
        List<String> args = new ArrayList<>(List.of(more));
        args.add(file.toString());
        List<Map<String, Object>> rows = verify(args.toArray(String[]::new));
        assertEquals(1, rows.size(), rows::toString);
        return rows.get(0);
    }

    private static void assertOneLineError(Cli.Raw r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertEquals(0, r.out().length, () -> new String(r.out(), StandardCharsets.UTF_8));
        assertEquals(expected + "\n", r.err());
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] replace(byte[] message, String from, String to) {
        String s = new String(message, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains(from), from);
        return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void signWritesTheMessageExactlyAfterOneFieldAndVerifyPasses() throws IOException {
        byte[] original = Files.readAllBytes(message);
        byte[] out = sign("--selector", "sel", "--key", rsaPem.toString(), message.toString());
        int fieldLength = out.length - original.length;
        assertArrayEquals(original, Arrays.copyOfRange(out, fieldLength, out.length), "the message, byte for byte");
        String field = text(Arrays.copyOf(out, fieldLength));
        assertTrue(field.startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org;"), field);
        assertTrue(field.endsWith("\r\n"), field);
        List<String> lines = List.of(field.substring(0, field.length() - 2).split("\r\n", -1));
        assertTrue(lines.subList(1, lines.size()).stream().allMatch(l -> l.startsWith(" ")),
                () -> "one field, folded with CRLF: " + field);

        Path signed = Files.write(dir.resolve("signed.eml"), out);
        Map<String, Object> row = verifyOne(signed);
        assertEquals("example.org", row.get("domain"));
        assertEquals("sel", row.get("selector"));
        assertEquals("rsa-sha256", row.get("algorithm"));
        assertEquals("pass", row.get("result"));
        assertNull(row.get("reason"));
        assertEquals("@example.org", row.get("identity"));
        List<?> headers = (List<?>) row.get("signedHeaders");
        assertEquals(List.of("from", "from"), headers.subList(0, 2), "From over-signed: " + headers);
        assertTrue(headers.containsAll(List.of("to", "subject", "date", "message-id")), headers.toString());
        assertNull(row.get("bodyLength"));
        assertEquals(2048L, row.get("keyBits"));
        assertEquals(false, row.get("testing"));
        assertEquals(List.of(), row.get("notes"));
        assertEquals(List.of(), row.get("problems"));
        assertEquals(signed.toString(), row.get("source"));
    }

    @Test
    void ed25519KeysInPemAndAsRawSeedSign() throws IOException {
        for (Path key : List.of(edPem, edSeed)) {
            Path signed = signedFile("ed.eml", "--selector", "ed", "--key", key.toString(), message.toString());
            assertTrue(Files.readString(signed).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;"), key.toString());
            Map<String, Object> row = verifyOne(signed);
            assertEquals("pass", row.get("result"), row.toString());
            assertEquals("ed25519-sha256", row.get("algorithm"));
            assertEquals("ed", row.get("selector"));
            assertEquals(256L, row.get("keyBits"));
        }
    }

    @Test
    void pkcs1RsaKeySigns() throws IOException {
        Path signed = signedFile("pkcs1.eml", "--selector", "sel", "--key", rsaPkcs1.toString(), message.toString());
        Map<String, Object> row = verifyOne(signed);
        assertEquals("pass", row.get("result"), row.toString());
        assertEquals(2048L, row.get("keyBits"));
    }

    @Test
    void dashReadsStdinForBoth() throws IOException {
        byte[] original = Files.readAllBytes(message);
        byte[] signed = sign(original, "--selector", "ed", "--key", edPem.toString(), "-");
        assertArrayEquals(original, Arrays.copyOfRange(signed, signed.length - original.length, signed.length));
        List<Map<String, Object>> rows = verify(signed, "-");
        assertEquals(1, rows.size());
        assertEquals("pass", rows.get(0).get("result"));
        assertEquals("-", rows.get(0).get("source"));
    }

    @Test
    void aTamperedCopyFails() throws IOException {
        byte[] signed = sign("--selector", "sel", "--key", rsaPem.toString(), message.toString());
        Path body = Files.write(dir.resolve("body.eml"), replace(signed, "Noon at", "Dawn at"));
        Map<String, Object> row = verifyOne(body);
        assertEquals("fail", row.get("result"));
        assertEquals("body hash did not verify", row.get("reason"));
        assertEquals(2048L, row.get("keyBits"));
        Path header = Files.write(dir.resolve("header.eml"), replace(signed, "Subject: lunch?", "Subject: dinner?"));
        Map<String, Object> h = verifyOne(header);
        assertEquals("fail", h.get("result"));
        assertEquals("signature did not verify", h.get("reason"));
    }

    @Test
    void oneLinePerSignatureInHeaderOrderAndOneNoneLineForAnUnsignedMessage() throws IOException {
        Path once = signedFile("once.eml", "--selector", "sel", "--key", rsaPem.toString(), message.toString());
        Path twice = signedFile("twice.eml", "--selector", "ed", "--key", edPem.toString(), once.toString());
        List<Map<String, Object>> rows = verify(twice.toString(), message.toString(), once.toString());
        assertEquals(4, rows.size(), rows::toString);
        // the second signature was put first
        assertEquals(List.of("ed", "sel", "(none)", "sel"),
                rows.stream().map(r -> r.get("selector") == null ? "(none)" : r.get("selector")).toList());
        assertEquals(List.of("pass", "pass", "none", "pass"), rows.stream().map(r -> r.get("result")).toList());
        assertEquals(List.of(twice.toString(), twice.toString(), message.toString(), once.toString()),
                rows.stream().map(r -> r.get("source")).toList());
    }

    @Test
    void aMessageWithoutSignatureGivesOneLineWithResultNone() {
        Map<String, Object> row = verifyOne(message);
        assertEquals("none", row.get("result"));
        assertEquals("no DKIM-Signature field", row.get("reason"));
        for (String f : List.of("domain", "selector", "algorithm", "identity", "bodyLength", "keyBits")) {
            assertNull(row.get(f), f);
        }
        assertEquals(List.of(), row.get("signedHeaders"));
        assertEquals(false, row.get("testing"));
        assertEquals(List.of(), row.get("notes"));
        assertEquals(List.of(), row.get("problems"));
        assertEquals(message.toString(), row.get("source"));
    }

    @Test
    void aMissingKeyRecordIsAPermerror() throws IOException {
        Path gone = signedFile("gone.eml", "--selector", "gone", "--key", rsaPem.toString(), message.toString());
        Map<String, Object> row = verifyOne(gone);
        assertEquals("permerror", row.get("result"));
        assertEquals("no key record at gone._domainkey.example.org", row.get("reason"));
        assertNull(row.get("keyBits"));
        // a domain in no zone file does not exist: no network query, the same answer
        Cli.Raw other = Cli.raw(Files.readAllBytes(message), "dkim", "sign", "--domain", "example.net",
                "--selector", "sel", "--key", rsaPem.toString(), "-");
        assertEquals(0, other.code(), other.err());
        Path net = Files.write(dir.resolve("net.eml"), other.out());
        Map<String, Object> n = verifyOne(net);
        assertEquals("permerror", n.get("result"));
        assertEquals("no key record at sel._domainkey.example.net", n.get("reason"));
    }

    @Test
    void aTestingKeyIsSaid() throws IOException {
        Path signed = signedFile("tst.eml", "--selector", "tst", "--key", rsaPem.toString(), message.toString());
        Map<String, Object> row = verifyOne(signed);
        assertEquals("pass", row.get("result"));
        assertEquals(true, row.get("testing"));
    }

    @Test
    void canonicalization() throws IOException {
        for (String c : List.of("relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed", "simple",
                "relaxed")) {
            String tag = c.contains("/") ? c : c + "/simple";
            byte[] signed = sign("--selector", "sel", "--key", rsaPem.toString(), "--canonicalization", c,
                    message.toString());
            assertTrue(text(signed).contains(" c=" + tag + ";"), text(signed));
            assertEquals("pass", verifyOne(Files.write(dir.resolve("c.eml"), signed)).get("result"), c);
            // white space added inside a field: relaxed header canonicalization ignores it, simple does not
            byte[] spaced = replace(signed, "Subject: lunch?", "Subject:   lunch?");
            assertEquals(tag.startsWith("relaxed") ? "pass" : "fail",
                    verifyOne(Files.write(dir.resolve("s.eml"), spaced)).get("result"), c);
        }
    }

    @Test
    void identityHeadersAndExpiry() throws IOException {
        byte[] signed = sign("--selector", "sel", "--key", rsaPem.toString(), "--identity",
                "alice@news.example.org", "--headers", "From,Subject,Date", "--expire", "3600", message.toString());
        String field = text(signed);
        assertTrue(field.contains(" i=alice@news.example.org;"), field);
        Matcher t = Pattern.compile(" t=(\\d+);").matcher(field);
        Matcher x = Pattern.compile(" x=(\\d+);").matcher(field);
        assertTrue(t.find() && x.find(), field);
        assertEquals(3600, Long.parseLong(x.group(1)) - Long.parseLong(t.group(1)));
        Map<String, Object> row = verifyOne(Files.write(dir.resolve("i.eml"), signed));
        assertEquals("pass", row.get("result"));
        assertEquals("alice@news.example.org", row.get("identity"));
        assertEquals(List.of("from", "from", "subject", "subject", "date", "date"), row.get("signedHeaders"));
    }

    @Test
    void lenientPassesWhatRfc8301Forbids() throws GeneralSecurityException, IOException {
        // an rsa-sha1 signature, made by hand: the signer writes none
        String body = "Noon at the usual place?\r\n";
        String bh = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest(body.getBytes(StandardCharsets.US_ASCII)));
        String tags = "v=1; a=rsa-sha1; c=relaxed/relaxed; d=example.org; s=sel; h=from:subject; bh=" + bh + "; b=";
        Signature s = Signature.getInstance("SHA1withRSA");
        s.initSign(rsa.getPrivate());
        s.update(("from:Erin <erin@example.org>\r\nsubject:lunch?\r\ndkim-signature:" + tags)
                .getBytes(StandardCharsets.US_ASCII));
        String b = Base64.getEncoder().encodeToString(s.sign());
        Path sha1 = write("sha1.eml", "DKIM-Signature: " + tags + b + "\r\nFrom: Erin <erin@example.org>\r\n"
                + "Subject: lunch?\r\n\r\n" + body);

        Map<String, Object> strict = verifyOne(sha1);
        assertEquals("policy", strict.get("result"));
        assertEquals("rsa-sha1 is not accepted (RFC 8301)", strict.get("reason"));
        Map<String, Object> lenient = verifyOne(sha1, "--lenient");
        assertEquals("pass", lenient.get("result"), lenient.toString());
        assertEquals("rsa-sha1", lenient.get("algorithm"));
        List<?> notes = (List<?>) lenient.get("notes");
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(((String) notes.get(0)).startsWith("rsa-sha1, accepted in lenient mode"), notes.toString());
    }

    @Test
    void anMboxGivesTheLinesOfEachMessage() throws IOException {
        byte[] signed = sign("--selector", "ed", "--key", edPem.toString(), message.toString());
        String mbox = "From erin@example.org Mon Jun  2 12:30:00 2025\r\n" + text(signed) + "\r\n"
                + "From erin@example.org Mon Jun  2 12:31:00 2025\r\n" + Files.readString(message);
        Path box = write("box.mbox", mbox);
        List<Map<String, Object>> rows = verify(box.toString());
        assertEquals(List.of("pass", "none"), rows.stream().map(r -> r.get("result")).toList(), rows::toString);
        assertEquals(List.of(box + "#1", box + "#2"), rows.stream().map(r -> r.get("source")).toList());
    }

    @Test
    void aMessageThatCannotBeReadIsSaidAndTheOthersAreStillVerified() {
        Path missing = dir.resolve("missing.eml");
        Cli.Result r = Cli.dkim(new byte[0], "dkim", "verify", "--zone", zone.toString(), missing.toString(),
                message.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("bouncekit: " + missing + ": no such file or directory\n", r.err());
        assertEquals(1, r.rows().size(), r.out());
        assertEquals(message.toString(), r.row(0).get("source"));

        Cli.Raw s = Cli.raw(new byte[0], "dkim", "sign", "--domain", "example.org", "--selector", "sel", "--key",
                rsaPem.toString(), missing.toString());
        assertEquals(1, s.code(), s.err());
        assertEquals(0, s.out().length);
        assertEquals("bouncekit: " + missing + ": no such file or directory\n", s.err());
    }

    @Test
    void aKeyFileThatCannotBeUsedIsAOneLineUsageError() throws GeneralSecurityException, IOException {
        Path missing = dir.resolve("missing.pem");
        assertOneLineError(signWith(missing), "bouncekit: " + missing + ": no such file or directory");
        Path garbage = write("garbage.pem", "this is no key\n");
        Cli.Raw r = signWith(garbage);
        assertEquals(2, r.code(), r.err());
        assertEquals(0, r.out().length);
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("bouncekit: " + garbage + ": not a usable private key: "), r.err());
        Path publicKey = write("public.pem", pem("PUBLIC KEY", rsa.getPublic().getEncoded()));
        assertOneLineError(signWith(publicKey), "bouncekit: " + publicKey
                + ": not a usable private key: unsupported PEM block: -----BEGIN PUBLIC KEY-----");
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(512);
        Path weak = write("rsa512.pem", pem("PRIVATE KEY", small.generateKeyPair().getPrivate().getEncoded()));
        assertOneLineError(signWith(weak), "bouncekit: " + weak
                + ": RSA keys under 1024 bits are not accepted by verifiers (RFC 8301): 512");
        Path directory = Files.createDirectory(dir.resolve("keys"));
        Cli.Raw d = signWith(directory);
        assertEquals(2, d.code(), d.err());
        assertEquals(1, d.err().lines().count(), d.err());
        assertTrue(d.err().startsWith("bouncekit: " + directory + ": "), d.err());
    }

    private Cli.Raw signWith(Path key) {
        return Cli.raw(new byte[0], "dkim", "sign", "--domain", "example.org", "--selector", "sel", "--key",
                key.toString(), message.toString());
    }

    @Test
    void aMessageWithoutFromIsAOneLineUsageError() throws IOException {
        Path noFrom = Files.write(dir.resolve("nofrom.eml"), Mail.bytes("To: frank@example.com\nSubject: hi\n\nHi.\n"));
        assertOneLineError(Cli.raw(new byte[0], "dkim", "sign", "--domain", "example.org", "--selector", "sel",
                "--key", rsaPem.toString(), noFrom.toString()),
                "bouncekit: " + noFrom + ": the message has no From field, which DKIM must sign");
    }

    @Test
    void invalidOptionValuesAreOneLineUsageErrors() {
        String key = rsaPem.toString();
        String msg = message.toString();
        assertOneLineError(Cli.raw(new byte[0], "dkim", "sign", "--domain", "exa mple.org", "--selector", "sel",
                "--key", key, msg), "bouncekit: --domain: invalid domain: exa mple.org");
        assertOneLineError(Cli.raw(new byte[0], "dkim", "sign", "--domain", "example.org", "--selector", "a;b",
                "--key", key, msg), "bouncekit: --selector: invalid selector: a;b");
        List<List<String>> cases = List.of(
                List.of("--identity", "alice@example.com"),
                List.of("--headers", "Subject,Date"),
                List.of("--headers", "from,,to"),
                List.of("--headers", "from,x:y"),
                List.of("--expire", "0"),
                List.of("--expire", "-5"),
                List.of("--canonicalization", "fancy"),
                List.of("--canonicalization", "relaxed/"),
                List.of("--canonicalization", "simple/simple/simple"));
        List<String> errors = List.of(
                "bouncekit: --identity: i=alice@example.com is not in example.org",
                "bouncekit: --headers: the From field must be signed",
                "bouncekit: --headers: not a header field name: ''",
                "bouncekit: --headers: not a header field name: 'x:y'",
                "bouncekit: --expire: expected 1 to 3153600000 seconds: 0",
                "bouncekit: --expire: expected 1 to 3153600000 seconds: -5",
                "bouncekit: --canonicalization: expected relaxed/relaxed, simple/simple, relaxed/simple, "
                        + "simple/relaxed, relaxed or simple: fancy",
                "bouncekit: --canonicalization: expected relaxed/relaxed, simple/simple, relaxed/simple, "
                        + "simple/relaxed, relaxed or simple: relaxed/",
                "bouncekit: --canonicalization: expected relaxed/relaxed, simple/simple, relaxed/simple, "
                        + "simple/relaxed, relaxed or simple: simple/simple/simple");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new ArrayList<>(List.of("dkim", "sign", "--domain", "example.org", "--selector",
                    "sel", "--key", key));
            args.addAll(cases.get(i));
            args.add(msg);
            assertOneLineError(Cli.raw(new byte[0], args.toArray(String[]::new)), errors.get(i));
        }
    }

    @Test
    void missingArgumentsAreUsageErrors() {
        String key = rsaPem.toString();
        String msg = message.toString();
        List<List<String>> cases = List.of(
                List.of("dkim", "sign", "--selector", "sel", "--key", key, msg),
                List.of("dkim", "sign", "--domain", "example.org", "--key", key, msg),
                List.of("dkim", "sign", "--domain", "example.org", "--selector", "sel", msg),
                List.of("dkim", "sign", "--domain", "example.org", "--selector", "sel", "--key", key),
                List.of("dkim", "verify", "--zone", zone.toString()),
                List.of("dkim"),
                List.of("dkim", "verify", "--zone", zone.toString(), "--frobnicate", msg),
                List.of("dkim", "sign", "--domain", "example.org", "--selector", "sel", "--key", key, "--expire",
                        "soon", msg));
        List<String> first = List.of("Missing required option: '--domain=DOMAIN'",
                "Missing required option: '--selector=SELECTOR'", "Missing required option: '--key=FILE'",
                "Missing required parameter: 'FILE'", "Missing required parameter: 'FILE'",
                "Missing required command: verify or sign", "Unknown option: '--frobnicate'",
                "Invalid value for option '--expire': 'soon' is not a long");
        List<String> usage = List.of("sign", "sign", "sign", "sign", "verify", "", "verify", "sign");
        for (int i = 0; i < cases.size(); i++) {
            Cli.Raw r = Cli.raw(new byte[0], cases.get(i).toArray(String[]::new));
            assertEquals(2, r.code(), r.err());
            assertEquals(0, r.out().length);
            assertEquals(first.get(i), r.err().lines().findFirst().orElse(""), r.err());
            assertTrue(r.err().contains(("Usage: bouncekit dkim " + usage.get(i)).strip()), r.err());
        }
    }

    @Test
    void aZoneFileThatCannotBeUsedIsAOneLineUsageError() throws IOException {
        Path missing = dir.resolve("missing.zone");
        Cli.Raw r = Cli.raw(new byte[0], "dkim", "verify", "--zone", zone.toString(), "--zone", missing.toString(),
                message.toString());
        assertOneLineError(r, "bouncekit: " + missing + ": no such file or directory");
        Path bad = write("bad.zone", "$TTL 300\nsel._domainkey.example.org. IN TXX \"v=DKIM1; p=\"\n");
        assertOneLineError(Cli.raw(new byte[0], "dkim", "verify", "--zone", bad.toString(), message.toString()),
                "bouncekit: " + bad + ":2: Invalid type 'TXX'");
    }

    @Test
    void helpListsTheFieldsAndTheCommands() {
        Cli.Result verify = Cli.text("dkim", "verify", "--help");
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().startsWith("Usage: bouncekit dkim verify"), verify.out());
        for (String word : List.of("signedHeaders", "keyBits", "result none", "--zone", "--lenient")) {
            assertTrue(verify.out().contains(word), word + " in " + verify.out());
        }
        Cli.Result sign = Cli.text("dkim", "sign", "--help");
        assertEquals(0, sign.code(), sign.err());
        assertTrue(sign.out().contains("relaxed/relaxed"), sign.out());
        Cli.Result dkim = Cli.text("dkim", "--help");
        assertTrue(dkim.out().lines().anyMatch(l -> l.strip().startsWith("verify ")), dkim.out());
        assertTrue(dkim.out().lines().anyMatch(l -> l.strip().startsWith("sign ")), dkim.out());
        Cli.Result top = Cli.text("--help");
        assertTrue(top.out().lines().anyMatch(l -> l.strip().startsWith("dkim ")), top.out());
    }
}
