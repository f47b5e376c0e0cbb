package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.bouncekit.dnsauth.AuthResult.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthenticationResults}: the examples of RFC 8601 Appendix B (and those RFC 7601 had instead), the
 * leniencies for what receivers write, the problems, the writer and the factories from our own results.
 */
class AuthenticationResultsTest {

    private static AuthenticationResults clean(String value) {
        AuthenticationResults ar = AuthenticationResults.parse(value);
        assertEquals(List.of(), ar.problems(), value);
        return ar;
    }

    private static AuthResult result(String method, String result, Property... properties) {
        return new AuthResult(method, -1, result, null, List.of(properties));
    }

    private static Property p(String ptype, String name, String value) {
        return new Property(ptype, name, value);
    }

    // RFC 8601 Appendix B. B.1 is a message without the field: nothing to parse.

    @Test
    void rfc8601B2NoAuthenticationDone() {
        AuthenticationResults ar = clean("example.org 1; none");
        assertEquals(new AuthenticationResults("example.org", 1, List.of(), List.of()), ar);
    }

    @Test
    void rfc8601B3OneMethod() {
        AuthenticationResults ar = clean("example.com;\r\n          spf=pass smtp.mailfrom=example.net");
        assertEquals(new AuthenticationResults("example.com", -1,
                List.of(result("spf", "pass", p("smtp", "mailfrom", "example.net"))), List.of()), ar);
    }

    @Test
    void rfc8601B4SeveralMethodsOneMta() {
        assertEquals(List.of(
                        result("auth", "pass", p("smtp", "auth", "sender@example.net")),
                        result("spf", "pass", p("smtp", "mailfrom", "example.net"))),
                clean("example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
                        + "          spf=pass smtp.mailfrom=example.net").results());
        AuthenticationResults iprev = clean("example.com; iprev=pass\r\n          policy.iprev=192.0.2.200");
        assertEquals(List.of(result("iprev", "pass", p("policy", "iprev", "192.0.2.200"))), iprev.results());
    }

    @Test
    void rfc8601B5SeveralMethodsSeveralMtas() {
        assertEquals(List.of(result("dkim", "pass", p("header", "d", "example.com"))),
                clean("example.com;\r\n          dkim=pass (good signature) header.d=example.com").results());
        assertEquals(List.of(
                        result("auth", "pass", p("smtp", "auth", "sender@example.com")),
                        result("spf", "fail", p("smtp", "mailfrom", "example.com"))),
                clean("example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.com;\r\n"
                        + "          spf=fail smtp.mailfrom=example.com").results());
    }

    @Test
    void rfc8601B6MultiTiered() {
        AuthenticationResults ar = clean("example.com;\r\n      dkim=pass reason=\"good signature\"\r\n"
                + "        header.i=@mail-router.example.net;\r\n      dkim=fail reason=\"bad signature\"\r\n"
                + "        header.i=@newyork.example.com");
        assertEquals(List.of(
                new AuthResult("dkim", -1, "pass", "good signature",
                        List.of(p("header", "i", "@mail-router.example.net"))),
                new AuthResult("dkim", -1, "fail", "bad signature",
                        List.of(p("header", "i", "@newyork.example.com")))), ar.results());
        assertEquals(List.of(result("dkim", "pass", p("header", "i", "@newyork.example.com"))),
                clean("example.net;\r\n      dkim=pass (good signature) header.i=@newyork.example.com").results());
    }

    @Test
    void rfc8601B7CommentHeavy() {
        AuthenticationResults ar = clean("foo.example.net (foobar) 1 (baz);\r\n"
                + "    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n"
                + "      policy (A dot can go here) . (like that) expired\r\n"
                + "      (this surprised me) = (as I wasn't expecting it) 1362471462");
        assertEquals(new AuthenticationResults("foo.example.net", 1,
                List.of(new AuthResult("dkim", 1, "fail", null, List.of(p("policy", "expired", "1362471462")))),
                List.of()), ar);
    }

