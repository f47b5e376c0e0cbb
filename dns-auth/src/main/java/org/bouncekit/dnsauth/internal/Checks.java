package org.bouncekit.dnsauth.internal;

import java.time.Duration;

/**
 * Validation shared by the builders' setters: a breach is an {@link IllegalArgumentException} naming the setting.
 *
 * <p>Stateless; thread-safe.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @param name  the setting's name
     * @param value its value
     * @param min   the smallest allowed
     * @param max   the largest allowed
     * @return the value
     * @throws IllegalArgumentException when it is out of range
     */
    public static long range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ": " + value);
        }
        return value;
    }

    /**
     * @param name  the setting's name
     * @param value a duration
     * @return the value
     * @throws IllegalArgumentException when it is zero or negative
     */
    public static Duration positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
