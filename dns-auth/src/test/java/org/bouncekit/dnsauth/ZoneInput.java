package org.bouncekit.dnsauth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsType;
import org.bouncekit.dnsauth.spi.InMemoryDnsClient;
import org.bouncekit.testing.Fuzz;

/**
 * A fuzz input for the checkers that read DNS: the records of an {@link InMemoryDnsClient} and a payload (a message,
 * or an address and names) in one byte array, so that a failing input is one file. The form:
 * <pre>
 * NAME TYPE VALUE     one record a line
 * %%                  ends the records
 * PAYLOAD             the rest, as it is
 * </pre>
 * In NAME and VALUE, bytes below 0x21 (in VALUE: below 0x20), 0x7F and {@code \} are written {@code \xHH}; other
 * escapes are read as written. TYPE is {@code TXT} (VALUE is the joined text, UTF-8 as {@code DnsJavaClient} reads
 * it), {@code A} (an IPv4 or IPv6 literal), {@code MX} ({@code preference exchange}), {@code PTR}, {@code CNAME},
 * {@code EXISTS} (no VALUE) or {@code FAIL} ({@code TYPE OUTCOME}, such as {@code TXT TIMEOUT}). A line that does not
 * read as a record, or that the builder refuses ({@code IllegalArgumentException}, {@code IllegalStateException}),
 * is left out: the harness's input is not the checker's. Without a {@code %%} line the whole input is the payload.
 */
final class ZoneInput {

    /**
     * One record as written.
     *
     * @param name  the owner name's bytes
     * @param type  the type word
     * @param value the value's bytes
     */
    record Rec(byte[] name, String type, byte[] value) {
    }

    static final List<String> TYPES = List.of("TXT", "A", "MX", "PTR", "CNAME", "EXISTS", "FAIL");

    final List<Rec> records;
    final byte[] payload;

    ZoneInput(List<Rec> records, byte[] payload) {
        this.records = List.copyOf(records);
        this.payload = payload;
    }

    static ZoneInput of(List<String[]> records, byte[] payload) {
        List<Rec> out = new ArrayList<>();
        for (String[] r : records) {
            out.add(new Rec(r[0].getBytes(StandardCharsets.UTF_8), r[1], r[2].getBytes(StandardCharsets.UTF_8)));
        }
        return new ZoneInput(out, payload);
    }

