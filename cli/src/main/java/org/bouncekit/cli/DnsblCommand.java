package org.bouncekit.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncekit.dnsauth.DnsblChecker;
import org.bouncekit.dnsauth.DnsblResult;
import org.bouncekit.dnsauth.DnsblZoneResult;
import org.bouncekit.dnsauth.spi.DnsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bouncekit dnsbl IP [--list ZONE]... [--zone FILE]...}: checks an IPv4 or IPv6 address against DNS
 * blocklists and writes one JSON object on stdout: {@code ip}, {@code listed}, {@code incomplete} and
 * {@code zones}, one object per blocklist with {@code zone}, {@code query}, {@code status}, {@code codes},
 * {@code meanings}, {@code reasons} and {@code detail}.
 *
 * <p>Exit codes: 0 when the check ran, whatever the answers (a list that could not be asked has status
 * {@code error}, and {@code incomplete} is true); 1 when the output cannot be written; 2 for a usage error (an
 * invalid IP or list name, a zone file that cannot be read).
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "dnsbl",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Checks an IPv4 or IPv6 address against DNS blocklists (the address reversed, by octets or by "
                    + "nibbles, under each list's zone) and writes one JSON object on stdout.",
            "",
            "Fields: ip, listed (true when any list lists it), incomplete (true when a list could not be asked), "
                    + "zones: one object per list with zone, query (the name asked), status (listed, not-listed, "
                    + "refused: the list answered a refusal code such as Spamhaus's 127.255.255.254, never a "
                    + "listing; error: no usable answer), codes (the A records), meanings (what each code means "
                    + "for lists BounceKit knows, or null), reasons (the list's TXT records) and detail.",
            "",
            "Without --list, the lists are " + DnsblCommand.DEFAULT_LISTS_TEXT + ". Spamhaus refuses queries "
                    + "through public resolvers: ask through your own, or use a Data Query Service name.",
            "",
            "With --zone, DNS data comes only from the zone files and no network is used; without it, the "
                    + "system's resolvers are asked."
        },
        footer = {"", "Exit status: 0 the check ran, whatever the answers (a list that could not be asked has "
                + "status error and makes incomplete true), 1 the output could not be written, 2 usage error, an "
                + "invalid IP or list name, or a zone file that cannot be read."})
final class DnsblCommand implements Callable<Integer> {

    /** The lists asked when none is given. */
    static final List<String> DEFAULT_LISTS = List.of("zen.spamhaus.org", "bl.spamcop.net");
    static final String DEFAULT_LISTS_TEXT = "zen.spamhaus.org and bl.spamcop.net";

    @Parameters(arity = "1", paramLabel = "IP", description = "The address: an IPv4 or IPv6 literal.")
    private String ip;

    @Option(names = "--list", paramLabel = "ZONE",
            description = "A blocklist's zone, such as zen.spamhaus.org (repeatable; default: "
                    + DEFAULT_LISTS_TEXT + ").")
    private List<String> lists;

    @Mixin
    private ZoneOption zone = new ZoneOption();

    private final OutputStream out;
    private final PrintStream err;

    DnsblCommand(OutputStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        DnsClient dns = zone.dns(err);
        if (dns == null) {
            return 2;
        }
        DnsblChecker.Builder builder = DnsblChecker.builder(dns);
        for (String list : lists == null || lists.isEmpty() ? DEFAULT_LISTS : lists) {
            try {
                builder.zone(list);
            } catch (IllegalArgumentException e) {
                err.println("bouncekit: --list: " + SpfCommand.oneLine(e.getMessage()));
                return 2;
            }
        }
        DnsblResult result;
        try {
            result = builder.build().check(ip);
        } catch (IllegalArgumentException e) {
            err.println("bouncekit: IP: " + SpfCommand.oneLine(e.getMessage()));
            return 2;
        }
        return OneObject.print(out, err, json -> {
            json.beginObject();
            json.name("ip").value(result.ipText());
            json.name("listed").value(result.listed());
            json.name("incomplete").value(result.incomplete());
            json.name("zones").beginArray();
            for (DnsblZoneResult z : result.zones()) {
                json.beginObject();
                json.name("zone").value(z.zone());
                json.name("query").value(z.query());
                json.name("status").value(z.status().token());
                json.strings("codes", z.codes());
                json.strings("meanings", z.meanings());
                json.strings("reasons", z.reasons());
                json.name("detail").value(z.detail());
                json.endObject();
            }
            json.endArray();
            json.endObject();
        });
    }
}
