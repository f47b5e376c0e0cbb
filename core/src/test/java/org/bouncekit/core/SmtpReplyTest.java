package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void multiLineReplyJoinsTextAndKeepsCodeAndStatus() {
        SmtpReply r = SmtpReply.parse("550-5.1.1 The email account that you tried to reach does not exist.\r\n"
                + "550-5.1.1 Please try double-checking the recipient's email\r\n"
                + "550 5.1.1 address for typos. abc123 - gsmtp").orElseThrow();
        assertEquals(550, r.code());
        assertEquals(new EnhancedStatus(5, 1, 1), r.status());
        assertEquals("The email account that you tried to reach does not exist. Please try double-checking the "
                + "recipient's email address for typos. abc123 - gsmtp", r.text());
        assertEquals(3, r.lines().size());
        assertTrue(r.isPermanent());
        assertFalse(r.isTransient());
    }

    @Test
    void statusOnlyInsideTheTextIsFound() {
        SmtpReply r = SmtpReply.parse("501 Rcpt-To validation failed: 5.7.1 This system is not configured to relay")
                .orElseThrow();
        assertEquals(501, r.code());
        assertEquals("5.7.1", r.status().toString());
    }

    @Test
    void contradictingStatusInsideTheTextIsDropped() {
        SmtpReply r = SmtpReply.parse("550 see 4.7.1 in our docs").orElseThrow();
        assertEquals(550, r.code());
        assertNull(r.status());
    }

    @Test
    void statusWithoutCode() {
        SmtpReply r = SmtpReply.parse("4.2.2 mailbox full").orElseThrow();
        assertEquals(0, r.code());
        assertEquals("4.2.2", r.status().toString());
        assertTrue(r.isTransient());
        assertEquals("mailbox full", r.text());
    }

    @Test
    void exchangeHashStatus() {
        SmtpReply r = SmtpReply.parse("550 #5.1.0 Address rejected.").orElseThrow();
        assertEquals("5.1.0", r.status().toString());
        assertEquals("Address rejected.", r.text());
    }

    @Test
    void notAReply() {
        assertTrue(SmtpReply.parse("procmail: Couldn't create /var/mail/x").isEmpty());
        assertTrue(SmtpReply.parse("").isEmpty());
        assertTrue(SmtpReply.parse(null).isEmpty());
        assertTrue(SmtpReply.parse("5500 nope").isEmpty());
        assertTrue(SmtpReply.parse("150 not a failure or success class").isEmpty());
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new SmtpReply(99, null, "", List.of()));
        assertThrows(NullPointerException.class, () -> new SmtpReply(250, null, null, List.of()));
    }

    @Test
    void enhancedStatusParsing() {
        assertEquals("5.1.1", EnhancedStatus.parse(" 5.1.1 (bad destination mailbox)").orElseThrow().toString());
        assertEquals("4.7.26", EnhancedStatus.parse("4.7.26").orElseThrow().toString());
        assertEquals("5.7.1", EnhancedStatus.find("denied: 5.7.1 relaying").orElseThrow().toString());
        assertTrue(EnhancedStatus.parse("5.1").isEmpty());
        assertTrue(EnhancedStatus.parse("3.1.1").isEmpty());
        assertTrue(EnhancedStatus.parse("5.1.1.2").isEmpty());
        assertTrue(EnhancedStatus.find("version 12.5.1 of the server, host 10.4.5.6, build 5.1.1.2").isEmpty());
        assertTrue(EnhancedStatus.find("see 5.1.1").isPresent());
        assertThrows(IllegalArgumentException.class, () -> new EnhancedStatus(3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new EnhancedStatus(5, 1000, 1));
    }
}