    /** @return the text form */
    byte[] write() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Rec r : records) {
            escape(r.name(), true, out);
            out.write(' ');
            out.writeBytes(r.type().getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            escape(r.value(), false, out);
            out.write('\n');
        }
        out.writeBytes("%%\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void escape(byte[] b, boolean name, ByteArrayOutputStream out) {
        for (byte x : b) {
            int c = x & 0xFF;
            if (c < (name ? 0x21 : 0x20) || c == 0x7F || c == '\\') {
                out.writeBytes(String.format(Locale.ROOT, "\\x%02X", c).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(c);
            }
        }
    }

    /**
     * Reads the text form.
     *
     * @param in the input
     * @return the records and payload
     */
    static ZoneInput read(byte[] in) {
        int sep = -1;
        for (int p = 0; p < in.length; ) {
            int eol = indexOf(in, (byte) '\n', p);
            int end = eol < 0 ? in.length : eol;
            if (end - p == 2 && in[p] == '%' && in[p + 1] == '%') {
                sep = p;
                break;
            }
            p = end + 1;
        }
        if (sep < 0) {
            return new ZoneInput(List.of(), in);
        }
        List<Rec> records = new ArrayList<>();
        for (int p = 0; p < sep; ) {
            int eol = indexOf(in, (byte) '\n', p);
            int end = eol < 0 || eol > sep ? sep : eol;
            // searched within the line: a search to the input's end made thousands of empty lines quadratic
            int s1 = indexOf(in, (byte) ' ', p, end);
            int s2 = s1 < 0 ? -1 : indexOf(in, (byte) ' ', s1 + 1, end);
            if (s1 >= 0 && s1 < end) {
                int typeEnd = s2 < 0 || s2 >= end ? end : s2;
                String type = new String(in, s1 + 1, typeEnd - s1 - 1, StandardCharsets.ISO_8859_1);
                byte[] value = typeEnd == end ? new byte[0] : unescape(Arrays.copyOfRange(in, typeEnd + 1, end));
                records.add(new Rec(unescape(Arrays.copyOfRange(in, p, s1)), type, value));
            }
            p = end + 1;
        }
        int start = sep + 3 > in.length ? in.length : sep + 3;
        return new ZoneInput(records, Arrays.copyOfRange(in, start, in.length));
    }

    private static int indexOf(byte[] b, byte x, int from) {
        return indexOf(b, x, from, b.length);
    }

    private static int indexOf(byte[] b, byte x, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] unescape(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\' && i + 3 < b.length && b[i + 1] == 'x' && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0) {
                out.write(hex(b[i + 2]) * 16 + hex(b[i + 3]));
                i += 3;
            } else {
                out.write(b[i]);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f'
                ? c - 'a' + 10 : -1;
    }

    /** @return the DNS of these records, leaving out those that do not read or that the builder refuses */
    InMemoryDnsClient dns() {
        InMemoryDnsClient.Builder b = InMemoryDnsClient.builder();
        for (Rec r : records) {
            String name = new String(r.name(), StandardCharsets.UTF_8);
            String value = new String(r.value(), StandardCharsets.UTF_8);
            try {
                switch (r.type()) {
                    case "TXT" -> b.txt(name, value);
                    case "A" -> b.a(name, value);
                    case "MX" -> {
                        int sp = value.indexOf(' ');
                        b.mx(name, Integer.parseInt(value.substring(0, Math.max(0, sp))), value.substring(sp + 1));
                    }
                    case "PTR" -> b.ptr(name, value);
                    case "CNAME" -> b.cname(name, value);
                    case "EXISTS" -> b.exists(name);
                    case "FAIL" -> {
                        String[] f = value.split(" ", 2);
                        b.fail(name, DnsType.valueOf(f[0]), DnsAnswer.Outcome.valueOf(f[1]));
                    }
                    default -> {
                        // not a record: left out
                    }
                }
            } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                // NumberFormatException is an IllegalArgumentException; a record the harness cannot make
            }
        }
        return b.build();
    }

    /**
     * Makes inputs from seeds of this form: each input changes one to three things of a seed (or of a recent
     * input): a record's value or name with {@link Fuzz.Mutator#mutateSome}, its type, a record dropped, doubled or
     * taken from another seed, or a region of the payload (the header, the body, or for a signed message the
     * {@code DKIM-Signature} field alone); now and then the whole text form is mutated instead.
     */
    static final class Source implements Fuzz.Source {
        private final List<ZoneInput> seeds;
        private final Fuzz.Mutator bytes;
        private final ZoneInput[] recent = new ZoneInput[32];
        private int made;
        /** How many inputs went into {@link #recent}. */
        private int stored;

        Source(List<ZoneInput> seeds, List<String> dictionary, List<String[]> nesting, int maxLength) {
            this.seeds = List.copyOf(seeds);
            List<byte[]> material = new ArrayList<>();
            for (ZoneInput z : seeds) {
                material.add(z.payload);
                z.records.forEach(r -> material.add(r.value()));
            }
            this.bytes = new Fuzz.Mutator(material, dictionary, nesting, maxLength);
        }

        @Override
        public byte[] next(SplittableRandom r) {
            if (made < seeds.size()) {
                return seeds.get(made++).write();
            }
            made++;
            int recentCount = Math.min(stored, recent.length);
            ZoneInput z = recentCount > 0 && r.nextInt(5) == 0 ? recent[r.nextInt(recentCount)]
                    : seeds.get(r.nextInt(seeds.size()));
            if (r.nextInt(10) == 0) {
                return bytes.mutateSome(z.write(), r);
            }
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                z = change(z, r);
            }
            recent[stored++ % recent.length] = z;
            return z.write();
        }

        private ZoneInput change(ZoneInput z, SplittableRandom r) {
            List<Rec> recs = new ArrayList<>(z.records);
            int what = recs.isEmpty() ? 5 : r.nextInt(10);
            int i = recs.isEmpty() ? 0 : r.nextInt(recs.size());
            switch (what) {
                case 0, 1, 2 -> recs.set(i, new Rec(recs.get(i).name(), recs.get(i).type(),
                        bytes.mutateSome(recs.get(i).value(), r)));
                case 3 -> recs.set(i, new Rec(bytes.mutateSome(recs.get(i).name(), r), recs.get(i).type(),
                        recs.get(i).value()));
                case 4 -> {
                    int k = r.nextInt(3);
                    if (k == 0) {
                        recs.remove(i);
                    } else if (k == 1) {
                        recs.add(r.nextInt(recs.size() + 1), recs.get(i));
                    } else {
                        recs.set(i, new Rec(recs.get(i).name(), TYPES.get(r.nextInt(TYPES.size())),
                                recs.get(i).value()));
                    }
                }
                case 5 -> {
                    ZoneInput other = seeds.get(r.nextInt(seeds.size()));
                    if (!other.records.isEmpty()) {
                        recs.add(other.records.get(r.nextInt(other.records.size())));
                    }
                    return new ZoneInput(recs, mutatePayload(z.payload, r));
                }
                default -> {
                    return new ZoneInput(recs, mutatePayload(z.payload, r));
                }
            }
            return new ZoneInput(recs, z.payload);
        }

        /** Mutates one region of the payload: all of it, its header, its body, or its DKIM-Signature field. */
        private byte[] mutatePayload(byte[] p, SplittableRandom r) {
            String s = new String(p, StandardCharsets.ISO_8859_1);
            int body = s.indexOf("\n\n");
            int crlfBody = s.indexOf("\r\n\r\n");
            body = crlfBody >= 0 && (body < 0 || crlfBody < body) ? crlfBody + 4 : body >= 0 ? body + 2 : -1;
            int sig = s.regionMatches(true, 0, "DKIM-Signature:", 0, 15) ? 0 : indexOfIgnoreCase(s,
                    "\nDKIM-Signature:");
            sig = sig > 0 ? sig + 1 : sig;
            int from = 0;
            int to = p.length;
            int region = r.nextInt(4);
            if (region == 1 && body > 0) {
                to = body;
            } else if (region == 2 && body > 0) {
                from = body;
            } else if (region == 3 && sig >= 0 && (body < 0 || sig < body)) {
                from = sig;
                to = sig;
                do {
                    int eol = s.indexOf('\n', to);
                    to = eol < 0 ? p.length : eol + 1;
                } while (to < p.length && (s.charAt(to) == ' ' || s.charAt(to) == '\t'));
            }
            byte[] mid = bytes.mutateSome(Arrays.copyOfRange(p, from, to), r);
            byte[] out = new byte[from + mid.length + p.length - to];
            System.arraycopy(p, 0, out, 0, from);
            System.arraycopy(mid, 0, out, from, mid.length);
            System.arraycopy(p, to, out, from + mid.length, p.length - to);
            return out;
        }

        private static int indexOfIgnoreCase(String s, String needle) {
            return s.toLowerCase(Locale.ROOT).indexOf(needle.toLowerCase(Locale.ROOT));
        }
    }
}
