package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of the parser: totality, line-ending invariance, and DSN field round trips. */
class ReportParserProperties {

    private static final ReportParser PARSER = ReportParser.defaults();

    @Property(tries = 2_000)
    void anyBytesGiveAResult(@ForAll @Size(max = 2_000) byte[] bytes) {
        Report r = PARSER.parse(bytes);
        assertNotNull(r);
        assertTrue(r.problems().size() <= Limits.defaults().maxProblems() + 1);
    }

    @Property(tries = 1_000)
    void mailLikeNoiseGivesAResult(@ForAll("mailLikeNoise") String text) {
        assertNotNull(PARSER.parse(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> mailLikeNoise() {
        Arbitrary<String> token = Arbitraries.of("Content-Type: multipart/report; boundary=b\n", "--b\n", "--b--\n",
                "Content-Type: message/delivery-status\n", "Content-Type: message/rfc822\n",
                "Content-Transfer-Encoding: base64\n", "Content-Transfer-Encoding: quoted-printable\n",
                "Final-Recipient: rfc822; a@example.com\n", "Status: 5.1.1\n", "Action: failed\n",
                "Diagnostic-Code: smtp; 550-5.1.1 x\n", " folded\n", "\n", "\r\n", "\r", "=?utf-8?B?w6k=?=",
                "=?x?Q?=FF", "=\n", "AAAA====", "\u0000", "\u00ff", "Content-Type: message/feedback-report\n",
                "Feedback-Type: abuse\n", "Auto-Submitted: auto-replied\n", "Subject: Out of Office\n", ":", "<>@");
        return token.list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Property(tries = 300)
    void lineEndingsDoNotChangeTheResult(@ForAll("dsnMessages") String lfMessage) {
        String lf = Summary.of(PARSER.parse(lfMessage.getBytes(StandardCharsets.UTF_8)));
        String crlf = Summary.of(PARSER.parse(lfMessage.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
        String cr = Summary.of(PARSER.parse(lfMessage.replace("\n", "\r").getBytes(StandardCharsets.UTF_8)));
        assertEquals(lf, crlf);
        assertEquals(lf, cr);
    }

    /** A generated recipient block's values. */
    record Fields(String local, String domain, Action action, EnhancedStatus status, int code, String text,
                  String mta) {
    }

    @Provide
    Arbitrary<Fields> fields() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> local = Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789.+_-")
                .ofMinLength(1).ofMaxLength(20).filter(s -> !s.startsWith(".") && !s.endsWith("."));
        Arbitrary<String> domain = label.list().ofMinSize(2).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<EnhancedStatus> status = Combinators.combine(Arbitraries.of(2, 4, 5),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 99))
                .as(EnhancedStatus::new);
        Arbitrary<String> text = Arbitraries.strings().withCharRange('a', 'z').withChars(" ,")
                .ofMinLength(1).ofMaxLength(200).map(String::strip).filter(s -> !s.isEmpty());
        return Combinators.combine(local, domain, Arbitraries.of(Action.class), status,
                Arbitraries.integers().between(0, 99), text, domain)
                .as((l, d, a, s, c, t, m) -> new Fields(l, d, a, s, s.statusClass() * 100 + c, t, m));
    }

    @Provide
    Arbitrary<String> dsnMessages() {
        return fields().list().ofMinSize(1).ofMaxSize(5).map(ReportParserProperties::dsnFor);
    }

    static String dsnFor(List<Fields> recipients) {
        StringBuilder sb = new StringBuilder("Reporting-MTA: dns; mx.sender.test\n");
        for (Fields f : recipients) {
            sb.append("\nFinal-Recipient: rfc822; ").append(f.local()).append('@').append(f.domain())
                    .append("\nAction: ").append(f.action().token())
                    .append("\nStatus: ").append(f.status())
                    .append("\nRemote-MTA: dns; ").append(f.mta())
                    .append("\nDiagnostic-Code: smtp; ").append(f.code()).append(' ').append(f.status()).append(' ')
                    .append(fold(f.text()))
                    .append('\n');
        }
        return Messages.dsn(sb.toString(), "Subject: s");
    }

    /** Folds long text onto continuation lines, as MTAs do. */
    private static String fold(String text) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 50) {
                sb.append("\n ");
                col = 0;
            } else if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(word);
            col += word.length() + 1;
        }
        return sb.toString();
    }

    @Property(tries = 500)
    void dsnFieldsRoundTrip(@ForAll("fieldLists") List<Fields> recipients) {
        DeliveryReport d = assertInstanceOf(DeliveryReport.class,
                PARSER.parse(dsnFor(recipients).getBytes(StandardCharsets.UTF_8)));
        assertEquals(recipients.size(), d.recipients().size());
        for (int i = 0; i < recipients.size(); i++) {
            Fields f = recipients.get(i);
            RecipientStatus r = d.recipients().get(i);
            assertEquals(f.local() + "@" + f.domain(), r.recipient());
            assertEquals(f.action(), r.action());
            assertEquals(f.status(), r.status());
            assertEquals(f.mta(), r.remoteMta().value());
            assertEquals(f.code(), r.reply().code());
            assertEquals(f.status(), r.reply().status());
            assertEquals(String.join(" ", f.text().split(" +")), r.reply().text().replaceAll(" +", " "));
        }
        assertEquals(List.of(), d.problems());
    }

    @Provide
    Arbitrary<List<Fields>> fieldLists() {
        return fields().list().ofMinSize(1).ofMaxSize(5);
    }
}
