package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API example of the README, compiled and run here so that it cannot rot. */
class ReadmeExampleTest {

    @Test
    void readmeExample(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bounce.eml");
        Files.writeString(file, Messages.dsn("Reporting-MTA: dns; mx.sender.test\n\n"
                + "Final-Recipient: rfc822; alice@example.com\nAction: failed\nStatus: 5.1.1\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 No such user\n", "Message-ID: <m1@sender.test>"));
        List<String> out = new ArrayList<>();

        // --- README example start
        ReportParser parser = ReportParser.defaults();          // immutable, share it
        Report report = parser.parse(file);                     // never throws on bad input
        if (report instanceof DeliveryReport dsn) {
            for (RecipientStatus r : dsn.recipients()) {
                out.add(r.recipient() + " " + r.action().token() + " " + r.effectiveStatus()
                        + " " + r.reply().text());
            }
        } else if (report instanceof FeedbackReport arf) {
            out.add("complaint from " + arf.recipients());
        } else if (report instanceof AutoReply auto) {
            out.add("auto-reply from " + auto.responder());
        }
        // --- README example end

        assertEquals(List.of("alice@example.com failed 5.1.1 No such user"), out);
    }
}
