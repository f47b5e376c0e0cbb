package org.bouncekit.dnsauth.internal;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Addresses written as SPF writes them.
 *
 * <p>Stateless; thread-safe.
 */
public final class IpText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private IpText() {
    }

    /**
     * @param ip an address
     * @return IPv4 dotted, or IPv6 in RFC 5952's compressed form ({@code 2001:db8::1})
     */
    public static String readable(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        // the longest run of two or more zero groups, the first on a tie, becomes "::"
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /**
     * @param ip an address
     * @return SPF's {@code %{i}}: IPv4 dotted, IPv6 as 32 dot-separated nibbles
     */
    public static String macro(InetAddress ip) {
        if (ip instanceof Inet4Address) {
            return readable(ip);
        }
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder(63);
        for (byte x : b) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(HEX[(x >> 4) & 15]).append('.').append(HEX[x & 15]);
        }
        return sb.toString();
    }

    /**
     * {@link #macro} for an IPv6 address as the caller wrote it, keeping the case of its hex digits
     * ({@code CAFE:BABE::1} gives {@code ...E.B.A.B.E.F.A.C}), as the reference implementation does.
     *
     * @param literal the address as written
     * @param ip      the parsed address
     * @return the expansion
     */
    public static String macroPreservingCase(String literal, InetAddress ip) {
        if (ip instanceof Inet4Address || literal.indexOf('.') >= 0) {
            return macro(ip);
        }
        int gap = literal.indexOf("::");
        String[] head = gap < 0 ? literal.split(":") : split(literal.substring(0, gap));
        String[] tail = gap < 0 ? new String[0] : split(literal.substring(gap + 2));
        if (head.length + tail.length > 8) {
            return macro(ip);
        }
        StringBuilder nibbles = new StringBuilder(32);
        for (String g : head) {
            nibbles.append("0000", 0, 4 - g.length()).append(g);
        }
        for (int i = head.length + tail.length; i < 8; i++) {
            nibbles.append("0000");
        }
        for (String g : tail) {
            nibbles.append("0000", 0, 4 - g.length()).append(g);
        }
        if (nibbles.length() != 32) {
            return macro(ip);
        }
        StringBuilder sb = new StringBuilder(63);
        for (int i = 0; i < 32; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(nibbles.charAt(i));
        }
        return sb.toString();
    }

    private static String[] split(String groups) {
        return groups.isEmpty() ? new String[0] : groups.split(":");
    }

    /**
     * @param ip an address
     * @return its reverse-mapping name ({@code 4.3.2.1.in-addr.arpa}, nibbles {@code ....ip6.arpa})
     */
    public static String reverseName(InetAddress ip) {
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder(73);
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(HEX[b[i] & 15]).append('.').append(HEX[(b[i] >> 4) & 15]).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }
}
