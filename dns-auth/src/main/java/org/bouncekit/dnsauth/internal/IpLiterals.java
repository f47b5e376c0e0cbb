package org.bouncekit.dnsauth.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals, parsed without ever touching DNS ({@link InetAddress#getByName} would resolve a name).
 *
 * <p>Stateless; thread-safe.
 */
public final class IpLiterals {

    private IpLiterals() {
    }

    /**
     * @param text an IPv4 dotted quad or an IPv6 literal (RFC 4291 §2.2, with an embedded IPv4 tail allowed)
     * @return the address
     * @throws IllegalArgumentException when the text is not an address literal
     */
    public static InetAddress parse(String text) {
        byte[] b = bytes(text);
        if (b == null) {
            throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which bytes() never returns
        }
    }

    /**
     * @param text a literal
     * @return its 4 or 16 bytes, or null when it is not one
     */
    public static byte[] bytes(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return text.indexOf(':') >= 0 ? v6(text) : v4(text, 0, text.length());
    }

    /**
     * A dotted quad: four decimal numbers 0-255 without leading zeros (RFC 7208's {@code qnum}).
     */
    static byte[] v4(String s, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || value > 255 || len > 1 && s.charAt(start) == '0') {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == to ? out : null;
    }

    /** An ASCII hex digit's value, or -1 (Character.digit would take other scripts' digits). */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F'
                ? c - 'A' + 10 : -1;
    }

    private static byte[] v6(String s) {
        int n = s.length();
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // group index where "::" stands
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return new byte[16];
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && hex(s.charAt(i)) >= 0 && i - start < 4) {
                value = value * 16 + hex(s.charAt(i));
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // an IPv4 tail takes the last two groups
                byte[] v4 = v4(s, start, n);
                if (v4 == null || count > 6) {
                    return null;
                }
                groups[count++] = (v4[0] & 0xff) << 8 | v4[1] & 0xff;
                groups[count++] = (v4[2] & 0xff) << 8 | v4[3] & 0xff;
                i = n;
                break;
            }
            if (i == start || count == 8) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // a second "::"
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null; // a trailing single ':'
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        byte[] out = new byte[16];
        for (int g = 0; g < 8; g++) {
            out[2 * g] = (byte) (full[g] >> 8);
            out[2 * g + 1] = (byte) full[g];
        }
        return out;
    }
}
