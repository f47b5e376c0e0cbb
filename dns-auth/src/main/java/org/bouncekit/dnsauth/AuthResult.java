package org.bouncekit.dnsauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncekit.dnsauth.internal.AuthResultsText;

/**
 * One result of an {@code Authentication-Results} field (RFC 8601 §2.2, {@code resinfo}): which method was
 * applied, what it came to, and the properties that say to what.
 *
 * <pre>{@code
 * spf=pass smtp.mailfrom=alice@example.org
 * dkim=fail reason="body hash did not verify" header.d=example.org header.s=mail2026 header.a=rsa-sha256
 * }</pre>
 *
 * <p>Methods, results, ptypes and property names are case-insensitive keywords; the value holds them in lower
 * case. Unknown methods, results and ptypes are kept as they are (RFC 8601 lets registries grow). Comments are
 * not part of the value. Build from our own checkers with {@link #of(SpfResult)} and {@link #of(DkimSignatureResult)};
 * any other method (DMARC, ARC, iprev, ...) with {@link #builder(String, String)}:
 *
 * <pre>{@code
 * AuthResult.builder("dmarc", "pass").property("header", "from", "example.org").build()
 * }</pre>
 *
 * <p>Immutable; thread-safe. {@link #toString()} is the result as written in the field.
 *
 * @param method        the method ({@code spf}, {@code dkim}, {@code dmarc}, {@code arc}, {@code iprev},
 *                      {@code auth}, or any other keyword), lower case
 * @param methodVersion the method's version ({@code dkim/1=pass}), or -1 when not given (version 1 is meant)
 * @param result        the result ({@code pass}, {@code fail}, {@code none}, ...), lower case
 * @param reason        the value of {@code reason=} (RFC 8601 §2.2 reasonspec), or null when there is none
 * @param properties    the properties, in order
 */
