package org.bouncekit.classifier.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.bouncekit.classifier.Rule;
import org.bouncekit.classifier.RuleSet;
import org.bouncekit.core.EnhancedStatus;

/**
 * Finds the rule that decides an input. Rules are indexed by their phrases (one Aho-Corasick pass over the text),
 * their statuses and their codes, so the work per input does not grow with the number of rules. Immutable and
 * thread-safe.
 */
public final class RuleEngine {

    /**
     * A rule with where it came from, its rank (later rule sets rank higher) and its conditions compiled: phrase
     * ids per text group, statuses as packed keys, regexes.
     */
    private static final class Entry {
        final Rule rule;
        final String set;
        final int rank;
        final int score;
        /** Compiled once the rule is known to be kept. */
        LinearRegex[] regexes;
        int[][] groups;
        int[] statuses;
        int[] codes;

        Entry(Rule rule, String set, int rank, int score) {
            this.rule = rule;
            this.set = set;
            this.rank = rank;
            this.score = score;
        }
    }

    /**
     * The most instructions the regexes of one engine's rules compile to, all together. It bounds the memory they
     * take (about 30 bytes an instruction) and the work of one match: at most (text length + 1) × 3 × this many
     * steps, with the text cut at 8 KiB (without it, 25,000 rules of {@code x{500}y} ran out of memory, and 2,000 of
     * them took 13 seconds to classify one text). The built-in rules use under 200.
     */
    public static final int MAX_TOTAL_PROGRAM = 20_000;

    /** A wildcard subject or detail in a packed status key. */
    private static final int ANY = 1023;

    /**
     * The deciding rule and what it matched.
     *
     * @param rule  the rule
     * @param set   its rule set's name
     * @param field {@code text}, {@code status}, {@code code}, {@code host}, {@code format} or {@code command}
     * @param span  what matched
     */
    public record Match(Rule rule, String set, String field, String span) {
    }

    private final List<Entry> entries;
    private final List<String> phrases;
    /** For each phrase id, the entries (by index) that use it. */
    private final int[][] phraseUsers;
    private final PhraseMatcher matcher;
    private final Map<Integer, int[]> byStatus;
    private final Map<Integer, int[]> byCode;
    private final int[] always;

    /**
     * @param sets rule sets in order; later sets override rules with the same id and may disable rules
     */
    public RuleEngine(List<RuleSet> sets) {
        this(sets, r -> true);
    }

