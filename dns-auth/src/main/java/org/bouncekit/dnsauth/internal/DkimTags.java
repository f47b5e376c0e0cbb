package org.bouncekit.dnsauth.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DKIM tag-list (RFC 6376 §3.2): {@code tag=value; tag=value}, with folding white space around tags and values.
 * Parsing is total: {@link #error()} says what is wrong.
 *
 * <p>Immutable; thread-safe.
 */
public final class DkimTags {

    /**
     * The longest tag-list parsed, in characters: one DNS message holds at most 65,535 bytes, so no key or DMARC
     * record that DNS delivers is longer (nor any sane signature); a longer one is an error, not parsed.
     */
    public static final int MAX_LENGTH = 65_535;

    private final Map<String, String> tags;
    private final String error;

    private DkimTags(Map<String, String> tags, String error) {
        this.tags = tags;
        this.error = error;
    }

    /**
     * @param text a tag-list
     * @return the tags, in order; values are trimmed of surrounding white space
     */
    public static DkimTags parse(String text) {
        if (text.length() > MAX_LENGTH) {
            return new DkimTags(Map.of(), "tag-list of " + text.length() + " characters, longer than " + MAX_LENGTH
                    + " (limit MAX_LENGTH: the most one DNS answer holds)");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        int n = text.length();
        int start = 0;
        while (start <= n) {
            int semi = text.indexOf(';', start);
            int end = semi < 0 ? n : semi;
            int eq = text.indexOf('=', start);
            if (eq < 0 || eq >= end) {
                boolean blank = true;
                for (int k = start; k < end && blank; k++) {
                    blank = isFws(text.charAt(k));
                }
                if (blank) {
                    if (semi < 0) {
                        break; // nothing, or a trailing ";"
                    }
                    if (text.substring(semi + 1).isBlank()) {
                        break;
                    }
                    return new DkimTags(Map.of(), "empty tag-spec");
                }
                return new DkimTags(Map.of(), "tag-spec without '=': \"" + text.substring(start, end).strip() + "\"");
            }
            String name = stripFws(text, start, eq);
            if (!isTagName(name)) {
                return new DkimTags(Map.of(), "invalid tag name \"" + name + "\"");
            }
            if (tags.containsKey(name)) {
                return new DkimTags(Map.of(), "tag \"" + name + "\" given twice");
            }
            tags.put(name, stripFws(text, eq + 1, end));
            if (semi < 0) {
                break;
            }
            start = semi + 1;
        }
        return new DkimTags(tags, null);
    }

    private static boolean isTagName(String s) {
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 127) {
            return false;
        }
        for (int k = 1; k < s.length(); k++) {
            char c = s.charAt(k);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
                return false;
            }
        }
        return true;
    }

    /** {@code s.substring(from, to)} without folding white space at either end. */
    private static String stripFws(String s, int from, int to) {
        int a = from;
        int b = to;
        while (a < b && isFws(s.charAt(a))) {
            a++;
        }
        while (b > a && isFws(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * @param value a value that may hold folding white space anywhere (base64, h= lists)
     * @return it without any white space
     */
    public static String withoutFws(String value) {
        int k0 = 0;
        while (k0 < value.length() && !isFws(value.charAt(k0))) {
            k0++;
        }
        if (k0 == value.length()) {
            return value; // nothing to take out: most values
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (!isFws(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The h= names, split once (a benign race: any thread computes the same list). */
    private volatile List<String> signedNames;

    /**
     * @return the {@code h=} value split at its colons, white space removed; empty when there is no h=
     */
    public List<String> signedNames() {
        List<String> names = signedNames;
        if (names == null) {
            // as withoutFws(h).split(":"): pieces between colons, white space taken out, trailing empty ones dropped
            // (unless there is no colon at all)
            String h = tags.get("h");
            List<String> out = new ArrayList<>();
            if (h != null) {
                int from = 0;
                while (true) {
                    int colon = h.indexOf(':', from);
                    out.add(withoutFws(h, from, colon < 0 ? h.length() : colon));
                    if (colon < 0) {
                        break;
                    }
                    from = colon + 1;
                }
                if (out.size() > 1) {
                    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                        out.remove(out.size() - 1);
                    }
                }
            }
            names = List.copyOf(out);
            signedNames = names;
        }
        return names;
    }

    /** {@code withoutFws(s.substring(from, to))}, without the white space scan of a second copy in most cases. */
    private static String withoutFws(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (isFws(s.charAt(k))) {
                return withoutFws(s.substring(from, to));
            }
        }
        return s.substring(from, to);
    }

    /**
     * @param value a value
     * @return whether it is empty or only folding white space ({@code withoutFws(value).isEmpty()})
     */
    public static boolean isFwsOnly(String value) {
        for (int k = 0; k < value.length(); k++) {
            if (!isFws(value.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** @return why the list is malformed, or null */
    public String error() {
        return error;
    }

    /**
     * @param name a tag name (case-sensitive)
     * @return its value, or null
     */
    public String get(String name) {
        return tags.get(name);
    }

    /** @return the tags in order */
    public Map<String, String> all() {
        return tags;
    }
}
