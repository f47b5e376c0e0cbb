package org.bouncekit.dnsauth.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Public Suffix List's rules (publicsuffix.org: normal, wildcard {@code *.} and exception {@code !} rules), for
 * RFC 7489's Organizational Domain: the public suffix plus one label.
 *
 * <p>Immutable once read; thread-safe.
 */
public final class PublicSuffixes {

    /**
     * The bundled snapshot of publicsuffix.org's list (its {@code // VERSION:} line says which), gzip-compressed.
     * It was taken from the copy in crawler-commons 1.6, unchanged.
     */
    private static final String BUNDLED = "public_suffix_list.dat.gz";

    private final Set<String> rules;
    private final Set<String> wildcards;
    private final Set<String> exceptions;
    private final String version;
    /** The most labels of any rule: a longer suffix of a domain matches none, so {@link #suffix} skips it. */
    private final int maxLabels;

    private PublicSuffixes(Set<String> rules, Set<String> wildcards, Set<String> exceptions, String version) {
        this.rules = Set.copyOf(rules);
        this.wildcards = Set.copyOf(wildcards);
        this.exceptions = Set.copyOf(exceptions);
        this.version = version;
        int most = 0;
        for (Set<String> set : List.of(this.rules, this.wildcards, this.exceptions)) {
            for (String rule : set) {
                most = Math.max(most, rule.split("\\.", -1).length);
            }
        }
        this.maxLabels = most;
    }

    /** Reads the bundled list once, on first use. */
    private static final class Bundled {
        static final PublicSuffixes LIST = load();

        private static PublicSuffixes load() {
            try (java.io.InputStream in = PublicSuffixes.class.getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled Public Suffix List " + BUNDLED + " is missing");
                }
                return read(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(in),
                        java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the bundled Public Suffix List", e);
            }
        }
    }

    /**
     * @return the list bundled with this library (its {@link #version()} says which snapshot)
     */
    public static PublicSuffixes bundled() {
        return Bundled.LIST;
    }

    /**
     * @param in the list in its published format (comments {@code //}, one rule a line)
     * @return the rules
     * @throws IOException when reading fails
     */
    public static PublicSuffixes read(Reader in) throws IOException {
        Set<String> rules = new HashSet<>();
        Set<String> wildcards = new HashSet<>();
        Set<String> exceptions = new HashSet<>();
        String version = null;
        BufferedReader r = new BufferedReader(in);
        for (String line; (line = r.readLine()) != null; ) {
            String rule = line.strip();
            if (version == null && rule.startsWith("// VERSION:")) {
                version = rule.substring("// VERSION:".length()).strip();
            }
            int space = rule.indexOf(' ');
            if (space > 0) {
                rule = rule.substring(0, space);
            }
            if (rule.isEmpty() || rule.startsWith("//")) {
                continue;
            }
            rule = java.net.IDN.toASCII(rule.startsWith("!") ? rule.substring(1) : rule.startsWith("*.")
                    ? rule.substring(2) : rule, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            if (line.strip().startsWith("!")) {
                exceptions.add(rule);
            } else if (line.strip().startsWith("*.")) {
                wildcards.add(rule);
            } else {
                rules.add(rule);
            }
        }
        return new PublicSuffixes(rules, wildcards, exceptions, version);
    }

    /** @return the list's {@code // VERSION:} line (publicsuffix.org's snapshot time), or null when it has none */
    public String version() {
        return version;
    }

    /** @return the number of rules */
    public int size() {
        return rules.size() + wildcards.size() + exceptions.size();
    }

    /**
     * @param domain a domain, lower case, without trailing dot
     * @return its public suffix (the longest matching rule; an unlisted TLD counts as a suffix)
     */
    public String suffix(String domain) {
        String[] labels = domain.split("\\.");
        // suffixes of more labels than any rule match nothing: skipping them keeps a name of thousands of labels
        // from being joined once per label
        for (int i = Math.max(0, labels.length - maxLabels); i < labels.length; i++) {
            String candidate = join(labels, i);
            if (exceptions.contains(candidate)) {
                return join(labels, i + 1); // "!city.kawasaki.jp": the suffix is kawasaki.jp
            }
            if (i > 0 && wildcards.contains(join(labels, i))) {
                return join(labels, i - 1); // "*.kawasaki.jp" covers x.kawasaki.jp
            }
            if (rules.contains(candidate)) {
                return candidate;
            }
        }
        return labels[labels.length - 1];
    }

    /**
     * @param domain a domain
     * @return its Organizational Domain by RFC 7489: the public suffix and one more label (the domain itself when
     *         it is a public suffix)
     */
    public String organizationalDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        String suffix = suffix(d);
        if (suffix.length() >= d.length()) {
            return d;
        }
        String rest = d.substring(0, d.length() - suffix.length() - 1);
        int dot = rest.lastIndexOf('.');
        return rest.substring(dot + 1) + "." + suffix;
    }

    private static String join(String[] labels, int from) {
        return String.join(".", java.util.Arrays.asList(labels).subList(from, labels.length));
    }
}
