package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsJavaClient;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@link DnsJavaClient} against a tiny DNS responder on 127.0.0.1 run by the test: outcomes, TXT strings joined,
 * and the cache, whose entries expire by the records' TTL read from the injected clock.
 */
class DnsJavaClientTest {

    private DatagramSocket socket;
    private Thread responder;
    private final AtomicInteger queries = new AtomicInteger();

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-26T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void start() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        responder = new Thread(this::serve, "test-dns-responder");
        responder.setDaemon(true);
        responder.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        socket.close();
        responder.join(5_000);
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                String name = question.getName().toString();
                if (name.startsWith("silent.")) {
                    continue; // never answers
                }
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.AA);
                r.addRecord(question, Section.QUESTION);
                if (name.equals("spf.example.org.") && question.getType() == Type.TXT) {
                    r.addRecord(new TXTRecord(question.getName(), DClass.IN, 120,
                            List.of("v=spf1 ip4:192.0.2.0/24 ", "-all")), Section.ANSWER);
                } else if (name.startsWith("nx.")) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                } else if (name.startsWith("fail.")) {
                    r.getHeader().setRcode(Rcode.SERVFAIL);
                }
                byte[] out = r.toWire();
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private DnsJavaClient client(Clock clock) {
        return DnsJavaClient.builder()
                .servers(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()))
                .timeout(Duration.ofMillis(300))
                .clock(clock)
                .build();
    }

    private static DnsAnswer ask(DnsJavaClient c, String name, DnsType type) {
        return c.query(name, type).toCompletableFuture().join();
    }

    @Test
    void outcomesAndJoinedTxtStrings() {
        DnsJavaClient c = client(new MovableClock());
        DnsAnswer spf = ask(c, "SPF.example.org", DnsType.TXT);
        assertEquals(List.of(new DnsRecord.Txt("v=spf1 ip4:192.0.2.0/24 -all")), spf.records());
        assertEquals(120, spf.ttlSeconds());
        assertEquals(DnsAnswer.Outcome.NODATA, ask(c, "spf.example.org", DnsType.MX).outcome());
        assertEquals(DnsAnswer.Outcome.NXDOMAIN, ask(c, "nx.example.org", DnsType.A).outcome());
        assertEquals(DnsAnswer.Outcome.SERVFAIL, ask(c, "fail.example.org", DnsType.A).outcome());
        assertEquals(DnsAnswer.Outcome.TIMEOUT, ask(c, "silent.example.org", DnsType.A).outcome());
        assertEquals(DnsAnswer.Outcome.SERVFAIL, ask(c, "a..b.example", DnsType.A).outcome()); // never sent

        SpfResult r = SpfChecker.builder(c).build().check("192.0.2.9", "a@spf.example.org", null);
        assertEquals(SpfVerdict.PASS, r.verdict());
        assertEquals(SpfVerdict.TEMPERROR,
                SpfChecker.builder(c).build().check("192.0.2.9", "a@silent.example.org", null).verdict());
    }

    @Test
    void cachedAnswersExpireByTheirTtlOnTheInjectedClock() {
        MovableClock clock = new MovableClock();
        DnsJavaClient c = client(clock);
        ask(c, "spf.example.org", DnsType.TXT);
        int asked = queries.get();
        ask(c, "spf.example.org.", DnsType.TXT);
        clock.now = clock.now.plusSeconds(119);
        ask(c, "spf.example.org", DnsType.TXT);
        assertEquals(asked, queries.get()); // within the TTL: from the cache
        clock.now = clock.now.plusSeconds(2);
        ask(c, "spf.example.org", DnsType.TXT);
        assertEquals(asked + 1, queries.get()); // past it: asked again

        int before = queries.get();
        ask(c, "fail.example.org", DnsType.A);
        ask(c, "fail.example.org", DnsType.A);
        assertEquals(before + 2, queries.get()); // failures are not cached
    }
}
