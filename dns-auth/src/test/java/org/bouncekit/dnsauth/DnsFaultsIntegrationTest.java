package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsJavaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * DNS faults from real servers on 127.0.0.1 give temporary errors, never a pass or a fail: {@code temperror} for SPF,
 * {@code temperror} for a DKIM signature whose key cannot be fetched, {@code temperror} for DMARC when the policy
 * cannot be fetched (even with aligned SPF and DKIM passes in hand), and {@code error} (incomplete, not listed) for a
 * DNSBL zone. The faults: a server that never answers (a UDP socket that reads and drops), SERVFAIL (BIND's
 * {@code named} for a zone that failed to load), REFUSED ({@code named} for a zone with
 * {@code allow-query { none; }}, whose records would otherwise give answers), and an answer truncated over UDP by a
 * server that refuses TCP. Answers too large for UDP from {@code named} are fetched again over TCP and give the
 * right verdicts for all four (its query log shows each question over UDP, then TCP). And hundreds of checks
 * against the faulty servers leak nothing: afterwards the JVM's live threads are those it had before (after a
 * warm-up that starts dnsjava's and the JDK's shared threads) and the process's open file descriptors are no more.
 *
 * <p>Each query may take 300 ms; the checkers' own limits are longer, so the temporary errors seen are the DNS
 * client's answers. {@link NamedServer} runs {@code named}: without it the test is skipped, except under
 * {@code CI=true}, where it fails.
 */
class DnsFaultsIntegrationTest {

    private static final Duration QUERY_TIMEOUT = Duration.ofMillis(300);
    private static final Duration CHECK_LIMIT = Duration.ofSeconds(10);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private static final String SELECTOR = "sel";
    private static final String MESSAGE = "From: Alice <alice@%s>\r\nTo: bob@example.net\r\nSubject: report\r\n"
            + "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <q4.1@%1$s>\r\n\r\nHello Bob.\r\n";

    /** A fault, the domain whose names meet it, and the outcome the DNS client gives for it. */
    enum Fault {
        /** Queries to a socket that reads and drops them. */
        TIMEOUT("example.test", DnsAnswer.Outcome.TIMEOUT),
        /** named's SERVFAIL for a zone that did not load. */
        SERVFAIL("broken.test", DnsAnswer.Outcome.SERVFAIL),
        /** named's REFUSED for a zone that allows no query. */
        REFUSED("refused.test", DnsAnswer.Outcome.SERVFAIL),
        /** A truncated UDP answer from a server that refuses TCP. */
        TRUNCATED_NO_TCP("example.test", DnsAnswer.Outcome.SERVFAIL);

        final String domain;
        final DnsAnswer.Outcome outcome;

        Fault(String domain, DnsAnswer.Outcome outcome) {
            this.domain = domain;
            this.outcome = outcome;
        }
    }

    /** The four checkers over one DNS client; the DNSBL zone is {@code bl.<domain>}. */
    record Checkers(SpfChecker spf, DkimVerifier dkim, DmarcEvaluator dmarc, DnsblChecker dnsbl) {
        static Checkers over(DnsClient dns, String domain) {
            return new Checkers(SpfChecker.builder(dns).clock(CLOCK).timeout(CHECK_LIMIT).build(),
                    DkimVerifier.builder(dns).clock(CLOCK).timeout(CHECK_LIMIT).build(),
                    DmarcEvaluator.builder(dns).timeout(CHECK_LIMIT).build(),
                    DnsblChecker.builder(dns).zone("bl." + domain).timeout(CHECK_LIMIT).build());
        }
    }

    /** What the four checkers said about one fault. */
    record Verdicts(SpfResult spf, DkimResult dkim, DmarcResult dmarc, DnsblZoneResult dnsbl) {
    }

    @TempDir
    static Path dir;

    private static NamedServer named;
    private static DatagramSocket silent;
    private static DatagramSocket truncating;
    private static final AtomicInteger SILENT_QUERIES = new AtomicInteger();
    private static final AtomicInteger TRUNCATED_ANSWERS = new AtomicInteger();
    private static KeyPair key;
    private static ExecutorService blocking;
    private static Checkers working;
    private static final Map<Fault, Checkers> FAULTY = new EnumMap<>(Fault.class);

