package org.bouncekit.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds and cleans mail addresses in field values and text. Thread-safe (stateless).
 */
public final class Addresses {

    private static final int MAX_ADDRESSES = 1_000;

    private Addresses() {
    }

    /**
     * Every address found in {@code text}, in order, without duplicates (compared ignoring case).
     *
     * @param text text such as a {@code To} value or a line of a bounce
     * @return the addresses, at most 1,000
     */
    public static List<String> extract(String text) {
        List<String> out = new ArrayList<>(2);
        Set<String> seen = null; // lower-case forms, made once there are enough addresses for a set to pay
        int n = text.length();
        int from = 0;
        while (from < n && out.size() < MAX_ADDRESSES) {
            int at = text.indexOf('@', from);
            if (at < 0) {
                break;
            }
            int s = at;
            if (at > 0 && text.charAt(at - 1) == '"') {
                int q = text.lastIndexOf('"', at - 2);
                s = q >= 0 ? q : at;
            } else {
                while (s > 0 && isLocalChar(text.charAt(s - 1))) {
                    s--;
                }
            }
            int e = at + 1;
            if (e < n && text.charAt(e) == '[') {
                int close = text.indexOf(']', e);
                e = close > 0 ? close + 1 : e;
            } else {
                while (e < n && isDomainChar(text.charAt(e))) {
                    e++;
                }
            }
            while (s < at && text.charAt(s) == '.') {
                s++;
            }
            if (s < at && text.charAt(s) == '\'' && e < n && text.charAt(e) == '\'') {
                s++; // 'user@example.com' quoted in prose
            }
            while (e > at + 1 && (text.charAt(e - 1) == '.' || text.charAt(e - 1) == '-')) {
                e--;
            }
            if (s < at && e > at + 1) {
                String addr = text.substring(s, e);
                if (seen == null) {
                    boolean duplicate = false;
                    for (int k = 0; k < out.size() && !duplicate; k++) {
                        duplicate = out.get(k).equalsIgnoreCase(addr);
                    }
                    if (!duplicate) {
                        out.add(addr);
                        if (out.size() == 16) {
                            seen = new HashSet<>();
                            for (String o : out) {
                                seen.add(o.toLowerCase(Locale.ROOT));
                            }
                        }
                    }
                } else if (seen.add(addr.toLowerCase(Locale.ROOT))) {
                    out.add(addr);
                }
            }
            from = Math.max(e, at + 1);
        }
        return out;
    }

    /**
     * The first address in {@code text}, or the text itself trimmed of angle brackets when it holds none.
     *
     * @param text an address field value after its type
     * @return the address, possibly empty
     */
    public static String clean(String text) {
        String t = stripComments(text).strip();
        int lt = t.indexOf('<');
        int gt = lt < 0 ? -1 : t.indexOf('>', lt);
        if (lt >= 0 && gt > lt) {
            t = t.substring(lt + 1, gt).strip();
        }
        if (t.startsWith("@") && t.indexOf(':') > 0) {
            t = t.substring(t.lastIndexOf(':') + 1); // RFC 5321 source route "@relay:user@host"
        }
        List<String> found = extract(t);
        if (!found.isEmpty()) {
            return found.get(0);
        }
        // indexes, not a substring per bracket: a value of thousands of '<' must not copy itself thousands of times
        int from = 0;
        int to = t.length();
        while (from < to && t.charAt(from) == '<') {
            from++;
        }
        while (to > from && t.charAt(to - 1) == '>') {
            to--;
        }
        return t.substring(from, to).strip();
    }

    /**
     * Whether {@code s} is a plain address: a local part, one '@' and a domain, without white space.
     *
     * @param s text, may be null
     * @return true for an address
     */
    public static boolean isAddress(String s) {
        if (s == null) {
            return false;
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1 || s.length() > 512) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == ',' || c == ';' || (c == ':' && i > at)) {
                return false;
            }
        }
        char first = s.charAt(0);
        return first != '/' && first != '@' && s.indexOf(':') < 0;
    }

    /**
     * Removes parenthesised comments (not inside quotes).
     *
     * @param s text
     * @return text without comments
     */
    public static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && depth == 0) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
                continue;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
                continue;
            }
            if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isLocalChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+/=?^_`{|}~.-".indexOf(c) >= 0 || c >= 0x80;
    }

    private static boolean isDomainChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                || c == '_' || c >= 0x80;
    }
}
