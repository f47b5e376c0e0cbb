package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsJavaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Proves {@link SpfChecker} over {@link DnsJavaClient} against a real authoritative server: BIND's {@code named}
 * (Debian package {@code bind9}), started from a temporary directory on a free port of 127.0.0.1 with its query
 * log on. It shows that {@code pass}, {@code fail}, {@code include:} and {@code redirect=} records read over UDP
 * give the right verdicts; that a TXT record too large for the EDNS payload dnsjava advertises is fetched again
 * over TCP (the query log shows the same question over UDP, then over TCP) and still gives the right verdict; that
 * BIND's own SERVFAIL (for a zone that failed to load) is {@code temperror}; and that an unanswered query is
 * {@code temperror}. No query leaves the machine: the server does not recurse and every name is in its zones.
 *
 * <p>Without {@code named} the test is skipped, except under {@code CI=true}, where it fails ({@code .ci/run}
 * installs {@code bind9}).
 */
class DnsServerIntegrationTest {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
    private static final String MISSING =
            "BIND's named not found on PATH or in /usr/sbin (Debian: apt-get install bind9)";

    /** The IP4 address that the large record authorises, written after about 3,000 bytes of other terms. */
    private static final String BIG_PASS_IP = "192.0.2.40";

    @TempDir
    static Path dir;

    private static Process named;
    private static Path log;
    private static int port;
    private static String bigRecord;
    private static SpfChecker spf;

