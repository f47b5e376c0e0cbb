package org.bouncekit.dnsauth.internal;

/**
 * Checks of the domain that SPF's check_host() is given (RFC 7208 §4.3).
 *
 * <p>Stateless; thread-safe.
 */
public final class DomainNames {

    private DomainNames() {
    }

    /**
     * @param domain a domain, maybe with a trailing dot
     * @return it without the trailing dot
     */
    public static String strip(String domain) {
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }

    /**
     * @param d an expanded name, maybe with a trailing dot
     * @return why it is not a valid name (an empty label, a label over 63 octets), or null
     */
    public static String invalidLabels(String d) {
        String n = strip(d);
        if (n.isEmpty()) {
            return "empty name";
        }
        int start = 0;
        for (int i = 0; i <= n.length(); i++) {
            if (i == n.length() || n.charAt(i) == '.') {
                if (i == start) {
                    return "empty label";
                }
                if (i - start > 63) {
                    return "label longer than 63 octets";
                }
                start = i + 1;
            }
        }
        return null;
    }

    /**
     * @param d a domain without its trailing dot
     * @return why it cannot be checked (malformed, a single label, a literal), or null
     */
    public static String invalid(String d) {
        if (d.isEmpty()) {
            return "empty domain";
        }
        if (d.length() > 253) {
            return "longer than 253 octets";
        }
        if (d.indexOf('.') < 0) {
            return "not a fully qualified domain name";
        }
        int start = 0;
        for (int i = 0; i <= d.length(); i++) {
            if (i == d.length() || d.charAt(i) == '.') {
                if (i == start) {
                    return "empty label";
                }
                if (i - start > 63) {
                    return "label longer than 63 octets";
                }
                start = i + 1;
            } else {
                char c = d.charAt(i);
                if (c <= ' ' || c == '[' || c == ']' || c == '@' || c == '\\' || c == '"') {
                    return "invalid character '" + c + "'";
                }
            }
        }
        return null;
    }
}
