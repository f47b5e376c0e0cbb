package org.bouncekit.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncekit.core.Action;
import org.bouncekit.core.Header;
import org.bouncekit.core.Limits;
import org.bouncekit.core.RecipientStatus;
import org.bouncekit.core.SmtpReply;
import org.bouncekit.core.TypedValue;

/**
 * Reads a bounce that carries no standard report: a message from a mailer daemon whose text names the failed
 * addresses and the SMTP replies. A recipient is reported only when the text ties an SMTP reply to it (or the MTA
 * lists it in {@code X-Failed-Recipients}), so an ordinary message is never taken for a bounce. Thread-safe
 * (stateless).
 */
final class GenericBounce {

    private static final List<String> DAEMONS = List.of("mailer-daemon", "postmaster", "mail-daemon", "mdaemon",
            "mail delivery subsystem", "mail delivery system", "mailerdaemon");
    private static final List<String> SUBJECTS = List.of("undeliver", "delivery status notification",
            "failure notice", "returned mail", "delivery failure", "delivery failed", "mail delivery failed",
            "non-deliver", "nondeliver", "delivery has failed", "could not be delivered", "mail system error",
            "delivery problem", "warning: could not send", "bounce", "rejected", "message not delivered");
    /** Lines (lower case) after which the text is the returned message, not the bounce. */
    private static final List<String> ORIGINAL_MARKERS = List.of("--- below this line is a copy",
            "------ this is a copy of the message", "----- original message -----", "original message follows",
            "-----original message-----", "--- original message ---",
            "------ original message ------", "----- the header of the original message", "original message:",
            "-- the header and top 20 lines of the message follows --");
    private static final int WINDOW = 8;

    private GenericBounce() {
    }

    /**
     * @param recipients the recipients found
     */
    record Result(List<RecipientStatus> recipients) {
    }

    /**
     * @param root   the message
     * @param limits limits
     * @return the recipients, or null when the message is not recognisably a bounce
     */
    static Result read(Entity root, Limits limits) {
        if (root.header("x-failed-recipients") == null && !fromDaemon(root) && !bounceSubject(root)) {
            return null;
        }
        return readText(root, limits);
    }

