package org.bouncekit.core;

import java.util.Objects;

/**
 * Something wrong or unusual found while reading an input: the parser records it and goes on.
 *
 * <p>Parsers never throw on bad input; they return what they could read plus a bounded list of problems (at most
 * {@link Limits#maxProblems()}). Each problem names its {@link Kind}, says what was wrong in plain words, and gives
 * the byte offset in the input where it was noticed ({@code -1} when it has no single position).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param kind    what sort of problem this is
 * @param message a human-readable description, naming the limit when a limit was reached
 * @param offset  the byte offset in the input, or {@code -1}
 */
public record Problem(Kind kind, String message, long offset) {

    /** The sorts of problem a parser reports. */
    public enum Kind {
        /** A configured {@link Limits limit} was reached; the result is partial. */
        LIMIT_EXCEEDED,
        /** A header line that is not a field, or a field with no name. */
        MALFORMED_HEADER,
        /** A MIME structure that is broken: a missing boundary, an unterminated multipart, a bad content type. */
        MALFORMED_MIME,
        /** Base64, quoted-printable or an encoded word that could not be decoded cleanly. */
        BAD_ENCODING,
        /** A charset name the Java runtime does not know; the text was decoded as ISO-8859-1 instead. */
        UNKNOWN_CHARSET,
        /** A DSN or feedback-report field whose value does not follow its syntax. */
        MALFORMED_FIELD,
        /** A report that lacks something its standard requires (a recipient block, a required field). */
        INCOMPLETE_REPORT
    }

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param kind see {@link #kind()}
     * @param message see {@link #message()}
     * @param offset see {@link #offset()}
     * @throws NullPointerException if {@code kind} or {@code message} is null
     */
    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return offset >= 0 ? kind + " at " + offset + ": " + message : kind + ": " + message;
    }
}
