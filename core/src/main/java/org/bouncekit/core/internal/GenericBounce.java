package org.bouncekit.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncekit.core.Action;
import org.bouncekit.core.EnhancedStatus;
import org.bouncekit.core.Header;
import org.bouncekit.core.Limits;
import org.bouncekit.core.Problem;
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
            "mail delivery subsystem", "mail delivery system", "mailerdaemon", "post_master", "ndr administrator",
            "@dion.ne.jp", ".dion.ne.jp", "@ezweb.ne.jp", "vzwpix.com", "vtext.com", "mail administrator");
    private static final List<String> SUBJECTS = List.of("undeliver", "delivery status notification",
            "failure notice", "returned mail", "delivery failure", "delivery failed", "mail delivery failed",
            "non-deliver", "nondeliver", "delivery has failed", "could not be delivered", "mail system error",
            "delivery problem", "warning: could not send", "bounce", "rejected", "message not delivered",
            "error sending", "not delivered", "delivery report", "mail delivery", "returned", "failure",
            "mail error", "could not send", "エラー", "不達", "配信");
    /** Lines (lower case) after which the text is the returned message, not the bounce. */
    private static final List<String> ORIGINAL_MARKERS = List.of("--- below this line is a copy",
            "------ this is a copy of the message", "----- original message -----", "original message follows",
            "-----original message-----", "--- original message ---",
            "------ original message ------", "----- the header of the original message", "original message:",
            "-- the header and top 20 lines of the message follows --", "message headers follow",
            "the original message headers", "original message headers", "original mail as follows");
    private static final int WINDOW = 8;

    private GenericBounce() {
    }

    /**
     * @param recipients the recipients found
     * @param format     the name of the format that wrote the bounce, or {@code generic}
     */
    record Result(List<RecipientStatus> recipients, String format) {
    }

    /**
     * Cheap detection on headers: a mailer daemon's sender, a bounce subject, or Exim's failed-recipient list.
     *
     * @param root the message
     * @return true when the message may be a bounce
     */
    static boolean looksLikeBounce(Entity root) {
        return root.header("x-failed-recipients") != null || fromDaemon(root) || bounceSubject(root)
                || mailingListManager(root);
    }

    /** fml and similar list managers answer from {@code list-admin@} with "(list ML)" in the subject. */
    private static boolean mailingListManager(Entity root) {
        String from = root.header("from");
        String subject = root.header("subject");
        return from != null && from.toLowerCase(Locale.ROOT).contains("-admin@")
                && subject != null && subject.strip().endsWith(" ML)");
    }

    /**
     * Reads recipients and replies from the first text part, without first checking that the message comes from
     * a mailer daemon: for reports already known to be bounces whose report fields are empty.
     *
     * @param root        the message
     * @param limits      limits
     * @param knownBounce true when the message is known to be a bounce (it carries a delivery-status part)
     * @param scan        the scan of the message's text, or null when it has none
     * @return the recipients, or null when the text ties no reply to an address
     */
    static Result readText(Entity root, Limits limits, boolean knownBounce, Scan scan) {
        if (scan == null) {
            return null;
        }
        String failedHeader = root.header("x-failed-recipients");
        String text = scan.text;
        Lines lines = scan.lines;
        Map<String, Candidate> found = scan.found();
        List<Candidate> chosen = choose(found.values(), failedHeader, root);
        if (chosen.isEmpty() && found.isEmpty() && (knownBounce || !autoReplied(root))) {
            // the bounce names nobody: the returned message had one recipient, and that is the one that failed
            List<String> to = originalTo(root, text, lines);
            if (to.size() == 1) {
                chosen = List.of(new Candidate(to.get(0), null, null, false, true, false, -1));
            }
        }
        if (chosen.isEmpty()) {
            return null;
        }
        SmtpReply first = null;
        EnhancedStatus firstStatus = null;
        for (int k = 0; k < lines.size() && first == null; k++) {
            first = replyAt(lines.get(k));
        }
        for (int k = 0; k < lines.size() && firstStatus == null && first == null; k++) {
            firstStatus = statusAt(lines.get(k));
        }
        boolean delayed = false;
        for (Candidate c : chosen) {
            SmtpReply r = c.reply != null ? c.reply : first;
            if (r != null && r.isTransient()) {
                String lower = text.toLowerCase(Locale.ROOT);
                delayed = lower.contains("will be retried") || lower.contains("still trying");
                break;
            }
        }
        String format = BounceFormats.identify(root, lines);
        List<RecipientStatus> out = new ArrayList<>();
        Scan returned = null;
        boolean returnedRead = false;
        // recipients named on one line share its paragraph: read once per line, not once per recipient, so that a
        // long line of many addresses is not copied and searched once for each of them
        Map<Integer, Paragraph> paragraphs = new HashMap<>();
        // likewise a reply shared by recipients gives them one diagnostic (the same strings), not a copy each
        Map<SmtpReply, TypedValue> diagnostics = new IdentityHashMap<>();
        Map<TypedValue, List<Header>> diagnosticFields = new IdentityHashMap<>();
        for (Candidate c : chosen) {
            SmtpReply reply = c.reply != null ? c.reply : chosen.size() == 1 || first != null ? first : null;
            String returnedCommand = null;
            if (reply == null && "trendmicro".equals(format)) {
                // InterScan returns the downstream server's bounce as the message: the reply that bounce ties to
                // the same address
                if (!returnedRead) {
                    Entity enclosing = ReportReader.findEnclosingPart(root);
                    returned = enclosing == null || enclosing.enclosed() == null ? null
                            : scan(enclosing.enclosed(), limits, scan.problems);
                    returnedRead = true;
                }
                reply = returned == null ? null : returned.replyFor(c.address);
                returnedCommand = reply == null ? null : returned.commandFor(c.address);
            }
            EnhancedStatus status = reply != null && reply.status() != null ? reply.status()
                    : c.status != null ? c.status : firstStatus;
            Action action = reply != null && reply.isTransient() && delayed ? Action.DELAYED : Action.FAILED;
            Paragraph paragraph = c.line < 0 ? null : paragraphs.computeIfAbsent(c.line, k -> Paragraph.of(lines, k));
            String context = paragraph == null ? null : paragraph.text;
            String host = paragraph == null ? null : paragraph.host;
            // the diagnostic: the SMTP reply when there is one, else the bounce's own words about the recipient
            // (for a single recipient without a reply, the whole bounce text: the reason is often a paragraph away)
            TypedValue diagnostic = reply != null ? diagnostics.computeIfAbsent(reply,
                    x -> new TypedValue("smtp", String.join(" ", x.lines())))
                    : chosen.size() == 1 ? scan.wordsFor(null, true) : paragraph == null ? narrative(null)
                    : paragraph.narrative();
            List<Header> fields = diagnostic == null ? List.of() : diagnosticFields.computeIfAbsent(diagnostic,
                    d -> List.of(new Header("Diagnostic-Code", d.toString())));
            out.add(new RecipientStatus(c.address, null, null, action, status,
                    host == null ? null : new TypedValue("dns", host), diagnostic,
                    reply, null, null, null, fields, returnedCommand != null ? returnedCommand
                    : context == null ? scan.commandNear(c.address) : scan.commandAt(c.address, c.line,
                    paragraph.command())));
        }
        return new Result(out, format);
    }

    /** The paragraph of a line ({@link #window}), with what is read from it, each at most once. */
    private static final class Paragraph {
        final String text;
        final String host;
        private TypedValue narrative;
        private boolean narrated;
        private String command;
        private boolean commandRead;

        private Paragraph(String text) {
            this.text = text;
            this.host = remoteHost(text);
        }

        static Paragraph of(Lines lines, int line) {
            return new Paragraph(window(lines, line));
        }

        TypedValue narrative() {
            if (!narrated) {
                narrative = GenericBounce.narrative(text);
                narrated = true;
            }
            return narrative;
        }

        /** @return {@link SmtpCommands#find} of the paragraph */
        String command() {
            if (!commandRead) {
                command = SmtpCommands.find(text);
                commandRead = true;
            }
            return command;
        }
    }

    /**
     * What the bounce's own text says: its lines up to the returned message, and every address in them (other
     * than the bounce's and the original sender's own) with the reply or status found near it.
     */
    static final class Scan {
        private final Entity root;
        private final Limits limits;
        private final String text;
        private final Lines lines;
        /** The candidates, found on first use: reading them is the costly part. */
        private Map<String, Candidate> found;
        /** Whether {@link #found} stopped at {@link Limits#maxRecipients()}. */
        private boolean capped;
        /** {@link #bounceText()}, made on first use. */
        private String bounceText;
        /** {@link #bounceTextLower()}, made on first use. */
        private String bounceTextLower;
        /** Where a search that reaches its limit says so. */
        private final ProblemSink problems;
        /** Characters {@link #mention} may still read; -1 until first used. */
        private long searchBudget = -1;

        private Scan(Entity root, Limits limits, String text, Lines lines, ProblemSink problems) {
            this.problems = problems;
            this.root = root;
            this.limits = limits;
            this.text = text;
            this.lines = lines;
        }

        String text() {
            return text;
        }

        Lines lines() {
            return lines;
        }

        Map<String, Candidate> found() {
            if (found == null) {
                boolean[] capped = new boolean[1];
                found = candidates(root, limits, text, lines, capped);
                this.capped = capped[0];
            }
            return found;
        }

        /** @return whether the text holds more addresses than {@link Limits#maxRecipients()}, the rest not read */
        boolean capped() {
            found();
            return capped;
        }

        /**
         * The SMTP command named in the paragraph where {@code address} first appears: a cheap look that reads no
         * candidates, for reports that already hold the reply.
         *
         * @param address an address
         * @return the command, or null
         */
        String commandNear(String address) {
            return commandNear(address, -1);
        }

        /** {@link #commandNear(String)}, skipping the paragraphs up to line {@code covered}, already read. */
        private String commandNear(String address, int covered) {
            if (address == null || address.isEmpty()) {
                return null;
            }
            String lower = address.toLowerCase(Locale.ROOT);
            int k = 0;
            int tried = 0;
            // each mention in turn (a list of addresses may come before the transcript that names the command),
            // skipping mentions inside a paragraph already read, at most eight paragraphs; the search starts after
            // the paragraphs already read
            for (int at = mention(lower, covered < 0 ? 0 : lines.end(covered)); at >= 0 && tried < 8;
                    at = mention(lower, at + 1)) {
                while (k < lines.size() && lines.end(k) < at) {
                    k++;
                }
                if (k == lines.size()) {
                    return null;
                }
                if (k <= covered) {
                    continue;
                }
                tried++;
                covered = windowEnd(lines, k);
                String command = SmtpCommands.find(window(lines, k));
                if (command != null) {
                    return command;
                }
            }
            return null;
        }

        /**
         * @return the index in the text of the first line that starts report fields ({@code Reporting-MTA:},
         *         {@code Original-Recipient:}, {@code Final-Recipient:}) within the bounce's own text, or -1
         */
        int reportFieldsStart() {
            for (int k = 0; k < lines.size(); k++) {
                String line = lines.get(k);
                if (line.regionMatches(true, 0, "Reporting-MTA:", 0, 14)
                        || line.regionMatches(true, 0, "Original-Recipient:", 0, 19)
                        || line.regionMatches(true, 0, "Final-Recipient:", 0, 16)) {
                    return lines.start(k);
                }
            }
            return -1;
        }

        /**
         * The first mention of an address in the bounce's own text at or after {@code from}, ignoring case, or -1.
         * All searches of one scan read at most {@link #SEARCH_FACTOR} times that text (plus a fixed allowance):
         * a report of a thousand recipients that a long text never names must not read it a thousand times; past
         * that, nothing more is found, and a {@code LIMIT_EXCEEDED} problem says so. What is read is counted exactly:
         * the text up to each candidate and the characters compared there. An "address" longer than RFC 5321 allows
         * (254) is never looked for.
         *
         * @param lowerNeedle the address, lower case
         * @param from        where to start
         * @return the position, or -1
         */
        private int mention(String lowerNeedle, int from) {
            String own = bounceTextLower();
            if (searchBudget < 0) {
                searchBudget = SEARCH_FACTOR * own.length() + SEARCH_ALLOWANCE;
            }
            int n = lowerNeedle.length();
            if (n == 0 || n > 254 || from >= own.length() || searchBudget == 0) {
                return -1;
            }
            String needle = lowerChars(lowerNeedle);
            char first = needle.charAt(0);
            // what is read is charged: the text up to each candidate, and the characters compared there
            long spent = 0;
            int at = -1;
            for (int pos = from; ; pos = at + 1) {
                at = own.indexOf(first, pos);
                if (at < 0 || at + n > own.length()) {
                    spent += own.length() - pos;
                    at = -1;
                    break;
                }
                int k = 1;
                while (k < n && own.charAt(at + k) == needle.charAt(k)) {
                    k++;
                }
                spent += at - pos + k;
                if (k == n || spent > searchBudget) {
                    break;
                }
            }
            if (spent > searchBudget) {
                searchBudget = 0;
                problems.add(Problem.Kind.LIMIT_EXCEEDED, "the search for recipients in the text stopped after "
                        + "reading " + SEARCH_FACTOR + " times its length and " + (SEARCH_ALLOWANCE >> 20)
                        + " MiB (limit SEARCH_FACTOR)", -1);
                return -1;
            }
            searchBudget -= spent;
            return at;
        }

        /**
         * @return the bounce's own text lower-cased character by character, so that positions stay the same, made on
         *         first use: {@link #mention} searches it case-sensitively
         */
        private String bounceTextLower() {
            if (bounceTextLower == null) {
                bounceTextLower = lowerChars(bounceText());
            }
            return bounceTextLower;
        }

        /** @return the bounce's own text: {@link #text} up to {@link #bounceTextEnd()} */
        private String bounceText() {
            if (bounceText == null) {
                bounceText = text.substring(0, bounceTextEnd());
            }
            return bounceText;
        }

        /** @return where the bounce's own text ends (the returned message begins) */
        int bounceTextEnd() {
            return lines.size() == 0 ? 0 : Math.min(text.length(), lines.end(lines.size() - 1));
        }

        /**
         * @return the first failure reply anywhere in the bounce's own text, or null
         */
        SmtpReply firstReply() {
            for (int k = 0; k < lines.size(); k++) {
                SmtpReply r = replyAt(lines.get(k));
                if (r != null) {
                    return continued(lines, k, r);
                }
            }
            return null;
        }

        /**
         * The bounce's own words about a recipient, as an {@code x-text} diagnostic: the paragraph where the
         * address appears, or the whole bounce text when the report has one recipient (the reason is often a
         * paragraph away from the address).
         *
         * @param address the recipient
         * @param single  whether the report has one recipient
         * @return the diagnostic, or null when the text says nothing
         */
        TypedValue wordsFor(String address, boolean single) {
            String words = null;
            if (single) {
                words = text.substring(0, Math.min(text.length(), bounceTextEnd()));
            } else if (address != null && !address.isEmpty()) {
                int at = mention(address.toLowerCase(Locale.ROOT), 0);
                for (int k = 0; at >= 0 && k < lines.size(); k++) {
                    if (lines.end(k) >= at) {
                        words = window(lines, k);
                        break;
                    }
                }
            }
            return narrative(words);
        }

        /**
         * @param address an address
         * @return the reply the text ties to it, or null
         */
        SmtpReply replyFor(String address) {
            Candidate c = address == null ? null : found().get(address.toLowerCase(Locale.ROOT));
            return c == null ? null : c.reply;
        }

        /**
         * @param address an address
         * @return the SMTP command the text ties to it, or null
         */
        String commandFor(String address) {
            Candidate c = address == null ? null : found().get(address.toLowerCase(Locale.ROOT));
            return c == null || c.line < 0 ? commandNear(address)
                    : commandAt(address, c.line, SmtpCommands.find(window(lines, c.line)));
        }

        /**
         * The command named in the paragraph of line {@code line} ({@code found}, from its {@code window}), else
         * around a later mention of the address outside that paragraph.
         */
        String commandAt(String address, int line, String found) {
            return found != null ? found : commandNear(address, windowEnd(lines, line));
        }
    }

    /**
     * Reads the first text part of a message.
     *
     * @param root   the message
     * @param limits limits
     * @return the scan, or null when the message has no text part
     */
    /** The longest text {@link #oneLine} makes. */
    private static final int ONE_LINE_MAX = 2_000;
    /** How much of a report's human-readable part {@link #notification} reads. */
    private static final int NOTIFICATION_BYTES = 1024;
    /** {@link Scan#mention} reads at most this many times the bounce's own text per scan, plus the allowance. */
    static final long SEARCH_FACTOR = 64;
    /** What {@link Scan#mention} may read whatever the text's length. */
    static final long SEARCH_ALLOWANCE = 4 << 20;

    /**
     * @param root     the message
     * @param limits   limits
     * @param problems where a search that reaches its limit says so
     * @return the scan of the message's first text part, or null when it has none
     */
    static Scan scan(Entity root, Limits limits, ProblemSink problems) {
        Entity textPart = firstText(root, 0);
        if (textPart == null) {
            return null;
        }
        String text = textPart.text(limits.maxDecodedBytes());
        return new Scan(root, limits, text, Lines.of(text), problems);
    }

    /** Every address of the bounce's own text, with the reply, status, command and host found near it. */
    private static Map<String, Candidate> candidates(Entity root, Limits limits, String text, Lines lines,
                                                     boolean[] capped) {
        List<String> own = bounceAddresses(root);
        List<String> senders = senderAddresses(root, text, lines);
        // Candidates: every address of the bounce's own text, with the reply and status found near it.
        Map<String, Candidate> found = new LinkedHashMap<>();
        int i = 0;
        // on past the limit too, until a new address shows that the text holds more (a review finding: stopping at
        // the limit said nothing when the address past it was on a later line)
        for (int at = text.indexOf('@'); at >= 0 && !capped[0]; at = text.indexOf('@', lines.end(i))) {
            while (i < lines.size() && lines.end(i) < at) {
                i++;
            }
            if (i == lines.size()) {
                break;
            }
            String line = lines.get(i);
            boolean headerLike = isHeaderLike(line);
            SmtpReply reply = null;
            boolean looked = false;
            // the same for every address of the line, so found once per line: a line of a thousand addresses must
            // not be read (or copied) a thousand times
            EnhancedStatus near = null;
            boolean lookedNear = false;
            int[] nonSpace = null;
            for (String a : Addresses.extract(line)) {
                String key = a.toLowerCase(Locale.ROOT);
                Candidate seen = found.get(key);
                if (isOwn(a, own) || seen != null && seen.reply != null || a.length() > 254) {
                    continue;
                }
                if (!looked) {
                    reply = replyNear(lines, i); // the same for every address on the line
                    looked = true;
                }
                if (seen != null && !(!headerLike && (reply != null || seen.headerLike))
                        || seen == null && reply == null && isOwn(a, senders)) {
                    continue;
                }
                if (seen == null && found.size() >= limits.maxRecipients()) {
                    capped[0] = true; // a line may hold more addresses than the limit leaves room for
                    break;
                }
                if (!lookedNear && (reply == null || reply.status() == null)) {
                    near = statusNear(lines, i);
                    lookedNear = true;
                }
                if (nonSpace == null) {
                    nonSpace = nonSpaceFrom(line);
                }
                if (seen != null) {
                    // named again further down, this time with the reply (Exchange's "diagnostic information")
                    // or in the bounce's own words rather than a quoted header line
                    found.put(key, new Candidate(seen.address, reply, reply == null ? near : null, false,
                            seen.standsAlone || standsAlone(line, a, nonSpace), seen.sender, i));
                    continue;
                }
                found.put(key, new Candidate(a, reply, reply == null || reply.status() == null ? near : null,
                        headerLike, standsAlone(line, a, nonSpace), isOwn(a, senders), i));
            }
            if (lines.end(i) >= text.length()) {
                break;
            }
        }
        return found;
    }

    /**
     * Whether the line holds little besides the address: {@code line.replace(a, "").strip().length() <= 60}, found
     * without copying the line and stopping once the answer is known, because a long line of many addresses must
     * not cost a copy of itself per address. Occurrences are matched left to right as {@code replace} does.
     *
     * @param nonSpace {@link #nonSpaceFrom} of the line
     */
    static boolean standsAlone(String line, String a, int[] nonSpace) {
        int n = line.length();
        int kept = 0; // length of what remains, from its first non-space character on
        int pending = 0; // white space since the last kept non-space character: counted only if more follows
        boolean started = false;
        int p = 0;
        while (p < n) {
            if (line.startsWith(a, p)) {
                p += a.length(); // an address never starts with white space, so never inside a run of it
            } else if (nonSpace[p] > p) {
                pending += started ? nonSpace[p] - p : 0;
                p = nonSpace[p];
            } else {
                kept += (started ? pending : 0) + 1;
                if (kept > 60) {
                    return false;
                }
                pending = 0;
                started = true;
                p++;
            }
        }
        return true;
    }

    /** @return for each index of the line, the first index at or after it that holds no white space (or the length) */
    static int[] nonSpaceFrom(String line) {
        int n = line.length();
        int[] out = new int[n + 1];
        out[n] = n;
        for (int i = n - 1; i >= 0; i--) {
            out[i] = Character.isWhitespace(line.charAt(i)) ? out[i + 1] : i;
        }
        return out;
    }

    /** An address in the bounce's text, and what was found near it. */
    private record Candidate(String address, SmtpReply reply, EnhancedStatus status,
                             boolean headerLike, boolean standsAlone, boolean sender, int line) {
    }

    /**
     * Which candidates are the failed recipients: those the MTA lists in {@code X-Failed-Recipients} when the text
     * names them too; else those an SMTP reply is tied to, other than the original sender (whose address appears
     * in replies about MAIL FROM); else the listed ones; else the sender with a reply; else addresses standing on a
     * line of their own (not prose, not a quoted header
     * line). A message marked {@code Auto-Submitted: auto-replied} that ties no reply to any address is an
     * auto-reply, not a bounce.
     */
    private static List<Candidate> choose(Collection<Candidate> all, String failedHeader, Entity root) {
        List<Candidate> listed = new ArrayList<>();
        boolean listedInText = false;
        if (failedHeader != null) {
            // the MTA's own list (Exim's X-Failed-Recipients)
            for (String a : Addresses.extract(failedHeader)) {
                Candidate known = null;
                for (Candidate c : all) {
                    if (c.address.equalsIgnoreCase(a)) {
                        known = c;
                    }
                }
                listedInText |= known != null;
                listed.add(known != null ? known : new Candidate(a, null, null, false, true, false, -1));
            }
        }
        if (listedInText) {
            return listed;
        }
        List<Candidate> withReply = new ArrayList<>();
        List<Candidate> sendersWithReply = new ArrayList<>();
        for (Candidate c : all) {
            if (c.reply != null && !c.headerLike) {
                (c.sender ? sendersWithReply : withReply).add(c);
            }
        }
        if (!withReply.isEmpty()) {
            return withReply;
        }
        if (!listed.isEmpty()) {
            return listed;
        }
        if (!sendersWithReply.isEmpty()) {
            return sendersWithReply; // a sender writing to itself (or an anonymised sample)
        }
        if (autoReplied(root)) {
            return List.of();
        }
        List<Candidate> alone = new ArrayList<>();
        for (Candidate c : all) {
            if (c.standsAlone && !c.headerLike) {
                alone.add(c);
            }
        }
        if (!alone.isEmpty()) {
            return alone;
        }
        for (Candidate c : all) {
            if (c.reply != null) {
                alone.add(c);
            }
        }
        if (alone.isEmpty()) {
            // a bounce that names one address in its own words and nothing else ("Unable to deliver message to
            // <a@b>"): that address is the recipient
            for (Candidate c : all) {
                if (!c.sender && !c.headerLike) {
                    alone.add(c);
                }
            }
            if (alone.size() != 1) {
                alone.clear();
            }
        }
        return alone;
    }

    private static boolean autoReplied(Entity root) {
        String autoSubmitted = root.header("auto-submitted");
        return autoSubmitted != null && autoSubmitted.strip().toLowerCase(Locale.ROOT).startsWith("auto-replied");
    }

    /** The returned message's To addresses: from an enclosed message, or a To line quoted after the text. */
    private static List<String> originalTo(Entity root, String text, Lines lines) {
        Entity enclosing = ReportReader.findEnclosingPart(root);
        if (enclosing != null) {
            String to = enclosing.enclosed().header("to");
            return to == null ? List.of() : Addresses.extract(to);
        }
        int p = lines.end(lines.size() == 0 ? 0 : lines.size() - 1);
        for (int scanned = 0; p < text.length() && scanned < 200; scanned++) {
            int e = lineEnd(text, p);
            String line = text.substring(p, e).strip();
            if (line.regionMatches(true, 0, "To:", 0, 3)) {
                return Addresses.extract(line);
            }
            p = e < text.length() && text.charAt(e) == '\r' && e + 1 < text.length() && text.charAt(e + 1) == '\n'
                    ? e + 2 : e + 1;
        }
        return List.of();
    }

    /** The index of the CR or LF ending the line that starts at {@code p}, or the text's length. */
    private static int lineEnd(String text, int p) {
        for (int i = p; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return text.length();
    }

    /** The bounce's own sender addresses: never a failed recipient. */
    private static List<String> bounceAddresses(Entity root) {
        List<String> own = new ArrayList<>();
        for (String name : new String[] {"from", "return-path", "sender"}) {
            String v = root.header(name);
            if (v != null) {
                own.addAll(Addresses.extract(v));
            }
        }
        return own;
    }

    /**
     * The returned message's sender addresses (from an enclosed message, or header lines quoted after the bounce
     * text): not a recipient unless the text ties a reply to it (a sender can write to itself).
     */
    private static List<String> senderAddresses(Entity root, String text, Lines lines) {
        List<String> own = new ArrayList<>();
        for (String name : new String[] {"to", "reply-to"}) {
            String v = root.header(name);
            if (v != null) {
                own.addAll(Addresses.extract(v)); // the bounce goes back to the original sender
            }
        }
        Entity enclosing = ReportReader.findEnclosingPart(root);
        if (enclosing != null) {
            for (String name : new String[] {"from", "return-path", "sender", "reply-to"}) {
                String v = enclosing.enclosed().header(name);
                if (v != null) {
                    own.addAll(Addresses.extract(v));
                }
            }
        }
        // header lines of the returned message quoted after the bounce text
        int quoted = lines.end(lines.size() - 1 < 0 ? 0 : lines.size() - 1);
        int scanned = 0;
        for (int p = quoted; p < text.length() && scanned < 200; scanned++) {
            int e = lineEnd(text, p);
            String line = text.substring(p, e);
            if (line.regionMatches(true, 0, "From:", 0, 5) || line.regionMatches(true, 0, "Return-Path:", 0, 12)
                    || line.regionMatches(true, 0, "Sender:", 0, 7)) {
                own.addAll(Addresses.extract(line));
            }
            p = e < text.length() && text.charAt(e) == '\r' && e + 1 < text.length() && text.charAt(e + 1) == '\n'
                    ? e + 2 : e + 1;
        }
        return own;
    }

    private static final List<String> HEADER_LIKE = List.of("from:", "to:", "cc:", "bcc:", "reply-to:", "sender:",
            "return-path:", "message-id:", "in-reply-to:", "references:", "received:", "date:", "subject:",
            "delivered-to:", "x-", "envelope-to:", "errors-to:", "resent-");

    /** Whether a line looks like a header field of the returned message quoted in the text. */
    private static boolean isHeaderLike(String line) {
        String s = line.stripLeading();
        for (String h : HEADER_LIKE) {
            if (s.regionMatches(true, 0, h, 0, h.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SMTP commands named in the paragraphs of the first text part where recipients appear, read from the part's
     * bytes without decoding the whole text: for standard reports that already hold the replies and lack only the
     * command ("... (in reply to RCPT TO command)" in Postfix's human-readable part). The part is decoded once, and
     * all the searches of one report read at most {@link #SEARCH_FACTOR} times it plus {@link #SEARCH_ALLOWANCE} (a
     * review finding: a thousand recipients each searched a 6 MB text of {@code @} for 20 s).
     *
     * <p>Not thread-safe: one per report being read.
     */
    static final class CommandSearch {
        private final Entity.Bytes body;
        private long budget;
        private boolean exhausted;

        /**
         * @param root   the message
         * @param limits limits
         */
        CommandSearch(Entity root, Limits limits) {
            Entity part = firstText(root, 0);
            // quoted-printable text is searched as it is: addresses and command phrases are plain ASCII there
            this.body = part == null ? null : part.transferEncoding.equals("base64")
                    ? part.decodedBody(limits.maxDecodedBytes())
                    : new Entity.Bytes(part.buf, part.bodyStart, part.bodyEnd, false, false);
            this.budget = body == null ? 0 : SEARCH_FACTOR * (body.end() - body.start()) + SEARCH_ALLOWANCE;
        }

        private static int lowerAscii(byte c) {
            return c >= 'A' && c <= 'Z' ? c + 32 : c;
        }

        /** @return whether a search stopped at the limit, so that later recipients were not looked for */
        boolean exhausted() {
            return exhausted;
        }

        /**
         * @param address the recipient
         * @return the command named in the paragraph where it is mentioned (trying at most eight mentions), or null
         */
        String commandFor(String address) {
            if (body == null || exhausted || address == null || address.indexOf('@') <= 0) {
                return null;
            }
            byte[] b = body.buf();
            byte[] want = address.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            int localLen = address.indexOf('@');
            int mentions = 0;
            int passed = body.start();
            for (int at = ByteCursor.indexOf(b, (byte) '@', body.start(), body.end()); at < body.end();
                    at = ByteCursor.indexOf(b, (byte) '@', at + 1, body.end())) {
                budget -= at - passed + 1;
                passed = at;
                if (budget < 0) {
                    exhausted = true;
                    return null;
                }
                int s = at - localLen;
                if (s < body.start() || s + want.length > body.end()) {
                    continue;
                }
                int k = 0;
                while (k < want.length && lowerAscii(b[s + k]) == want[k]) {
                    k++;
                }
                budget -= k;
                if (k < want.length) {
                    continue;
                }
                int lineStart = s;
                while (lineStart > body.start() && b[lineStart - 1] != '\n' && b[lineStart - 1] != '\r') {
                    lineStart--;
                }
                int end = lineStart;
                // the line before may name the command the reply on this line answers ("did not like our RCPT TO:")
                int before = lineStart;
                if (before > body.start()) {
                    before--;
                    if (b[before] == '\n' && before > body.start() && b[before - 1] == '\r') {
                        before--;
                    }
                    while (before > body.start() && b[before - 1] != '\n' && b[before - 1] != '\r') {
                        before--;
                    }
                }
                for (int lines = 0; end < body.end() && lines < 16; lines++) {
                    int eol = ByteCursor.lineEnd(b, end, body.end());
                    if (lines > 0 && ByteCursor.isBlank(b, end, eol)) {
                        break; // the recipient's paragraph ends here
                    }
                    end = ByteCursor.afterBreak(b, eol, body.end());
                }
                budget -= end - before;
                String command = SmtpCommands.find(new String(b, before, end - before, StandardCharsets.ISO_8859_1));
                if (command != null || ++mentions == 8) {
                    return command;
                }
                at = Math.max(at, end - 1); // the next mention after this paragraph
                passed = at;
                // a later mention of the address (a transcript after the list of addresses) may name it
            }
            budget -= body.end() - passed;
            exhausted = budget < 0;
            return null;
        }
    }

    /**
     * @param scan a scanned message
     * @return the message's own words, lines joined, at most 2,000 characters, or null when it has none
     */
    static String words(Scan scan) {
        TypedValue w = scan.wordsFor(null, true);
        return w == null ? null : w.value();
    }

    /**
     * The beginning of a report's human-readable part (its first text part, at most 1 KB of it): cheaper than a
     * {@link Scan}, for reports whose recipients come from their delivery-status part.
     *
     * @param root   the report
     * @param limits limits
     * @return the text, stripped, or null when there is none
     */
    static String notification(Entity root, Limits limits) {
        Entity part = firstText(root, 0);
        if (part == null || part == root && root.contentType.isMultipart()) {
            return null;
        }
        String text = part.text(Math.min(limits.maxDecodedBytes(), NOTIFICATION_BYTES)).strip();
        return text.isEmpty() ? null : text;
    }

    /**
     * @param scan a scanned message
     * @return the beginning of its own text (at most {@link #NOTIFICATION_BYTES} characters), stripped, or null
     */
    static String notification(Scan scan) {
        String text = scan.text.substring(0, Math.min(scan.bounceTextEnd(), NOTIFICATION_BYTES)).strip();
        return text.isEmpty() ? null : text;
    }

    /** A bounce's own words as an {@code x-text} diagnostic, lines joined; null when there are none. */
    private static TypedValue narrative(String words) {
        return words == null || words.isBlank() ? null : new TypedValue("x-text", oneLine(words));
    }

    /** Lines joined by single spaces, at most 2,000 characters. */
    private static String oneLine(String text) {
        int n = Math.min(text.length(), 4 * ONE_LINE_MAX); // beyond that, the words would not fit anyway
        char[] in = new char[n];
        text.getChars(0, n, in, 0);
        int len = 0; // compacted in place: runs of white space become one space
        boolean space = false;
        for (int i = 0; i < n && len < ONE_LINE_MAX; i++) {
            char c = in[i];
            if (isSpace(c)) {
                space = len > 0;
            } else {
                if (space) {
                    in[len++] = ' ';
                    space = false;
                    if (len == ONE_LINE_MAX) {
                        len--;
                        break;
                    }
                }
                in[len++] = c;
            }
        }
        return new String(in, 0, len);
    }

    /** {@link Character#isWhitespace}, with the ASCII answer first. */
    private static boolean isSpace(char c) {
        return c <= ' ' ? c == ' ' || c >= '\t' && c <= '\r' || c >= '\u001c' : c >= 0x80 && Character.isWhitespace(c);
    }

    /** The last line {@link #window} reads for line {@code i}. */
    private static int windowEnd(Lines lines, int i) {
        int k = i + 1;
        while (k < Math.min(lines.size(), i + 16) && !lines.get(k).isBlank() && !namesRecipient(lines.get(k))) {
            k++;
        }
        return k - 1;
    }

    /**
     * The lines around an address that tell how its delivery failed: a transcript line or two before it
     * ({@code >>> RCPT TO:<a@b>}) and its paragraph after it (at most 16 lines), not crossing into another
     * recipient's entry of a list.
     */
    private static String window(Lines lines, int i) {
        // the words just above the address, unless they belong to the recipient listed before it
        int from = i;
        for (int j = i - 1; j >= Math.max(0, i - 2) && !lines.get(j).isBlank(); j--) {
            if (namesRecipient(lines.get(j))) {
                from = i;
                break;
            }
            from = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < Math.min(lines.size(), i + 16); k++) {
            String line = lines.get(k);
            if (k > i && (line.isBlank() || namesRecipient(line))) {
                break; // the recipient's paragraph ends here
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** A line that is only an address in angle brackets, as a list of failed recipients writes one per entry. */
    private static boolean namesRecipient(String line) {
        int s = 0;
        int e = line.length();
        while (s < e && line.charAt(s) <= ' ') {
            s++;
        }
        if (s == e || line.charAt(s) != '<') {
            return false;
        }
        while (e > s && line.charAt(e - 1) <= ' ') {
            e--;
        }
        if (line.charAt(e - 1) == ':') {
            e--;
        }
        if (e - s < 4 || line.charAt(e - 1) != '>') {
            return false;
        }
        int at = line.indexOf('@', s);
        int space = line.indexOf(' ', s);
        return at > s && at < e && (space < 0 || space >= e);
    }

    /**
     * The remote host a bounce names: Postfix's {@code host mx.example.com[192.0.2.1]}, Exim's
     * {@code host mx.example.com [192.0.2.1]}, qmail's {@code remote host 192.0.2.1 said}.
     *
     * @return the host name or address, or null
     */
    static String remoteHost(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = lower.indexOf("host "); i >= 0; i = lower.indexOf("host ", i + 1)) {
            if (i > 0 && Character.isLetterOrDigit(lower.charAt(i - 1))) {
                continue; // "localhost ", "ghost "
            }
            int s = i + 5;
            int e = s;
            while (e < text.length() && (Character.isLetterOrDigit(text.charAt(e)) || text.charAt(e) == '.'
                    || text.charAt(e) == '-' || text.charAt(e) == ':')) {
                e++;
            }
            String host = text.substring(s, e);
            while (host.endsWith(".") || host.endsWith(":")) {
                host = host.substring(0, host.length() - 1);
            }
            if (host.indexOf('.') > 0 && host.length() <= 253) {
                return host;
            }
        }
        return null;
    }

    /** An enhanced status on line {@code i} or in the few lines after it. */
    private static EnhancedStatus statusNear(Lines lines, int i) {
        for (int k = i; k < Math.min(lines.size(), i + 4); k++) {
            EnhancedStatus s = statusAt(lines.get(k));
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private static EnhancedStatus statusAt(String line) {
        if (line.indexOf('.') < 0) {
            return null;
        }
        EnhancedStatus s = EnhancedStatus.find(line).orElse(null);
        return s != null && !s.isSuccess() ? s : null;
    }

    private static boolean isOwn(String a, List<String> own) {
        String lower = a.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mailer-daemon@")) {
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
                if (r.text().startsWith("<") && r.text().contains(">...")) {
                    // sendmail's own summary ("554 <a@b>... Remote protocol error"): the remote server's reply
                    // is the "<<< NNN" transcript line just above it
                    for (int up = k - 1; up >= Math.max(0, k - 3); up--) {
                        String prev = lines.get(up).strip();
                        if (prev.startsWith("<<<")) {
                            SmtpReply remote = replyAt(prev);
                            if (remote != null) {
                                return remote;
                            }
                        }
                    }
                }
                return continued(lines, k, r);
            }
        }
        return null;
    }

    /** A multi-line reply ({@code 550-...} lines then {@code 550 ...}) read whole from its first line. */
    private static SmtpReply continued(Lines lines, int k, SmtpReply first) {
        String line = lines.get(k).strip();
        int code = first.code();
        if (code == 0) {
            return first;
        }
        String prefix = code + "-";
        int at = line.indexOf(prefix);
        if (at < 0) {
            return wrapped(lines, k, line, first);
        }
        StringBuilder sb = new StringBuilder(line.substring(at));
        for (int j = k + 1; j < lines.size() && j < k + 20; j++) {
            String next = lines.get(j).strip();
            if (!next.startsWith(Integer.toString(code))) {
                break;
            }
            sb.append('\n').append(next);
            if (!next.startsWith(prefix)) {
                break;
            }
        }
        return SmtpReply.parse(sb).orElse(first);
    }

    /**
     * A one-line reply that ends with a colon continues on the next lines, as Exim wraps a long reply
     * ("554 5.7.1 &lt;a@b&gt;:" then "Recipient address rejected: Access denied"), and so does a reply whose line
     * holds only its code (Postfix wraps "said: 550" then "&lt;a@b&gt;: User unknown"): those lines, up to a blank
     * one, another reply or three lines, are its text.
     */
    private static SmtpReply wrapped(Lines lines, int k, String line, SmtpReply first) {
        if (!line.endsWith(":") && !first.text().isBlank()) {
            return first;
        }
        StringBuilder sb = null;
        List<String> all = null;
        for (int j = k + 1; j < lines.size() && j <= k + 3; j++) {
            String next = lines.get(j).strip();
            if (next.isEmpty() || replyAt(next) != null || next.startsWith("-")) {
                break;
            }
            if (sb == null) {
                sb = new StringBuilder(first.text());
                all = new ArrayList<>(first.lines());
            }
            sb.append(sb.length() == 0 ? "" : " ").append(next);
            all.add(next);
        }
        return sb == null ? first : new SmtpReply(first.code(), first.status(), sb.toString(), all);
    }

    /** A failure reply (4xx/5xx or 4.x.x/5.x.x) in a line: at its start, after "said:", or after "(reason:". */
    static SmtpReply replyAt(String line) {
        if (!mayHoldReply(line)) {
            return null;
        }
        String s = line.strip();
        if (s.startsWith("<<<")) {
            s = s.substring(3).strip(); // sendmail's transcript of what the remote server answered
        }
        if (s.length() > 4 && (s.charAt(3) == ':' || s.charAt(3) == ',')
                && SmtpReply.parse(s.substring(0, 3) + " x").isPresent()) {
            s = s.substring(0, 3) + s.substring(4); // "550: 5.2.2 <a@b>... Mailbox Full"
        }
        int said = indexOfIgnoreCase(s, "said:");
        if (said >= 0) {
            s = s.substring(said + 5).strip();
        } else if (s.regionMatches(true, 0, "(reason:", 0, 8)) {
            s = s.substring(8).strip();
        } else {
            int at = codeInside(s);
            if (at < 0) {
                at = codeAfterColon(s);
            }
            if (at < 0) {
                int word = indexOfIgnoreCase(s, "code");
                if (word >= 0) {
                    // "ResponseCode 421, Host not reachable" (Zoho), "error code: 550 ..."
                    int c = word + 4;
                    while (c < s.length() && (s.charAt(c) == ' ' || s.charAt(c) == ':')) {
                        c++;
                    }
                    if (c + 3 <= s.length() && (s.charAt(c) == '4' || s.charAt(c) == '5')
                            && Character.isDigit(s.charAt(c + 1)) && Character.isDigit(s.charAt(c + 2))
                            && (c + 3 == s.length() || !Character.isDigit(s.charAt(c + 3)))) {
                        String tail = s.substring(c + 3).replaceFirst("^[,; ]+", "");
                        s = s.substring(c, c + 3) + " " + tail;
                    }
                }
            }
            if (at > 0) {
                s = s.substring(at);
                if (s.length() > 4 && s.charAt(3) == ',') {
                    s = s.substring(0, 3) + ' ' + s.substring(4); // "ERROR_CODE :550, ERROR_CODE :5.2.1 ..."
                }
            }
        }
        SmtpReply r = SmtpReply.parse(s).orElse(null);
        if (r == null || !(r.isPermanent() || r.isTransient())) {
            return null;
        }
        int dots = r.text().indexOf(">... ");
        if (dots > 0 && r.text().startsWith("<")) {
            // sendmail: "554 <a@b>... 550 Host unknown": the remote server's own reply follows the address
            SmtpReply inner = SmtpReply.parse(r.text().substring(dots + 5)).orElse(null);
            if (inner != null && inner.code() != 0 && (inner.isPermanent() || inner.isTransient())) {
                return inner;
            }
        }
        return r;
    }

    /** @return {@code s} with each character lower-cased alone ({@link Character#toLowerCase(char)}): same length */
    static String lowerChars(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.toLowerCase(c[i]);
        }
        return new String(c);
    }

    private static int indexOfIgnoreCase(String s, String lowerNeedle) {
        return indexOfIgnoreCase(s, lowerNeedle, 0);
    }

    private static int indexOfIgnoreCase(String s, String lowerNeedle, int from) {
        char lower = lowerNeedle.charAt(0);
        char upper = Character.toUpperCase(lower);
        int n = lowerNeedle.length();
        // jump between occurrences of the first character in either case (String.indexOf is intrinsic); each
        // of the two positions is searched again only once it has been passed, so the text is read once
        int a = s.indexOf(lower, from);
        int b = upper == lower ? -1 : s.indexOf(upper, from);
        while (true) {
            int at = a < 0 ? b : b < 0 ? a : Math.min(a, b);
            if (at < 0 || at + n > s.length()) {
                return -1;
            }
            if (s.regionMatches(true, at, lowerNeedle, 0, n)) {
                return at;
            }
            if (at == a) {
                a = s.indexOf(lower, at + 1);
            } else {
                b = s.indexOf(upper, at + 1);
            }
        }
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
            at = bareCode(t);
        }
        if (at <= 0) {
            return null;
        }
        return SmtpReply.parse(t.substring(at)).orElse(null);
    }

    /** The index of " NNN-" (a reply's first line without a status) inside a text, or -1. */
    private static int bareCode(String t) {
        for (int i = 1; i + 4 < t.length(); i++) {
            char c = t.charAt(i);
            if ((c == '4' || c == '5') && t.charAt(i - 1) == ' ' && Character.isDigit(t.charAt(i + 1))
                    && Character.isDigit(t.charAt(i + 2)) && t.charAt(i + 3) == '-'
                    && Character.isLetter(t.charAt(i + 4))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of a reply code right after a colon ({@code "<a@b>: 550 user unknown"},
     * {@code "host mx [192.0.2.1]: 550 ..."}), followed by a space, a hyphen or the end; else -1.
     */
    private static int codeAfterColon(String s) {
        for (int i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) {
            int c = i + 1;
            while (c < s.length() && s.charAt(c) == ' ') {
                c++; // "<a@b>: 550 ..." and "ERROR_CODE :550, ..."
            }
            if (c + 3 <= s.length() && (s.charAt(c) == '4' || s.charAt(c) == '5')
                    && Character.isDigit(s.charAt(c + 1)) && Character.isDigit(s.charAt(c + 2))
                    && (c + 3 == s.length() || s.charAt(c + 3) == ' ' || s.charAt(c + 3) == '-'
                    || s.charAt(c + 3) == ',' && c == i + 1)) {
                return c;
            }
        }
        return -1;
    }

    /** The index of "NNN " or "NNN-" followed by an enhanced status, standing alone inside a line; else -1. */
    private static int codeInside(String s) {
        for (int i = 1; i + 9 <= s.length(); i++) {
            char c = s.charAt(i);
            if ((c == '4' || c == '5') && !Character.isLetterOrDigit(s.charAt(i - 1)) && s.charAt(i - 1) != '.'
                    && Character.isDigit(s.charAt(i + 1))
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
    static final class Lines {
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
            // next LF and next CR, each searched again only once passed (String.indexOf is vectorised)
            int nextLf = text.indexOf('\n');
            int nextCr = text.indexOf('\r');
            while (start <= n && size < max) {
                if (nextLf >= 0 && nextLf < start) {
                    nextLf = text.indexOf('\n', start);
                }
                if (nextCr >= 0 && nextCr < start) {
                    nextCr = text.indexOf('\r', start);
                }
                int end = nextLf < 0 ? (nextCr < 0 ? n : nextCr) : nextCr < 0 ? nextLf : Math.min(nextLf, nextCr);
                if (end == n && start == n) {
                    break;
                }
                if (isOriginalMarker(text, start, end)
                        || (size == 0 || starts[size - 1] == ends[size - 1]) && startsQuotedHeader(text, start, end)) {
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

        int start(int i) {
            return starts[i];
        }

        String text() {
            return text;
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

    /** Words that, on a ruler line ("----- ... -----"), announce the returned message. */
    private static final List<String> RULER_WORDS = List.of("original message", "returned message", "copy of",
            "header of", "headers of", "below this line", "undelivered message", "message follows",
            "original mail", "returned mail", "message header", "rejected message", "unsent message",
            "returned content", "original text");

    /**
     * Whether {@code text[start, end)} starts the returned message: a known marker line, or a ruler of dashes,
     * equals signs or underscores with words that announce the returned message.
     */
    private static boolean isOriginalMarker(String text, int start, int end) {
        int i = start;
        while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i == end) {
            return false;
        }
        char c = text.charAt(i);
        if (c == 'o' || c == 'O' || c == '-') {
            for (String m : ORIGINAL_MARKERS) {
                if (end - i >= m.length() && text.regionMatches(true, i, m, 0, m.length())) {
                    return true;
                }
            }
        }
        if ((c == '-' || c == '=' || c == '_' || c == '*') && i + 2 < end && text.charAt(i + 1) == c
                && text.charAt(i + 2) == c && end - i <= 120) {
            String lower = text.substring(i, end).toLowerCase(Locale.ROOT);
            for (String w : RULER_WORDS) {
                if (lower.contains(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a line (after an empty one) starts the returned message's header quoted as text. */
    private static boolean startsQuotedHeader(String text, int start, int end) {
        return end - start > 14 && (text.regionMatches(true, start, "Return-Path:", 0, 12)
                || text.regionMatches(true, start, "Received: from", 0, 14));
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
            // a "multipart" whose boundary never appears is plain text in practice (PMDF, broken gateways)
            return t.startsWith("text/") && !t.equals("text/rfc822-headers") || e.contentType.isMultipart() ? e
                    : null;
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
