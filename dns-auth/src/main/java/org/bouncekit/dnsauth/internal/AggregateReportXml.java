package org.bouncekit.dnsauth.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.bouncekit.dnsauth.AggregateReport;
import org.bouncekit.dnsauth.AggregateReportException;

/**
 * Reads the XML of a DMARC aggregate report with the JDK's StAX parser, DTDs disabled: a document type
 * declaration is refused before anything of it is used, so neither external entities (XXE) nor entity expansion
 * (billion laughs) can happen. Elements are matched by local name, so reports with or without a namespace
 * (RFC 7489's none or {@code http://dmarc.org/dmarc-xml/0.1}, RFC 9990's {@code urn:ietf:params:xml:ns:dmarc-2.0})
 * read alike; elements of other namespaces (RFC 9990 extensions) are skipped.
 *
 * <p>Stateless; thread-safe. Each call reads one document.
 */
public final class AggregateReportXml {

    /** Children known per parent element; the value for a leaf is an empty set. */
    private static final Map<String, Set<String>> CHILDREN = Map.ofEntries(
            Map.entry("feedback", Set.of("version", "report_metadata", "policy_published", "extension", "record")),
            Map.entry("report_metadata", Set.of("org_name", "email", "extra_contact_info", "report_id",
                    "date_range", "error", "generator", "version")),
            Map.entry("date_range", Set.of("begin", "end")),
            Map.entry("policy_published", Set.of("domain", "discovery_method", "adkim", "aspf", "p", "sp", "np",
                    "pct", "fo", "psd", "t", "testing")),
            Map.entry("record", Set.of("row", "identifiers", "auth_results")),
            Map.entry("row", Set.of("source_ip", "count", "policy_evaluated")),
            Map.entry("policy_evaluated", Set.of("disposition", "dkim", "spf", "reason")),
            Map.entry("reason", Set.of("type", "comment")),
            Map.entry("identifiers", Set.of("header_from", "envelope_from", "envelope_to")),
            Map.entry("auth_results", Set.of("dkim", "spf")),
            Map.entry("auth_dkim", Set.of("domain", "selector", "result", "human_result")),
            Map.entry("auth_spf", Set.of("domain", "scope", "result", "human_result")));

    private static final Set<String> POLICIES = Set.of("none", "quarantine", "reject");
    private static final Set<String> DISPOSITIONS = Set.of("none", "quarantine", "reject", "pass");
    private static final Set<String> ALIGNMENT = Set.of("r", "s");
    private static final Set<String> ALIGNED_RESULTS = Set.of("pass", "fail");
    private static final Set<String> DKIM_RESULTS = Set.of("none", "pass", "fail", "policy", "neutral",
            "temperror", "permerror");
    private static final Set<String> SPF_RESULTS = Set.of("none", "neutral", "pass", "fail", "softfail",
            "temperror", "permerror", "unknown", "error");
    private static final Set<String> SPF_SCOPES = Set.of("mfrom", "helo");

    /**
     * The limits of one document. Immutable; thread-safe.
     *
     * @param maxRecords      {@code <record>} elements read
     * @param maxElementDepth element nesting depth (the root is depth 1)
     * @param maxTextLength   characters of one element's text
     */
    public record Limits(int maxRecords, int maxElementDepth, int maxTextLength) {
    }

    private AggregateReportXml() {
    }

    /**
     * Reads a report; the stream is read up to the end of the root element, not closed.
     *
     * @param in        the XML (its encoding is found from its declaration or byte-order mark)
     * @param container how the XML was found, for {@link AggregateReport#container()}
     * @param limits    the limits
     * @param problems  where problems go
     * @return the report, partial when the XML breaks off after its root element began
     * @throws AggregateReportException when a limit is breached, a DTD is declared, the XML is not well-formed
     *                                  before its root element, or the root is not {@code <feedback>}
     * @throws IOException              when the stream fails (an {@link AggregateReportStreams.SourceFailure})
     */
    public static AggregateReport read(InputStream in, String container, Limits limits,
                                       AggregateReportProblems problems) throws IOException {
        return new Run(container, limits, problems).read(in);
    }

