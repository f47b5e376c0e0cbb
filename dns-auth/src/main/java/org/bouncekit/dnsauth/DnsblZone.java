package org.bouncekit.dnsauth;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncekit.dnsauth.internal.DomainNames;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.spi.DnsNames;

/**
 * A DNSBL zone to check addresses against, with what its return codes mean. Spamhaus's zones
 * ({@code zen.spamhaus.org}, its parts {@code sbl}, {@code xbl}, {@code pbl}, {@code sbl-xbl}, and Data Query
 * Service names under {@code dq.spamhaus.net}) come with Spamhaus's table ({@link #spamhausZenCodes()}); meanings
 * given by the user are added to, and override, a built-in table.
 *
 * <p>In every zone a code in {@code 127.255.255.0/24} means that the query was refused, never a listing
 * ({@link DnsblStatus#REFUSED}); Spamhaus's {@code .252}, {@code .254} and {@code .255} have meanings of their
 * own. Codes are matched exactly; bit-mask zones (one bit per sub-list) need one meaning per combination.
 *
 * <p>Immutable; thread-safe.
 *
 * @param name     the zone, lower case, without a trailing dot ({@code zen.spamhaus.org})
 * @param meanings what each return code means, by code ({@code 127.0.0.2}); all in {@code 127.0.0.0/8}
 */
public record DnsblZone(String name, Map<String, String> meanings) {

    /** Names too long for a query under them: an IPv6 query name adds 64 octets to the zone's. */
    private static final int MAX_ZONE_LENGTH = 253 - 64;

    private static final Map<String, String> SPAMHAUS_ZEN = Map.ofEntries(
            Map.entry("127.0.0.2", "SBL: Spamhaus SBL Data (a verified spam source or operation)"),
            Map.entry("127.0.0.3", "SBL CSS: Spamhaus SBL CSS Data (a snowshoe or low-reputation sender)"),
            Map.entry("127.0.0.4", "XBL: CBL Data (a host infected or exploited: bot, malware, open proxy)"),
            Map.entry("127.0.0.5", "XBL: Exploits Block List (a host infected or exploited)"),
            Map.entry("127.0.0.6", "XBL: Exploits Block List (a host infected or exploited)"),
            Map.entry("127.0.0.7", "XBL: Exploits Block List (a host infected or exploited)"),
            Map.entry("127.0.0.9", "DROP: Spamhaus DROP/EDROP Data (a hijacked or criminal network)"),
            Map.entry("127.0.0.10", "PBL: ISP Maintained (an end-user address that should not send directly)"),
            Map.entry("127.0.0.11",
                    "PBL: Spamhaus Maintained (an end-user address that should not send directly)"),
            Map.entry("127.255.255.252", "query refused: typing error in the DNSBL name"),
            Map.entry("127.255.255.254", "query refused: queries through public or open resolvers are not "
                    + "answered (use your own resolver or the Data Query Service)"),
            Map.entry("127.255.255.255", "query refused: excessive number of queries"));

    private static final Set<String> SPAMHAUS_NAMES = Set.of("zen.spamhaus.org", "sbl.spamhaus.org",
            "xbl.spamhaus.org", "pbl.spamhaus.org", "sbl-xbl.spamhaus.org");

    /**
     * Validates and normalizes the zone; the map is copied.
     *
     * @param name     see {@link #name()}
     * @param meanings see {@link #meanings()}
     * @throws IllegalArgumentException when the name is not a domain name that leaves room for a query, or a
     *                                  code is not an IPv4 literal in {@code 127.0.0.0/8}, or a meaning is empty
     */
    public DnsblZone {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(meanings, "meanings");
        name = DnsNames.relative(name.strip());
        String bad = DomainNames.invalidLabels(name);
        if (bad != null) {
            throw new IllegalArgumentException("DNSBL zone \"" + name + "\": " + bad);
        }
        if (name.length() > MAX_ZONE_LENGTH) {
            throw new IllegalArgumentException("DNSBL zone longer than " + MAX_ZONE_LENGTH
                    + " octets (no room for an IPv6 query name): " + name);
        }
        Map<String, String> copy = new HashMap<>();
        meanings.forEach((code, meaning) -> {
            String c = code(code);
            if (meaning == null || meaning.isBlank()) {
                throw new IllegalArgumentException("empty meaning for return code " + c);
            }
            copy.put(c, meaning);
        });
        meanings = Map.copyOf(copy);
    }

