package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseCommandTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return write(name, Mail.bytes(content));
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    @Test
    void twoRecipientDsnGivesOneLinePerRecipient() throws IOException {
        Path f = write("dsn.eml", Mail.twoRecipientDsn());
        Cli.Result r = Cli.run("parse", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(2, r.rows().size(), r.out());

        Map<String, Object> alice = r.row(0);
        assertEquals(f.toString(), alice.get("source"));
        assertEquals("bounce", alice.get("kind"));
        assertEquals("rfc3464", alice.get("format"));
        assertEquals("alice@example.org", alice.get("recipient"));
        assertEquals("failed", alice.get("action"));
        assertEquals("5.1.1", alice.get("status"));
        assertEquals(550L, alice.get("replyCode"));
        assertTrue(((String) alice.get("diagnostic")).contains("User unknown"), r.out());
        assertEquals("mail.example.org", alice.get("remoteMta"));
        assertEquals("mx.example.net", alice.get("reportingMta"));
        assertEquals("orig-1@example.com", alice.get("messageId"));
        assertNull(alice.get("feedbackType"));

        Map<String, Object> bob = r.row(1);
        assertEquals("delay", bob.get("kind"));
        assertEquals("bob@example.org", bob.get("recipient"));
        assertEquals("delayed", bob.get("action"));
        assertEquals("4.4.1", bob.get("status"));
        assertEquals(421L, bob.get("replyCode"));
        assertNull(bob.get("remoteMta"));
        assertEquals("mx.example.net", bob.get("reportingMta"));
        assertEquals("orig-1@example.com", bob.get("messageId"));
    }

    @Test
    void kindFollowsActionThenStatusClass() throws IOException {
        List<String> blocks = Arrays.asList(
                block("a1@example.org", "Action: failed\nStatus: 5.0.0"),
                block("a2@example.org", "Action: delayed\nStatus: 4.0.0"),
                block("a3@example.org", "Action: delivered\nStatus: 2.0.0"),
                block("a4@example.org", "Action: relayed\nStatus: 2.0.0"),
                block("a5@example.org", "Action: expanded\nStatus: 2.0.0"),
                block("a6@example.org", "Status: 4.2.2"),
                block("a7@example.org", "Status: 2.0.0"),
                block("a8@example.org", "Status: 5.2.2"));
        Path f = write("actions.eml", Mail.dsn(blocks));
        Cli.Result r = Cli.run("parse", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("a1@example.org", "a2@example.org", "a3@example.org", "a4@example.org",
                "a5@example.org", "a6@example.org", "a7@example.org", "a8@example.org"), r.column("recipient"));
        assertEquals(List.of("bounce", "delay", "delivered", "relayed", "expanded", "delay", "delivered", "bounce"),
                r.column("kind"), r.out());
        assertEquals(Arrays.asList("failed", "delayed", "delivered", "relayed", "expanded", null, null, null),
                r.column("action"));
    }

    private static String block(String rcpt, String fields) {
        return "Final-Recipient: rfc822; " + rcpt + "\n" + fields + "\n";
    }

    @Test
    void feedbackAutoReplyAndPlainMessage() throws IOException {
        Path arf = write("a-arf.eml", Mail.arf());
        Path ooo = write("b-ooo.eml", Mail.autoReply());
        Path plain = write("c-plain.eml", Mail.plain());
        Cli.Result r = Cli.run("parse", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.rows().size(), r.out());

        Map<String, Object> f = r.row(0);
        assertEquals(arf.toString(), f.get("source"));
        assertEquals("feedback", f.get("kind"));
        assertEquals("arf", f.get("format"));
        assertEquals("abuse", f.get("feedbackType"));
        assertEquals("carol@isp.example", f.get("recipient"));
        assertEquals("spam-1@example.com", f.get("messageId"));
        assertNull(f.get("action"));
        assertNull(f.get("replyCode"));

        Map<String, Object> a = r.row(1);
        assertEquals(ooo.toString(), a.get("source"));
        assertEquals("auto_reply", a.get("kind"));
        assertEquals("rfc3834", a.get("format"));
        assertTrue(String.valueOf(a.get("recipient")).contains("dave@example.org"), r.out());
        assertNull(a.get("feedbackType"));

        Map<String, Object> p = r.row(2);
        assertEquals(plain.toString(), p.get("source"));
        assertEquals("not_a_report", p.get("kind"));
        assertEquals("none", p.get("format"));
        for (String field : Cli.FIELDS.subList(3, Cli.FIELDS.size())) {
            assertNull(p.get(field), field);
        }
    }

    @Test
    void mboxIsSplitIntoNumberedMessages() throws IOException {
        String mbox = "From MAILER-DAEMON Mon Jun  2 10:00:00 2025\n" + Mail.twoRecipientDsn() + "\n"
                + "From erin@example.org Mon Jun  2 12:30:00 2025\n" + Mail.plain()
                + ">From the desk of Erin\n\n"
                + "From dave@example.org Mon Jun  2 12:00:00 2025\n" + Mail.autoReply();
        Path f = write("inbox", mbox);
        Cli.Result r = Cli.run("parse", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(f + "#1", f + "#1", f + "#2", f + "#3"), r.column("source"), r.out());
        assertEquals(List.of("bounce", "delay", "not_a_report", "auto_reply"), r.column("kind"));
    }

    @Test
    void maildirTmpIsSkippedButAnOrdinaryTmpIsRead() throws IOException {
        write("Maildir/cur/1.host:2,S", Mail.plain());
        write("Maildir/new/2.host", Mail.twoRecipientDsn());
        write("Maildir/tmp/3.host", Mail.arf());
        write("Maildir/.hidden/4.host", Mail.arf());
        write("Maildir/.dotfile", Mail.arf());
        write("plain/tmp/5.eml", Mail.autoReply());
        Cli.Result r = Cli.run("parse", dir.resolve("Maildir").toString(), dir.resolve("plain").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(
                dir.resolve("Maildir/cur/1.host:2,S").toString(),
                dir.resolve("Maildir/new/2.host").toString(),
                dir.resolve("Maildir/new/2.host").toString(),
                dir.resolve("plain/tmp/5.eml").toString()), r.column("source"), r.out());
        assertEquals(List.of("not_a_report", "bounce", "delay", "auto_reply"), r.column("kind"));
    }

    @Test
    void directoriesAreWalkedInSortedOrder() throws IOException {
        write("d/b.eml", Mail.plain());
        write("d/a/z.eml", Mail.plain());
        write("d/a/y.eml", Mail.plain());
        write("d/c.eml", Mail.plain());
        Path d = dir.resolve("d");
        Cli.Result r = Cli.run("parse", d.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(d.resolve("a/y.eml").toString(), d.resolve("a/z.eml").toString(),
                d.resolve("b.eml").toString(), d.resolve("c.eml").toString()), r.column("source"));
    }

    @Test
    void stdinIsReadForDash() {
        Cli.Result r = Cli.runWithStdin(Mail.bytes(Mail.twoRecipientDsn()), "parse", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("-", "-"), r.column("source"));
        assertEquals(List.of("bounce", "delay"), r.column("kind"));
    }

    @Test
    void stdinMayBeAnMbox() {
        String mbox = "From a@example.org Mon Jun  2 10:00:00 2025\n" + Mail.plain() + "\n"
                + "From b@example.org Mon Jun  2 10:00:00 2025\n" + Mail.autoReply();
        Cli.Result r = Cli.runWithStdin(mbox.getBytes(StandardCharsets.UTF_8), "parse", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("-#1", "-#2"), r.column("source"));
        assertEquals(List.of("not_a_report", "auto_reply"), r.column("kind"));
    }

    @Test
    void missingFileGivesExitOneAndTheRestIsStillRead() throws IOException {
        Path a = write("a.eml", Mail.plain());
        Path missing = dir.resolve("missing.eml");
        Path b = write("b.eml", Mail.autoReply());
        Cli.Result r = Cli.run("parse", a.toString(), missing.toString(), b.toString());
        assertEquals(1, r.code());
        assertEquals(List.of(a.toString(), b.toString()), r.column("source"));
        assertTrue(r.err().contains(missing.toString()), r.err());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void tinyFilesAreNotAReports() throws IOException {
        Path f0 = write("0", new byte[0]);
        Path f1 = write("1", new byte[] {'\n'});
        Path f2 = write("2", new byte[] {'\r', '\n'});
        Path f3 = write("3", new byte[] {'F', 'r'});
        Cli.Result r = Cli.run("parse", f0.toString(), f1.toString(), f2.toString(), f3.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(f0.toString(), f1.toString(), f2.toString(), f3.toString()), r.column("source"));
        assertEquals(List.of("not_a_report", "not_a_report", "not_a_report", "not_a_report"), r.column("kind"));
    }

    @Test
    void emptyStdinIsOneMessage() {
        Cli.Result r = Cli.runWithStdin(new byte[0], "parse", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("-"), r.column("source"));
    }

    @Test
    void noArgumentsIsAUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Usage: bouncekit"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void parseWithoutPathIsAUsageError() {
        Cli.Result r = Cli.run("parse");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Usage: bouncekit parse"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownOptionIsAUsageError() throws IOException {
        Path a = write("a.eml", Mail.plain());
        Cli.Result r = Cli.run("parse", "--no-such-option", a.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-such-option"), r.err());
        assertTrue(r.err().contains("Usage:"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli.Result r = Cli.run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("frobnicate"), r.err());
        assertTrue(r.err().contains("Usage:"), r.err());
    }

    @Test
    void versionAndHelp() {
        Cli.Result v = Cli.text("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("bouncekit 0.1.0-SNAPSHOT"), v.out());
        Cli.Result h = Cli.text("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("Usage: bouncekit"), h.out());
        assertTrue(h.out().contains("parse"), h.out());
        Cli.Result ph = Cli.text("parse", "--help");
        assertEquals(0, ph.code());
        assertTrue(ph.out().contains("PATH"), ph.out());
    }

    @Test
    void nonAsciiAndControlCharactersStayValidJson() throws IOException {
        String dsn = Mail.dsn(List.of(block("zoë@example.org", "Action: failed\nStatus: 5.1.1\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 \"quoted\" back\\slash tab\there")));
        Path f = write("intl.eml", dsn.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        Cli.Result r = Cli.run("parse", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.rows().size(), r.out());
        String diagnostic = (String) r.row(0).get("diagnostic");
        assertTrue(diagnostic.contains("\"quoted\" back\\slash"), diagnostic);
    }
}
