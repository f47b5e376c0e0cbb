package org.bouncekit.core.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Names the MTA, provider or gateway that wrote a non-standard bounce: one entry per format, in one list, tried in
 * order (the most specific first). An entry looks at header fields already parsed and at the first lines of the
 * bounce's own text, which the plain-bounce reader has already decoded; nothing is read again. Adding a format is
 * adding one entry (and its test rows). Thread-safe (immutable).
 */
final class BounceFormats {

    /**
     * One format.
     *
     * @param name      the format name reported in {@code Report.format()}
     * @param headers   a test on the message's header fields, or null
     * @param signature a phrase (lower case) of the first lines of the bounce text, or null; a phrase with a dot
     *                  and no space (a host name, such as {@code groups.google.com}) is looked for in the whole
     *                  bounce text
     */
    record Format(String name, Predicate<Facts> headers, String signature) {
    }

    private static final int SIGNATURE_LINES = 12;

    /** In order: provider-specific senders and headers first, then the MTAs' own wording. */
    static final List<Format> FORMATS = List.of(
            new Format("activehunter", has("x-ahmailid"), null),
            new Format("fml", has("x-mlserver"), null),
            new Format("mimecast", has("x-mc-system").or(has("x-mimecast-originator")), null),
            new Format("mxlogic", has("x-mx-bounce").or(from("mxlogic")).or(messageId("<mxl~")), null),
            new Format("mfilter", headerContains("x-mailer", "m-filter"), null),
            new Format("imailserver", headerContains("x-mailer", "smtp32"), null),
            new Format("exchange2003", headerContains("x-mailer", "internet mail service")
                    .or(headerContains("x-mailer", "exchange server")).or(has("x-ms-embedded-report")), null),
            new Format("office365", has("x-ms-exchange-message-is-ndr").or(from("onmicrosoft.com"))
                    .or(from("outlook.com")), null),
            new Format("office365", null, "delivery has failed to these recipients or groups"),
            new Format("mailmarshal", headerContains("received", "mailmarshal"), null),
            new Format("amazonworkmail", headerContains("x-mailer", "amazon workmail"), null),
            new Format("gmx", from("gmx."), null),
            new Format("mailru", from("mail.ru"), null),
            new Format("einsundeins", from("kundenserver"), null),
            new Format("ezweb", from("ezweb.ne.jp"), null),
            new Format("kddi", from("dion.ne.jp"), null),
            new Format("verizon", from("vzwpix.com").or(from("vtext.com")), null),
            new Format("biglobe", from("biglobe.ne.jp"), null),
            new Format("yahoo", from("yahoo."), null),
            new Format("zoho", from("zoho."), null),
            new Format("googlegroups", from("googlemail.com"), "groups.google.com"),
            new Format("gmail", from("googlemail.com").or(from("@google.com")), null),
            new Format("domino", subjectStarts("delivery failure:"), null),
            new Format("trendmicro", from("interscan"), null),
            new Format("trendmicro", null, "interscan"),
            new Format("dragonfly", null, "this is the dragonfly mail agent"),
            new Format("qmail", null, "this is the qmail-send program"),
            new Format("postfix", null, "this is the mail system at host"),
            new Format("postfix", subjectStarts("undelivered mail returned to sender"), null),
            new Format("postfix", subjectStarts("postfix smtp server:"), null),
            new Format("opensmtpd", null, "this is the mailer-daemon, please do not reply"),
            new Format("mailfoundry", null, "delivery failed for the following reason"),
            new Format("apachejames", null, "error message below:"),
            new Format("notes", null, "------- failure reasons"),
            new Format("exchange2003", null, "did not reach the following recipient"),
            new Format("verizon", null, "message could not be delivered to mobile"),
            new Format("yahoo", null, "sorry, we were unable to deliver your message"),
            new Format("v5sendmail", null, "----- transcript of session follows -----"),
            new Format("sendmail", null, "the original message was received at"),
            new Format("exim", null, "this message was created automatically by"));

    private BounceFormats() {
    }

    /**
     * @param root  the message
     * @param lines the bounce's own text lines, or null
     * @return the format name, or {@code generic} when no entry matches
     */
    static String identify(Entity root, GenericBounce.Lines lines) {
        String head = null;
        Facts facts = new Facts(root);
        for (Format f : FORMATS) {
            if (f.headers != null && !f.headers.test(facts)) {
                continue;
            }
            if (f.signature != null) {
                if (head == null) {
                    head = firstLines(lines);
                }
                boolean hostName = f.signature.indexOf(' ') < 0 && f.signature.indexOf('.') > 0;
                if (!(hostName ? allLines(lines).contains(f.signature) : head.contains(f.signature))) {
                    continue;
                }
            }
            return f.name;
        }
        return "generic";
    }

    private static String firstLines(GenericBounce.Lines lines) {
        if (lines == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0, seen = 0; i < lines.size() && seen < SIGNATURE_LINES; i++) {
            String l = lines.get(i).strip();
            if (!l.isEmpty()) {
                sb.append(l.toLowerCase(Locale.ROOT)).append('\n');
                seen++;
            }
        }
        return sb.toString();
    }

    private static String allLines(GenericBounce.Lines lines) {
        if (lines == null || lines.size() == 0) {
            return "";
        }
        return lines.text().substring(0, Math.min(lines.text().length(), lines.end(lines.size() - 1)))
                .toLowerCase(Locale.ROOT);
    }

    /**
     * The message's header fields as the entries ask for them: each value looked up and lower-cased once per
     * message, however many entries test it.
     */
    static final class Facts {
        private final Entity root;
        private final Map<String, String> lowerValues = new HashMap<>(8);

        Facts(Entity root) {
            this.root = root;
        }

        boolean has(String lowerName) {
            return root.header(lowerName) != null;
        }

        /** @return the field's value, trimmed and lower-cased, or "" when absent */
        String lower(String lowerName) {
            String v = lowerValues.get(lowerName);
            if (v == null) {
                String raw = root.header(lowerName);
                v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
                lowerValues.put(lowerName, v);
            }
            return v;
        }
    }

    private static Predicate<Facts> has(String lowerName) {
        return f -> f.has(lowerName);
    }

    private static Predicate<Facts> headerContains(String lowerName, String lowerText) {
        return f -> f.lower(lowerName).contains(lowerText);
    }

    private static Predicate<Facts> from(String lowerText) {
        return headerContains("from", lowerText);
    }

    private static Predicate<Facts> messageId(String lowerPrefix) {
        return f -> f.lower("message-id").startsWith(lowerPrefix);
    }

    private static Predicate<Facts> subjectStarts(String lowerPrefix) {
        return f -> f.lower("subject").startsWith(lowerPrefix);
    }
}
