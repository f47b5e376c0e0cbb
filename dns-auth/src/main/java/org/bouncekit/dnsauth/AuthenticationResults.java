package org.bouncekit.dnsauth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncekit.dnsauth.internal.AuthResultsParser;
import org.bouncekit.dnsauth.internal.AuthResultsText;

/**
 * An {@code Authentication-Results} header field (RFC 8601): who evaluated the message (the authserv-id) and the
 * results of each method, read from a message or written for one.
 *
 * <pre>{@code
 * AuthenticationResults ar = AuthenticationResults.parse(
 *         "mx.example.net; spf=pass smtp.mailfrom=alice@example.org; dkim=pass header.d=example.org");
 * ar.results("dkim").get(0).property("header", "d");   // "example.org"
 *
 * AuthenticationResults.builder("mx.example.net")
 *         .add(AuthResult.of(spfResult))
 *         .addAll(AuthResult.allOf(dkimResult))
 *         .build()
 *         .toHeaderField();                            // "Authentication-Results: mx.example.net;\r\n spf=..."
 * }</pre>
 *
 * <p>{@link #parse} is total: any text gives a value, and what breaks the grammar is listed in
 * {@link #problems()} (at most {@value #MAX_PROBLEMS} entries and one that counts the rest). It reads
 * RFC 8601 and its predecessors (RFC 7601, 7001, 5451), and what receivers write beside them: see {@link #parse}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param authservId the authentication service identifier (usually the receiving host's or domain's name), as
 *                   written; "" when the field gave none (Microsoft Exchange Online omits it)
 * @param version    the field's version ({@code example.org 1; ...}), or -1 when not given (version 1 is meant)
 * @param results    the results, in order; empty for {@code none} (nothing was evaluated)
 * @param problems   what did not follow the grammar when parsed, each as {@code "at N: ..."} with N the offset in
 *                   the field value; empty for a clean field and for built values
 */
