package org.bouncekit.dnsauth.spi;

import java.util.Locale;

/**
 * Spelling of domain names at the port: lower case, no trailing dot. Names are always absolute; nothing is appended
 * to them (no search list).
 *
 * <p>Stateless; thread-safe.
 */
public final class DnsNames {

    private DnsNames() {
    }

    /**
     * @param name a name, with or without its trailing dot
     * @return the name in lower case without the trailing dot
     */
    public static String relative(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }
}
