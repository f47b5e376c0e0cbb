package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The OpenSPF conformance suites: every test of {@code rfc7208-tests.yml} (203) and {@code rfc4408-tests.yml}
 * (191), explanations included, each a dynamic test, through a DNS that follows the reference driver's rules
 * ({@link SuiteDns}).
 */
class SpfSuiteTest {

    /**
     * The tests of the RFC 4408 suite (2009) whose answer RFC 7208 changed: the 2009 suite accepts either answer,
     * the RFC 7208 suite only the one given here, and that is the one required of us. They concern SPF type 99
     * records (no longer queried), DNS timeouts on the TXT query, a DNS error in {@code exists}, an {@code ip6}
     * mechanism against an IPv4 address, and more than 10 MX names.
     */
    static final Map<String, String> RFC7208_CHANGED = Map.ofEntries(
            Map.entry("nospftxttimeout", "temperror"),
            Map.entry("spfonly", "none"),
            Map.entry("spftimeout", "fail"),
            Map.entry("txtonly", "fail"),
            Map.entry("txttimeout", "temperror"),
            Map.entry("multispf2", "pass"),
            Map.entry("multitxt1", "permerror"),
            Map.entry("spfoverride", "fail"),
            Map.entry("exists-dnserr", "temperror"),
            Map.entry("cidr6-0-ip4", "neutral"),
            Map.entry("cidr6-ip4", "neutral"),
            Map.entry("mx-limit", "permerror"));

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    static List<SpfSuite.Case> load(String file) throws IOException {
        return SpfSuite.load(TestData.root().resolve("auth/spf").resolve(file));
    }

    static SpfResult run(SpfSuite.Case c) {
        return SpfChecker.builder(c.dns()).clock(CLOCK).receiver("receiver.test").build()
                .check(c.host(), c.mailfrom(), c.helo());
    }

    static SpfSuite.Case effective(SpfSuite.Case c) {
        String changed = RFC7208_CHANGED.get(c.id());
        if (changed != null && !c.results().contains(changed)) {
            throw new IllegalStateException(c.id() + ": the 2009 suite does not accept " + changed);
        }
        return changed == null ? c : new SpfSuite.Case(c.scenario(), c.id(), c.helo(), c.host(), c.mailfrom(),
                List.of(changed), c.explanation(), c.dns());
    }

    @TestFactory
    Stream<DynamicTest> rfc7208() throws IOException {
        return load("rfc7208-tests.yml").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String why = c.mismatch(run(c));
            assertNull(why, why);
        }));
    }

    @TestFactory
    Stream<DynamicTest> rfc4408() throws IOException {
        return load("rfc4408-tests.yml").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            SpfSuite.Case e = effective(c);
            String why = e.mismatch(run(e));
            assertNull(why, why);
        }));
    }

    @Test
    void counts() throws IOException {
        List<SpfSuite.Case> a = load("rfc7208-tests.yml");
        List<SpfSuite.Case> b = load("rfc4408-tests.yml");
        long passA = a.stream().filter(c -> c.mismatch(run(c)) == null).count();
        long passB = b.stream().map(SpfSuiteTest::effective).filter(c -> c.mismatch(run(c)) == null).count();
        long explained = a.stream().filter(c -> c.explanation() != null).count();
        System.out.printf("SPF suites: rfc7208 %d/%d (%d with an explanation), rfc4408 %d/%d (%d of them held to "
                + "RFC 7208's answer: %s)%n", passA, a.size(), explained, passB, b.size(), RFC7208_CHANGED.size(),
                new java.util.TreeSet<>(RFC7208_CHANGED.keySet()));
        assertEquals(203, a.size());
        assertEquals(191, b.size());
        assertEquals(a.size(), passA);
        assertEquals(b.size(), passB);
    }
}
