package org.bouncekit.dnsauth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;

/**
 * The DNS of an OpenSPF suite scenario ({@code zonedata}), served by the rules of the reference driver
 * (../shared/testdata/README.md, auth/spf). Fails closed: nothing reaches the network.
 */
public final class SuiteDns implements DnsClient {

    /** One zonedata entry: a type and its value, or the bare TIMEOUT marker (type null). */
    private record Entry(String type, Object value) {
    }

    private final Map<String, List<Entry>> zone = new HashMap<>();

    @SuppressWarnings("unchecked")
    /**
     * @param zonedata a scenario's {@code zonedata}, as the YAML reader gives it
     */
    public SuiteDns(Map<String, Object> zonedata) {
        if (zonedata == null) {
            return;
        }
        zonedata.forEach((name, entries) -> {
            List<Entry> list = new ArrayList<>();
            for (Object e : (List<Object>) entries) {
                if (e instanceof String marker) {
                    list.add(new Entry(null, marker)); // TIMEOUT
                } else {
                    ((Map<String, Object>) e).forEach((type, value) -> list.add(new Entry(type, value)));
                }
            }
            zone.put(normalise(name), list);
        });
    }

    /** Rule 1: case-insensitive, empty labels dropped. */
    private static String normalise(String name) {
        StringBuilder sb = new StringBuilder();
        for (String label : name.toLowerCase(Locale.ROOT).split("\\.")) {
            if (!label.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(label);
            }
        }
        return sb.toString();
    }

    @Override
    public CompletionStage<DnsAnswer> query(String name, DnsType type) {
        return CompletableFuture.completedFuture(answer(name, type));
    }

    private DnsAnswer answer(String rawName, DnsType type) {
        String name = normalise(rawName);
        for (String label : name.split("\\.")) {
            if (label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
                return DnsAnswer.failed(DnsAnswer.Outcome.TIMEOUT, "label over 63 octets"); // rule 1
            }
        }
        Set<String> seen = new HashSet<>();
        while (true) {
            List<Entry> entries = zone.get(name);
            if (entries == null) {
                return name.startsWith("error.") ? DnsAnswer.failed(DnsAnswer.Outcome.TIMEOUT, name) // rule 5
                        : DnsAnswer.failed(DnsAnswer.Outcome.NXDOMAIN, name);
            }
            String cname = null;
            for (Entry e : entries) {
                if ("CNAME".equals(e.type())) {
                    cname = normalise((String) e.value());
                }
            }
            if (cname != null && !seen.add(name)) {
                return DnsAnswer.failed(DnsAnswer.Outcome.SERVFAIL, "CNAME loop"); // rule 7
            }
            if (cname != null) {
                name = cname;
                continue;
            }
            return records(entries, type);
        }
    }

    @SuppressWarnings("unchecked")
    private static DnsAnswer records(List<Entry> entries, DnsType type) {
        boolean explicitTxt = entries.stream().anyMatch(e -> "TXT".equals(e.type()));
        List<DnsRecord> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type() == null) {
                if (out.isEmpty()) {
                    return DnsAnswer.failed(DnsAnswer.Outcome.TIMEOUT, "TIMEOUT"); // rule 4
                }
                break;
            }
            String t = e.type();
            Object v = e.value();
            switch (type) {
                case TXT:
                    // rule 2: SPF also served as TXT unless the name has TXT of its own; rule 3: NONE is not served
                    if ((t.equals("TXT") || t.equals("SPF") && !explicitTxt) && !"NONE".equals(v)) {
                        out.add(new DnsRecord.Txt(text(v)));
                    }
                    break;
                case A:
                case AAAA:
                    if (t.equals(type.name())) {
                        out.add(new DnsRecord.Address(IpLiterals.parse((String) v)));
                    }
                    break;
                case MX:
                    if (t.equals("MX")) {
                        List<Object> mx = (List<Object>) v;
                        out.add(new DnsRecord.Mx(((Number) mx.get(0)).intValue(), (String) mx.get(1)));
                    }
                    break;
                case PTR:
                    if (t.equals("PTR")) {
                        out.add(new DnsRecord.Ptr((String) v));
                    }
                    break;
                default:
                    break;
            }
        }
        return DnsAnswer.of(out, 300);
    }

    /** Rule 8: character-strings joined without separator; [] is an empty TXT. */
    @SuppressWarnings("unchecked")
    private static String text(Object v) {
        if (v instanceof List<?> parts) {
            StringBuilder sb = new StringBuilder();
            for (Object p : (List<Object>) parts) {
                sb.append(p);
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }
}
