package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 50 MB bounce that is mostly a returned attachment parses in a JVM limited to 32 MB of heap: the report comes
 * first, and at most {@link Limits#maxInputBytes()} are read.
 */
class LargeInputTest {

    /** Entry point of the child JVM: parses the file and prints what it found. */
    public static void main(String[] args) throws IOException {
        Report r = ReportParser.defaults().parse(Path.of(args[0]));
        DeliveryReport d = (DeliveryReport) r;
        System.out.println(d.recipients().get(0).recipient() + " " + d.recipients().get(0).status() + " "
                + r.problems().stream().anyMatch(p -> p.message().contains("maxInputBytes")));
    }

    @Test
    void fiftyMegabyteBounceParsesWithThirtyTwoMegabytesOfHeap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.eml");
        String head = Messages.dsn("Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; a@example.com\n"
                + "Action: failed\nStatus: 5.2.3\n", "Subject: big").replace("--B0UND--\n", "");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write("--B0UND\nContent-Type: message/rfc822\n\nSubject: attachment\nContent-Type: application/pdf\n"
                    .concat("Content-Transfer-Encoding: base64\n\n").getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < 50L << 20; written += line.length) {
                out.write(line);
            }
            out.write("--B0UND--\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(Files.size(file) > 50L << 20);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx32m", "-cp",
                System.getProperty("java.class.path"), LargeInputTest.class.getName(), file.toString()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertEquals("a@example.com 5.2.3 true", output);
    }
}