    /** RFC 7601 (and 7001) had Sender ID in B.4 and B.5, where RFC 8601 has iprev and DKIM only. */
    @Test
    void rfc7601SenderIdExamples() {
        assertEquals(List.of(result("sender-id", "pass", p("header", "from", "example.net"))),
                clean("example.com;\r\n          sender-id=pass header.from=example.net").results());
        assertEquals(List.of(
                        result("sender-id", "fail", p("header", "from", "example.com")),
                        result("dkim", "pass", p("header", "d", "example.com"))),
                clean("example.com;\r\n          sender-id=fail header.from=example.com;\r\n"
                        + "          dkim=pass (good signature) header.d=example.com").results());
    }

    /** RFC 5451-era and other values seen in the wild: no version, smtp.mail/mfrom, hardfail, x- methods. */
    @Test
    void olderAndWildValues() {
        assertEquals(List.of(
                        result("sender-id", "hardfail", p("header", "from", "example.com")),
                        result("spf", "pass", p("smtp", "mfrom", "kijitora@example.org"))),
                clean("example.com; sender-id=hardfail header.from=example.com; "
                        + "spf=pass smtp.mfrom=kijitora@example.org").results());
        AuthenticationResults google = clean("mx.google.com;\n       dkim=pass header.i=@googlemail.com "
                + "header.s=20161025 header.b=e3vuyqwS;\n       spf=pass (google.com: best guess record for "
                + "domain of postmaster@mail-sor-f69.google.com designates 209.85.220.69 as permitted sender) "
                + "smtp.helo=mail-sor-f69.google.com;\n       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) "
                + "header.from=googlemail.com");
        assertEquals(List.of("dkim", "spf", "dmarc"), google.results().stream().map(AuthResult::method).toList());
        assertEquals("mail-sor-f69.google.com", google.results("SPF").get(0).property("smtp", "helo"));
        AuthenticationResults hotmail = clean("hotmail.com; spf=none (sender IP is 65.54.190.29; identity "
                + "alignment result is pass and alignment mode is relaxed) smtp.helo=BAY004-OMC1S18.hotmail.com; "
                + "dkim=none (identity alignment result is pass and alignment mode is relaxed) "
                + "header.d=mail.hotmail.com; x-hmca=none header.id=postmaster@mail.hotmail.com");
        assertEquals("postmaster@mail.hotmail.com", hotmail.results("x-hmca").get(0).property("header", "id"));
        AuthenticationResults arc = clean("Authentication-Results:email.example.org; arc=none "
                + "smtp.client-ip=203.0.113.25");
        assertEquals("email.example.org", arc.authservId());
        assertEquals(List.of(result("arc", "none", p("smtp", "client-ip", "203.0.113.25"))), arc.results());
    }

    @Test
    void caseIsFoldedForKeywordsOnly() {
        AuthenticationResults ar = clean("MX.Example.NET; SPF=Pass SMTP.MailFrom=Alice@Example.ORG");
        assertEquals("MX.Example.NET", ar.authservId());
        assertEquals(List.of(result("spf", "pass", p("smtp", "mailfrom", "Alice@Example.ORG"))), ar.results());
    }

    @Test
    void commentsNestedAndEscaped() {
        AuthenticationResults ar = clean("example.com (a (nested \\) comment) here); dkim=pass "
                + "(with \\( and a \"quote\";) header.d=example.com(trailing)");
        assertEquals(List.of(result("dkim", "pass", p("header", "d", "example.com"))), ar.results());
    }

    @Test
    void quotedStringsAreUnescaped() {
        AuthenticationResults ar = clean("\"mx example\"; dkim=fail reason=\"a \\\"bad\\\" one; \\\\ (sic)\" "
                + "header.i=\"john doe\"@example.com header.x=\"\"");
        assertEquals("mx example", ar.authservId());
        AuthResult r = ar.results().get(0);
        assertEquals("a \"bad\" one; \\ (sic)", r.reason());
        assertEquals(List.of(p("header", "i", "\"john doe\"@example.com"), p("header", "x", "")), r.properties());
    }

