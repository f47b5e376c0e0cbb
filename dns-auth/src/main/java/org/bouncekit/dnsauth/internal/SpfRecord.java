package org.bouncekit.dnsauth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed SPF record (RFC 7208 §4.6, §12): its directives in order and its modifiers. Parsing is total: a record
 * that breaks the grammar gives {@link #error()} (a permerror) with the offending term.
 *
 * <p>Immutable; thread-safe.
 */
public final class SpfRecord {

    /**
     * The longest record parsed, in characters: one DNS message holds at most 65,535 bytes, so no record that DNS
     * delivers is longer; a longer one (from a broken or hostile {@code DnsClient}) is an error, not millions of
     * terms held in memory.
     */
    public static final int MAX_LENGTH = 65_535;

    /** The mechanisms of RFC 7208 §5. */
    public enum Kind {
        /** {@code all}. */
        ALL,
        /** {@code include:}. */
        INCLUDE,
        /** {@code a}. */
        A,
        /** {@code mx}. */
        MX,
        /** {@code ptr}. */
        PTR,
        /** {@code ip4:}. */
        IP4,
        /** {@code ip6:}. */
        IP6,
        /** {@code exists:}. */
        EXISTS
    }

    /**
     * A directive.
     *
     * @param qualifier  {@code + - ~ ?}
     * @param kind       the mechanism
     * @param domainSpec the domain-spec (a macro-string), or null when absent
     * @param network    the address bytes of {@code ip4}/{@code ip6}, else null
     * @param cidr4      the IPv4 prefix length (32 when absent)
     * @param cidr6      the IPv6 prefix length (128 when absent)
     * @param text       the term as written
     */
    public record Directive(char qualifier, Kind kind, String domainSpec, byte[] network, int cidr4, int cidr6,
                            String text) {
        /** @return true for the mechanisms that query DNS and count towards the lookup limit */
        public boolean queriesDns() {
            return kind == Kind.INCLUDE || kind == Kind.A || kind == Kind.MX || kind == Kind.PTR
                    || kind == Kind.EXISTS;
        }
    }

    private final List<Directive> directives;
    private final String redirect;
    private final String exp;
    private final String error;

    private SpfRecord(List<Directive> directives, String redirect, String exp, String error) {
        this.directives = List.copyOf(directives);
        this.redirect = redirect;
        this.exp = exp;
        this.error = error;
    }

    /** @return the directives, in order */
    public List<Directive> directives() {
        return directives;
    }

    /** @return the {@code redirect=} domain-spec, or null */
    public String redirect() {
        return redirect;
    }

    /** @return the {@code exp=} domain-spec, or null */
    public String exp() {
        return exp;
    }

    /** @return why the record breaks the grammar, or null when it is valid */
    public String error() {
        return error;
    }

    /**
     * @param text a TXT record's text
     * @return true when it is an SPF version 1 record: {@code v=spf1} alone or followed by a space
     */
    public static boolean isSpf1(String text) {
        return text.regionMatches(true, 0, "v=spf1", 0, 6) && (text.length() == 6 || text.charAt(6) == ' ');
    }

    /**
     * @param text an SPF record (one that {@link #isSpf1} accepts)
     * @return the parsed record; see {@link #error()}
     */
    public static SpfRecord parse(String text) {
        if (text.length() > MAX_LENGTH) {
            return failed("record of " + text.length() + " characters, longer than " + MAX_LENGTH
                    + " (limit MAX_LENGTH: the most one DNS answer holds)");
        }
        List<Directive> directives = new ArrayList<>();
        String redirect = null;
        String exp = null;
        int n = text.length();
        int i = 6;
        while (i < n) {
            if (text.charAt(i) != ' ') {
                return failed("terms must be separated by spaces at \"" + text.substring(i) + "\"");
            }
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            if (i == n) {
                break;
            }
            int end = text.indexOf(' ', i);
            if (end < 0) {
                end = n;
            }
            String term = text.substring(i, end);
            i = end;
            for (int k = 0; k < term.length(); k++) {
                char c = term.charAt(k);
                if (c < 0x21 || c > 0x7e) {
                    return failed("invalid character in term \"" + term + "\"");
                }
            }
            int nameEnd = nameEnd(term);
            if (nameEnd > 0 && nameEnd < term.length() && term.charAt(nameEnd) == '=') {
                String name = term.substring(0, nameEnd).toLowerCase(Locale.ROOT);
                String value = term.substring(nameEnd + 1);
                if (name.equals("redirect") || name.equals("exp")) {
                    if (name.equals("redirect") ? redirect != null : exp != null) {
                        return failed("modifier \"" + name + "\" given twice");
                    }
                    String bad = Macros.checkDomainSpec(value, false);
                    if (bad != null) {
                        return failed(name + "=" + value + ": " + bad);
                    }
                    if (name.equals("redirect")) {
                        redirect = value;
                    } else {
                        exp = value;
                    }
                } else {
                    String bad = Macros.checkMacroString(value, false);
                    if (bad != null) {
                        return failed("modifier \"" + term + "\": " + bad);
                    }
                }
                continue;
            }
            Directive d = directive(term);
            if (d == null) {
                return failed("unknown or malformed mechanism \"" + term + "\"");
            }
            directives.add(d);
        }
        return new SpfRecord(directives, redirect, exp, null);
    }

    private static SpfRecord failed(String why) {
        return new SpfRecord(List.of(), null, null, why);
    }

    /** The end of a modifier name at the start of the term (ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )), or 0. */
    private static int nameEnd(String term) {
        if (term.isEmpty() || !isAlpha(term.charAt(0))) {
            return 0;
        }
        int k = 1;
        while (k < term.length()) {
            char c = term.charAt(k);
            if (!(isAlpha(c) || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                break;
            }
            k++;
        }
        return k;
    }

    private static Directive directive(String term) {
        char qualifier = '+';
        int at = 0;
        char first = term.charAt(0);
        if (first == '+' || first == '-' || first == '~' || first == '?') {
            qualifier = first;
            at = 1;
        }
        int k = at;
        while (k < term.length() && isAlpha(term.charAt(k)) || k < term.length() && k > at
                && term.charAt(k) >= '0' && term.charAt(k) <= '9') {
            k++;
        }
        String name = term.substring(at, k).toLowerCase(Locale.ROOT);
        String rest = term.substring(k);
        switch (name) {
            case "all":
                return rest.isEmpty() ? new Directive(qualifier, Kind.ALL, null, null, 32, 128, term) : null;
            case "include":
            case "exists": {
                if (!rest.startsWith(":") || Macros.checkDomainSpec(rest.substring(1), false) != null) {
                    return null;
                }
                return new Directive(qualifier, name.equals("include") ? Kind.INCLUDE : Kind.EXISTS,
                        rest.substring(1), null, 32, 128, term);
            }
            case "a":
            case "mx": {
                String spec = null;
                int slash = cidrStart(rest);
                String cidrs = slash < 0 ? "" : rest.substring(slash);
                String head = slash < 0 ? rest : rest.substring(0, slash);
                if (!head.isEmpty()) {
                    if (!head.startsWith(":") || Macros.checkDomainSpec(head.substring(1), false) != null) {
                        return null;
                    }
                    spec = head.substring(1);
                }
                int[] dual = dualCidr(cidrs);
                if (dual == null) {
                    return null;
                }
                return new Directive(qualifier, name.equals("a") ? Kind.A : Kind.MX, spec, null, dual[0], dual[1],
                        term);
            }
            case "ptr": {
                String spec = null;
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":") || Macros.checkDomainSpec(rest.substring(1), false) != null) {
                        return null;
                    }
                    spec = rest.substring(1);
                }
                return new Directive(qualifier, Kind.PTR, spec, null, 32, 128, term);
            }
            case "ip4":
            case "ip6": {
                if (!rest.startsWith(":")) {
                    return null;
                }
                boolean v4 = name.equals("ip4");
                int slash = rest.indexOf('/');
                String address = slash < 0 ? rest.substring(1) : rest.substring(1, slash);
                byte[] network = v4 ? IpLiterals.v4(address, 0, address.length())
                        : address.indexOf(':') >= 0 ? IpLiterals.bytes(address) : null;
                if (network == null || network.length != (v4 ? 4 : 16)) {
                    return null;
                }
                int length = v4 ? 32 : 128;
                if (slash >= 0) {
                    length = cidr(rest.substring(slash + 1), v4 ? 32 : 128);
                    if (length < 0) {
                        return null;
                    }
                }
                return new Directive(qualifier, v4 ? Kind.IP4 : Kind.IP6, null, network, v4 ? length : 32,
                        v4 ? 128 : length, term);
            }
            default:
                return null;
        }
    }

    /**
     * Where a dual-cidr-length begins at the end of {@code rest}, or -1: the domain-spec may itself hold slashes
     * and colons ({@code a:foo:bar/baz.example.com}), so the lengths are read from the end.
     */
    private static int cidrStart(String rest) {
        int tail = rest.length();
        while (tail > 0 && (rest.charAt(tail - 1) == '/' || Character.isDigit(rest.charAt(tail - 1)))) {
            tail--;
        }
        for (int i = tail; i < rest.length(); i++) {
            if (rest.charAt(i) == '/' && dualCidr(rest.substring(i)) != null) {
                return i;
            }
        }
        return -1;
    }

    /** {@code [ "/" ip4-cidr ] [ "//" ip6-cidr ]}, as {v4, v6}, or null when malformed. */
    private static int[] dualCidr(String s) {
        int v4 = 32;
        int v6 = 128;
        if (s.isEmpty()) {
            return new int[] {v4, v6};
        }
        if (!s.startsWith("/")) {
            return null;
        }
        String rest = s;
        if (!rest.startsWith("//")) {
            int next = rest.indexOf('/', 1);
            String v4Text = next < 0 ? rest.substring(1) : rest.substring(1, next);
            v4 = cidr(v4Text, 32);
            if (v4 < 0) {
                return null;
            }
            rest = next < 0 ? "" : rest.substring(next);
        }
        if (!rest.isEmpty()) {
            if (!rest.startsWith("//")) {
                return null;
            }
            v6 = cidr(rest.substring(2), 128);
            if (v6 < 0) {
                return null;
            }
        }
        return new int[] {v4, v6};
    }

    /** A prefix length without leading zeros, at most {@code max}, or -1. */
    private static int cidr(String s, int max) {
        if (s.isEmpty() || s.length() > 3 || s.length() > 1 && s.charAt(0) == '0') {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
