package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VerpTest {

    @Test
    void defaultPatternDecodesTheCommonForm() {
        assertEquals("alice@example.com",
                Verp.defaultPattern().decode("bounces+alice=example.com@sender.test").orElseThrow());
        assertEquals("alice@example.com",
                Verp.defaultPattern().decode("<bounces+alice=Example.COM@sender.test>").orElseThrow());
        assertTrue(Verp.defaultPattern().decode("plain@sender.test").isEmpty());
        assertTrue(Verp.defaultPattern().decode("a+b@sender.test").isEmpty());
    }

    @Test
    void customTemplate() {
        Verp v = Verp.of("bnc-{local}-at-{domain}@bounce.sender.test");
        assertEquals("bob@example.net", v.decode("bnc-bob-at-example.net@bounce.sender.test").orElseThrow());
        assertTrue(v.decode("bnc-bob-at-example.net@other.test").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Verp.of("bounces@*"));
        assertThrows(IllegalArgumentException.class, () -> Verp.of("{local}{domain}@*"));
    }

    @Test
    void adversarialAddressIsBounded() {
        String evil = "+=".repeat(150) + "@x.test";
        assertTrue(Verp.defaultPattern().decode(evil).isEmpty() || Verp.defaultPattern().decode(evil).isPresent());
        assertTrue(Verp.defaultPattern().decode("x".repeat(400) + "+a=b.c@d.e").isEmpty());
    }

    @Test
    void parserAppliesThePatternToTheEnvelopeRecipient() {
        byte[] msg = "Delivered-To: bounces+carol=example.org@sender.test\nFrom: x@y.test\n\nhi\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals("carol@example.org", ReportParser.defaults().parse(msg).verpRecipient());
        assertNull(ReportParser.builder().verp(null).build().parse(msg).verpRecipient());
    }
}