    @BeforeAll
    static void startNamed() throws Exception {
        Path binary = findNamed();
        if (binary == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(MISSING + "; required when CI=true (.ci/run installs it)");
            }
            return; // each test is skipped by requireNamed()
        }
        bigRecord = bigRecord();
        Files.writeString(dir.resolve("example.test.zone"), exampleZone(), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("broken.test.zone"), "this is not a zone file\n", StandardCharsets.US_ASCII);
        port = freePort();
        Path conf = dir.resolve("named.conf");
        Files.writeString(conf, config(dir, port), StandardCharsets.US_ASCII);
        log = dir.resolve("named.log");
        // -g: foreground, all logging (the query log too) on stderr; -4: IPv4 only; -n 1: one worker thread
        named = new ProcessBuilder(binary.toString(), "-g", "-4", "-n", "1", "-c", conf.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(named::destroyForcibly)); // should the JVM end first
        awaitZoneLoaded();
        spf = SpfChecker.builder(client(port, Duration.ofSeconds(3))).build();
    }

    @BeforeEach
    void requireNamed() {
        assumeTrue(named != null, MISSING);
    }

    @AfterAll
    static void stopNamed() throws InterruptedException {
        if (named == null) {
            return;
        }
        named.destroy();
        if (!named.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            named.destroyForcibly().waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertFalse(named.isAlive(), "named (pid " + named.pid() + ") did not stop");
    }

    @Test
    void passAndFailOverUdp() throws IOException {
        SpfResult pass = spf.check("192.0.2.10", "alice@pass.example.test", "mail.example.test");
        assertEquals(SpfVerdict.PASS, pass.verdict(), pass::toString);
        assertEquals("ip4:192.0.2.10", pass.mechanism());

        SpfResult denied = spf.check("198.51.100.7", "alice@pass.example.test", "mail.example.test");
        assertEquals(SpfVerdict.FAIL, denied.verdict(), denied::toString);
        assertEquals("-all", denied.mechanism());
        List<String> transports = transports("pass.example.test");
        assertTrue(!transports.isEmpty() && !transports.contains("tcp"), "small answers stay on UDP: " + transports);
    }

    @Test
    void include() {
        SpfResult pass = spf.check("192.0.2.20", "bob@include.example.test", "mail.example.test");
        assertEquals(SpfVerdict.PASS, pass.verdict(), pass::toString);
        assertEquals("include:_spf.example.test", pass.mechanism());

        SpfResult denied = spf.check("203.0.113.9", "bob@include.example.test", "mail.example.test");
        assertEquals(SpfVerdict.FAIL, denied.verdict(), denied::toString);
        assertEquals("-all", denied.mechanism());
    }

    @Test
    void redirect() {
        SpfResult pass = spf.check("192.0.2.30", "carol@redirect.example.test", "mail.example.test");
        assertEquals(SpfVerdict.PASS, pass.verdict(), pass::toString);
        assertEquals("ip4:192.0.2.0/24", pass.mechanism());
        assertTrue(pass.trace().stream().anyMatch(t -> t.contains("redirect=_spf.example.test")), pass::toString);

        SpfResult denied = spf.check("203.0.113.9", "carol@redirect.example.test", "mail.example.test");
        assertEquals(SpfVerdict.FAIL, denied.verdict(), denied::toString);
        assertEquals("-all", denied.mechanism());
    }

    @Test
    void truncatedUdpAnswerIsFetchedOverTcp() throws IOException {
        assertTrue(bigRecord.length() > SimpleResolver.DEFAULT_EDNS_PAYLOADSIZE,
                "the record (" + bigRecord.length() + " bytes) must not fit the "
                        + SimpleResolver.DEFAULT_EDNS_PAYLOADSIZE + "-byte EDNS payload dnsjava advertises");

        SpfResult r = spf.check(BIG_PASS_IP, "dave@big.example.test", "mail.example.test");
        assertEquals(SpfVerdict.PASS, r.verdict(), r::toString);
        assertEquals("ip4:" + BIG_PASS_IP, r.mechanism(), "the last term of the record decided");
        assertEquals(List.of("udp", "tcp"), transports("big.example.test"),
                "named's query log: the UDP answer was truncated and the question asked again over TCP");

        SpfResult denied = spf.check("203.0.113.9", "dave@big.example.test", "mail.example.test");
        assertEquals(SpfVerdict.FAIL, denied.verdict(), denied::toString);
    }

    @Test
    void serverFailureIsTemperror() throws IOException {
        Message reply = ask("broken.test.", Type.TXT);
        assertEquals(Rcode.SERVFAIL, reply.getRcode(), "named answers SERVFAIL for a zone it could not load");
        assertTrue(Files.readString(log).contains("zone broken.test/IN: not loaded due to errors"), "named's log");

        SpfResult r = spf.check("192.0.2.10", "erin@broken.test", "mail.example.test");
        assertEquals(SpfVerdict.TEMPERROR, r.verdict(), r::toString);
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("DNS SERVFAIL for TXT broken.test")),
                r::toString);
    }

    @Test
    void unansweredQueryIsTemperror() throws IOException {
        // a socket that receives queries and never answers them
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SpfChecker checker = SpfChecker.builder(client(silent.getLocalPort(), Duration.ofMillis(500))).build();
            SpfResult r = checker.check("192.0.2.10", "frank@pass.example.test", "mail.example.test");

            assertEquals(SpfVerdict.TEMPERROR, r.verdict(), r::toString);
            assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("DNS TIMEOUT for TXT pass.example.test")),
                    r::toString);

            silent.setSoTimeout(1000);
            DatagramPacket query = new DatagramPacket(new byte[512], 512);
            silent.receive(query);
            Message m = new Message(Arrays.copyOf(query.getData(), query.getLength()));
            assertEquals(Name.fromString("pass.example.test."), m.getQuestion().getName(), "the query arrived");
        }
    }

    // ---- the server

    private static DnsClient client(int port, Duration timeout) {
        return DnsJavaClient.builder().servers(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .timeout(timeout).build();
    }

    private static Path findNamed() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin:/sbin";
        for (String d : path.split(":")) {
            Path p = d.isEmpty() ? null : Path.of(d, "named");
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (the kernel's choice, so a high one). */
    private static int freePort() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, lo)) {
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lo, tcp.getLocalPort()))) {
                    return udp.getLocalPort();
                } catch (IOException busy) {
                    // taken for UDP: try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + lo);
    }

    private static String config(Path dir, int port) {
        return String.join("\n",
                "options {",
                "    directory \"" + dir + "\";",
                "    pid-file \"" + dir.resolve("named.pid") + "\";",
                "    session-keyfile \"" + dir.resolve("session.key") + "\";",
                "    managed-keys-directory \"" + dir + "\";",
                "    listen-on port " + port + " { 127.0.0.1; };",
                "    listen-on-v6 { none; };",
                "    recursion no;",
                "    dnssec-validation no;",
                "    querylog yes;",
                "};",
                "controls { };",
                "zone \"example.test\" { type primary; file \"example.test.zone\"; };",
                "zone \"broken.test\" { type primary; file \"broken.test.zone\"; };",
                "");
    }

    private static String exampleZone() {
        return String.join("\n",
                "$TTL 300",
                "@        SOA ns hostmaster 1 3600 600 86400 300",
                "@        NS  ns",
                "ns       A   127.0.0.1",
                "pass     TXT \"v=spf1 ip4:192.0.2.10 -all\"",
                "_spf     TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
                "include  TXT \"v=spf1 include:_spf.example.test -all\"",
                "redirect TXT \"v=spf1 redirect=_spf.example.test\"",
                "big      TXT " + characterStrings(bigRecord),
                "");
    }

    /** About 3,300 bytes of {@code ip4} terms, the authorised address last. */
    private static String bigRecord() {
        StringBuilder sb = new StringBuilder("v=spf1");
        for (int i = 0; i < 240; i++) {
            sb.append(" ip4:10.0.").append(i).append(".1");
        }
        return sb.append(" ip4:").append(BIG_PASS_IP).append(" -all").toString();
    }

    /** The text as quoted character-strings of 250 bytes, cut anywhere: a client joins them without separator. */
    private static String characterStrings(String text) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < text.length(); i += 250) {
            sb.append("\n    \"").append(text, i, Math.min(text.length(), i + 250)).append('"');
        }
        return sb.append(" )").toString();
    }

    /** Waits, at most {@link #STARTUP_LIMIT}, until named answers for example.test. */
    private static void awaitZoneLoaded() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String last = "no query yet";
        while (System.nanoTime() < deadline) {
            if (!named.isAlive()) {
                fail("named exited with " + named.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                Message m = ask("example.test.", Type.SOA);
                if (m.getRcode() == Rcode.NOERROR && !m.getSection(Section.ANSWER).isEmpty()) {
                    return;
                }
                last = Rcode.string(m.getRcode());
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(50); // bounded by the deadline
        }
        fail("named did not answer within " + STARTUP_LIMIT + " (last: " + last + "):\n" + Files.readString(log));
    }

    /** One query straight to named over UDP, outside the client under test. */
    private static Message ask(String name, int type) throws IOException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTimeout(Duration.ofMillis(500));
        return r.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    /**
     * The transport of each TXT query for {@code name} in named's query log, in order. A log line reads
     * {@code query: NAME IN TXT +E(0)T (127.0.0.1)}; the flag {@code T} marks TCP.
     */
    private static List<String> transports(String name) throws IOException {
        Pattern p = Pattern.compile("query: " + Pattern.quote(name) + " IN TXT (\\S+) ");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                out.add(m.group(1).contains("T") ? "tcp" : "udp");
            }
        }
        return out;
    }
}