    @Test
    void ipv6AndBase64ValuesNeedNoQuotes() {
        AuthenticationResults ar = clean("mx.example.net; iprev=pass policy.iprev=2001:db8::1; "
                + "dkim=pass header.b=gfT/i2HB header.d=\"example.com\"; spf=none smtp.mailfrom=<>;");
        assertEquals("2001:db8::1", ar.results().get(0).property("policy", "iprev"));
        assertEquals("gfT/i2HB", ar.results().get(1).property("header", "b"));
        assertEquals("example.com", ar.results().get(1).property("header", "d"));
        assertEquals("<>", ar.results().get(2).property("smtp", "mailfrom"));
    }

    @Test
    void unknownMethodsAndPtypesAreKept() {
        AuthenticationResults ar = clean("example.com; x-frob/2=maybe reason=late body.hash=abc x-ptype.thing=1");
        assertEquals(List.of(new AuthResult("x-frob", 2, "maybe", "late",
                List.of(p("body", "hash", "abc"), p("x-ptype", "thing", "1")))), ar.results());
    }

    @Test
    void problemsSayWhereAndWhat() {
        assertProblem("", "at 0: empty field value");
        assertProblem("example.org", "no result: neither method=result nor 'none'");
        assertProblem("example.org;", "no result");
        assertProblem("example.org; spf", "method 'spf' has no result");
        assertProblem("example.org; spf=; dkim=pass", "at 17: method 'spf' has no result");
        assertProblem("example.org; spf=pass smtp.mailfrom=", "empty value for smtp.mailfrom");
        assertProblem("example.org; spf=pass smtp.mailfrom=a (unterminated", "unterminated comment");
        assertProblem("example.org; spf=pass reason=\"open", "unterminated quoted-string");
        assertProblem("example.org; dmarc=pass action=none header.from=x.org", "'action=' in the result of"
                + " 'dmarc' is not ptype.property=value; ignored");
        assertProblem("example.org; none; spf=pass", "'none' beside other results");
        assertProblem("example.org; spf=pass smtp.helo=a.org reason=late", "reason after the properties");
        assertProblem("example.org; ;spf=pass", "empty result");
        assertProblem("mta.example.com  from=example.com; dkim=pass (ok)",
                "at 17: unexpected text after the authserv-id: 'from=example.com'");
        assertProblem("spf=pass smtp.mailfrom=a.org", "at 0: no authserv-id: the field begins with a result");
        assertProblem("example.org; from=yahoo.com", "malformed result 'yahoo.com'");
        assertProblem("example.org; outlook.com", "method 'outlook' has no result: 'outlook.com'");
        assertProblem("example.org; spf=pass header.i=@a.org; =20", "expected method=result: '=20'");
        assertProblem("example.org; dkim/=pass", "'/' without a version");
        assertProblem("example.org 99999999999; none", "authres-version 99999999999 is too large");
        assertProblem("example.org; spf=pass smtp.x=\"a\u0001b\"", "control character U+0001");
    }

    @Test
    void problemsKeepWhatCanBeRead() {
        AuthenticationResults ar = AuthenticationResults.parse("spf=pass (sender IP is 192.0.2.2) "
                + "smtp.helo=mail.example.org; outlook.com; dkim=none (message not signed) header.d=none;"
                + "outlook.com; dmarc=pass action=none header.from=outlook.com;");
        assertEquals("", ar.authservId());
        assertEquals(List.of(
                result("spf", "pass", p("smtp", "helo", "mail.example.org")),
                result("dkim", "none", p("header", "d", "none")),
                result("dmarc", "pass", p("header", "from", "outlook.com"))), ar.results());
        assertEquals(4, ar.problems().size(), ar.problems().toString());
    }

    @Test
    void fieldNameAndFoldingAreTolerated() {
        AuthenticationResults ar = clean("Authentication-Results: example.com;\r\n\tspf=pass\r\n"
                + " smtp.mailfrom=\"a\r\n b\"@example.net");
        assertEquals(List.of(result("spf", "pass", p("smtp", "mailfrom", "\"a b\"@example.net"))), ar.results());
    }

