package org.bouncekit.core.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed {@code Content-Type}: media type in lower case and parameters (RFC 2045, with RFC 2231 continuations and
 * charset-tagged values). Immutable.
 *
 * @param mediaType {@code type/subtype} in lower case
 * @param params    parameters, names in lower case
 */
public record ContentType(String mediaType, Map<String, String> params) {

    /** {@code text/plain}, the default of RFC 2045 §5.2. */
    public static final ContentType TEXT_PLAIN = new ContentType("text/plain", Map.of());
    /** {@code message/rfc822}, the default inside {@code multipart/digest}. */
    public static final ContentType MESSAGE_RFC822 = new ContentType("message/rfc822", Map.of());

    /** Keeps the parameters: the map is built by {@link #parse} and never changed afterwards. */
    public ContentType {
        params = params.isEmpty() ? Map.of() : Collections.unmodifiableMap(params);
    }

    /**
     * Parses a Content-Type value leniently.
     *
     * @param value the field value, may be null
     * @param dflt  the type to use when the value is missing or unreadable
     * @return the content type
     */
    public static ContentType parse(String value, ContentType dflt) {
        if (value == null) {
            return dflt;
        }
        int n = value.length();
        int i = skipCfws(value, 0);
        int start = i;
        while (i < n && value.charAt(i) != ';' && value.charAt(i) != ' ' && value.charAt(i) != '\t'
                && value.charAt(i) != '(') {
            i++;
        }
        String mt = lowerAscii(value.substring(start, i));
        int slash = mt.indexOf('/');
        if (slash <= 0 || slash == mt.length() - 1) {
            if (mt.equals("text")) {
                mt = "text/plain";
            } else {
                return new ContentType(dflt.mediaType, parseParams(value, i));
            }
        }
        return new ContentType(mt, parseParams(value, i));
    }

    private static Map<String, String> parseParams(String v, int i) {
        Map<String, String> plain = new HashMap<>(4);
        // name -> (section -> [encoded?, value]) for RFC 2231 continuations; made only when one appears
        Map<String, TreeMap<Integer, String[]>> sections = null;
        int n = v.length();
        while (i < n) {
            int semi = v.indexOf(';', i);
            if (semi < 0) {
                break;
            }
            i = skipCfws(v, semi + 1);
            int eq = v.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = lowerAscii(v.substring(i, eq).strip());
            i = skipWs(v, eq + 1);
            String val;
            if (i < n && v.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && v.charAt(i) != '"') {
                    char c = v.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        i++;
                        c = v.charAt(i);
                    }
                    sb.append(c);
                    i++;
                }
                i++; // closing quote (or end)
                val = sb.toString();
            } else {
                int s = i;
                while (i < n && v.charAt(i) != ';' && v.charAt(i) != ' ' && v.charAt(i) != '\t') {
                    i++;
                }
                val = v.substring(s, i);
            }
            if (name.isEmpty()) {
                continue;
            }
            int star = name.indexOf('*');
            if (star < 0) {
                plain.putIfAbsent(name, val);
            } else {
                String base = name.substring(0, star);
                String rest = name.substring(star + 1);
                boolean encoded = rest.endsWith("*") || rest.isEmpty();
                String num = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
                int section = 0;
                if (!num.isEmpty()) {
                    try {
                        section = Integer.parseInt(num);
                    } catch (NumberFormatException e) {
                        continue;
                    }
                }
                if (section >= 0 && section < 1000) {
                    if (sections == null) {
                        sections = new HashMap<>();
                    }
                    sections.computeIfAbsent(base, k -> new TreeMap<>()).put(section,
                            new String[] {encoded ? "1" : "0", val});
                }
            }
        }
        if (sections != null) {
            for (Map.Entry<String, TreeMap<Integer, String[]>> e : sections.entrySet()) {
                plain.put(e.getKey(), join2231(e.getValue()));
            }
        }
        return plain;
    }

    private static String join2231(TreeMap<Integer, String[]> parts) {
        Charset cs = StandardCharsets.UTF_8;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (String[] p : parts.values()) {
            String val = p[1];
            if (p[0].equals("1")) {
                if (first) {
                    int q1 = val.indexOf('\'');
                    int q2 = q1 < 0 ? -1 : val.indexOf('\'', q1 + 1);
                    if (q2 > 0) {
                        cs = Charsets.lookup(val.substring(0, q1)).orElse(StandardCharsets.UTF_8);
                        val = val.substring(q2 + 1);
                    }
                }
                for (int k = 0; k < val.length(); k++) {
                    char c = val.charAt(k);
                    if (c == '%' && k + 2 < val.length()) {
                        int hi = TransferDecoder.hex((byte) val.charAt(k + 1));
                        int lo = TransferDecoder.hex((byte) val.charAt(k + 2));
                        if (hi >= 0 && lo >= 0) {
                            bytes.write((hi << 4) | lo);
                            k += 2;
                            continue;
                        }
                    }
                    bytes.write(c & 0xff);
                }
            } else {
                byte[] raw = val.getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
            first = false;
        }
        return new String(bytes.toByteArray(), cs);
    }

    /** Lower-cases only when needed: names and types are nearly always written in lower case already. */
    private static String lowerAscii(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= 'A' && c <= 'Z' || c > 127) {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }

    private static int skipWs(String v, int i) {
        while (i < v.length() && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int skipCfws(String v, int i) {
        i = skipWs(v, i);
        while (i < v.length() && v.charAt(i) == '(') {
            int depth = 0;
            while (i < v.length()) {
                char c = v.charAt(i++);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    break;
                }
            }
            i = skipWs(v, i);
        }
        return i;
    }

    /**
     * @param name parameter name, lower case
     * @return its value, or null
     */
    public String param(String name) {
        return params.get(name);
    }

    /** @return true for {@code multipart/*} */
    public boolean isMultipart() {
        return mediaType.startsWith("multipart/");
    }

    /**
     * @param type a lower-case media type
     * @return true when this is that type
     */
    public boolean is(String type) {
        return mediaType.equals(type);
    }
}
