package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code Authentication-Results} field in the shared bounce corpus ({@code set-of-emails/maildir/bsd}),
 * those of returned and attached messages included, parses without problem, or its problems are explained by one
 * of the {@link #KNOWN} malformed inputs below.
 */
class AuthenticationResultsCorpusTest {

    /**
     * A kind of malformed field found in the corpus: how to recognise the field and which problems it explains.
     *
     * @param why     what writes it so
     * @param field   found in the raw field value (find, not match)
     * @param problem matches the whole problem text
     */
    record Known(String why, Pattern field, Pattern problem) {
    }

    /**
     * The known-malformed inputs; each problem of the corpus must be explained by one of them (the first that
     * matches counts it). What the parser still reads from them is checked in {@link AuthenticationResultsTest}.
     */
    static final List<Known> KNOWN = List.of(
            // Quoted-printable copies of Exchange Online fields in text parts of returned messages: "=3D" for
            // "=", "=20" for a space, and the comment cut where a soft line break ("=" at the end) falls.
            new Known("quoted-printable copy of a field in a text part", Pattern.compile("=3D"),
                    Pattern.compile("at \\d+: (no authserv-id: the field begins with a result"
                            + "|method '\\w+' has no result: '[\\w.]+'|expected method=result: '=20'"
                            + "|unterminated comment)")),
            // Microsoft Exchange Online / Office 365 (and arf-18's sample, written alike): no authserv-id in
            // front, the recipient's domain as if it were a result ("...; outlook.com; dkim=none ...
            // header.d=none;outlook.com; ..."), and DMARC's "action=none" without a ptype.
            new Known("Exchange Online layout: results first, stray domain, action=",
                    Pattern.compile("^\\s*(spf|dmarc)="),
                    Pattern.compile("at \\d+: (no authserv-id: the field begins with a result"
                            + "|method '\\w+' has no result: '[\\w.]+'"
                            + "|'action=' in the result of 'dmarc' is not ptype.property=value; ignored)")),
            // Yahoo! Mail (2008-2013, also behind amazonses, x2 and arf samples) before RFC 5451: "mta.yahoo.com  from=yahoo.com;
            // domainkeys=pass (ok);  from=yahoo.com; dkim=pass (ok); header.i=@yahoo.co.jp".
            new Known("pre-RFC 5451 Yahoo! layout: from=domain pseudo-results",
                    Pattern.compile("from=\\S+;\\s*domainkeys="),
                    Pattern.compile("at \\d+: (unexpected text after the authserv-id: 'from=[\\w.-]+'"
                            + "|method 'from': malformed result '[\\w.-]+'"
                            + "|method 'header' has no result: 'header\\.i=@[\\w.-]+')")),
            // Empty property values: addresses removed by the corpus' editors ("smtp.mail=", "header.i="), and
            // "smtp.mailfrom=" for a bounce's null reverse-path. RFC 8601 wants a value; "" is kept.
            new Known("empty property value",
                    Pattern.compile("(smtp\\.mail|smtp\\.mailfrom|header\\.i)=(;|\\s|$)"),
                    Pattern.compile("at \\d+: empty value for (smtp\\.mail|smtp\\.mailfrom|header\\.i)")),
            // Amazon SES (lhost-postfix-30) appends Received-SPF's key=value pairs to its spf result.
            new Known("Received-SPF pairs inside the field (Amazon SES)",
                    Pattern.compile("client-ip=\\S+; envelope-from="),
                    Pattern.compile("at \\d+: ('client-ip=' in the result of 'spf' is not ptype.property=value;"
                            + " ignored"
                            + "|method '(envelope-from|helo)': malformed result '\\S+')")),
            // lhost-postfix-78: two dkim results without the ';' between them; the second's properties are
            // read as more properties of the first.
            new Known("two results without ';' between them", Pattern.compile("header\\.a=rsa-sha256\\s+dkim="),
                    Pattern.compile("at \\d+: 'dkim=' in the result of 'dkim' is not ptype.property=value; ignored")),
            // arf-02: the feedback report carries the field with nothing after the colon.
            new Known("empty field", Pattern.compile("^\\s*$"),
                    Pattern.compile("at \\d+: empty field value: no authserv-id and no result")));

    record Field(String file, int line, String value) {
    }

    static List<Field> fields() throws IOException {
        Path dir = TestData.root().resolve("bounces/set-of-emails/maildir/bsd");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".eml")).sorted().toList();
        }
        List<Field> out = new ArrayList<>();
        for (Path f : files) {
            // ISO-8859-1 reads any bytes; the fields are ASCII apart from the odd comment.
            String[] lines = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = strip(lines[i]);
                if (!line.regionMatches(true, 0, "Authentication-Results:", 0, 23)) {
                    continue;
                }
                StringBuilder value = new StringBuilder(line.substring(23));
                int first = i;
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                        && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                    value.append("\r\n").append(strip(lines[++i]));
                }
                out.add(new Field(f.getFileName().toString(), first + 1, value.toString()));
            }
        }
        return out;
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    @Test
    void everyFieldParsesOrIsKnownMalformed() throws IOException {
        List<Field> fields = fields();
        int clean = 0;
        int withProblems = 0;
        Map<String, Integer> perKnown = new LinkedHashMap<>();
        List<String> unexplained = new ArrayList<>();
        for (Field f : fields) {
            AuthenticationResults ar = AuthenticationResults.parse(f.value());
            if (ar.problems().isEmpty()) {
                clean++;
                continue;
            }
            withProblems++;
            Set<String> kinds = new LinkedHashSet<>();
            for (String problem : ar.problems()) {
                Known k = KNOWN.stream()
                        .filter(kn -> kn.field().matcher(f.value()).find() && kn.problem().matcher(problem).matches())
                        .findFirst().orElse(null);
                if (k == null) {
                    unexplained.add(f.file() + ":" + f.line() + ": " + problem + "  <- " + f.value());
                } else {
                    kinds.add(k.why());
                }
            }
            kinds.forEach(why -> perKnown.merge(why, 1, Integer::sum));
        }
        System.out.printf("Authentication-Results in the corpus: %d fields, %d parsed clean, %d with problems%n",
                fields.size(), clean, withProblems);
        KNOWN.forEach(k -> System.out.printf("  %3d fields: %s%n", perKnown.getOrDefault(k.why(), 0), k.why()));
        unexplained.forEach(u -> System.out.println("  UNEXPLAINED " + u));
        assertTrue(fields.size() > 200, "fields found: " + fields.size());
        assertEquals(List.of(), unexplained);
    }
}
