package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenSPF conformance suites: every test of {@code rfc7208-tests.yml} and {@code rfc4408-tests.yml}, each a
 * dynamic test, through a DNS that follows the reference driver's rules ({@link SuiteDns}).
 */
class SpfSuiteTest {

    /** One suite test. */
    record Case(String scenario, String id, String helo, String host, String mailfrom, List<String> results,
                String explanation, Map<String, Object> zone) {
    }

    /**
     * Tests of the RFC 4408 suite whose answer RFC 7208 changed, with the RFC 7208 answer we give instead. (The
     * 2009 suite predates the void-lookup limit, the permerror for too many MX names, and the none for an ip6
     * mechanism checked against an IPv4 address.)
     */
    static final Map<String, String> RFC7208_CHANGED = Map.of();

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    @SuppressWarnings("unchecked")
    static List<Case> load(String file) throws IOException {
        Path p = TestData.root().resolve("auth/spf").resolve(file);
        List<Case> cases = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            for (Object doc : new Yaml(options).loadAll(r)) {
                Map<String, Object> scenario = (Map<String, Object>) doc;
                Map<String, Object> zone = (Map<String, Object>) scenario.get("zonedata");
                Map<String, Object> tests = (Map<String, Object>) scenario.get("tests");
                for (Map.Entry<String, Object> t : new TreeMap<>(tests).entrySet()) {
                    Map<String, Object> v = (Map<String, Object>) t.getValue();
                    Object result = v.get("result");
                    List<String> results = result instanceof List<?> l ? (List<String>) l : List.of((String) result);
                    cases.add(new Case((String) scenario.get("description"), t.getKey(), (String) v.get("helo"),
                            (String) v.get("host"), String.valueOf(v.getOrDefault("mailfrom", "")), results,
                            (String) v.get("explanation"), zone));
                }
            }
        }
        return cases;
    }

    static SpfResult run(Case c) {
        SpfChecker checker = SpfChecker.builder(new SuiteDns(c.zone())).clock(CLOCK).receiver("receiver.test")
                .build();
        return checker.check(c.host(), c.mailfrom(), c.helo());
    }

    /** Null when the test passes, else why not. */
    static String verdict(Case c, SpfResult r) {
        String got = r.verdict().token();
        List<String> want = c.results().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (!want.contains(got)) {
            return c.id() + ": expected " + want + " got " + got + " " + r.problems() + "\n    " + r.trace();
        }
        if (c.explanation() != null && !c.explanation().equals("DEFAULT") && r.verdict() == SpfVerdict.FAIL
                && !c.explanation().equals(r.explanation())) {
            return c.id() + ": explanation \"" + r.explanation() + "\", expected \"" + c.explanation() + "\"";
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> rfc7208() throws IOException {
        return load("rfc7208-tests.yml").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String why = verdict(c, run(c));
            assertEquals(null, why, why);
        }));
    }

    @TestFactory
    Stream<DynamicTest> rfc4408() throws IOException {
        return load("rfc4408-tests.yml").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String changed = RFC7208_CHANGED.get(c.id());
            Case effective = changed == null ? c : new Case(c.scenario(), c.id(), c.helo(), c.host(), c.mailfrom(),
                    List.of(changed), c.explanation(), c.zone());
            String why = verdict(effective, run(effective));
            assertEquals(null, why, why);
        }));
    }

    @Test
    void counts() throws IOException {
        List<Case> a = load("rfc7208-tests.yml");
        List<Case> b = load("rfc4408-tests.yml");
        long passA = a.stream().filter(c -> verdict(c, run(c)) == null).count();
        long passB = b.stream().filter(c -> {
            String changed = RFC7208_CHANGED.get(c.id());
            Case e = changed == null ? c : new Case(c.scenario(), c.id(), c.helo(), c.host(), c.mailfrom(),
                    List.of(changed), c.explanation(), c.zone());
            return verdict(e, run(e)) == null;
        }).count();
        System.out.printf("SPF suites: rfc7208 %d/%d, rfc4408 %d/%d (%d answers changed by RFC 7208)%n", passA,
                a.size(), passB, b.size(), RFC7208_CHANGED.size());
        assertEquals(203, a.size());
        assertEquals(191, b.size());
        assertTrue(passA == a.size() && passB == b.size());
    }
}
