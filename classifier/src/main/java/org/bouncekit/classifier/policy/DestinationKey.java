package org.bouncekit.classifier.policy;

import java.util.Locale;
import java.util.Objects;

/**
 * Where throttling applies: one destination (a recipient domain, or a provider group such as all domains hosted by
 * one mailbox provider) reached from one source (a sending IP address or pool), optionally for one tenant.
 * Providers rate-limit per sending IP, so a destination that throttles one source says nothing about another
 * source or another destination: {@link DestinationThrottle} keeps one {@link DestinationState} per key.
 *
 * <pre>{@code
 * DestinationKey key = DestinationKey.of("gmail.com", "192.0.2.1");
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param destination the recipient domain or provider group; stripped and lower-cased
 * @param source      the sending IP address or pool name; stripped, case kept
 * @param tenant      the tenant (customer or campaign) whose mail this is, stripped; or null when the key covers
 *                    every tenant
 */
public record DestinationKey(String destination, String source, String tenant) {

    /** The longest destination, source or tenant, in characters. */
    public static final int MAX_LENGTH = 255;

    /**
     * Creates the key.
     *
     * @param destination see {@link #destination()}
     * @param source      see {@link #source()}
     * @param tenant      see {@link #tenant()}
     * @throws NullPointerException     if {@code destination} or {@code source} is null
     * @throws IllegalArgumentException if a part is blank, longer than {@link #MAX_LENGTH} or holds a control
     *                                  character
     */
    public DestinationKey {
        destination = check("destination", Objects.requireNonNull(destination, "destination"))
                .toLowerCase(Locale.ROOT);
        source = check("source", Objects.requireNonNull(source, "source"));
        tenant = tenant == null ? null : check("tenant", tenant);
    }

    /**
     * @param destination the recipient domain or provider group
     * @param source      the sending IP address or pool name
     * @return the key for every tenant
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException as the constructor
     */
    public static DestinationKey of(String destination, String source) {
        return new DestinationKey(destination, source, null);
    }

    private static String check(String name, String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (v.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(name + " longer than " + MAX_LENGTH + " characters (MAX_LENGTH): "
                    + v.length());
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw new IllegalArgumentException(name + " holds a control character at index " + i);
            }
        }
        return v;
    }
}
