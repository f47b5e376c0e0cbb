package org.bouncekit.classifier.analytics;

import java.util.List;
import java.util.Map;

/**
 * Writes an {@link AnalyticsSnapshot} as JSON: one object whose members are the snapshot's components, in order;
 * times in ISO-8601 UTC, the bucket in seconds, counts as numbers, shares and rates as decimals. Stateless;
 * thread-safe.
 */
final class AnalyticsJson {

    private final StringBuilder sb = new StringBuilder(4096);

    private AnalyticsJson() {
    }

    static String write(AnalyticsSnapshot s) {
        AnalyticsJson j = new AnalyticsJson();
        j.sb.append('{');
        j.name("total").append(s.total());
        j.comma().name("first").string(s.first() == null ? null : s.first().toString());
        j.comma().name("last").string(s.last() == null ? null : s.last().toString());
        j.comma().name("bucketSeconds").append(s.bucket().getSeconds());
        j.comma().name("truncated").append(s.truncated());
        j.comma().name("domains").counts(s.domains());
        j.comma().name("providers").counts(s.providers());
        j.comma().name("reasons").counts(s.reasons());
        j.comma().name("types").counts(s.types());
        j.comma().name("decisions").counts(s.decisions());
        j.comma().name("sendingIps").counts(s.sendingIps());
        j.comma().name("campaigns").counts(s.campaigns());
        j.comma().name("buckets").sb.append('[');
        for (int i = 0; i < s.buckets().size(); i++) {
            AnalyticsSnapshot.Bucket b = s.buckets().get(i);
            j.sep(i).sb.append('{');
            j.name("start").string(b.start().toString());
            j.comma().name("total").append(b.total());
            j.comma().name("types").map(b.types());
            j.comma().name("reasons").map(b.reasons());
            j.sb.append('}');
        }
        j.sb.append(']');
        j.comma().name("domainRows").sb.append('[');
        for (int i = 0; i < s.domainRows().size(); i++) {
            AnalyticsSnapshot.DomainRow d = s.domainRows().get(i);
            j.sep(i).sb.append('{');
            j.name("domain").string(d.domain());
            j.comma().name("total").append(d.total());
            j.comma().name("types").map(d.types());
            j.comma().name("sent").append(d.sent());
            j.comma().name("bounceRate").number(d.bounceRate());
            j.comma().name("topReason").string(d.topReason());
            j.sb.append('}');
        }
        j.sb.append(']');
        j.comma().name("topRejectingDomains").sb.append('[');
        List<AnalyticsSnapshot.DomainRow> top = s.topRejectingDomains(20);
        for (int i = 0; i < top.size(); i++) {
            j.sep(i).sb.append('{');
            j.name("domain").string(top.get(i).domain());
            j.comma().name("rejections").append(top.get(i).rejections());
            j.sb.append('}');
        }
        j.sb.append(']');
        j.comma().name("suppressionCandidates").sb.append('[');
        for (int i = 0; i < s.candidates().size(); i++) {
            AnalyticsSnapshot.Candidate c = s.candidates().get(i);
            j.sep(i).sb.append('{');
            j.name("address").string(c.address());
            j.comma().name("reason").string(c.reason());
            j.comma().name("events").append(c.events());
            j.sb.append('}');
        }
        j.sb.append(']');
        j.comma().name("dmarcSources").sb.append('[');
        for (int i = 0; i < s.authSources().size(); i++) {
            AnalyticsSnapshot.AuthSource a = s.authSources().get(i);
            j.sep(i).sb.append('{');
            j.name("sourceIp").string(a.sourceIp());
            j.comma().name("headerFrom").string(a.headerFrom());
            j.comma().name("messages").append(a.messages());
            j.comma().name("dmarcPass").append(a.dmarcPass());
            j.sb.append('}');
        }
        j.sb.append(']');
        j.comma().name("dmarcDispositions").map(new java.util.TreeMap<>(s.dispositions()));
        j.sb.append('}');
        return j.sb.toString();
    }

    private AnalyticsJson comma() {
        sb.append(',');
        return this;
    }

    private AnalyticsJson sep(int i) {
        if (i > 0) {
            sb.append(',');
        }
        return this;
    }

    private AnalyticsJson name(String n) {
        string(n);
        sb.append(':');
        return this;
    }

    private AnalyticsJson append(long v) {
        sb.append(v);
        return this;
    }

    private AnalyticsJson append(boolean v) {
        sb.append(v);
        return this;
    }

    private void number(Double d) {
        if (d == null || d.isNaN() || d.isInfinite()) {
            sb.append("null");
        } else {
            sb.append(d.doubleValue());
        }
    }

    private void counts(List<AnalyticsSnapshot.Count> counts) {
        sb.append('[');
        for (int i = 0; i < counts.size(); i++) {
            AnalyticsSnapshot.Count c = counts.get(i);
            sep(i).sb.append('{');
            name("key").string(c.key());
            comma().name("count").append(c.count());
            comma().name("share").number(c.share());
            sb.append('}');
        }
        sb.append(']');
    }

    private void map(Map<String, Long> m) {
        sb.append('{');
        int i = 0;
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(m).entrySet()) {
            sep(i++).name(e.getKey()).append(e.getValue());
        }
        sb.append('}');
    }

    private void string(String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)
                            && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
