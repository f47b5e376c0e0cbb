package org.bouncekit.dnsauth.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of a From field's value (RFC 5322 mailbox-list): display names, comments and groups skipped.
 *
 * <p>Stateless; thread-safe.
 */
public final class Addresses {

    private Addresses() {
    }

    /**
     * @param value a field value such as {@code "Alice" <alice@example.org>, bob@example.net (Bob)}
     * @return the addr-specs, in order
     */
    public static List<String> of(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        String angle = null;
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : ',';
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (depth > 0) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(' -> depth = 1;
                case '<' -> {
                    int end = value.indexOf('>', i);
                    angle = value.substring(i + 1, end < 0 ? value.length() : end).strip();
                    i = end < 0 ? value.length() : end;
                }
                case ',', ';', ':' -> {
                    String a = angle != null ? angle : token.toString().strip();
                    if (c != ':' && a.indexOf('@') > 0) {
                        out.add(a);
                    }
                    token.setLength(0);
                    angle = null;
                }
                default -> token.append(c);
            }
        }
        return out;
    }
}
