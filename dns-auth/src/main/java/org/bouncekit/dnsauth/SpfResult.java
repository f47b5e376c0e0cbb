package org.bouncekit.dnsauth;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.bouncekit.dnsauth.internal.IpText;

/**
 * The outcome of an SPF check, with what led to it.
 *
 * <p>Immutable; thread-safe.
 *
 * @param verdict     the result
 * @param mechanism   the directive that decided ({@code -all}, {@code include:_spf.example.com}), {@code redirect=...}
 *                    through which it was reached, or null when none matched (neutral by default) or no record
 *                    was read
 * @param explanation for {@link SpfVerdict#FAIL}: the domain's explanation ({@code exp=}) or the checker's
 *                    default; otherwise null
 * @param identity    {@code mailfrom} or {@code helo}: which identity was checked
 * @param domain      the domain whose policy was checked
 * @param ip          the client address
 * @param sender      the sender checked ({@code postmaster@helo} for a null sender)
 * @param helo        the HELO/EHLO name as given, or null
 * @param lookups     DNS-querying terms evaluated (the RFC 7208 limit is 10)
 * @param voidLookups queries that found nothing (the limit is 2)
 * @param trace       each step, readable
 * @param problems    what went wrong (syntax errors, limits, DNS failures); empty for a clean check
 */
public record SpfResult(SpfVerdict verdict, String mechanism, String explanation, String identity, String domain,
                        InetAddress ip, String sender, String helo, int lookups, int voidLookups,
                        List<String> trace, List<String> problems) {

    /**
     * Creates the value; lists are copied.
     *
     * @param verdict     see {@link #verdict()}
     * @param mechanism   see {@link #mechanism()}
     * @param explanation see {@link #explanation()}
     * @param identity    see {@link #identity()}
     * @param domain      see {@link #domain()}
     * @param ip          see {@link #ip()}
     * @param sender      see {@link #sender()}
     * @param helo        see {@link #helo()}
     * @param lookups     see {@link #lookups()}
     * @param voidLookups see {@link #voidLookups()}
     * @param trace       see {@link #trace()}
     * @param problems    see {@link #problems()}
     */
    public SpfResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(ip, "ip");
        trace = List.copyOf(trace);
        problems = List.copyOf(problems);
    }

    /**
     * @return the client address as SPF writes it: IPv4 dotted, IPv6 in RFC 5952's compressed form
     *         ({@code 2001:db8::1}), as in {@code Received-SPF}'s {@code client-ip}
     */
    public String clientIp() {
        return IpText.readable(ip);
    }

    /**
     * The {@code Received-SPF} header field for this result (RFC 7208 §9.1), folded onto one line.
     *
     * <pre>{@code
     * Received-SPF: pass (mx.example.net: domain of alice@example.org designates 192.0.2.10 as permitted sender)
     *  client-ip=192.0.2.10; envelope-from="alice@example.org"; helo=mail.example.org; receiver=mx.example.net;
     *  identity=mailfrom; mechanism="ip4:192.0.2.0/24"
     * }</pre>
     *
     * @param receiver the receiving host's name (the comment's authority and the {@code receiver} key)
     * @return the whole field, name included, without a line break at the end
     */
    public String receivedSpf(String receiver) {
        Objects.requireNonNull(receiver, "receiver");
        String client = clientIp();
        String comment = switch (verdict) {
            case PASS -> "domain of " + sender + " designates " + client + " as permitted sender";
            case FAIL -> "domain of " + sender + " does not designate " + client + " as permitted sender";
            case SOFTFAIL -> "domain of transitioning " + sender + " does not designate " + client
                    + " as permitted sender";
            case NEUTRAL -> client + " is neither permitted nor denied by domain of " + sender;
            case NONE -> "domain of " + sender + " does not provide an SPF record";
            case TEMPERROR -> "error in processing during lookup of " + sender + ": DNS error";
            case PERMERROR -> "error in processing the SPF record of " + domain;
        };
        StringBuilder h = new StringBuilder("Received-SPF: ").append(verdict.token()).append(" (")
                .append(commentText(receiver)).append(": ").append(commentText(comment)).append(')');
        h.append(" client-ip=").append(value(client)).append(';');
        h.append(" envelope-from=").append(value(sender)).append(';');
        if (helo != null && !helo.isEmpty()) {
            h.append(" helo=").append(value(helo)).append(';');
        }
        h.append(" receiver=").append(value(receiver)).append(';');
        h.append(" identity=").append(identity).append(';');
        if (mechanism != null) {
            h.append(" mechanism=").append(value(mechanism)).append(';');
        }
        if (!problems.isEmpty() && (verdict == SpfVerdict.PERMERROR || verdict == SpfVerdict.TEMPERROR)) {
            h.append(" problem=").append(value(problems.get(0))).append(';');
        }
        h.setLength(h.length() - 1);
        return h.toString();
    }

    /** Text safe inside a comment: no parentheses, backslashes or control characters (a sender could hold any). */
    private static String commentText(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c == '(' ? '[' : c == ')' ? ']' : c == '\\' ? '/' : c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.toString();
    }

    /** A dot-atom as it is, anything else as a quoted-string. */
    private static String value(String v) {
        boolean atom = !v.isEmpty() && !v.startsWith(".") && !v.endsWith(".") && !v.contains("..");
        for (int i = 0; i < v.length() && atom; i++) {
            char c = v.charAt(i);
            atom = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
        }
        if (atom) {
            return v;
        }
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\');
            }
            q.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return q.append('"').toString();
    }
}
