package org.bouncekit.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the one JSON object, on one line, that the checking commands ({@code spf}, {@code dmarc}, {@code audit},
 * {@code dnsbl}) print. Stateless; thread-safe.
 */
final class OneObject {

    /** Writes the members of the object. */
    @FunctionalInterface
    interface Body {
        void write(JsonWriter json) throws IOException;
    }

    private OneObject() {
    }

    /**
     * Writes the value and a line end, then flushes.
     *
     * @param out  where to write
     * @param err  where a write failure is said (a broken pipe is not)
     * @param body writes one top-level value
     * @return 0, or 1 when the output could not be written
     */
    static int print(OutputStream out, PrintStream err, Body body) {
        JsonWriter json = new JsonWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                1 << 14));
        try {
            body.write(json);
            json.endLine();
            json.flush();
            return 0;
        } catch (IOException e) {
            if (!ReportRun.isBrokenPipe(e)) {
                err.println("bouncekit: cannot write output: " + InputWalker.reason(e));
            }
            return 1;
        }
    }
}
