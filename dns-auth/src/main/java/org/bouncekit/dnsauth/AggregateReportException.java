package org.bouncekit.dnsauth;

import java.io.IOException;
import java.util.Objects;

/**
 * Why {@link AggregateReportParser} could not give a report at all: a limit was breached (the message names the
 * limit, its value and the position), the XML declares a DTD (refused: no external entities, no entity
 * expansion), or the input holds no report. Problems that leave a usable report are not thrown but listed in
 * {@link AggregateReport#problems()}.
 *
 * <p>It is an {@link IOException}, so that one {@code catch} handles it with the input's own read errors.
 *
 * <p>Immutable; thread-safe.
 */
public final class AggregateReportException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why no report was given. */
    public enum Kind {
        /** A limit of the parser was breached; {@link #limit()} names it. */
        LIMIT_EXCEEDED,
        /** The XML has a document type declaration, refused so that XXE and entity expansion cannot happen. */
        REFUSED,
        /** The input is damaged before any report could be read: bad gzip or zip data, XML not well-formed. */
        UNREADABLE,
        /** The input is readable but holds no aggregate report (another root element, no report attachment). */
        NOT_A_REPORT
    }

    /** The kind of failure. */
    private final Kind kind;
    /** The builder setter's name of the breached limit, or null. */
    private final String limit;

    /**
     * @param kind    why no report was given
     * @param limit   for {@link Kind#LIMIT_EXCEEDED}: the limit's name as the builder spells it
     *                ({@code maxCompressionRatio}); otherwise null
     * @param message the whole explanation, naming the limit and the position when there is one
     */
    public AggregateReportException(Kind kind, String limit, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.LIMIT_EXCEEDED) != (limit != null)) {
            throw new IllegalArgumentException("a limit is named exactly for LIMIT_EXCEEDED");
        }
        this.limit = limit;
    }

    /**
     * @param kind    why no report was given
     * @param message the explanation
     * @param cause   the underlying failure
     */
    public AggregateReportException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        if (kind == Kind.LIMIT_EXCEEDED) {
            throw new IllegalArgumentException("a breached limit must be named");
        }
        this.limit = null;
    }

    /** @return why no report was given */
    public Kind kind() {
        return kind;
    }

    /** @return the breached limit's name ({@code maxXmlBytes}, ...), or null when no limit was breached */
    public String limit() {
        return limit;
    }
}