    /**
     * A zone with its built-in table, if BounceKit knows the zone (Spamhaus's), else with none.
     *
     * @param name the zone
     * @return the zone
     */
    public static DnsblZone of(String name) {
        return of(name, Map.of());
    }

    /**
     * A zone with the given meanings added to its built-in table, overriding it where they meet.
     *
     * @param name     the zone
     * @param meanings meaning by return code ({@code "127.0.0.2" -> "spam source"})
     * @return the zone
     */
    public static DnsblZone of(String name, Map<String, String> meanings) {
        String n = DnsNames.relative(Objects.requireNonNull(name, "name").strip());
        Map<String, String> all = new HashMap<>(spamhaus(n) ? SPAMHAUS_ZEN : Map.of());
        Objects.requireNonNull(meanings, "meanings").forEach((code, meaning) -> all.put(code(code), meaning));
        return new DnsblZone(n, all);
    }

    /** @return {@code zen.spamhaus.org} with Spamhaus's return codes */
    public static DnsblZone spamhausZen() {
        return new DnsblZone("zen.spamhaus.org", SPAMHAUS_ZEN);
    }

    /**
     * @param name a zone that answers as ZEN does: a mirror, or a Data Query Service name
     *             ({@code KEY.zen.dq.spamhaus.net})
     * @return the zone with Spamhaus's return codes
     */
    public static DnsblZone spamhausZen(String name) {
        return new DnsblZone(name, SPAMHAUS_ZEN);
    }

    /**
     * Spamhaus ZEN's return codes: {@code 127.0.0.2} SBL, {@code .3} SBL CSS, {@code .4} to {@code .7} XBL (CBL),
     * {@code .9} DROP, {@code .10} and {@code .11} PBL; and its refusals {@code 127.255.255.252} (typing error),
     * {@code .254} (public or open resolver), {@code .255} (excessive queries).
     *
     * @return the table, by code
     */
    public static Map<String, String> spamhausZenCodes() {
        return SPAMHAUS_ZEN;
    }

    /**
     * @param code a code to add or override
     * @param meaning what it means
     * @return a zone like this one with that meaning
     */
    public DnsblZone withMeaning(String code, String meaning) {
        Map<String, String> all = new HashMap<>(meanings);
        all.put(code(code), Objects.requireNonNull(meaning, "meaning"));
        return new DnsblZone(name, all);
    }

    /**
     * @param code a return code ({@code 127.0.0.2})
     * @return what it means in this zone: the table's meaning, a refusal's generic meaning for
     *         {@code 127.255.255.x}, or null when the code is not known
     */
    public String meaning(String code) {
        String m = meanings.get(code);
        if (m == null && refusal(code)) {
            return "query refused by the DNSBL (" + code + ")";
        }
        return m;
    }

    /**
     * @param code a return code as dotted text
     * @return whether it is a refusal ({@code 127.255.255.0/24}), not a listing
     */
    static boolean refusal(String code) {
        return code.startsWith("127.255.255.");
    }

    private static boolean spamhaus(String n) {
        return SPAMHAUS_NAMES.contains(n) || n.endsWith(".dq.spamhaus.net");
    }

    private static String code(String code) {
        byte[] b = IpLiterals.bytes(Objects.requireNonNull(code, "code").strip());
        if (b == null || b.length != 4 || b[0] != 127) {
            throw new IllegalArgumentException("a DNSBL return code is an IPv4 address in 127.0.0.0/8: " + code);
        }
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
}
