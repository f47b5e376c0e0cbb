package org.bouncekit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bouncekit.dnsauth.AuditFinding;
import org.bouncekit.dnsauth.DomainAudit;
import org.bouncekit.dnsauth.DomainAuditor;
import org.bouncekit.dnsauth.spi.DnsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bouncekit audit DOMAIN [--selector S]... [--zone FILE]... [--fail-on SEVERITY]}: audits what a sending
 * domain publishes in DNS (SPF, DMARC, DKIM keys, MX, MTA-STS, TLS-RPT) and writes one JSON object on stdout:
 * {@code domain}, {@code findings} (each with {@code kind}, {@code severity}, {@code subject}, {@code message},
 * {@code fix}), {@code errors}, {@code warnings}, {@code notes}, then the records read: {@code spf}, {@code dmarc},
 * {@code dkim}, {@code mx}, {@code mtaSts}, {@code tlsRpt}.
 *
 * <p>Exit codes: 0 when the audit completed (whatever it found, unless {@code --fail-on}); 3 when
 * {@code --fail-on} is given and a finding is at least that severe; 1 when the output cannot be written; 2 for a
 * usage error.
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Audits a sending domain's DNS before its mail bounces for it: SPF (present, one record, valid, at "
                    + "most 10 lookups and 2 void lookups across its includes, not +all or ?all), DMARC (present, "
                    + "policy, testing, reporting addresses and their authorization), the DKIM keys of the "
                    + "selectors given (type, size, revoked, testing), MX (present, null MX, hosts that resolve), "
                    + "MTA-STS and TLS-RPT records. Writes one JSON object on stdout.",
            "",
            "Fields: domain; findings (errors first), each with kind (such as spf-too-many-lookups), severity "
                    + "(error, warning, info), subject (the DNS name or term), message and fix; errors, warnings "
                    + "and notes (counts); spf (record, lookups, voidLookups), dmarc (record, domain), dkim (one "
                    + "object per selector: selector, record, type, bits, revoked, testing), mx (array of "
                    + "\"PREFERENCE HOST\"), mtaSts and tlsRpt (the records, or null).",
            "",
            "DNS cannot list DKIM selectors: give the ones your signers use. The audit reads DNS only; it "
                    + "fetches no MTA-STS policy and connects to no server.",
            "",
            "With --zone, DNS data comes only from the zone files and no network is used; without it, the "
                    + "system's resolvers are asked."
        },
        footer = {"", "Exit status: 0 the audit completed, 3 --fail-on was given and a finding is that severe or "
                + "worse, 1 the output could not be written, 2 usage error, an invalid domain or selector, or a "
                + "zone file that cannot be read."})
final class AuditCommand implements Callable<Integer> {

    @Parameters(arity = "1", paramLabel = "DOMAIN", description = "The sending domain.")
    private String domain;

    @Option(names = "--selector", paramLabel = "S",
            description = "A DKIM selector whose key to check (repeatable).")
    private List<String> selectors;

    @Mixin
    private ZoneOption zone = new ZoneOption();

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit with status 3 when a finding is this severe or worse: error, warning or info.")
    private String failOn;

    private final OutputStream out;
    private final PrintStream err;

    AuditCommand(OutputStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        AuditFinding.Severity threshold = null;
        if (failOn != null) {
            try {
                threshold = AuditFinding.Severity.valueOf(failOn.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                err.println("bouncekit: --fail-on: expected error, warning or info: " + failOn);
                return 2;
            }
        }
        DnsClient dns = zone.dns(err);
        if (dns == null) {
            return 2;
        }
        DomainAudit audit;
        try {
            audit = DomainAuditor.builder(dns).build().audit(domain, selectors == null ? List.of() : selectors);
        } catch (IllegalArgumentException e) {
            err.println("bouncekit: " + SpfCommand.oneLine(e.getMessage()));
            return 2;
        }
        if (OneObject.print(out, err, json -> write(json, audit)) != 0) {
            return 1;
        }
        if (threshold != null) {
            for (AuditFinding f : audit.findings()) {
                if (f.severity().compareTo(threshold) <= 0) {
                    return 3;
                }
            }
        }
        return 0;
    }

    static void write(JsonWriter json, DomainAudit a) throws IOException {
        json.beginObject();
        json.name("domain").value(a.domain());
        json.name("findings").beginArray();
        for (AuditFinding f : a.findings()) {
            json.beginObject();
            json.name("kind").value(f.kind().token());
            json.name("severity").value(f.severity().token());
            json.name("subject").value(f.subject());
            json.name("message").value(f.message());
            json.name("fix").value(f.fix());
            json.endObject();
        }
        json.endArray();
        json.name("errors").value(a.count(AuditFinding.Severity.ERROR));
        json.name("warnings").value(a.count(AuditFinding.Severity.WARNING));
        json.name("notes").value(a.count(AuditFinding.Severity.INFO));
        json.name("spf").beginObject();
        json.name("record").value(a.spfRecord());
        json.name("lookups").value(a.spfLookups());
        json.name("voidLookups").value(a.spfVoidLookups());
        json.endObject();
        json.name("dmarc").beginObject();
        json.name("record").value(a.dmarcRecord());
        json.name("domain").value(a.dmarcDomain());
        json.endObject();
        json.name("dkim").beginArray();
        for (DomainAudit.DkimKey k : a.dkimKeys()) {
            json.beginObject();
            json.name("selector").value(k.selector());
            json.name("record").value(k.record());
            json.name("type").value(k.type());
            json.name("bits").value(k.bits() > 0 ? Long.valueOf(k.bits()) : null);
            json.name("revoked").value(k.revoked());
            json.name("testing").value(k.testing());
            json.endObject();
        }
        json.endArray();
        json.strings("mx", a.mx());
        json.name("mtaSts").value(a.mtaSts());
        json.name("tlsRpt").value(a.tlsRpt());
        json.endObject();
    }
}