    /**
     * @param sets rule sets in order; later sets override rules with the same id and may disable rules
     * @param keep which of the resulting rules the engine holds
     */
    public RuleEngine(List<RuleSet> sets, Predicate<Rule> keep) {
        // by rule id: a later set's rule with an id already used in any set replaces it
        Map<String, Entry> byId = new LinkedHashMap<>();
        int rank = 0;
        for (RuleSet set : sets) {
            for (String ref : set.disabled()) {
                int colon = ref.indexOf(':');
                Entry e = byId.get(ref.substring(colon + 1));
                if (e != null && e.set.equals(ref.substring(0, colon))) {
                    byId.remove(e.rule.id());
                }
            }
            for (Rule r : set.rules()) {
                byId.remove(r.id()); // the replacement takes the later place
                byId.put(r.id(), new Entry(r, set.name(), rank++, score(r)));
            }
        }
        List<Entry> kept = new ArrayList<>();
        long instructions = 0;
        for (Entry e : byId.values()) {
            if (keep.test(e.rule)) {
                kept.add(e);
                e.regexes = new LinearRegex[e.rule.regexes().size()];
                for (int k = 0; k < e.regexes.length; k++) {
                    e.regexes[k] = LinearRegex.compile(e.rule.regexes().get(k));
                    instructions += e.regexes[k].size();
                    if (instructions > MAX_TOTAL_PROGRAM) {
                        throw new IllegalArgumentException("the rules' regexes compile to more than "
                                + MAX_TOTAL_PROGRAM + " instructions in all (limit MAX_TOTAL_PROGRAM), passed at "
                                + "rule " + e.set + ":" + e.rule.id());
                    }
                }
            }
        }
        this.entries = List.copyOf(kept);
        Map<String, Integer> phraseIds = new LinkedHashMap<>();
        Map<Integer, List<Integer>> users = new HashMap<>();
        Map<Integer, List<Integer>> status = new HashMap<>();
        Map<Integer, List<Integer>> code = new HashMap<>();
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Rule r = entries.get(i).rule;
            if (!r.texts().isEmpty()) {
                for (List<String> group : r.texts()) {
                    for (String p : group) {
                        int id = phraseIds.computeIfAbsent(p, k -> phraseIds.size());
                        users.computeIfAbsent(id, k -> new ArrayList<>()).add(i);
                    }
                }
            } else if (!r.statuses().isEmpty()) {
                for (String s : r.statuses()) {
                    status.computeIfAbsent(pack(s), k -> new ArrayList<>()).add(i);
                }
            } else if (!r.codes().isEmpty()) {
                for (int c : r.codes()) {
                    code.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
                }
            } else {
                rest.add(i);
            }
        }
        for (Entry e : entries) {
            List<List<String>> texts = e.rule.texts();
            e.groups = new int[texts.size()][];
            for (int g = 0; g < texts.size(); g++) {
                e.groups[g] = texts.get(g).stream().mapToInt(phraseIds::get).toArray();
            }
            e.statuses = e.rule.statuses().stream().mapToInt(RuleEngine::pack).toArray();
            e.codes = e.rule.codes().stream().mapToInt(Integer::intValue).toArray();
        }
        this.phrases = List.copyOf(phraseIds.keySet());
        this.phraseUsers = new int[phrases.size()][];
        for (int id = 0; id < phrases.size(); id++) {
            phraseUsers[id] = users.get(id).stream().mapToInt(Integer::intValue).distinct().toArray();
        }
        this.matcher = new PhraseMatcher(phrases);
        this.byStatus = new HashMap<>();
        status.forEach((k, v) -> byStatus.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        this.byCode = new HashMap<>();
        code.forEach((k, v) -> byCode.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        this.always = rest.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code 5.1.*} as a number: class, subject and detail in 10 bits each, {@link #ANY} for a wildcard. */
    private static int pack(String pattern) {
        String[] parts = pattern.split("\\.");
        return pack(Integer.parseInt(parts[0]), parts[1].equals("*") ? ANY : Integer.parseInt(parts[1]),
                parts[2].equals("*") ? ANY : Integer.parseInt(parts[2]));
    }

    /** Subject and detail are {@link #ANY} or a number (numbers past 1022 are read as 1022). */
    private static int pack(int cls, int subject, int detail) {
        return cls << 20 | (subject == ANY ? ANY : Math.min(subject, ANY - 1)) << 10
                | (detail == ANY ? ANY : Math.min(detail, ANY - 1));
    }

    /** Text decides before status, status before code, a provider rule before a generic one. */
    private static int score(Rule r) {
        int s = r.priority();
        if (r.provider() != null) {
            s += 1000;
        }
        if (!r.texts().isEmpty() || !r.regexes().isEmpty()) {
            // a regex is a text condition too
            s += 100 + 10 * (r.texts().size() + r.regexes().size());
        }
        for (String st : r.statuses()) {
            s += st.contains("*") ? 3 : 6;
            break;
        }
        if (!r.codes().isEmpty()) {
            s += 1;
        }
        if (!r.hosts().isEmpty()) {
            s += 2;
        }
        if (!r.commands().isEmpty()) {
            s += 5;
        }
        if (!r.formats().isEmpty()) {
            s += 4;
        }
        return s;
    }

    /** @return the number of active rules */
    public int size() {
        return entries.size();
    }

    /** @return the active rules with their sets, in order */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e.set + ":" + e.rule.id() + " -> " + e.rule.reason().token());
        }
        return out;
    }

    /**
     * @param text      the reply or diagnostic text, in any case, may be empty
     * @param status    the enhanced status, or null
     * @param code      the reply code, or 0
     * @param lowerHost the remote host, lower case, or null
     * @param command   the SMTP command at which delivery failed, upper case, or null
     * @param format    the report's format, or null
     * @return the deciding rule, or null when none matches
     */
    public Match match(String text, EnhancedStatus status, int code, String lowerHost, String command,
                       String format) {
        return match(text, false, status, code, lowerHost, command, format);
    }

    /**
     * {@link #match(String, EnhancedStatus, int, String, String, String)} with a text that may have been cut from
     * a longer one: a regex's {@code $} and {@code \b} then do not match at the cut.
     *
     * @param text      the text, or its start
     * @param cut       whether {@code text} was cut from a longer text
     * @param status    the enhanced status, or null
     * @param code      the reply code, or 0
     * @param lowerHost the remote host, lower case, or null
     * @param command   the SMTP command at which delivery failed, upper case, or null
     * @param format    the report's format, or null
     * @return the deciding rule, or null when none matches
     */
    public Match match(String text, boolean cut, EnhancedStatus status, int code, String lowerHost, String command,
                       String format) {
        BitSet found = new BitSet(phrases.size());
        if (!text.isEmpty()) {
            matcher.search(text, (phrase, end) -> found.set(phrase));
        }
        Entry best = null;
        String bestField = null;
        String bestSpan = null;
        int bestLength = 0;
        BitSet checked = new BitSet(entries.size());
        for (int p = found.nextSetBit(0); p >= 0; p = found.nextSetBit(p + 1)) {
            for (int i : phraseUsers[p]) {
                if (checked.get(i)) {
                    continue; // a rule several of whose phrases occur is judged once
                }
                checked.set(i);
                Entry e = entries.get(i);
                if (!holds(e, text, cut, found, status, code, lowerHost, command, format)) {
                    continue;
                }
                String span = longestPhrase(e, found);
                // among text rules of equal weight, the longest (most specific) phrase decides
                if (best == null || e.score > best.score
                        || e.score == best.score && (span.length() > bestLength
                        || span.length() == bestLength && e.rank > best.rank)) {
                    best = e;
                    bestField = "text";
                    bestSpan = span;
                    bestLength = span.length();
                }
            }
        }
        if (status != null) {
            int cls = status.statusClass();
            int[] keys = {pack(cls, status.subject(), status.detail()), pack(cls, status.subject(), ANY),
                pack(cls, ANY, ANY)};
            for (int k : keys) {
                int[] list = byStatus.get(k);
                if (list == null) {
                    continue;
                }
                for (int i : list) {
                    Entry e = entries.get(i);
                    if (better(e, best) && holds(e, text, cut, found, status, code, lowerHost, command, format)) {
                        best = e;
                        bestField = "status";
                    }
                }
            }
        }
        if (code != 0) {
            int[] list = byCode.get(code);
            if (list != null) {
                for (int i : list) {
                    Entry e = entries.get(i);
                    if (better(e, best) && holds(e, text, cut, found, status, code, lowerHost, command, format)) {
                        best = e;
                        bestField = "code";
                        bestSpan = Integer.toString(code);
                    }
                }
            }
        }
        for (int i : always) {
            Entry e = entries.get(i);
            if (better(e, best) && holds(e, text, cut, found, status, code, lowerHost, command, format)) {
                best = e;
                bestField = !e.rule.hosts().isEmpty() ? "host" : !e.rule.formats().isEmpty() ? "format" : "command";
                bestSpan = !e.rule.hosts().isEmpty() ? lowerHost : !e.rule.formats().isEmpty() ? format : command;
            }
        }
        if (best != null && best.regexes.length > 0 && !"text".equals(bestField)) {
            // a regex rule's evidence is what its first regex matched
            LinearRegex.Span span = best.regexes[0].find(text, null, cut);
            bestField = "text";
            bestSpan = text.substring(span.start(), span.end()).toLowerCase(Locale.ROOT);
        }
        if (best != null && "status".equals(bestField)) {
            bestSpan = status.toString();
        }
        return best == null ? null : new Match(best.rule, best.set, bestField, bestSpan);
    }

    private static boolean better(Entry e, Entry best) {
        return best == null || e.score > best.score || e.score == best.score && e.rank > best.rank;
    }

    private boolean holds(Entry e, String text, boolean cut, BitSet found, EnhancedStatus status, int code,
                          String host, String command, String format) {
        Rule r = e.rule;
        if (!r.formats().isEmpty() && (format == null || !r.formats().contains(format))) {
            return false;
        }
        if (!r.commands().isEmpty() && (command == null || !r.commands().contains(command))) {
            return false;
        }
        for (int[] group : e.groups) {
            boolean any = false;
            for (int id : group) {
                if (found.get(id)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (e.statuses.length > 0) {
            if (status == null) {
                return false;
            }
            boolean any = false;
            for (int p : e.statuses) {
                any |= statusMatches(p, status);
            }
            if (!any) {
                return false;
            }
        }
        if (e.codes.length > 0) {
            boolean any = false;
            for (int c : e.codes) {
                any |= c == code;
            }
            if (!any) {
                return false;
            }
        }
        // regexes last: the cheaper, indexed conditions have held
        for (LinearRegex x : e.regexes) {
            if (x.find(text, null, cut) == null) {
                return false;
            }
        }
        if (!r.hosts().isEmpty()) {
            if (host == null) {
                return false;
            }
            boolean any = false;
            for (String h : r.hosts()) {
                any |= host.equals(h) || host.endsWith("." + h) || host.endsWith(h);
            }
            return any;
        }
        return true;
    }

    private String longestPhrase(Entry e, BitSet found) {
        String longest = "";
        for (int[] group : e.groups) {
            for (int id : group) {
                String p = phrases.get(id);
                if (found.get(id) && p.length() > longest.length()) {
                    longest = p;
                }
            }
        }
        return longest;
    }

    private static boolean statusMatches(int packed, EnhancedStatus s) {
        int subject = packed >>> 10 & 1023;
        int detail = packed & 1023;
        return packed >>> 20 == s.statusClass()
                && (subject == ANY || subject == Math.min(s.subject(), ANY - 1))
                && (detail == ANY || detail == Math.min(s.detail(), ANY - 1));
    }
}
