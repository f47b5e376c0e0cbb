package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsJavaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
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
 * installs {@code bind9}); {@link NamedServer} runs it. {@link DnsFaultsIntegrationTest} covers the faults for DKIM,
 * DMARC and DNSBL too, and that the faults leak no threads or sockets.
 */
class DnsServerIntegrationTest {

    /** The IP4 address that the large record authorises, written after about 3,000 bytes of other terms. */
    private static final String BIG_PASS_IP = "192.0.2.40";

    @TempDir
    static Path dir;

    private static NamedServer named;
    private static String bigRecord;
    private static SpfChecker spf;

    @BeforeAll
    static void startNamed() throws Exception {
        Path binary = NamedServer.binary();
        if (binary == null) {
            return; // each test is skipped by requireNamed()
        }
        bigRecord = bigRecord();
        named = NamedServer.start(binary, dir, List.of(
                new NamedServer.Zone("example.test", exampleZone(), ""),
                new NamedServer.Zone("broken.test", "this is not a zone file\n", "")));
        spf = SpfChecker.builder(client(named.port(), Duration.ofSeconds(3))).build();
    }

    @BeforeEach
    void requireNamed() {
        assumeTrue(named != null, NamedServer.MISSING);
    }

    @AfterAll
    static void stopNamed() throws InterruptedException {
        if (named != null) {
            named.stop();
        }
    }

    @Test
    void passAndFailOverUdp() throws IOException {
        SpfResult pass = spf.check("192.0.2.10", "alice@pass.example.test", "mail.example.test");
        assertEquals(SpfVerdict.PASS, pass.verdict(), pass::toString);
        assertEquals("ip4:192.0.2.10", pass.mechanism());

        SpfResult denied = spf.check("198.51.100.7", "alice@pass.example.test", "mail.example.test");
        assertEquals(SpfVerdict.FAIL, denied.verdict(), denied::toString);
        assertEquals("-all", denied.mechanism());
        List<String> transports = named.transports("pass.example.test", "TXT");
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
        assertEquals(List.of("udp", "tcp"), named.transports("big.example.test", "TXT"),
                "named's query log: the UDP answer was truncated and the question asked again over TCP");

        SpfResult denied = spf.check("203.0.113.9", "dave@big.example.test", "mail.example.test");
        assertEquals(SpfVerdict.FAIL, denied.verdict(), denied::toString);
    }

    @Test
    void serverFailureIsTemperror() throws IOException {
        Message reply = named.ask("broken.test.", Type.TXT);
        assertEquals(Rcode.SERVFAIL, reply.getRcode(), "named answers SERVFAIL for a zone it could not load");
        assertTrue(named.log().contains("zone broken.test/IN: not loaded due to errors"), "named's log");

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
                "big      TXT " + NamedServer.characterStrings(bigRecord),
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
}