    static XMLInputFactory factory() {
        // the JDK's own implementation, never one found on the class path
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    /** One document's reading. Not thread-safe. */
    private static final class Run {
        private final String container;
        private final Limits limits;
        private final AggregateReportProblems problems;

        /** Local names of the open elements, root first; "auth_dkim"/"auth_spf" under auth_results. */
        private final List<String> path = new ArrayList<>();
        /** Text of the innermost open element since it began. */
        private final StringBuilder text = new StringBuilder();
        /** Whether the innermost open element has had no child element yet. */
        private boolean leaf;
        /** Depth of the element being skipped (unknown or foreign), or 0. */
        private int skipping;
        private String rootNamespace;
        private XMLStreamReader reader;

        private String version;
        private final Meta meta = new Meta();
        private final Policy policy = new Policy();
        private final List<AggregateReport.Row> rows = new ArrayList<>();
        private RowBuilder row;
        private int rowLine;
        private String[] sub; // the reason, dkim or spf element being read: its leaf values

        Run(String container, Limits limits, AggregateReportProblems problems) {
            this.container = container;
            this.limits = limits;
            this.problems = problems;
        }

        AggregateReport read(InputStream in) throws IOException {
            boolean ended = false;
            try {
                reader = factory().createXMLStreamReader(in);
                while (!ended) {
                    int event = next();
                    switch (event) {
                        case XMLStreamConstants.DTD -> throw new AggregateReportException(
                                AggregateReportException.Kind.REFUSED, null, "DOCTYPE refused at " + where()
                                + ": DTDs are disabled (no external entities, no entity expansion)");
                        case XMLStreamConstants.START_ELEMENT -> start();
                        case XMLStreamConstants.END_ELEMENT -> ended = end();
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                                text();
                        case XMLStreamConstants.END_DOCUMENT -> throw new XMLStreamException("document ends early");
                        default -> {
                            // comments, processing instructions
                        }
                    }
                }
            } catch (XMLStreamException e) {
                IOException ours = ours(e);
                if (ours != null) {
                    throw ours;
                }
                String why = message(e);
                if (path.isEmpty() && rootNamespace == null) {
                    throw new AggregateReportException(AggregateReportException.Kind.UNREADABLE,
                            "not well-formed XML" + at(e) + ": " + why, e);
                }
                problems.add("XML breaks off" + at(e) + ": " + why + "; " + rows.size()
                        + " record(s) read before it");
            } finally {
                if (reader != null) {
                    try {
                        reader.close();
                    } catch (XMLStreamException e) {
                        // nothing held that matters
                    }
                }
            }
            return finish();
        }

        private int next() throws XMLStreamException {
            try {
                return reader.next();
            } catch (RuntimeException e) {
                // StAX implementations throw unchecked exceptions on some damaged inputs
                throw new XMLStreamException(String.valueOf(e.getMessage()), e);
            }
        }

        private void start() throws AggregateReportException {
            String name = reader.getLocalName();
            int depth = path.size() + 1;
            if (depth > limits.maxElementDepth()) {
                throw AggregateReportStreams.limit("maxElementDepth", limits.maxElementDepth(),
                        "element <" + name + "> at " + where() + " is at depth " + depth);
            }
            if (depth == 1) {
                if (!name.equals("feedback")) {
                    throw new AggregateReportException(AggregateReportException.Kind.NOT_A_REPORT, null,
                            "not a DMARC aggregate report: the root element is <" + name + ">, not <feedback>");
                }
                rootNamespace = ns(reader.getNamespaceURI());
                path.add(name);
                leaf = true;
                text.setLength(0);
                return;
            }
            leaf = false;
            if (skipping > 0) {
                path.add(name);
                return;
            }
            String parent = path.get(path.size() - 1);
            String key = name;
            if (parent.equals("auth_results") && (name.equals("dkim") || name.equals("spf"))) {
                key = "auth_" + name;
            }
            Set<String> known = CHILDREN.get(parent);
            boolean foreign = !ns(reader.getNamespaceURI()).equals(rootNamespace);
            if (known == null || !known.contains(name) || foreign || parent.equals("extension")) {
                if (!foreign && !parent.equals("extension") && !name.equals("extension")) {
                    problems.add("line " + line() + ": unknown element <" + name + "> in <" + parent
                            + "> ignored");
                }
                skipping = depth;
                path.add(name);
                return;
            }
            path.add(key);
            leaf = true;
            text.setLength(0);
            switch (key) {
                case "record" -> {
                    if (rows.size() >= limits.maxRecords()) {
                        throw AggregateReportStreams.limit("maxRecords", limits.maxRecords(),
                                "another <record> at " + where());
                    }
                    row = new RowBuilder();
                    rowLine = line();
                }
                case "reason" -> sub = new String[2];
                case "auth_dkim", "auth_spf" -> sub = new String[4];
                default -> {
                    // nothing to open
                }
            }
        }

        /** @return whether the root element ended */
        private boolean end() {
            int depth = path.size();
            String key = path.remove(depth - 1);
            if (skipping > 0) {
                if (depth == skipping) {
                    skipping = 0;
                }
                leaf = false;
                return false;
            }
            String value = leaf ? text.toString().strip() : null;
            leaf = false;
            if (depth == 1) {
                return true;
            }
            String parent = path.get(path.size() - 1);
            if (CHILDREN.containsKey(key)) {
                closeContainer(key);
            } else if (value != null) {
                leafValue(parent, key, value);
            }
            return false;
        }

        private void text() throws AggregateReportException {
            if (skipping > 0 || !leaf) {
                return;
            }
            int n = reader.getTextLength();
            if (text.length() + n > limits.maxTextLength()) {
                throw AggregateReportStreams.limit("maxTextLength", limits.maxTextLength(),
                        "text of <" + path.get(path.size() - 1) + "> at " + where() + " is longer");
            }
            text.append(reader.getTextCharacters(), reader.getTextStart(), n);
        }

        private void closeContainer(String key) {
            switch (key) {
                case "record" -> {
                    rows.add(row.build(rowLine, problems));
                    row = null;
                }
                case "reason" -> {
                    if (sub[0] == null) {
                        problems.add("line " + line() + ": <reason> without <type>");
                    }
                    row.reasons.add(new AggregateReport.Reason(sub[0], sub[1]));
                }
                case "auth_dkim" -> {
                    if (sub[0] == null || sub[2] == null) {
                        problems.add("line " + line() + ": <auth_results><dkim> without <domain> or <result>");
                    }
                    row.dkimResults.add(new AggregateReport.DkimAuth(sub[0], sub[1], sub[2], sub[3]));
                }
                case "auth_spf" -> {
                    if (sub[0] == null || sub[2] == null) {
                        problems.add("line " + line() + ": <auth_results><spf> without <domain> or <result>");
                    }
                    row.spfResults.add(new AggregateReport.SpfAuth(sub[0], sub[1], sub[2], sub[3]));
                }
                default -> {
                    // containers whose values are kept as their leaves end
                }
            }
        }

        private void leafValue(String parent, String name, String v) {
            switch (parent) {
                case "feedback", "report_metadata" -> {
                    switch (name) {
                        case "version" -> version = once(version, v, name);
                        case "org_name" -> meta.orgName = once(meta.orgName, v, name);
                        case "email" -> meta.email = once(meta.email, v, name);
                        case "extra_contact_info" -> meta.extra = once(meta.extra, v, name);
                        case "report_id" -> meta.reportId = once(meta.reportId, v, name);
                        case "error" -> meta.errors.add(v);
                        case "generator" -> meta.generator = once(meta.generator, v, name);
                        default -> { }
                    }
                }
                case "date_range" -> {
                    Instant t = epoch(v, name);
                    if (name.equals("begin")) {
                        meta.begin = once(meta.begin, t, name);
                    } else {
                        meta.end = once(meta.end, t, name);
                    }
                }
                case "policy_published" -> policyValue(name, v);
                case "row" -> {
                    if (name.equals("source_ip")) {
                        byte[] b = IpLiterals.bytes(v);
                        if (b == null) {
                            problems.add("line " + line() + ": <source_ip> is not an IP address: \"" + v + "\"");
                        } else if (row.ip == null) {
                            row.ip = IpLiterals.parse(v);
                        }
                    } else {
                        row.count = count(v);
                    }
                }
                case "policy_evaluated" -> {
                    switch (name) {
                        case "disposition" -> row.disposition = token(v, DISPOSITIONS, name);
                        case "dkim" -> row.dkim = token(v, ALIGNED_RESULTS, "policy_evaluated><dkim");
                        default -> row.spf = token(v, ALIGNED_RESULTS, "policy_evaluated><spf");
                    }
                }
                case "identifiers" -> {
                    switch (name) {
                        case "header_from" -> row.headerFrom = v;
                        case "envelope_from" -> row.envelopeFrom = v;
                        default -> row.envelopeTo = v;
                    }
                }
                case "reason" -> {
                    if (name.equals("type")) {
                        sub[0] = v.toLowerCase(Locale.ROOT);
                    } else {
                        sub[1] = v;
                    }
                }
                case "auth_dkim", "auth_spf" -> {
                    boolean dkim = parent.equals("auth_dkim");
                    switch (name) {
                        case "domain" -> sub[0] = v;
                        case "selector", "scope" -> sub[1] = dkim ? v : token(v, SPF_SCOPES, "spf><scope");
                        case "result" -> sub[2] = token(v, dkim ? DKIM_RESULTS : SPF_RESULTS,
                                dkim ? "dkim><result" : "spf><result");
                        default -> sub[3] = v;
                    }
                }
                default -> {
                    // values of other containers are not kept
                }
            }
        }

        private void policyValue(String name, String v) {
            switch (name) {
                case "domain" -> policy.domain = once(policy.domain, v, name);
                case "discovery_method" -> policy.discovery = once(policy.discovery, v.toLowerCase(Locale.ROOT),
                        name);
                case "adkim" -> policy.adkim = once(policy.adkim, token(v, ALIGNMENT, name), name);
                case "aspf" -> policy.aspf = once(policy.aspf, token(v, ALIGNMENT, name), name);
                case "p" -> policy.p = once(policy.p, token(v, POLICIES, name), name);
                case "sp" -> policy.sp = once(policy.sp, token(v, POLICIES, name), name);
                case "np" -> policy.np = once(policy.np, token(v, POLICIES, name), name);
                case "pct" -> policy.pct = once(policy.pct, percent(v), name);
                case "fo" -> policy.fo = once(policy.fo, v, name);
                case "psd" -> policy.psd = once(policy.psd, v.toLowerCase(Locale.ROOT), name);
                default -> policy.testing = once(policy.testing, v.toLowerCase(Locale.ROOT), name);
            }
        }

        private <T> T once(T old, T value, String name) {
            if (old != null) {
                problems.add("line " + line() + ": second <" + name + "> ignored");
                return old;
            }
            return value;
        }

        private String token(String v, Set<String> allowed, String name) {
            String t = v.toLowerCase(Locale.ROOT);
            if (!allowed.contains(t)) {
                problems.add("line " + line() + ": <" + name + "> has an unknown value: \"" + v + "\"");
            }
            return t;
        }

        private Instant epoch(String v, String name) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(v));
            } catch (NumberFormatException | DateTimeException e) {
                problems.add("line " + line() + ": <" + name + "> is not seconds since the epoch: \"" + v + "\"");
                return null;
            }
        }

        private long count(String v) {
            try {
                long n = Long.parseLong(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            problems.add("line " + line() + ": <count> is not a message count: \"" + v + "\"; 0 used");
            return 0;
        }

        private Integer percent(String v) {
            try {
                int n = Integer.parseInt(v);
                if (n >= 0 && n <= 100) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            problems.add("line " + line() + ": <pct> is not 0 to 100: \"" + v + "\"");
            return null;
        }

        private AggregateReport finish() {
            if (meta.orgName == null) {
                problems.add("<report_metadata><org_name> missing");
            }
            if (meta.reportId == null) {
                problems.add("<report_metadata><report_id> missing");
            }
            if (meta.begin == null || meta.end == null) {
                problems.add("<report_metadata><date_range> incomplete: <begin> and <end> are required");
            } else if (meta.end.isBefore(meta.begin)) {
                problems.add("<date_range> ends before it begins");
            }
            if (policy.domain == null) {
                problems.add("<policy_published><domain> missing");
            }
            if (policy.p == null) {
                problems.add("<policy_published><p> missing");
            }
            if (rows.isEmpty()) {
                problems.add("no <record>");
            }
            AggregateReport.Metadata m = new AggregateReport.Metadata(meta.orgName, meta.email, meta.extra,
                    meta.reportId, meta.begin, meta.end, meta.errors, meta.generator);
            AggregateReport.PolicyPublished p = new AggregateReport.PolicyPublished(policy.domain,
                    policy.discovery, policy.adkim, policy.aspf, policy.p, policy.sp, policy.np, policy.pct,
                    policy.fo, policy.psd, policy.testing);
            return new AggregateReport(version, m, p, rows, container, problems.toList());
        }

        private int line() {
            return reader.getLocation().getLineNumber();
        }

        private String where() {
            Location l = reader.getLocation();
            return "line " + l.getLineNumber() + ", column " + l.getColumnNumber();
        }
    }

    /** The mutable metadata of one run. */
    private static final class Meta {
        String orgName;
        String email;
        String extra;
        String reportId;
        Instant begin;
        Instant end;
        final List<String> errors = new ArrayList<>();
        String generator;
    }

    /** The mutable policy of one run. */
    private static final class Policy {
        String domain;
        String discovery;
        String adkim;
        String aspf;
        String p;
        String sp;
        String np;
        Integer pct;
        String fo;
        String psd;
        String testing;
    }

    /** One record being read. */
    private static final class RowBuilder {
        InetAddress ip;
        long count = -1;
        String disposition;
        String dkim;
        String spf;
        final List<AggregateReport.Reason> reasons = new ArrayList<>();
        String headerFrom;
        String envelopeFrom;
        String envelopeTo;
        final List<AggregateReport.DkimAuth> dkimResults = new ArrayList<>();
        final List<AggregateReport.SpfAuth> spfResults = new ArrayList<>();

        AggregateReport.Row build(int line, AggregateReportProblems problems) {
            List<String> missing = new ArrayList<>();
            if (ip == null) {
                missing.add("<source_ip>");
            }
            if (count < 0) {
                missing.add("<count>");
                count = 0;
            }
            if (disposition == null || dkim == null || spf == null) {
                missing.add("<policy_evaluated> (disposition, dkim, spf)");
            }
            if (headerFrom == null) {
                missing.add("<header_from>");
            }
            if (!missing.isEmpty()) {
                problems.add("line " + line + ": <record> without a valid " + String.join(", ", missing));
            }
            return new AggregateReport.Row(ip, count, disposition, dkim, spf, reasons, headerFrom, envelopeFrom,
                    envelopeTo, dkimResults, spfResults);
        }
    }

    private static String ns(String uri) {
        return uri == null ? "" : uri;
    }

    /** Our own exception (a breached limit, the caller's read failure) beneath a parser's exception, or null. */
    static IOException ours(Throwable e) {
        Throwable t = e;
        for (int i = 0; t != null && i < 16; i++) {
            if (t instanceof AggregateReportException || t instanceof AggregateReportStreams.SourceFailure) {
                return (IOException) t;
            }
            Throwable next = t instanceof XMLStreamException x ? x.getNestedException() : null;
            t = next != null && next != t ? next : t.getCause();
        }
        return null;
    }

    private static String at(XMLStreamException e) {
        Location l = e.getLocation();
        return l == null ? "" : " at line " + l.getLineNumber() + ", column " + l.getColumnNumber();
    }

    /** The parser's message without the position it repeats. */
    private static String message(XMLStreamException e) {
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("Message: ");
        return (i >= 0 ? m.substring(i + 9) : m).strip();
    }
}
