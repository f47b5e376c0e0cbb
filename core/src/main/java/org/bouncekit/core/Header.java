package org.bouncekit.core;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One header field or report field: its name as written and its value unfolded and decoded (RFC 2047 encoded words
 * and 8-bit UTF-8 per RFC 6532 turned into characters).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param name  the field name as written, such as {@code Final-Recipient}
 * @param value the value without the leading white space, unfolded and decoded
 */
public record Header(String name, String value) {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param name see {@link #name()}
     * @param value see {@link #value()}
     * @throws NullPointerException if an argument is null
     */
    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Whether this field has the given name, compared without regard to ASCII case.
     *
     * @param other a field name
     * @return true when the names match
     */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /**
     * The value of the first field named {@code name} in {@code fields}.
     *
     * @param fields fields to search
     * @param name   the field name, any case
     * @return the value, or null when there is no such field
     */
    public static String first(List<Header> fields, String name) {
        for (Header h : fields) {
            if (h.name.equalsIgnoreCase(name)) {
                return h.value;
            }
        }
        return null;
    }

    /**
     * The name in lower case, the form used for comparisons.
     *
     * @return the lower-case name
     */
    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