    @Test
    void totalOnNullHugeAndHostileInput() {
        assertEquals(List.of("no field value (null)"), AuthenticationResults.parse(null).problems());
        String huge = "example.com; " + "x".repeat(AuthenticationResults.MAX_LENGTH);
        AuthenticationResults ar = AuthenticationResults.parse(huge);
        assertEquals(List.of(), ar.results());
        assertEquals(1, ar.problems().size());
        assertTrue(ar.problems().get(0).contains("over the limit of 16384"), ar.problems().get(0));
        AuthenticationResults many = AuthenticationResults.parse("a; " + "=; ".repeat(100));
        assertEquals(AuthenticationResults.MAX_PROBLEMS + 1, many.problems().size());
        assertTrue(many.problems().get(AuthenticationResults.MAX_PROBLEMS).endsWith(
                "more problems not listed (limit 32)"), many.problems().toString());
        for (String s : List.of("(", ")", "\"", "\\", ";", "=", "/", "a/", "a 1", "a; b/", "a; b=(", "a; b=c d.",
                "a; b=c d.e", "a; b=c d.e=\"", "a; b=c \\", "((((", "a;\r\n", "\u0000")) {
            AuthenticationResults.parse(s); // must not throw
        }
    }

    // writing

    @Test
    void writesNoneAndVersion() {
        AuthenticationResults ar = AuthenticationResults.builder("example.org").version(1).build();
        assertEquals("example.org 1; none", ar.toHeaderValue());
        assertEquals("example.org 1; none", ar.toString());
        assertEquals("Authentication-Results: example.org 1; none", ar.toHeaderField());
    }

    @Test
    void writesQuotesOnlyWhereNeeded() {
        AuthenticationResults ar = AuthenticationResults.builder("mx example")
                .add(AuthResult.builder("spf", "pass").property("smtp", "mailfrom", "alice@example.org").build())
                .add(AuthResult.builder("spf", "pass").property("smtp", "mailfrom", "john doe@example.org").build())
                .add(AuthResult.builder("spf", "pass").property("smtp", "mailfrom", "\"john doe\"@example.org")
                        .build())
                .add(AuthResult.builder("iprev", "pass").property("policy", "iprev", "2001:db8::1").build())
                .add(AuthResult.builder("dkim", "fail").methodVersion(1).reason("body hash did not verify")
                        .property("header", "i", "@example.org").property("header", "b", "").build())
                .build();
        assertEquals("\"mx example\"; spf=pass smtp.mailfrom=alice@example.org; "
                + "spf=pass smtp.mailfrom=\"john doe@example.org\"; spf=pass smtp.mailfrom=\"john doe\"@example.org; "
                + "iprev=pass policy.iprev=\"2001:db8::1\"; "
                + "dkim/1=fail reason=\"body hash did not verify\" header.i=@example.org header.b=\"\"",
                ar.toHeaderValue());
        assertEquals(ar, clean(ar.toHeaderValue()));
    }

    @Test
    void foldsOneResultALine() {
        AuthenticationResults ar = AuthenticationResults.builder("mx.example.net")
                .add(AuthResult.builder("spf", "pass").property("smtp", "mailfrom", "alice@example.org").build())
                .add(AuthResult.builder("dkim", "pass").property("header", "d", "example.org")
                        .property("header", "s", "mail2026").property("header", "a", "ed25519-sha256")
                        .property("header", "i", "@example.org").property("header", "b", "gfT/i2HB").build())
                .build();
        String field = ar.toHeaderField();
        assertEquals("Authentication-Results: mx.example.net;\r\n spf=pass smtp.mailfrom=alice@example.org;\r\n"
                + " dkim=pass header.d=example.org header.s=mail2026 header.a=ed25519-sha256\r\n"
                + " header.i=@example.org header.b=\"gfT/i2HB\"", field);
        for (String line : field.split("\r\n")) {
            assertTrue(line.length() <= 78, line);
        }
        assertEquals(ar, clean(field));
    }

