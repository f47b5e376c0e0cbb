package org.bouncekit.classifier;

import java.util.Locale;

/**
 * What kind of problem a classification is, for deciding what to do. Thread-safe (an enum).
 */
public enum BounceType {
    /** The address itself is bad: stop sending to it. */
    HARD,
    /** A transient problem: try again. */
    SOFT,
    /** A sender-side problem: reputation, blocklist, authentication, content or policy. */
    BLOCK,
    /** An automatic reply. */
    AUTO_REPLY,
    /** A complaint. */
    COMPLAINT,
    /** A delivery notice. */
    DELIVERED,
    /** Not enough to tell. */
    UNDETERMINED;

    /** @return the lower-case token, such as {@code auto_reply} */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