    @BeforeAll
    static void servers() throws Exception {
        Path binary = NamedServer.binary();
        if (binary == null) {
            return; // each test is skipped by requireNamed()
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        key = g.generateKeyPair();
        named = NamedServer.start(binary, dir, List.of(
                new NamedServer.Zone("example.test", exampleZone(), ""),
                // the parent, so that DMARC's tree walk finds no _dmarc.test instead of being refused
                new NamedServer.Zone("test", "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\n"
                        + "ns A 127.0.0.1\n", ""),
                new NamedServer.Zone("broken.test", "this is not a zone file\n", ""),
                new NamedServer.Zone("refused.test", refusedZone(), "allow-query { none; };")));
        InetAddress lo = InetAddress.getLoopbackAddress();
        silent = new DatagramSocket(new InetSocketAddress(lo, 0));
        truncating = new DatagramSocket(new InetSocketAddress(lo, 0));
        serve(silent, "silent DNS server", q -> {
            SILENT_QUERIES.incrementAndGet();
            return null; // read and dropped
        });
        serve(truncating, "truncating DNS server", q -> {
            Message r = new Message(q.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.getHeader().setFlag(Flags.AA);
            r.getHeader().setFlag(Flags.TC); // does not fit: ask again over TCP (where nothing listens)
            r.addRecord(q.getQuestion(), Section.QUESTION);
            TRUNCATED_ANSWERS.incrementAndGet();
            return r;
        });
        blocking = Executors.newFixedThreadPool(8); // DMARC's evaluate blocks: it runs here, many at once
        ((ThreadPoolExecutor) blocking).prestartAllCoreThreads();
        DnsClient toNamed = client(named.port());
        working = Checkers.over(toNamed, "example.test");
        FAULTY.put(Fault.TIMEOUT, Checkers.over(client(silent.getLocalPort()), Fault.TIMEOUT.domain));
        FAULTY.put(Fault.SERVFAIL, Checkers.over(toNamed, Fault.SERVFAIL.domain));
        FAULTY.put(Fault.REFUSED, Checkers.over(toNamed, Fault.REFUSED.domain));
        FAULTY.put(Fault.TRUNCATED_NO_TCP, Checkers.over(client(truncating.getLocalPort()),
                Fault.TRUNCATED_NO_TCP.domain));
    }

    @BeforeEach
    void requireNamed() {
        assumeTrue(named != null, NamedServer.MISSING);
    }

    @AfterAll
    static void stop() throws Exception {
        if (named == null) {
            return;
        }
        blocking.shutdownNow();
        silent.close();
        truncating.close();
        named.stop();
    }

    @Test
    void theServersMisbehaveAsIntended() throws IOException {
        assertEquals(Rcode.SERVFAIL, named.ask("broken.test.", Type.TXT).getRcode());
        assertTrue(named.log().contains("zone broken.test/IN: not loaded due to errors"), "named's log");
        assertEquals(Rcode.REFUSED, named.ask("refused.test.", Type.TXT).getRcode());
        assertTrue(named.log().contains("zone refused.test/IN: loaded serial 1"), "the refused zone loaded");
        assertTrue(named.log().contains("zone test/IN: loaded serial 1"), "the parent zone loaded");

        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                truncating.getLocalPort()));
        r.setIgnoreTruncation(true);
        r.setTimeout(Duration.ofMillis(500));
        Message reply = r.send(Message.newQuery(org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromString("example.test."), Type.TXT, org.xbill.DNS.DClass.IN)));
        assertTrue(reply.getHeader().getFlag(Flags.TC), "truncated");
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(),
                truncating.getLocalPort()).close(), "nothing listens on TCP there");
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void eachFaultIsATemporaryErrorForEveryChecker(Fault fault) throws Exception {
        int silentBefore = SILENT_QUERIES.get();
        int truncatedBefore = TRUNCATED_ANSWERS.get();
        Verdicts v = checkAll(FAULTY.get(fault), fault.domain).get(30, TimeUnit.SECONDS);
        assertTemporary(fault, v);

        String outcome = "DNS " + fault.outcome + " for ";
        assertTrue(v.spf().problems().stream().anyMatch(p -> p.startsWith(outcome + "TXT " + fault.domain)),
                v.spf()::toString);
        assertEquals("key lookup failed: " + outcome + SELECTOR + "._domainkey." + fault.domain,
                v.dkim().signatures().get(0).reason());
        assertTrue(v.dnsbl().detail().startsWith(fault.outcome.name()), v.dnsbl()::toString);
        switch (fault) {
            case TIMEOUT -> assertTrue(SILENT_QUERIES.get() >= silentBefore + 4, "the queries arrived");
            case TRUNCATED_NO_TCP -> assertTrue(TRUNCATED_ANSWERS.get() >= truncatedBefore + 4,
                    "the queries were answered, truncated");
            case REFUSED -> assertTrue(named.log().contains("'refused.test/TXT/IN' denied"),
                    "named's log: it refused the query");
            default -> {
                // SERVFAIL: named's own answer, checked above
            }
        }
    }

    @Test
    void answersTooLargeForUdpAreFetchedAgainOverTcp() throws Exception {
        SpfResult spf = working.spf().check(BIG_SPF_IP, "dave@big.example.test", "mail.example.test");
        assertEquals(SpfVerdict.PASS, spf.verdict(), spf::toString);
        assertEquals("ip4:" + BIG_SPF_IP, spf.mechanism(), "the last term of the record decided");

        byte[] message = signed("example.test", "bigkey");
        DkimResult dkim = working.dkim().verify(message);
        assertEquals(DkimVerdict.PASS, dkim.verdict(), dkim::toString);

        DmarcResult dmarc = working.dmarc().evaluate(message, spf, dkim);
        assertEquals(DmarcVerdict.PASS, dmarc.verdict(), dmarc::toString);
        DmarcResult big = working.dmarc().evaluate("bigdmarc.example.test", null, null);
        assertEquals(DmarcVerdict.FAIL, big.verdict(), big::toString);
        assertEquals("reject", big.requestedPolicy(), "the policy was read, among the other TXT records");

        DnsblZoneResult listed = working.dnsbl().check("127.0.0.3").zones().get(0);
        assertEquals(DnsblStatus.LISTED, listed.status(), listed::toString);
        assertEquals(BIG_DNSBL_CODES, listed.codes().size());

        for (String[] q : new String[][] {{"big.example.test", "TXT"}, {"bigkey._domainkey.example.test", "TXT"},
                {"_dmarc.bigdmarc.example.test", "TXT"}, {"3.0.0.127.bl.example.test", "A"}}) {
            assertEquals(List.of("udp", "tcp"), named.transports(q[0], q[1]),
                    "named's query log for " + q[1] + " " + q[0] + ": truncated over UDP, asked again over TCP");
        }
        assertEquals(List.of("udp"), named.transports("_dmarc.example.test", "TXT"), "small answers stay on UDP");
    }

    @Test
    void manyChecksAgainstFaultyServersLeakNoThreadNorSocket() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "/proc/self/fd (Linux) lists the open file descriptors");
        // a warm-up starts the threads that start once: dnsjava's selector, the JDK's delayed-completion timer,
        // the common pool's workers
        int checks = round(1);
        Thread.sleep(300); // for the last sockets to close: a check ends when dnsjava answers, timed out or not
        Set<Thread> threadsBefore = liveThreads();
        long filesBefore = openFiles(fds);

        long peakFiles = filesBefore;
        int peakThreads = threadsBefore.size();
        for (int r = 0; r < 3; r++) {
            CompletableFuture<List<Verdicts>> all = launch(8);
            peakFiles = Math.max(peakFiles, openFiles(fds));
            peakThreads = Math.max(peakThreads, liveThreads().size());
            checks += check(all.get(60, TimeUnit.SECONDS));
        }
        // (should a check end before its query, dnsjava would close the socket when its own timeout passes)
        awaitAtMost10s(() -> openFiles(fds) <= filesBefore && newThreads(threadsBefore).isEmpty());
        long filesAfter = openFiles(fds);
        List<String> extra = newThreads(threadsBefore);
        System.out.printf("DNS faults: %d checks (4 faults x SPF, DKIM, DMARC, DNSBL); live threads %d before, "
                        + "%d after (peak %d); open files %d before, %d after (peak %d)%n", checks * 4,
                threadsBefore.size(), liveThreads().size(), peakThreads, filesBefore, filesAfter, peakFiles);
        assertEquals(List.of(), extra, "threads started by the checks and still alive");
        assertTrue(filesAfter <= filesBefore, "open files: " + filesBefore + " before, " + filesAfter + " after");
        assertTrue(peakFiles > filesBefore, "the checks did open sockets (" + peakFiles + " at the peak): the "
                + "count can see a leak");
    }

    // ---- the checks

    /** {@code n} checks of each fault by each checker, all at once; asserts that each is a temporary error. */
    private static int round(int n) throws Exception {
        return check(launch(n).get(60, TimeUnit.SECONDS));
    }

    private static int check(List<Verdicts> all) {
        for (int i = 0; i < all.size(); i++) {
            assertTemporary(Fault.values()[i % Fault.values().length], all.get(i));
        }
        return all.size();
    }

    /** Starts {@code n} checks of each fault by the four checkers; the results in fault order, n times over. */
    private static CompletableFuture<List<Verdicts>> launch(int n) {
        List<CompletableFuture<Verdicts>> each = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (Fault f : Fault.values()) {
                each.add(checkAll(FAULTY.get(f), f.domain));
            }
        }
        return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    /**
     * The four checkers on one domain at once: SPF for a sender there, DKIM of a message it signed, DMARC for it as
     * the author domain with aligned SPF and DKIM passes in hand, DNSBL in {@code bl.<domain>}.
     */
    private static CompletableFuture<Verdicts> checkAll(Checkers c, String domain) {
        CompletableFuture<SpfResult> spf = c.spf().checkAsync(InetAddress.getLoopbackAddress(), "alice@" + domain,
                "mail." + domain).toCompletableFuture();
        CompletableFuture<DkimResult> dkim = c.dkim().verifyAsync(signed(domain, SELECTOR)).toCompletableFuture();
        CompletableFuture<DmarcResult> dmarc = CompletableFuture.supplyAsync(() -> c.dmarc().evaluate(domain,
                DmarcEvaluatorTest.spf(SpfVerdict.PASS, domain), DmarcEvaluatorTest.dkim(DkimVerdict.PASS, domain)),
                blocking);
        CompletableFuture<DnsblZoneResult> dnsbl = c.dnsbl().checkAsync(InetAddress.getLoopbackAddress())
                .toCompletableFuture().thenApply(r -> r.zones().get(0));
        return CompletableFuture.allOf(spf, dkim, dmarc, dnsbl)
                .thenApply(v -> new Verdicts(spf.join(), dkim.join(), dmarc.join(), dnsbl.join()));
    }

    private static void assertTemporary(Fault fault, Verdicts v) {
        assertEquals(SpfVerdict.TEMPERROR, v.spf().verdict(), () -> fault + ": " + v.spf());
        assertEquals(DkimVerdict.TEMPERROR, v.dkim().verdict(), () -> fault + ": " + v.dkim());
        assertEquals(DmarcVerdict.TEMPERROR, v.dmarc().verdict(), () -> fault + ": " + v.dmarc());
        assertEquals(DnsblStatus.ERROR, v.dnsbl().status(), () -> fault + ": " + v.dnsbl());
        assertFalse(v.dnsbl().listed(), () -> fault + ": " + v.dnsbl());
    }

    /** The test message, signed for the domain with the selector. */
    private static byte[] signed(String domain, String selector) {
        return DkimSigner.builder(domain, selector, key.getPrivate()).clock(CLOCK).build()
                .sign(String.format(MESSAGE, domain).getBytes(StandardCharsets.US_ASCII));
    }

    // ---- leaks

    private static long openFiles(Path fds) throws IOException {
        try (Stream<Path> s = Files.list(fds)) {
            return s.count();
        }
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /**
     * The threads alive now and not before, but for the common pool's workers up to its parallelism (idle ones end
     * after a minute and others start later).
     */
    private static List<String> newThreads(Set<Thread> before) {
        List<String> extra = new ArrayList<>();
        int pool = 0;
        for (Thread t : liveThreads()) {
            if (t.getName().startsWith("ForkJoinPool.commonPool-worker-")) {
                if (++pool > ForkJoinPool.getCommonPoolParallelism()) {
                    extra.add(t.getName());
                }
            } else if (!before.contains(t)) {
                extra.add(t.getName());
            }
        }
        return extra;
    }

    /** A condition that may fail to read what it tests. */
    private interface Condition {
        boolean holds() throws IOException;
    }

    /** Waits up to 10 s for the condition; the assertions that follow say what is wrong if it never holds. */
    private static void awaitAtMost10s(Condition condition) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return;
            }
            Thread.sleep(100);
        }
    }

    // ---- the servers

    /** The address that the large SPF record authorises, after about 3,000 bytes of other terms. */
    private static final String BIG_SPF_IP = "192.0.2.40";
    /** The A records of a DNSBL listing too large for UDP. */
    private static final int BIG_DNSBL_CODES = 100;

    private static DnsClient client(int port) {
        return DnsJavaClient.builder().servers(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .timeout(QUERY_TIMEOUT).build();
    }

    /** A server on the socket: answers each query with what the function gives, or nothing for null. */
    private static void serve(DatagramSocket socket, String name,
                              java.util.function.Function<Message, Message> answer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    Message reply = answer.apply(new Message(Arrays.copyOf(p.getData(), p.getLength())));
                    if (reply != null) {
                        byte[] out = reply.toWire();
                        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                    }
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    // a malformed query: ignored
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static String exampleZone() {
        StringBuilder spf = new StringBuilder("v=spf1");
        for (int i = 0; i < 240; i++) {
            spf.append(" ip4:10.0.").append(i).append(".1");
        }
        spf.append(" ip4:").append(BIG_SPF_IP).append(" -all");
        String bigKey = DkimSigner.publicKeyRecord(key.getPublic()) + "; n=" + "padding".repeat(200);
        List<String> lines = new ArrayList<>(List.of(
                "$TTL 300",
                "@        SOA ns hostmaster 1 3600 600 86400 300",
                "@        NS  ns",
                "ns       A   127.0.0.1",
                "big      TXT " + NamedServer.characterStrings(spf.toString()),
                // a key record padded with a note (n=) past the UDP payload
                "bigkey._domainkey TXT " + NamedServer.characterStrings(bigKey),
                "_dmarc   TXT \"v=DMARC1; p=reject\"",
                // the policy among other TXT records, together past the UDP payload
                "_dmarc.bigdmarc TXT \"v=DMARC1; p=reject\"",
                "bigdmarc A 192.0.2.50"));
        for (int i = 0; i < 6; i++) {
            lines.add("_dmarc.bigdmarc TXT \"not-dmarc-" + i + " " + "x".repeat(240) + "\"");
        }
        for (int i = 1; i <= BIG_DNSBL_CODES; i++) { // a listing with more codes than UDP carries
            lines.add("3.0.0.127.bl A 127.0.1." + i);
        }
        lines.add("");
        return String.join("\n", lines);
    }

    /** Records that would give answers (a pass, a key, a policy, a listing) if the zone were not refused. */
    private static String refusedZone() {
        return String.join("\n",
                "$TTL 300",
                "@        SOA ns hostmaster 1 3600 600 86400 300",
                "@        NS  ns",
                "ns       A   127.0.0.1",
                "@        TXT \"v=spf1 +all\"",
                SELECTOR + "._domainkey TXT " + NamedServer.characterStrings(
                        DkimSigner.publicKeyRecord(key.getPublic())),
                "_dmarc   TXT \"v=DMARC1; p=none\"",
                "1.0.0.127.bl A 127.0.0.2",
                "");
    }
}
