package org.bouncekit.classifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncekit.classifier.Reason;
import org.bouncekit.classifier.policy.SuppressionState.Cause;
import org.bouncekit.classifier.policy.SuppressionState.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A state's validation, address normalisation, expiry, and its versioned text form. */
class SuppressionStateTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");

    private static SuppressionState hard(String address) {
        return new SuppressionState(address, Status.SUPPRESSED, Cause.HARD_BOUNCE, T0, T1, List.of(),
                Reason.USERUNKNOWN, T0);
    }

    @Test
    void addressesAreTrimmedAndLowerCased() {
        assertEquals("bob@example.com", SuppressionState.normalize(" \tBob@Example.COM\r\n"));
        assertEquals("bob@example.com", hard("BOB@example.com ").address());
        assertThrows(NullPointerException.class, () -> SuppressionState.normalize(null));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> SuppressionState.normalize(" \t ")),
                "blank");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> SuppressionState.normalize("bob")), "@");
        String longest = "a".repeat(SuppressionState.MAX_ADDRESS_LENGTH - 2) + "@b";
        assertEquals(longest, SuppressionState.normalize(longest));
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> SuppressionState.normalize("a" + longest)), "1024");
    }

    @Test
    void theRecordHoldsItsInvariants() {
        assertThrows(IllegalArgumentException.class, () -> new SuppressionState("bob@example.com", Status.ACTIVE,
                Cause.MANUAL, null, null, List.of(), null, T0));
        assertThrows(IllegalArgumentException.class, () -> new SuppressionState("bob@example.com", Status.ACTIVE,
                null, null, T1, List.of(), null, T0));
        assertThrows(IllegalArgumentException.class, () -> new SuppressionState("bob@example.com",
                Status.SUPPRESSED, null, T0, null, List.of(), null, T0));
        assertThrows(IllegalArgumentException.class, () -> new SuppressionState("bob@example.com",
                Status.SUPPRESSED, Cause.MANUAL, null, null, List.of(), null, T0));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new SuppressionState("bob@example.com",
                Status.SUPPRESSED, Cause.MANUAL, T1, T0, List.of(), null, T0)), "before since");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new SuppressionState("bob@example.com",
                Status.ACTIVE, null, null, null, List.of(T1, T0), null, T0)), "out of order");
        assertThrows(NullPointerException.class, () -> new SuppressionState("bob@example.com", Status.ACTIVE, null,
                null, null, List.of(), null, null));
        assertThrows(NullPointerException.class, () -> new SuppressionState("bob@example.com", null, null,
                null, null, List.of(), null, T0));
        List<Instant> tooMany = Collections.nCopies(SuppressionState.MAX_SOFT_BOUNCES + 1, T0);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new SuppressionState("bob@example.com",
                Status.ACTIVE, null, null, null, tooMany, null, T0)), "1000");
    }

    @Test
    void theSoftBouncesAreCopied() {
        ArrayList<Instant> mutable = new ArrayList<>(List.of(T0));
        SuppressionState s = new SuppressionState("bob@example.com", Status.ACTIVE, null, null, null, mutable, null,
                T0);
        mutable.add(T1);
        assertEquals(List.of(T0), s.softBounces());
        assertThrows(UnsupportedOperationException.class, () -> s.softBounces().add(T1));
    }

    @Test
    void suppressionEndsAtUntilExclusive() {
        SuppressionState s = hard("bob@example.com");
        assertTrue(s.isSuppressed(T0));
        assertTrue(s.isSuppressed(T1.minusNanos(1)));
        assertFalse(s.isSuppressed(T1));
        assertFalse(SuppressionState.active("bob@example.com", T0).isSuppressed(T0));
        SuppressionState never = new SuppressionState("bob@example.com", Status.SUPPRESSED, Cause.COMPLAINT, T0,
                null, List.of(), Reason.FEEDBACK, T0);
        assertTrue(never.isSuppressed(Instant.MAX));
    }

    @Test
    void theLineIsTheDocumentedForm() {
        assertEquals("v1\tbob@example.com\tsuppressed\thard_bounce\t2025-03-01T10:00:00Z\t2026-03-01T10:00:00Z\t-\t"
                + "userunknown\t2025-03-01T10:00:00Z", hard("bob@example.com").toLine());
        SuppressionState counting = new SuppressionState("bob@example.com", Status.ACTIVE, null, null, null,
                List.of(T0, T0.plusNanos(1)), Reason.MAILBOXFULL, T0.plusNanos(1));
        assertEquals("v1\tbob@example.com\tactive\t-\t-\t-\t2025-03-01T10:00:00Z,2025-03-01T10:00:00.000000001Z\t"
                + "mailboxfull\t2025-03-01T10:00:00.000000001Z", counting.toLine());
        assertEquals(counting, SuppressionState.parse(counting.toLine()));
    }

    @Test
    void oddAddressesAreEscapedAndComeBackExactly() {
        String odd = "a\tb\\c\nd\re\u0001f\u007f\u00e9\ud83d\ude00\ud800x\"y,z @exa\u00a0mple.com";
        SuppressionState s = hard(odd);
        String line = s.toLine();
        assertEquals(9, line.split("\t", -1).length, line);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        assertTrue(line.contains("a\\tb\\\\c\\nd\\re\\u0001f\\u007F\u00e9\ud83d\ude00\\uD800x\"y,z @exa"), line);
        assertEquals(s, SuppressionState.parse(line));
        assertEquals(odd, SuppressionState.parse(line).address());
    }

    @Test
    void extremeInstantsComeBackExactly() {
        SuppressionState s = new SuppressionState("bob@example.com", Status.SUPPRESSED, Cause.MANUAL, Instant.MIN,
                Instant.MAX, List.of(Instant.MIN, Instant.EPOCH.minusNanos(1), Instant.MAX), null, Instant.MAX);
        assertEquals(s, SuppressionState.parse(s.toLine()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v1\tbob@example.com\tactive\t-\t-\t-\t-\t-",
        "v1\tbob@example.com\tactive\t-\t-\t-\t-\t-\t2025-03-01T10:00:00Z\textra",
        ""})
    void aLineWithoutNineFieldsIsRefused(String line) {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> SuppressionState.parse(line)), "9");
    }

    @Test
    void malformedFieldsAreRefusedByName() {
        String good = "v1\tbob@example.com\tsuppressed\thard_bounce\t2025-03-01T10:00:00Z\t2026-03-01T10:00:00Z\t"
                + "2025-03-01T10:00:00Z\tuserunknown\t2025-03-01T10:00:00Z";
        assertEquals(Cause.HARD_BOUNCE, SuppressionState.parse(good).cause());
        assertRefused(field(good, 0, "v2"), "version");
        assertRefused(field(good, 1, "bob\\x@example.com"), "address");
        assertRefused(field(good, 1, "bob@example.com\\"), "address");
        assertRefused(field(good, 1, "bob\\u00@x"), "address");
        assertRefused(field(good, 1, "bob\\u00G1@x"), "address");
        assertRefused(field(good, 1, "bob"), "@");
        assertRefused(field(good, 2, "SUPPRESSED"), "status");
        assertRefused(field(good, 3, "bounced"), "cause");
        assertRefused(field(good, 4, "yesterday"), "since");
        assertRefused(field(good, 5, "2026-03-01"), "until");
        assertRefused(field(good, 6, "2025-03-01T10:00:00Z,"), "softBounces");
        assertRefused(field(good, 6, ""), "softBounces");
        assertRefused(field(good, 7, "UserUnknown"), "lastReason");
        assertRefused(field(good, 7, "nosuchreason"), "lastReason");
        assertRefused(field(good, 8, "-"), "lastUpdate");
        assertRefused(field(good, 3, "-"), "cause"); // suppressed without a cause
        assertRefused(field(good, 6, "2025-03-02T10:00:00Z,2025-03-01T10:00:00Z"), "out of order");
        assertThrows(NullPointerException.class, () -> SuppressionState.parse(null));
    }

    private static String field(String line, int index, String value) {
        String[] f = line.split("\t", -1);
        f[index] = value;
        return String.join("\t", f);
    }

    private static void assertRefused(String line, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SuppressionState.parse(line),
                line);
        assertMessage(e, part);
    }

    private static void assertMessage(RuntimeException e, String part) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