    @Test
    void buildersValidate() {
        assertThrows(IllegalArgumentException.class, () -> AuthResult.builder("sp f", "pass"));
        assertThrows(IllegalArgumentException.class, () -> AuthResult.builder("spf", ""));
        assertThrows(NullPointerException.class, () -> AuthResult.builder("spf", null));
        AuthResult.Builder b = AuthResult.builder("spf", "pass");
        assertThrows(IllegalArgumentException.class, () -> b.property("smtp.x", "mailfrom", "a"));
        assertThrows(IllegalArgumentException.class, () -> b.property("smtp", "mailfrom", "a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> b.reason("x\u0000"));
        assertThrows(IllegalArgumentException.class, () -> b.methodVersion(-2));
        assertThrows(IllegalArgumentException.class, () -> AuthenticationResults.builder(""));
        assertThrows(IllegalArgumentException.class, () -> AuthenticationResults.builder("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> AuthenticationResults.builder("a").version(-2));
        assertThrows(NullPointerException.class, () -> AuthenticationResults.builder("a").add(null));
    }

    // factories

    @Test
    void fromSpfMailFrom() throws Exception {
        SpfResult spf = new SpfResult(SpfVerdict.SOFTFAIL, "~all", null, "mailfrom", "example.org",
                InetAddress.getByName("192.0.2.1"), "alice@example.org", "mail.example.org", 1, 0, List.of(),
                List.of());
        AuthResult r = AuthResult.of(spf);
        assertEquals(result("spf", "softfail", p("smtp", "mailfrom", "alice@example.org")), r);
        assertEquals("spf=softfail smtp.mailfrom=alice@example.org", r.toString());
    }

    @Test
    void fromSpfHelo() throws Exception {
        SpfResult spf = new SpfResult(SpfVerdict.NONE, null, null, "helo", "mail.example.org",
                InetAddress.getByName("2001:db8::1"), "postmaster@mail.example.org", "mail.example.org", 0, 0,
                List.of(), List.of());
        assertEquals(result("spf", "none", p("smtp", "helo", "mail.example.org")), AuthResult.of(spf));
    }

    @Test
    void fromSpfCheckerEndToEnd() {
        SpfResult spf = SpfChecker.builder(org.bouncekit.dnsauth.spi.InMemoryDnsClient.builder()
                        .txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all").build()).build()
                .check("192.0.2.10", "alice@example.org", "mail.example.org");
        assertEquals("mx.example.net; spf=pass smtp.mailfrom=alice@example.org",
                AuthenticationResults.builder("mx.example.net").add(AuthResult.of(spf)).build().toHeaderValue());
    }

    @Test
    void fromDkim() {
        DkimSignatureResult pass = new DkimSignatureResult("example.org", "mail2026", "ed25519-sha256",
                DkimVerdict.PASS, null, "@example.org", List.of("from"), -1, 256, false, List.of());
        DkimSignatureResult fail = new DkimSignatureResult("example.org", "sel", "rsa-sha256",
                DkimVerdict.FAIL, "body hash did not verify", null, List.of("from"), -1, 2048, false, List.of());
        assertEquals("dkim=pass header.d=example.org header.s=mail2026 header.a=ed25519-sha256 "
                + "header.i=@example.org", AuthResult.of(pass).toString());
        AuthResult f = AuthResult.of(fail);
        assertEquals("body hash did not verify", f.reason());
        assertNull(f.property("header", "i"));
        assertEquals("dkim=fail reason=\"body hash did not verify\" header.d=example.org header.s=sel "
                + "header.a=rsa-sha256", f.toString());
        assertEquals(List.of(AuthResult.of(pass), f),
                AuthResult.allOf(new DkimResult(List.of(pass, fail), List.of())));
        assertEquals(List.of(result("dkim", "none")), AuthResult.allOf(new DkimResult(List.of(), List.of())));
    }

    /** DMARC (and ARC, iprev, ...) are written with the generic builder until they have factories. */
    @Test
    void otherMethodsThroughTheBuilder() {
        AuthResult dmarc = AuthResult.builder("dmarc", "fail").property("header", "from", "example.org")
                .property("policy", "dmarc", "reject").build();
        assertEquals("dmarc=fail header.from=example.org policy.dmarc=reject", dmarc.toString());
    }

    private static void assertProblem(String value, String expected) {
        AuthenticationResults ar = AuthenticationResults.parse(value);
        assertTrue(ar.problems().stream().anyMatch(p -> p.contains(expected)),
                () -> value + " -> " + ar.problems());
    }
}
