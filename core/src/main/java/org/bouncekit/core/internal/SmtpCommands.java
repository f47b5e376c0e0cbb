package org.bouncekit.core.internal;

/**
 * Finds the SMTP command at which delivery failed, in the words MTAs use: Postfix's "(in reply to RCPT TO
 * command)", Exim's "after RCPT TO:&lt;...&gt;", sendmail's transcript ("&gt;&gt;&gt; RCPT To:&lt;...&gt;"), DragonFly's
 * "did not like our final DATA", qmail's "most progress was RCPT TO response", "SMTP:RCPT", Yahoo's "[RCPT_TO]" and a command in
 * parentheses "(DATA)". Phrases may be folded over lines and
 * written in any case. One pass over the text, no copies. Thread-safe (stateless).
 */
public final class SmtpCommands {

    /** The phrases after which a command is named, in the order they are trusted. */
    private static final String[] MARKERS = {"in reply to ", "after ", "did not like our ", ">>> ", "(",
        "most progress was ", "smtp:", "["};

    /** Command names as written (lower case) and as reported, in the order they are tried after a marker. */
    private static final String[][] NAMES = {
        {"rcpt to", "RCPT"}, {"rcpt_to", "RCPT"}, {"rcpt command", "RCPT"}, {"rcpt", "RCPT"}, {"mail from", "MAIL"},
        {"mail command", "MAIL"}, {"mail_from", "MAIL"}, {"end of data", "DATA"}, {"final data", "DATA"},
        {"data", "DATA"}, {"bdat", "BDAT"}, {"ehlo", "EHLO"}, {"helo", "HELO"}, {"lhlo", "LHLO"},
        {"starttls", "STARTTLS"}, {"auth", "AUTH"}, {"initial connection", "CONNECT"}, {"connect", "CONNECT"},
        {"greeting", "CONNECT"}, {"quit", "QUIT"}, {"rset", "RSET"}};

    /** Sentences that name the stage without naming the command: qmail's. */
    private static final String[][] PHRASES = {{"but sender was rejected", "MAIL"},
        {"but my name was rejected", "HELO"}, {"does not like recipient", "RCPT"},
        {"failed after i sent the message", "DATA"}, {"failed on data command", "DATA"}};

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
        // one pass: the first command after each kind of marker; the most trusted kind wins
        String[] byMarker = new String[MARKERS.length];
        String byPhrase = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char first = text.charAt(i);
            if (first >= 128 || !MAY_START[first]) {
                continue; // most characters start no marker: one table read
            }
            int m = markerAt(text, i);
            if (m < 0) {
                if (m == PHRASE && byPhrase == null) {
                    byPhrase = phraseAt(text, i);
                }
                continue;
            }
            if (byMarker[m] != null) {
                continue;
            }
            int s = match(text, i, MARKERS[m]);
            if (s < 0) {
                continue;
            }
            String name = nameAt(text, s);
            if (name != null) {
                byMarker[m] = name;
                if (m == 0) {
                    break;
                }
            }
        }
        for (String name : byMarker) {
            if (name != null) {
                return name;
            }
        }
        return byPhrase;
    }

    /** The command a qmail sentence starting at {@code i} names, or null. */
    private static String phraseAt(String t, int i) {
        char c = lower(t.charAt(i));
        for (String[] phrase : PHRASES) {
            if (phrase[0].charAt(0) == c && match(t, i, phrase[0]) >= 0) {
                return phrase[1];
            }
        }
        return null;
    }

    /** The ASCII characters that may start a marker or a phrase, in either case. */
    private static final boolean[] MAY_START = new boolean[128];

    static {
        for (char c : "iadbfms>([".toCharArray()) {
            MAY_START[c] = true;
            MAY_START[Character.toUpperCase(c)] = true;
        }
    }

    /** {@link #markerAt}'s answer where one of the {@link #PHRASES} may start. */
    private static final int PHRASE = -2;

    /**
     * Which marker may start at {@code i}, judged by its first character (and a word start for words), or
     * {@link #PHRASE}, or -1.
     */
    private static int markerAt(String t, int i) {
        if (i + 1 >= t.length()) {
            return -1;
        }
        char c = lower(t.charAt(i));
        char next = lower(t.charAt(i + 1));
        boolean wordStart = i == 0 || !Character.isLetter(t.charAt(i - 1));
        switch (c) {
            case 'i':
                return wordStart && next == 'n' ? 0 : -1;
            case 'a':
                return wordStart && next == 'f' ? 1 : -1;
            case 'd':
                return !wordStart ? -1 : next == 'i' ? 2 : next == 'o' ? PHRASE : -1;
            case 'b':
                return wordStart && next == 'u' ? PHRASE : -1;
            case 'f':
                return wordStart && next == 'a' ? PHRASE : -1;
            case '>':
                return next == '>' ? 3 : -1;
            case '(':
                return Character.isLetter(next) ? 4 : -1;
            case 'm':
                return wordStart && next == 'o' ? 5 : -1;
            case 's':
                return wordStart && next == 'm' ? 6 : -1;
            case '[':
                return Character.isLetter(next) ? 7 : -1;
            default:
                return -1;
        }
    }

    /** The command named at {@code s}, or null. */
    private static String nameAt(String t, int s) {
        for (String[] name : NAMES) {
            int e = match(t, s, name[0]);
            if (e >= 0 && (e == t.length() || !Character.isLetter(t.charAt(e)))) {
                return name[1];
            }
        }
        return null;
    }

    /**
     * Matches a lower-case phrase at {@code i}, ignoring case; a space in the phrase matches any run of white
     * space (lines are folded).
     *
     * @return the index after the match, or -1
     */
    private static int match(String t, int i, String phrase) {
        int k = i;
        for (int j = 0; j < phrase.length(); j++) {
            char p = phrase.charAt(j);
            if (p == ' ') {
                if (k >= t.length() || !Character.isWhitespace(t.charAt(k))) {
                    return -1;
                }
                while (k < t.length() && Character.isWhitespace(t.charAt(k))) {
                    k++;
                }
                continue;
            }
            if (k >= t.length() || lower(t.charAt(k)) != p) {
                return -1;
            }
            k++;
        }
        return k;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