    /**
     * Reads recipients and replies from the first text part, without first checking that the message comes from
     * a mailer daemon: for reports already known to be bounces whose report fields are empty.
     *
     * @param root   the message
     * @param limits limits
     * @return the recipients, or null when the text ties no reply to an address
     */
    static Result readText(Entity root, Limits limits) {
        String failedHeader = root.header("x-failed-recipients");
        Entity textPart = firstText(root, 0);
        if (textPart == null) {
            return null;
        }
        String text = textPart.text(limits.maxDecodedBytes());
        Lines lines = Lines.of(text);
        Map<String, SmtpReply> found = new LinkedHashMap<>();
        String ownFrom = root.header("from");
        List<String> own = ownFrom == null ? List.of() : Addresses.extract(ownFrom);
        // Only lines with an '@' can name a recipient: jump from one '@' to the next instead of visiting every line.
        int i = 0;
        for (int at = text.indexOf('@'); at >= 0 && found.size() < limits.maxRecipients();
                at = text.indexOf('@', lines.end(i))) {
            while (i < lines.size() && lines.end(i) < at) {
                i++;
            }
            if (i == lines.size()) {
                break;
            }
            SmtpReply reply = null;
            boolean looked = false;
            for (String a : Addresses.extract(lines.get(i))) {
                String key = a.toLowerCase(Locale.ROOT);
                if (!isOwn(a, own) && !found.containsKey(key)) {
                    if (!looked) {
                        reply = replyNear(lines, i); // the same for every address on the line
                        looked = true;
                    }
                    if (reply != null) {
                        found.put(key, reply);
                    }
                }
            }
            if (lines.end(i) >= text.length()) {
                break;
            }
        }
        if (failedHeader != null) {
            SmtpReply first = null;
            for (int k = 0; k < lines.size() && first == null; k++) {
                first = replyAt(lines.get(k));
            }
            for (String a : Addresses.extract(failedHeader)) {
                found.putIfAbsent(a.toLowerCase(Locale.ROOT), first);
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        boolean delayed = false;
        for (SmtpReply r : found.values()) {
            if (r != null && r.isTransient()) {
                String lower = text.toLowerCase(Locale.ROOT);
                delayed = lower.contains("will be retried") || lower.contains("still trying");
                break;
            }
        }
        List<RecipientStatus> out = new ArrayList<>();
        for (Map.Entry<String, SmtpReply> e : found.entrySet()) {
            SmtpReply reply = e.getValue();
            Action action = reply != null && reply.isTransient() && delayed ? Action.DELAYED : Action.FAILED;
            List<Header> fields = reply == null ? List.of() : List.of(new Header("Diagnostic-Code",
                    "smtp; " + String.join(" ", reply.lines())));
            out.add(new RecipientStatus(e.getKey(), null, null, action,
                    reply == null ? null : reply.status(), null,
                    reply == null ? null : new TypedValue("smtp", String.join(" ", reply.lines())),
                    reply, null, null, null, fields));
        }
        return new Result(out);
    }

    private static boolean isOwn(String a, List<String> own) {
        String lower = a.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mailer-daemon@") || lower.startsWith("postmaster@")) {
            return true;
        }
        for (String o : own) {
            if (o.equalsIgnoreCase(a)) {
                return true;
            }
        }
        return false;
    }

    /** An SMTP failure reply on line {@code i} or in the few lines after it, before another address line. */
    private static SmtpReply replyNear(Lines lines, int i) {
        for (int k = i; k < Math.min(lines.size(), i + WINDOW); k++) {
            if (k > i && lines.hasAt(k) && !Addresses.extract(lines.get(k)).isEmpty() && replyAt(lines.get(k)) == null
                    && lines.get(k).strip().startsWith("<")) {
                return null; // the next recipient's block
            }
            SmtpReply r = replyAt(lines.get(k));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** A failure reply (4xx/5xx or 4.x.x/5.x.x) in a line: at its start, after "said:", or after "(reason:". */
    static SmtpReply replyAt(String line) {
        if (!mayHoldReply(line)) {
            return null;
        }
        String s = line.strip();
        int said = indexOfIgnoreCase(s, "said:");
        if (said >= 0) {
            s = s.substring(said + 5).strip();
        } else if (s.regionMatches(true, 0, "(reason:", 0, 8)) {
            s = s.substring(8).strip();
        } else {
            int at = codeInside(s);
            if (at > 0) {
                s = s.substring(at);
            }
        }
        SmtpReply r = SmtpReply.parse(s).orElse(null);
        if (r == null || !(r.isPermanent() || r.isTransient())) {
            return null;
        }
        return r;
    }

    private static int indexOfIgnoreCase(String s, String lowerNeedle) {
        int last = s.length() - lowerNeedle.length();
        char first = lowerNeedle.charAt(0);
        for (int i = 0; i <= last; i++) {
            if (Character.toLowerCase(s.charAt(i)) == first && s.regionMatches(true, i, lowerNeedle, 0,
                    lowerNeedle.length())) {
                return i;
            }
        }
        return -1;
    }

    /** Cheap test before the real parse: a 4 or 5 followed by two digits or by ".digit". */
    private static boolean mayHoldReply(String line) {
        int n = line.length();
        for (int i = 0; i + 2 < n; i++) {
            char c = line.charAt(i);
            if ((c == '4' || c == '5') && (Character.isDigit(line.charAt(i + 1)) && Character.isDigit(line.charAt(i + 2))
                    || line.charAt(i + 1) == '.' && Character.isDigit(line.charAt(i + 2)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A complete reply ({@code NNN X.Y.Z} or {@code NNN-X.Y.Z}, optionally quoted) inside a text.
     *
     * @param text text
     * @return the reply from there on, or null
     */
    static SmtpReply nestedReply(String text) {
        String t = " " + text.replace("'", "").replace("\"", "").replace('<', ' ').replace('>', ' ');
        int at = codeInside(t);
        if (at <= 0) {
            return null;
        }
        return SmtpReply.parse(t.substring(at)).orElse(null);
    }

    /** The index of "NNN " or "NNN-" followed by an enhanced status, standing alone inside a line; else -1. */
    private static int codeInside(String s) {
        for (int i = 1; i + 9 <= s.length(); i++) {
            char c = s.charAt(i);
            if ((c == '4' || c == '5') && s.charAt(i - 1) == ' ' && Character.isDigit(s.charAt(i + 1))
                    && Character.isDigit(s.charAt(i + 2)) && (s.charAt(i + 3) == ' ' || s.charAt(i + 3) == '-')
                    && s.charAt(i + 4) == c && s.charAt(i + 5) == '.') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The bounce's own text as lines, up to the line where the returned message begins (at most 2,000 lines).
     * Lines are kept as indexes into the text; a line becomes a String only when it is looked at.
     */
    private static final class Lines {
        private final String text;
        private final int[] starts;
        private final int[] ends;
        private final String[] cache;
        private final int size;

        private Lines(String text, int[] starts, int[] ends, int size) {
            this.text = text;
            this.starts = starts;
            this.ends = ends;
            this.size = size;
            this.cache = new String[size];
        }

        static Lines of(String text) {
            int max = 2_000;
            int[] starts = new int[64];
            int[] ends = new int[64];
            int size = 0;
            int start = 0;
            int n = text.length();
            while (start <= n && size < max) {
                int end = start;
                while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                    end++;
                }
                if (end == n && start == n) {
                    break;
                }
                if (isOriginalMarker(text, start, end)) {
                    break;
                }
                if (size == starts.length) {
                    starts = Arrays.copyOf(starts, size * 2);
                    ends = Arrays.copyOf(ends, size * 2);
                }
                starts[size] = start;
                ends[size] = end;
                size++;
                start = end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n'
                        ? end + 2 : end + 1;
            }
            return new Lines(text, starts, ends, size);
        }

        int size() {
            return size;
        }

        int end(int i) {
            return i < size ? ends[i] : text.length();
        }

        boolean hasAt(int i) {
            int at = text.indexOf('@', starts[i]);
            return at >= 0 && at < ends[i];
        }

        String get(int i) {
            String line = cache[i];
            if (line == null) {
                line = text.substring(starts[i], ends[i]);
                cache[i] = line;
            }
            return line;
        }
    }

    /** Whether {@code text[start, end)} starts the returned message; markers begin with '-' or a letter O. */
    private static boolean isOriginalMarker(String text, int start, int end) {
        int i = start;
        while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i == end) {
            return false;
        }
        char c = text.charAt(i);
        if (c != '-' && c != 'o' && c != 'O') {
            return false;
        }
        for (String m : ORIGINAL_MARKERS) {
            if (end - i >= m.length() && text.regionMatches(true, i, m, 0, m.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean fromDaemon(Entity root) {
        String from = root.header("from");
        if (from == null) {
            return false;
        }
        String lower = from.toLowerCase(Locale.ROOT);
        for (String d : DAEMONS) {
            if (lower.contains(d)) {
                return true;
            }
        }
        return false;
    }

    private static boolean bounceSubject(Entity root) {
        String subject = root.header("subject");
        if (subject == null) {
            return false;
        }
        String lower = subject.toLowerCase(Locale.ROOT);
        for (String s : SUBJECTS) {
            if (lower.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static Entity firstText(Entity e, int depth) {
        if (e.parts.isEmpty()) {
            String t = e.contentType.mediaType();
            return t.startsWith("text/") && !t.equals("text/rfc822-headers") ? e : null;
        }
        Entity html = null;
        for (Entity child : e.parts) {
            Entity found = firstText(child, depth + 1);
            if (found != null) {
                if (found.contentType.is("text/plain")) {
                    return found;
                }
                if (html == null) {
                    html = found;
                }
            }
        }
        return html;
    }
}