public record AuthResult(String method, int methodVersion, String result, String reason,
                         List<Property> properties) {

    /**
     * Creates the value; the list is copied and keywords are put in lower case.
     *
     * @param method        see {@link #method()}
     * @param methodVersion see {@link #methodVersion()}
     * @param result        see {@link #result()}
     * @param reason        see {@link #reason()}
     * @param properties    see {@link #properties()}
     * @throws NullPointerException     if {@code method}, {@code result}, {@code properties} or one of them is null
     * @throws IllegalArgumentException if {@code method} or {@code result} is not a keyword (letters, digits,
     *                                  {@code -}, {@code _}), {@code methodVersion} is below -1, or {@code reason}
     *                                  holds a control character other than tab
     */
    public AuthResult {
        method = keyword("method", method);
        result = keyword("result", result);
        if (methodVersion < -1) {
            throw new IllegalArgumentException("methodVersion must be -1 (none) or at least 0: " + methodVersion);
        }
        if (reason != null) {
            text("reason", reason);
        }
        properties = List.copyOf(properties);
    }

    /**
     * A property ({@code ptype.property=value}, RFC 8601 §2.3), such as {@code smtp.mailfrom=alice@example.org}
     * or {@code header.d=example.org}.
     *
     * <p>Immutable; thread-safe. {@link #toString()} is the property as written in the field.
     *
     * @param ptype the property type ({@code smtp}, {@code header}, {@code body}, {@code policy}, or any other
     *              keyword), lower case
     * @param name  the property ({@code mailfrom}, {@code helo}, {@code d}, {@code from}, ...), lower case
     * @param value the value, unquoted and unescaped; an address whose local part is quoted keeps those quotes
     *              ({@code "john doe"@example.org}); "" when the field gave none
     */
    public record Property(String ptype, String name, String value) {

        /**
         * Creates the value; keywords are put in lower case.
         *
         * @param ptype see {@link #ptype()}
         * @param name  see {@link #name()}
         * @param value see {@link #value()}
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if {@code ptype} or {@code name} is not a keyword, or {@code value}
         *                                  holds a control character other than tab
         */
        public Property {
            ptype = keyword("ptype", ptype);
            name = keyword("property", name);
            text("value", value);
        }

        /** @return {@code ptype.name=value}, the value quoted when it is neither a token nor an address */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(ptype).append('.').append(name).append('=');
            AuthResultsText.appendPvalue(sb, value);
            return sb.toString();
        }
    }

    /**
     * Starts a result of any method: the way to write DMARC, ARC, iprev, auth or a method of your own.
     *
     * @param method the method keyword ({@code dmarc})
     * @param result the result keyword ({@code pass})
     * @return a builder
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if an argument is not a keyword
     */
    public static Builder builder(String method, String result) {
        return new Builder(method, result);
    }

    /**
     * The {@code spf} result of an SPF check: the result, and the identity checked, {@code smtp.mailfrom} (the
     * sender's address, or its domain when there is no address) or, for a HELO check, {@code smtp.helo}.
     *
     * <pre>{@code
     * spf=pass smtp.mailfrom=alice@example.org
     * spf=none smtp.helo=mail.example.org
     * }</pre>
     *
     * @param spf an SPF check's result
     * @return the result; control characters in the sender are replaced by spaces
     * @throws NullPointerException if {@code spf} is null
     */
    public static AuthResult of(SpfResult spf) {
        Objects.requireNonNull(spf, "spf");
        Builder b = builder("spf", spf.verdict().token());
        if ("helo".equals(spf.identity())) {
            String helo = spf.helo() != null && !spf.helo().isEmpty() ? spf.helo() : spf.domain();
            if (helo != null) {
                b.property("smtp", "helo", AuthResultsText.clean(helo));
            }
        } else {
            String from = spf.sender() != null && spf.sender().indexOf('@') >= 0 ? spf.sender() : spf.domain();
            if (from != null) {
                b.property("smtp", "mailfrom", AuthResultsText.clean(from));
            }
        }
        return b.build();
    }

    /**
     * The {@code dmarc} result (RFC 7489 §11.2, RFC 9989): the result, {@code header.from} (the author domain) and
     * {@code policy.dmarc} (the disposition, when a policy applied).
     *
     * <pre>{@code
     * dmarc=fail header.from=example.org policy.dmarc=reject
     * }</pre>
     *
     * @param dmarc a DMARC result
     * @return the entry
     */
    public static AuthResult of(DmarcResult dmarc) {
        Objects.requireNonNull(dmarc, "dmarc");
        Builder b = builder("dmarc", dmarc.verdict().token());
        if (dmarc.authorDomain() != null) {
            b.property("header", "from", AuthResultsText.clean(dmarc.authorDomain()));
        }
        if (dmarc.disposition() != null) {
            b.property("policy", "dmarc", dmarc.disposition());
        }
        return b.build();
    }

    /**
     * The {@code dkim} result of one signature (RFC 8601 §2.7.1): the result, the reason when it is not a pass,
     * and {@code header.d} (domain), {@code header.s} (selector), {@code header.a} (algorithm) and
     * {@code header.i} (identity), each when known.
     *
     * <pre>{@code
     * dkim=pass header.d=example.org header.s=mail2026 header.a=ed25519-sha256 header.i=@example.org
     * dkim=fail reason="body hash did not verify" header.d=example.org header.s=mail2026 header.a=rsa-sha256
     * }</pre>
     *
     * @param dkim a signature's result
     * @return the result; control characters in its texts are replaced by spaces
     * @throws NullPointerException if {@code dkim} is null
     */
    public static AuthResult of(DkimSignatureResult dkim) {
        Objects.requireNonNull(dkim, "dkim");
        Builder b = builder("dkim", dkim.verdict().token());
        if (dkim.verdict() != DkimVerdict.PASS && dkim.reason() != null) {
            b.reason(AuthResultsText.clean(dkim.reason()));
        }
        putIfPresent(b, "d", dkim.domain());
        putIfPresent(b, "s", dkim.selector());
        putIfPresent(b, "a", dkim.algorithm());
        putIfPresent(b, "i", dkim.identity());
        return b.build();
    }

    /**
     * The {@code dkim} results of a message: one per signature, in order, or a single {@code dkim=none} when it
     * has none.
     *
     * @param dkim a message's DKIM verification
     * @return the results, at least one
     * @throws NullPointerException if {@code dkim} is null
     */
    public static List<AuthResult> allOf(DkimResult dkim) {
        Objects.requireNonNull(dkim, "dkim");
        if (dkim.signatures().isEmpty()) {
            return List.of(builder("dkim", DkimVerdict.NONE.token()).build());
        }
        List<AuthResult> out = new ArrayList<>();
        for (DkimSignatureResult s : dkim.signatures()) {
            out.add(of(s));
        }
        return List.copyOf(out);
    }

    private static void putIfPresent(Builder b, String name, String value) {
        if (value != null) {
            b.property("header", name, AuthResultsText.clean(value));
        }
    }

    /**
     * The value of the first property with this ptype and name.
     *
     * @param ptype a ptype ({@code smtp}), any case
     * @param name  a property name ({@code mailfrom}), any case
     * @return its value, or null when there is no such property
     */
    public String property(String ptype, String name) {
        for (Property p : properties) {
            if (p.ptype().equalsIgnoreCase(ptype) && p.name().equalsIgnoreCase(name)) {
                return p.value();
            }
        }
        return null;
    }

    /** @return the result as written in the field: {@code method[/version]=result [reason=...] [properties]} */
    @Override
    public String toString() {
        return String.join(" ", units());
    }

    /** The pieces of the written form, between which the field may be folded. */
    List<String> units() {
        List<String> units = new ArrayList<>(properties.size() + 2);
        units.add(method + (methodVersion >= 0 ? "/" + methodVersion : "") + "=" + result);
        if (reason != null) {
            StringBuilder sb = new StringBuilder("reason=");
            AuthResultsText.appendValue(sb, reason);
            units.add(sb.toString());
        }
        for (Property p : properties) {
            units.add(p.toString());
        }
        return units;
    }

    static String keyword(String what, String s) {
        Objects.requireNonNull(s, what);
        if (!AuthResultsText.isKeyword(s)) {
            throw new IllegalArgumentException(what + " is not a keyword (letters, digits, '-', '_'): \"" + s + "\"");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    static String text(String what, String s) {
        Objects.requireNonNull(s, what);
        int c = AuthResultsText.firstControl(s);
        if (c >= 0) {
            throw new IllegalArgumentException(what + " has a control character at index " + c
                    + " (a header field cannot hold it)");
        }
        return s;
    }

    /**
     * Builds an {@link AuthResult}. Each setter validates at once ({@link NullPointerException} for null,
     * {@link IllegalArgumentException} for a value that cannot be written); {@link #build()} copies.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final String method;
        private final String result;
        private int methodVersion = -1;
        private String reason;
        private final List<Property> properties = new ArrayList<>();

        private Builder(String method, String result) {
            this.method = keyword("method", method);
            this.result = keyword("result", result);
        }

        /**
         * @param version the method's version ({@code dkim/1}), at least 0; -1 (the default) writes none
         * @return this builder
         * @throws IllegalArgumentException if {@code version} is below -1
         */
        public Builder methodVersion(int version) {
            if (version < -1) {
                throw new IllegalArgumentException("method version must be -1 (none) or at least 0: " + version);
            }
            this.methodVersion = version;
            return this;
        }

        /**
         * @param reason why the result is what it is ({@code reason="..."}), or null (the default) for none
         * @return this builder
         * @throws IllegalArgumentException if {@code reason} holds a control character other than tab
         */
        public Builder reason(String reason) {
            this.reason = reason == null ? null : text("reason", reason);
            return this;
        }

        /**
         * Adds a property, after those added before.
         *
         * @param ptype the property type ({@code smtp}, {@code header}, {@code body}, {@code policy}, ...)
         * @param name  the property ({@code mailfrom}, {@code d}, ...)
         * @param value its value, any text without control characters (quoted when written if it needs to be)
         * @return this builder
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if {@code ptype} or {@code name} is not a keyword, or {@code value}
         *                                  holds a control character other than tab
         */
        public Builder property(String ptype, String name, String value) {
            properties.add(new Property(ptype, name, value));
            return this;
        }

        /** @return the result */
        public AuthResult build() {
            return new AuthResult(method, methodVersion, result, reason, properties);
        }
    }
}
