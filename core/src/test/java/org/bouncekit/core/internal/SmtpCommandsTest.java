package org.bouncekit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SmtpCommandsTest {

    @Test
    void commandsInTheWordsOfEachMta() {
        assertEquals("RCPT", SmtpCommands.find("550 5.1.1 <a@b>: Recipient address rejected (in reply to RCPT TO "
                + "command)"));
        assertEquals("DATA", SmtpCommands.find("554 5.7.1 spam (in reply to end of DATA command)"));
        assertEquals("MAIL", SmtpCommands.find("553 sender rejected (in reply to MAIL FROM command)"));
        assertEquals("RCPT", SmtpCommands.find("SMTP error from remote mail server after RCPT TO:<a@b>:\n"
                + "host mx.example.jp [192.0.2.20]: 550 5.1.1 unknown"));
        assertEquals("MAIL", SmtpCommands.find("SMTP error from remote mail server after MAIL FROM:<x@y> SIZE=1:"));
        assertEquals("DATA", SmtpCommands.find("gmail-smtp-in.l.google.com [192.0.2.27] did not like our final DATA:"));
        assertEquals("RCPT", SmtpCommands.find(">>> RCPT To:<mikeneko@example.co.jp>\n<<< 550 No such user"));
        assertEquals("DATA", SmtpCommands.find("SMTP Server <192.0.2.223> refused to accept your message (DATA)"));
        assertEquals("CONNECT", SmtpCommands.find("SMTP error from remote mail server after initial connection:"));
        assertEquals("RCPT", SmtpCommands.find("Sorry, no SMTP connection got far enough; most progress was RCPT TO "
                + "response; remote host 192.0.2.32 said: 550 Unknown user"));
        assertEquals("RCPT", SmtpCommands.find("SMTP:RCPT host 192.0.2.8: 553 5.3.0 <a@b>... No such user here"));
        assertEquals("RCPT", SmtpCommands.find("SMTP error from remote server after RCPT command:"));
        assertEquals("RCPT", SmtpCommands.find("550 5.2.1 <a@b>... User Unknown\n[RCPT_TO]"));
        assertEquals("MAIL", SmtpCommands.find("Connected to 192.0.2.225 but sender was rejected.\n"
                + "Remote host said: 550 5.7.1 <root@example.jp>... Access denied"));
        assertEquals("HELO", SmtpCommands.find("Connected to 192.0.2.112 but my name was rejected."));
        assertEquals("RCPT", SmtpCommands.find("192.0.2.135 does not like recipient."));
        assertNull(SmtpCommands.find("550 5.1.1 user unknown"));
        assertNull(SmtpCommands.find("after mailing the list"));
        assertNull(SmtpCommands.find("(reason: 550 Host unknown)"));
        assertNull(SmtpCommands.find(null));
    }

    @Test
    void remoteHosts() {
        assertEquals("mx.example.com", GenericBounce.remoteHost("host mx.example.com[192.0.2.1] said: 550 x"));
        assertEquals("mx.example.jp", GenericBounce.remoteHost("    host mx.example.jp [192.0.2.20]: 550 5.7.0"));
        assertEquals("192.0.2.32", GenericBounce.remoteHost("remote host 192.0.2.32 said: 550 Unknown user"));
        assertNull(GenericBounce.remoteHost("connect to localhost failed"));
        assertNull(GenericBounce.remoteHost("Remote host said: 550 5.1.1 rejected"));
    }
}