public record AuthenticationResults(String authservId, int version, List<AuthResult> results,
                                    List<String> problems) {

    /** The longest field value {@link #parse} reads, in characters (16 KiB); a longer one is not parsed. */
    public static final int MAX_LENGTH = AuthResultsParser.MAX_LENGTH;

    /** The most problems {@link #parse} lists; one more entry then says how many were left out. */
    public static final int MAX_PROBLEMS = AuthResultsParser.MAX_PROBLEMS;

    /** Lines of {@link #toHeaderField()} are folded before they grow longer than this (RFC 5322 §2.1.1). */
    private static final int LINE = 78;

    /**
     * Creates the value; lists are copied.
     *
     * @param authservId see {@link #authservId()}
     * @param version    see {@link #version()}
     * @param results    see {@link #results()}
     * @param problems   see {@link #problems()}
     * @throws NullPointerException     if an argument or a list element is null
     * @throws IllegalArgumentException if {@code authservId} holds a control character other than tab, or
     *                                  {@code version} is below -1
     */
    public AuthenticationResults {
        AuthResult.text("authservId", authservId);
        if (version < -1) {
            throw new IllegalArgumentException("version must be -1 (none) or at least 0: " + version);
        }
        results = List.copyOf(results);
        problems = List.copyOf(problems);
    }

    /**
     * Reads a field value; never throws.
     *
     * <p>Comments (nested, with escapes) are skipped, quoted-strings unescaped, folding undone. Missing results,
     * malformed ones and text that is not {@code ptype.property=value} become problems, and reading resumes at
     * the next {@code ;}. Read without a problem, because receivers write them and nothing is lost: a trailing
     * {@code ;}; a property value that is neither a token nor an address but holds no white space, comment,
     * quote or {@code ;} (an unquoted IPv6 address, {@code header.b=gfT/i2HB}); non-ASCII text (RFC 8601 with
     * RFC 6532); the field name in front of the value. A value longer than {@link #MAX_LENGTH} is not parsed.
     *
     * @param headerValue the field value (after {@code Authentication-Results:}), folded or not; null gives an
     *                    empty value with a problem
     * @return the value, with {@link #problems()} for what did not follow the grammar
     */
    public static AuthenticationResults parse(String headerValue) {
        return AuthResultsParser.parse(headerValue);
    }

    /**
     * Starts a field to write.
     *
     * @param authservId the authentication service identifier, usually this host's name
     * @return a builder
     * @throws NullPointerException     if {@code authservId} is null
     * @throws IllegalArgumentException if it is empty or holds a control character other than tab
     */
    public static Builder builder(String authservId) {
        return new Builder(authservId);
    }

    /**
     * @param method a method ({@code dkim}), any case
     * @return the results of that method, in order
     */
    public List<AuthResult> results(String method) {
        List<AuthResult> out = new ArrayList<>();
        for (AuthResult r : results) {
            if (r.method().equalsIgnoreCase(method)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The field value on one line: {@code authserv-id [version]; result; result...}, or {@code authserv-id; none}
     * without results. Values that are neither tokens nor addresses are quoted, so that the text follows
     * RFC 8601's grammar and {@link #parse} gives back this value (without its problems), as long as the text is
     * at most {@link #MAX_LENGTH} characters long: quoting can make it longer than the value it was read from.
     *
     * @return the field value, without the field name
     */
    public String toHeaderValue() {
        StringBuilder sb = new StringBuilder();
        for (List<String> group : groups()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.join(" ", group));
        }
        return sb.toString();
    }

    /**
     * The whole field, folded (CRLF and a space) so that each result starts a line and lines stay within 78
     * characters where the values allow; no line break at the end.
     *
     * <pre>{@code
     * Authentication-Results: mx.example.net;
     *  spf=pass smtp.mailfrom=alice@example.org;
     *  dkim=pass header.d=example.org header.s=mail2026 header.a=ed25519-sha256
     * }</pre>
     *
     * @return {@code Authentication-Results: } and the folded value
     */
    public String toHeaderField() {
        StringBuilder sb = new StringBuilder("Authentication-Results:");
        int lineStart = 0;
        boolean first = true;
        for (List<String> group : groups()) {
            boolean newLine = !first;
            for (String unit : group) {
                if (newLine || sb.length() - lineStart + 1 + unit.length() > LINE && sb.length() > lineStart + 1) {
                    sb.append("\r\n");
                    lineStart = sb.length();
                    newLine = false;
                }
                sb.append(' ').append(unit);
            }
            first = false;
        }
        return sb.toString();
    }

    /** @return {@link #toHeaderValue()} */
    @Override
    public String toString() {
        return toHeaderValue();
    }

    /** The written pieces: the authserv-id (and {@code ; none}), then each result; all but the last end with ';'. */
    private List<List<String>> groups() {
        List<List<String>> groups = new ArrayList<>();
        StringBuilder id = new StringBuilder();
        AuthResultsText.appendValue(id, authservId);
        if (version >= 0) {
            id.append(' ').append(version);
        }
        groups.add(results.isEmpty() ? List.of(id + ";", "none") : new ArrayList<>(List.of(id.toString())));
        for (AuthResult r : results) {
            groups.add(new ArrayList<>(r.units()));
        }
        for (int i = 0; i < groups.size() - 1; i++) {
            List<String> g = groups.get(i);
            g.set(g.size() - 1, g.get(g.size() - 1) + ";");
        }
        return groups;
    }

    /**
     * Builds an {@link AuthenticationResults} to write. Setters validate at once; {@link #build()} copies.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final String authservId;
        private int version = -1;
        private final List<AuthResult> results = new ArrayList<>();

        private Builder(String authservId) {
            AuthResult.text("authservId", authservId);
            if (authservId.isEmpty()) {
                throw new IllegalArgumentException("authservId is empty");
            }
            this.authservId = authservId;
        }

        /**
         * @param version the field's version, at least 0 (RFC 8601 defines 1); -1 (the default) writes none
         * @return this builder
         * @throws IllegalArgumentException if {@code version} is below -1
         */
        public Builder version(int version) {
            if (version < -1) {
                throw new IllegalArgumentException("version must be -1 (none) or at least 0: " + version);
            }
            this.version = version;
            return this;
        }

        /**
         * Adds a result after those added before.
         *
         * @param result a result
         * @return this builder
         * @throws NullPointerException if {@code result} is null
         */
        public Builder add(AuthResult result) {
            results.add(Objects.requireNonNull(result, "result"));
            return this;
        }

        /**
         * Adds results after those added before.
         *
         * @param more results, in order
         * @return this builder
         * @throws NullPointerException if {@code more} or one of its elements is null
         */
        public Builder addAll(Collection<AuthResult> more) {
            for (AuthResult r : more) {
                add(r);
            }
            return this;
        }

        /** @return the field; without results it is written {@code authserv-id; none} */
        public AuthenticationResults build() {
            return new AuthenticationResults(authservId, version, results, List.of());
        }
    }
}
