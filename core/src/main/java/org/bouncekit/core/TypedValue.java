package org.bouncekit.core;

import java.util.Locale;
import java.util.Objects;

/**
 * A DSN value with a type: an address ({@code rfc822; alice@example.com}), an MTA name
 * ({@code dns; mx.example.com}) or a diagnostic ({@code smtp; 550 5.1.1 ...}).
 *
 * <p>For addresses of type {@code rfc822} the value is the bare address (angle brackets and comments removed); for
 * type {@code utf-8} (RFC 6533) the {@code \x{HHHH}} escapes are decoded; other types keep their value as written.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param type  the type in lower case, such as {@code rfc822}, {@code dns} or {@code smtp}; empty when the field
 *              had no type
 * @param value the value after the type, trimmed and decoded as described above
 */
public record TypedValue(String type, String value) {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param type see {@link #type()}
     * @param value see {@link #value()}
     * @throws NullPointerException if an argument is null
     */
    public TypedValue {
        type = Objects.requireNonNull(type, "type").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(value, "value");
    }

    /** Returns {@code type; value}, as written in a report. */
    @Override
    public String toString() {
        return type.isEmpty() ? value : type + "; " + value;
    }
}
