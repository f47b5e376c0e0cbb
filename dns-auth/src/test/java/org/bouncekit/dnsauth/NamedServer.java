package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * BIND's {@code named} (Debian package {@code bind9}) for the integration tests: started in the foreground from a
 * temporary directory, on a free port of 127.0.0.1, authoritative for the zones given and for nothing else (no
 * recursion), with its query log on; stopped by {@link #stop()}. {@link #binary()} finds it, failing the test when
 * it is missing under {@code CI=true} ({@code .ci/run} installs {@code bind9}); elsewhere the tests are skipped.
 */
final class NamedServer {

    static final String MISSING = "BIND's named not found on PATH or in /usr/sbin (Debian: apt-get install bind9)";

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

    /**
     * A zone named is authoritative for.
     *
     * @param name    its origin, such as {@code example.test}
     * @param text    its zone file; one that does not load makes named answer SERVFAIL for the zone
     * @param options more statements for the zone's block, such as {@code allow-query { none; };}, or ""
     */
    record Zone(String name, String text, String options) {
    }

    private final Process process;
    private final Path log;
    private final int port;

    private NamedServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * @return named, or null when it is not installed (and {@code CI} is not {@code true})
     */
    static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin:/sbin";
        for (String d : path.split(":")) {
            Path p = d.isEmpty() ? null : Path.of(d, "named");
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(MISSING + "; required when CI=true (.ci/run installs it)");
        }
        return null;
    }

    /**
     * Starts named and waits, at most 30 s, until it answers for the first zone.
     *
     * @param binary named
     * @param dir    an empty directory for its files
     * @param zones  its zones; the first must load
     * @return the running server
     * @throws IOException          when it cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    static NamedServer start(Path binary, Path dir, List<Zone> zones) throws IOException, InterruptedException {
        StringBuilder zoneConfig = new StringBuilder();
        for (Zone z : zones) {
            Files.writeString(dir.resolve(z.name() + ".zone"), z.text(), StandardCharsets.US_ASCII);
            zoneConfig.append("zone \"").append(z.name()).append("\" { type primary; file \"").append(z.name())
                    .append(".zone\"; ").append(z.options()).append(" };\n");
        }
        int port = freePort();
        Path conf = dir.resolve("named.conf");
        Files.writeString(conf, String.join("\n",
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
                zoneConfig.toString()), StandardCharsets.US_ASCII);
        Path log = dir.resolve("named.log");
        // -g: foreground, all logging (the query log too) on stderr; -4: IPv4 only; -n 1: one worker thread
        Process p = new ProcessBuilder(binary.toString(), "-g", "-4", "-n", "1", "-c", conf.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly)); // should the JVM end first
        NamedServer server = new NamedServer(p, log, port);
        server.awaitLoaded(zones.get(0).name());
        return server;
    }

    /** @return the port it listens on, UDP and TCP, on 127.0.0.1 */
    int port() {
        return port;
    }

    /** @return what it logged: its start, zone loading, each query */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Stops it (SIGTERM, then SIGKILL after 10 s) and checks that it stopped. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertFalse(process.isAlive(), "named (pid " + process.pid() + ") did not stop");
    }

    /**
     * One query straight to named over UDP, outside the clients under test.
     *
     * @param name an absolute name
     * @param type its type ({@link Type})
     * @return the reply
     * @throws IOException when none came in 500 ms
     */
    Message ask(String name, int type) throws IOException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTimeout(Duration.ofMillis(500));
        return r.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    /**
     * The transport of each query of a type for a name in the query log, in order. A log line reads
     * {@code query: NAME IN TXT +E(0)T (127.0.0.1)}; the flag {@code T} marks TCP.
     *
     * @param name the name, without the final dot
     * @param type the type's mnemonic, such as {@code TXT}
     * @return "udp" or "tcp" for each query
     * @throws IOException when the log cannot be read
     */
    List<String> transports(String name, String type) throws IOException {
        Pattern p = Pattern.compile("query: " + Pattern.quote(name) + " IN " + type + " (\\S+) ");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                out.add(m.group(1).contains("T") ? "tcp" : "udp");
            }
        }
        return out;
    }

    /**
     * @param text a record's text
     * @return the text as zone-file character-strings of 250 bytes in parentheses, cut anywhere (a client joins
     *         them without separator)
     */
    static String characterStrings(String text) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < text.length(); i += 250) {
            sb.append("\n    \"").append(text, i, Math.min(text.length(), i + 250)).append('"');
        }
        return sb.append(" )").toString();
    }

    private void awaitLoaded(String zone) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String last = "no query yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("named exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                Message m = ask(zone + ".", Type.SOA);
                if (m.getRcode() == Rcode.NOERROR && !m.getSection(Section.ANSWER).isEmpty()) {
                    return;
                }
                last = Rcode.string(m.getRcode());
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(50); // bounded by the deadline
        }
        fail("named did not answer within " + STARTUP_LIMIT + " (last: " + last + "):\n" + log());
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
}
