package org.bouncekit.classifier.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link AnalyticsSnapshot} as one self-contained HTML page: inline CSS, charts as inline SVG drawn here
 * (no script, no font or image fetched). Stateless; thread-safe.
 */
final class AnalyticsHtml {

    /** Fill colours by type; the rest are grey. */
    static final Map<String, String> TYPE_COLOURS = Map.of("hard", "#c0392b", "soft", "#e67e22", "block",
            "#2c6fbb");
    static final String OTHER_COLOUR = "#8e8e8e";
    static final String REASON_COLOUR = "#7b4fb3";
    static final String PROVIDER_COLOUR = "#2e8b57";
    /** Rows shown in the bar charts and tables. */
    private static final int TOP = 15;
    private static final int TABLE_ROWS = 200;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final StringBuilder sb = new StringBuilder(64 * 1024);
    private final AnalyticsSnapshot s;

    private AnalyticsHtml(AnalyticsSnapshot s) {
        this.s = s;
    }

    static String render(AnalyticsSnapshot s, String title) {
        AnalyticsHtml h = new AnalyticsHtml(s);
        h.page(title);
        return h.sb.toString();
    }

    private void page(String title) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222;")
                .append("max-width:1000px}\nh1{margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ddd}\n")
                .append(".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;")
                .append("padding:8px 14px;min-width:110px}.card b{display:block;font-size:22px}\n")
                .append("table{border-collapse:collapse;font-size:14px}td,th{padding:3px 10px;border-bottom:1px ")
                .append("solid #eee;text-align:left}td.n,th.n{text-align:right}\nsvg text{font-size:11px;")
                .append("fill:#333}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;")
                .append("vertical-align:middle}.muted{color:#777}\n</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"muted\">");
        if (s.total() == 0) {
            sb.append("No bounce was counted.");
        } else {
            sb.append(s.total()).append(" events from ").append(MINUTE.format(s.first())).append(" to ")
                    .append(MINUTE.format(s.last())).append(" UTC, in buckets of ").append(duration(s.bucket()))
                    .append('.');
        }
        if (s.truncated()) {
            sb.append(" Some dimensions were full: their smallest keys are counted as (other).");
        }
        sb.append("</p>\n");
        cards();
        sb.append("<h2>Bounces over time</h2>\n");
        legend();
        timeChart();
        sb.append("<h2>Hard, soft and block</h2>\n");
        typeChart();
        sb.append("<h2>Reasons</h2>\n");
        bars("chart-reasons", s.reasons(), REASON_COLOUR);
        sb.append("<h2>Top domains</h2>\n");
        legend();
        domainChart();
        sb.append("<h2>Providers</h2>\n");
        bars("chart-providers", s.providers(), PROVIDER_COLOUR);
        rejecting();
        trend();
        candidates();
        countTable("Sending IPs", "IP or pool", s.sendingIps());
        countTable("Campaigns", "campaign", s.campaigns());
        dmarc();
        sb.append("<p class=\"muted\">Made by BounceKit.</p>\n</body>\n</html>\n");
    }

    private void cards() {
        sb.append("<div class=\"cards\">");
        card("events", s.total());
        for (String t : List.of("hard", "soft", "block", "complaint")) {
            card(t, count(s.types(), t));
        }
        card("domains", s.domains().size());
        card("suppression candidates", s.candidates().size());
        sb.append("</div>\n");
    }

    private void card(String label, long n) {
        sb.append("<div class=\"card\"><b>").append(n).append("</b>").append(esc(label)).append("</div>");
    }

    private static long count(List<AnalyticsSnapshot.Count> counts, String key) {
        for (AnalyticsSnapshot.Count c : counts) {
            if (c.key().equals(key)) {
                return c.count();
            }
        }
        return 0;
    }

    private void legend() {
        sb.append("<p class=\"legend\">");
        for (String t : List.of("hard", "soft", "block")) {
            sb.append("<span style=\"background:").append(TYPE_COLOURS.get(t)).append("\"></span>").append(t);
        }
        sb.append("<span style=\"background:").append(OTHER_COLOUR).append("\"></span>other</p>\n");
    }

    private static String colour(String type) {
        return TYPE_COLOURS.getOrDefault(type, OTHER_COLOUR);
    }

    /** Stacked columns, one per bucket, by type. */
    private void timeChart() {
        List<AnalyticsSnapshot.Bucket> buckets = s.buckets();
        int width = 960;
        int height = 260;
        int left = 50;
        int bottom = 30;
        int plotW = width - left - 10;
        int plotH = height - bottom - 10;
        long max = 1;
        for (AnalyticsSnapshot.Bucket b : buckets) {
            max = Math.max(max, b.total());
        }
        sb.append("<svg class=\"chart\" id=\"chart-time\" role=\"img\" aria-label=\"Bounces over time by type\" ")
                .append("width=\"").append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        axis(left, 10, plotW, plotH, max);
        if (!buckets.isEmpty()) {
            double step = (double) plotW / buckets.size();
            double barW = Math.max(1, step * 0.8);
            List<String> order = s.typeOrder();
            for (int i = 0; i < buckets.size(); i++) {
                AnalyticsSnapshot.Bucket b = buckets.get(i);
                double x = left + i * step + (step - barW) / 2;
                double y = 10 + plotH;
                for (String t : order) {
                    long n = b.type(t);
                    if (n == 0) {
                        continue;
                    }
                    double h = (double) n * plotH / max;
                    y -= h;
                    sb.append("<rect class=\"bar ").append(esc(t)).append("\" x=\"").append(f(x)).append("\" y=\"")
                            .append(f(y)).append("\" width=\"").append(f(barW)).append("\" height=\"").append(f(h))
                            .append("\" fill=\"").append(colour(t)).append("\"><title>")
                            .append(esc(label(b.start()) + ": " + n + " " + t)).append("</title></rect>\n");
                }
            }
            sb.append("<text x=\"").append(left).append("\" y=\"").append(height - 8).append("\">")
                    .append(esc(label(buckets.get(0).start()))).append("</text>\n");
            sb.append("<text x=\"").append(width - 10).append("\" y=\"").append(height - 8)
                    .append("\" text-anchor=\"end\">").append(esc(label(buckets.get(buckets.size() - 1).start())))
                    .append("</text>\n");
        }
        sb.append("</svg>\n");
    }

    private String label(Instant start) {
        return s.bucket().compareTo(Duration.ofDays(1)) >= 0 && s.bucket().getSeconds() % 86_400 == 0
                ? DAY.format(start) : MINUTE.format(start);
    }

    private void axis(int left, int top, int plotW, int plotH, long max) {
        sb.append("<line x1=\"").append(left).append("\" y1=\"").append(top + plotH).append("\" x2=\"")
                .append(left + plotW).append("\" y2=\"").append(top + plotH).append("\" stroke=\"#999\"/>\n");
        sb.append("<text x=\"").append(left - 6).append("\" y=\"").append(top + 10).append("\" text-anchor=\"end\">")
                .append(max).append("</text>\n<text x=\"").append(left - 6).append("\" y=\"").append(top + plotH)
                .append("\" text-anchor=\"end\">0</text>\n");
    }

    /** One bar, 100% wide, split by type, with the shares written below. */
    private void typeChart() {
        int width = 960;
        int height = 70;
        sb.append("<svg class=\"chart\" id=\"chart-types\" role=\"img\" aria-label=\"Events by type\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        double x = 0;
        for (String t : s.typeOrder()) {
            long n = count(s.types(), t);
            if (n == 0 || s.total() == 0) {
                continue;
            }
            double w = (double) n * width / s.total();
            sb.append("<rect class=\"bar ").append(esc(t)).append("\" x=\"").append(f(x)).append("\" y=\"0\" width=\"")
                    .append(f(w)).append("\" height=\"36\" fill=\"").append(colour(t)).append("\"><title>")
                    .append(esc(t + ": " + n)).append("</title></rect>\n");
            if (w > 60) {
                sb.append("<text x=\"").append(f(x + 4)).append("\" y=\"54\">").append(esc(t)).append(' ')
                        .append(percent((double) n / s.total())).append("</text>\n");
            }
            x += w;
        }
        sb.append("</svg>\n");
    }

    /** Horizontal bars of the top counts. */
    private void bars(String id, List<AnalyticsSnapshot.Count> counts, String fill) {
        List<AnalyticsSnapshot.Count> top = counts.subList(0, Math.min(TOP, counts.size()));
        int rowH = 20;
        int width = 960;
        int labelW = 260;
        int height = Math.max(rowH, top.size() * rowH) + 4;
        long max = top.isEmpty() ? 1 : Math.max(1, top.get(0).count());
        sb.append("<svg class=\"chart\" id=\"").append(id).append("\" role=\"img\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        for (int i = 0; i < top.size(); i++) {
            AnalyticsSnapshot.Count c = top.get(i);
            double w = Math.max(1, (double) c.count() * (width - labelW - 80) / max);
            int y = i * rowH + 2;
            sb.append("<text x=\"").append(labelW - 6).append("\" y=\"").append(y + 13).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(c.key()))).append("</text>\n");
            sb.append("<rect class=\"bar\" x=\"").append(labelW).append("\" y=\"").append(y).append("\" width=\"")
                    .append(f(w)).append("\" height=\"").append(rowH - 4).append("\" fill=\"").append(fill)
                    .append("\"><title>").append(esc(c.key() + ": " + c.count())).append("</title></rect>\n");
            sb.append("<text x=\"").append(f(labelW + w + 6)).append("\" y=\"").append(y + 13).append("\">")
                    .append(c.count()).append(" (").append(percent(c.share())).append(")</text>\n");
        }
        sb.append("</svg>\n");
    }

    /** Horizontal bars of the top domains, split by type. */
    private void domainChart() {
        List<AnalyticsSnapshot.DomainRow> top = s.domainRows().subList(0, Math.min(TOP, s.domainRows().size()));
        int rowH = 20;
        int width = 960;
        int labelW = 260;
        int height = Math.max(rowH, top.size() * rowH) + 4;
        long max = top.isEmpty() ? 1 : Math.max(1, top.get(0).total());
        sb.append("<svg class=\"chart\" id=\"chart-domains\" role=\"img\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        List<String> order = s.typeOrder();
        for (int i = 0; i < top.size(); i++) {
            AnalyticsSnapshot.DomainRow d = top.get(i);
            int y = i * rowH + 2;
            sb.append("<text x=\"").append(labelW - 6).append("\" y=\"").append(y + 13).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(d.domain()))).append("</text>\n");
            double x = labelW;
            for (String t : order) {
                long n = d.type(t);
                if (n == 0) {
                    continue;
                }
                double w = Math.max(1, (double) n * (width - labelW - 80) / max);
                sb.append("<rect class=\"bar ").append(esc(t)).append("\" x=\"").append(f(x)).append("\" y=\"")
                        .append(y).append("\" width=\"").append(f(w)).append("\" height=\"").append(rowH - 4)
                        .append("\" fill=\"").append(colour(t)).append("\"><title>")
                        .append(esc(d.domain() + ": " + n + " " + t)).append("</title></rect>\n");
                x += w;
            }
            sb.append("<text x=\"").append(f(x + 6)).append("\" y=\"").append(y + 13).append("\">").append(d.total())
                    .append("</text>\n");
        }
        sb.append("</svg>\n");
    }

    private void rejecting() {
        List<AnalyticsSnapshot.DomainRow> top = s.topRejectingDomains(TOP);
        sb.append("<h2>Top rejecting domains</h2>\n");
        if (top.isEmpty()) {
            sb.append("<p class=\"muted\">None.</p>\n");
            return;
        }
        sb.append("<table><tr><th>domain</th><th class=\"n\">hard</th><th class=\"n\">block</th>")
                .append("<th class=\"n\">all</th><th class=\"n\">bounce rate</th><th>top reason</th></tr>\n");
        for (AnalyticsSnapshot.DomainRow d : top) {
            sb.append("<tr><td>").append(esc(d.domain())).append("</td><td class=\"n\">").append(d.type("hard"))
                    .append("</td><td class=\"n\">").append(d.type("block")).append("</td><td class=\"n\">")
                    .append(d.total()).append("</td><td class=\"n\">")
                    .append(d.bounceRate() == null ? "" : percent(d.bounceRate())).append("</td><td>")
                    .append(esc(d.topReason() == null ? "" : d.topReason())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** The second half of the period against the first, by reason. */
    private void trend() {
        if (s.buckets().size() < 2) {
            return;
        }
        Instant start = s.buckets().get(0).start();
        Instant end = s.buckets().get(s.buckets().size() - 1).start().plus(s.bucket());
        Instant mid = start.plus(Duration.between(start, end).dividedBy(2));
        long secs = s.bucket().getSeconds();
        mid = Instant.ofEpochSecond(mid.getEpochSecond() - Math.floorMod(mid.getEpochSecond(), secs));
        List<AnalyticsSnapshot.Trend> rows = s.trend(start, mid, mid, end);
        sb.append("<h2>Change between periods</h2>\n<p class=\"muted\">").append(esc(label(start))).append(" to ")
                .append(esc(label(mid))).append(" against ").append(esc(label(mid))).append(" to ")
                .append(esc(label(end))).append(".</p>\n<table><tr><th>reason</th><th class=\"n\">before</th>")
                .append("<th class=\"n\">after</th><th class=\"n\">change</th></tr>\n");
        for (AnalyticsSnapshot.Trend t : rows.subList(0, Math.min(TOP, rows.size()))) {
            sb.append("<tr><td>").append(esc(t.reason())).append("</td><td class=\"n\">").append(t.before())
                    .append("</td><td class=\"n\">").append(t.after()).append("</td><td class=\"n\">")
                    .append(t.change() > 0 ? "+" : "").append(t.change())
                    .append(t.ratio() == null ? "" : " (" + (t.ratio() > 0 ? "+" : "") + percent(t.ratio()) + ")")
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private void candidates() {
        sb.append("<h2>Suppression candidates</h2>\n<p class=\"muted\">Addresses with a hard bounce or a complaint")
                .append(s.candidates().size() > TABLE_ROWS ? "; the first " + TABLE_ROWS + " of "
                        + s.candidates().size() : "").append(".</p>\n");
        if (s.candidates().isEmpty()) {
            return;
        }
        sb.append("<table><tr><th>address</th><th>reason</th><th class=\"n\">events</th></tr>\n");
        for (AnalyticsSnapshot.Candidate c : s.candidates().subList(0, Math.min(TABLE_ROWS, s.candidates().size()))) {
            sb.append("<tr><td>").append(esc(c.address())).append("</td><td>").append(esc(c.reason()))
                    .append("</td><td class=\"n\">").append(c.events()).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private void countTable(String title, String keyName, List<AnalyticsSnapshot.Count> counts) {
        sb.append("<h2>").append(esc(title)).append("</h2>\n<table><tr><th>").append(esc(keyName))
                .append("</th><th class=\"n\">events</th><th class=\"n\">share</th></tr>\n");
        for (AnalyticsSnapshot.Count c : counts.subList(0, Math.min(TOP, counts.size()))) {
            sb.append("<tr><td>").append(esc(c.key())).append("</td><td class=\"n\">").append(c.count())
                    .append("</td><td class=\"n\">").append(percent(c.share())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private void dmarc() {
        if (s.authSources().isEmpty()) {
            return;
        }
        sb.append("<h2>DMARC aggregate reports</h2>\n<table><tr><th>source IP</th><th>From domain</th>")
                .append("<th class=\"n\">messages</th><th class=\"n\">DMARC pass</th></tr>\n");
        for (AnalyticsSnapshot.AuthSource a : s.authSources().subList(0, Math.min(TABLE_ROWS,
                s.authSources().size()))) {
            sb.append("<tr><td>").append(esc(a.sourceIp())).append("</td><td>").append(esc(a.headerFrom()))
                    .append("</td><td class=\"n\">").append(a.messages()).append("</td><td class=\"n\">")
                    .append(a.messages() == 0 ? "" : percent((double) a.dmarcPass() / a.messages()))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String shorten(String s) {
        if (s.length() <= 40) {
            return s;
        }
        int cut = Character.isHighSurrogate(s.charAt(38)) ? 38 : 39; // never half a surrogate pair
        return s.substring(0, cut) + "…";
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String duration(Duration d) {
        long secs = d.getSeconds();
        return secs % 86_400 == 0 ? secs / 86_400 + (secs == 86_400 ? " day" : " days")
                : secs % 3600 == 0 ? secs / 3600 + (secs == 3600 ? " hour" : " hours") : secs / 60 + " minutes";
    }

    /** HTML-escapes text for element content and attribute values. */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
