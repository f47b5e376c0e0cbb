package org.bouncekit.core.internal;

import java.util.Locale;

/**
 * Finds the SMTP command at which delivery failed, in the words MTAs use: Postfix's "(in reply to RCPT TO
 * command)", Exim's "after RCPT TO:&lt;...&gt;", sendmail's transcript ("&gt;&gt;&gt; RCPT To:&lt;...&gt;"), DragonFly's
 * "did not like our final DATA", and a command in parentheses "(DATA)". Thread-safe (stateless).
 */
public final class SmtpCommands {

    /** Command names as reported, in the order they are looked for inside a phrase. */
    private static final String[][] NAMES = {
        {"rcpt to", "RCPT"}, {"mail from", "MAIL"}, {"end of data", "DATA"}, {"final data", "DATA"},
        {"data", "DATA"}, {"bdat", "BDAT"}, {"ehlo", "EHLO"}, {"helo", "HELO"}, {"lhlo", "LHLO"},
        {"starttls", "STARTTLS"}, {"auth", "AUTH"}, {"initial connection", "CONNECT"}, {"connect", "CONNECT"},
        {"greeting", "CONNECT"}, {"quit", "QUIT"}, {"rset", "RSET"}};

    private SmtpCommands() {
    }

    /**
     * @param text a diagnostic, a bounce line or a few lines of a transcript; may be null
     * @return the command's verb ({@code RCPT}, {@code MAIL}, {@code DATA}, {@code EHLO}, {@code HELO},
     *         {@code CONNECT}, ...), or null when the text names none
     */
    public static String find(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String t = text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " "); // phrases are folded over lines
        String found = after(t, "in reply to ");
        if (found == null) {
            found = after(t, " after ");
        }
        if (found == null) {
            found = after(t, "did not like our ");
        }
        if (found == null) {
            found = after(t, ">>> ");
        }
        if (found == null) {
            found = after(t, "(");
        }
        return found;
    }

    /** The command named right after each occurrence of {@code marker}, the first that names one. */
    private static String after(String t, String marker) {
        for (int i = t.indexOf(marker); i >= 0; i = t.indexOf(marker, i + 1)) {
            int s = i + marker.length();
            for (String[] n : NAMES) {
                if (t.startsWith(n[0], s) && (s + n[0].length() == t.length()
                        || !Character.isLetter(t.charAt(s + n[0].length())))) {
                    return n[1];
                }
            }
        }
        return null;
    }
}
