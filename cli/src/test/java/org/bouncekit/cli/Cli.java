package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs the CLI in-process and checks the output contract on every line. */
final class Cli {

    /** The contract fields, in their required order. */
    static final List<String> FIELDS = List.of("source", "kind", "format", "recipient", "action", "status",
            "replyCode", "diagnostic", "remoteMta", "reportingMta", "messageId", "feedbackType");

    /** The classification fields that {@code classify} writes after the parse fields, in order. */
    static final List<String> CLASSIFICATION_FIELDS = List.of("reason", "type", "decision", "retryable", "provider",
            "rule", "ruleSet", "evidenceField", "evidenceSpan");

    /** The fields of {@code classify --smtp}, all of them, in order. */
    static final List<String> SMTP_FIELDS = concat(List.of("input", "replyCode", "status", "text"),
            CLASSIFICATION_FIELDS);

    /** The fields of {@code spf}, all of them, in order: the contract's six first, then the added ones. */
    static final List<String> SPF_FIELDS = List.of("result", "mechanism", "explanation", "lookups", "voidLookups",
            "problems", "identity", "domain", "ip", "sender", "helo", "trace", "receivedSpf");

    static final List<String> SPF_RESULTS = List.of("pass", "fail", "softfail", "neutral", "none", "temperror",
            "permerror");

    /** The fields of {@code dkim verify}, all of them, in order: the contract's five first, then the added ones. */
    static final List<String> DKIM_FIELDS = List.of("domain", "selector", "algorithm", "result", "reason",
            "identity", "signedHeaders", "bodyLength", "keyBits", "testing", "notes", "problems", "source");

    static final List<String> DKIM_RESULTS = List.of("pass", "fail", "policy", "neutral", "temperror", "permerror",
            "none");

    static final List<String> KINDS = List.of("bounce", "delay", "delivered", "relayed", "expanded", "feedback",
            "auto_reply", "not_a_report");

    private Cli() {
    }

    /** The outcome of one run. */
    record Result(int code, String out, String err, List<Map<String, Object>> rows) {
        List<Object> column(String field) {
            List<Object> l = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                l.add(r.get(field));
            }
            return l;
        }

        Map<String, Object> row(int i) {
            return rows.get(i);
        }
    }

    /** Runs a command whose output is JSON Lines, checking every line. */
    static Result run(String... args) {
        return run(new byte[0], Cli::checkedRow, args);
    }

    static Result runWithStdin(byte[] stdin, String... args) {
        return run(stdin, Cli::checkedRow, args);
    }

    /** Runs {@code classify --smtp ...}, checking that every line has exactly the SMTP fields, in order. */
    static Result smtp(byte[] stdin, String... args) {
        return run(stdin, Cli::checkedSmtpRow, args);
    }

    /** Runs {@code spf ...}, checking that its output is one line, one object with the SPF fields in order. */
    static Result spf(String... args) {
        Result r = run(new byte[0], Cli::checkedSpfRow, args);
        if (r.code() == 0) {
            assertEquals(1, r.rows().size(), () -> "one JSON object: " + r.out());
        }
        return r;
    }

    /** Runs {@code dkim verify ...}, checking that every line has exactly the DKIM fields, in order. */
    static Result dkim(byte[] stdin, String... args) {
        return run(stdin, Cli::checkedDkimRow, args);
    }

    /** The outcome of a run whose output is bytes ({@code dkim sign}). */
    record Raw(int code, byte[] out, String err) {
    }

    /** Runs a command and keeps its output as bytes, unchecked. */
    static Raw raw(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, new ByteArrayInputStream(stdin), o, e);
        }
        return new Raw(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command whose output is text (help, version). */
    static Result text(String... args) {
        return run(new byte[0], null, args);
    }

    private static Result run(byte[] stdin, Function<String, Map<String, Object>> lineCheck, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            InputStream in = new ByteArrayInputStream(stdin);
            code = Main.run(args, in, o, e);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (lineCheck != null && code != 2) {
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    rows.add(lineCheck.apply(line));
                }
            }
            assertTrue(text.isEmpty() || text.endsWith("\n"), "output ends with a line feed");
        }
        return new Result(code, text, err.toString(StandardCharsets.UTF_8), rows);
    }

    /** Parses a line of {@code classify --smtp} and checks its fields, their order and their types. */
    static Map<String, Object> checkedSmtpRow(String line) {
        LinkedHashMap<String, Object> row = MiniJson.object(line);
        assertEquals(SMTP_FIELDS, new ArrayList<>(row.keySet()), () -> "SMTP fields in order: " + line);
        assertTrue(row.get("input") instanceof String, () -> "input is a string: " + line);
        assertTrue(row.get("text") instanceof String, () -> "text is a string: " + line);
        Object code = row.get("replyCode");
        assertTrue(code == null || code instanceof Long, () -> "replyCode is a number or null: " + line);
        checkClassification(row, line);
        return row;
    }

    /** Parses the line of {@code spf} and checks its fields, their order and their types. */
    static Map<String, Object> checkedSpfRow(String line) {
        LinkedHashMap<String, Object> row = MiniJson.object(line);
        assertEquals(SPF_FIELDS, new ArrayList<>(row.keySet()), () -> "SPF fields in order: " + line);
        assertTrue(SPF_RESULTS.contains(row.get("result")), () -> "result token: " + line);
        for (String f : List.of("mechanism", "explanation", "domain", "sender", "helo")) {
            Object v = row.get(f);
            assertTrue(v == null || v instanceof String, () -> f + " is a string or null: " + line);
        }
        for (String f : List.of("identity", "ip", "receivedSpf")) {
            assertTrue(row.get(f) instanceof String, () -> f + " is a string: " + line);
        }
        assertTrue(List.of("mailfrom", "helo").contains(row.get("identity")), () -> "identity token: " + line);
        for (String f : List.of("lookups", "voidLookups")) {
            assertTrue(row.get(f) instanceof Long n && n >= 0, () -> f + " is a number: " + line);
        }
        for (String f : List.of("problems", "trace")) {
            assertTrue(row.get(f) instanceof List<?> l && l.stream().allMatch(String.class::isInstance),
                    () -> f + " is an array of strings: " + line);
        }
        assertEquals(row.get("result").equals("fail"), row.get("explanation") != null,
                () -> "an explanation exactly for a fail: " + line);
        assertTrue(((String) row.get("receivedSpf")).startsWith("Received-SPF: " + row.get("result") + " ("),
                () -> "the header carries the result: " + line);
        return row;
    }

    /** Parses a line of {@code dkim verify} and checks its fields, their order and their types. */
    static Map<String, Object> checkedDkimRow(String line) {
        LinkedHashMap<String, Object> row = MiniJson.object(line);
        assertEquals(DKIM_FIELDS, new ArrayList<>(row.keySet()), () -> "DKIM fields in order: " + line);
        assertTrue(DKIM_RESULTS.contains(row.get("result")), () -> "result token: " + line);
        for (String f : List.of("domain", "selector", "algorithm", "reason", "identity")) {
            Object v = row.get(f);
            assertTrue(v == null || v instanceof String, () -> f + " is a string or null: " + line);
        }
        assertTrue(row.get("source") instanceof String, () -> "source is a string: " + line);
        for (String f : List.of("bodyLength", "keyBits")) {
            Object v = row.get(f);
            assertTrue(v == null || v instanceof Long n && n >= 0, () -> f + " is a number or null: " + line);
        }
        assertTrue(row.get("testing") instanceof Boolean, () -> "testing is a boolean: " + line);
        for (String f : List.of("signedHeaders", "notes", "problems")) {
            assertTrue(row.get(f) instanceof List<?> l && l.stream().allMatch(String.class::isInstance),
                    () -> f + " is an array of strings: " + line);
        }
        assertEquals(row.get("result").equals("pass"), row.get("reason") == null,
                () -> "a reason exactly when it is not a pass: " + line);
        return row;
    }

    /** Checks the types of the classification fields: strings or null, retryable a boolean or null. */
    static void checkClassification(Map<String, Object> row, String line) {
        for (String f : CLASSIFICATION_FIELDS) {
            assertTrue(row.containsKey(f), () -> f + " present: " + line);
            Object v = row.get(f);
            if (f.equals("retryable")) {
                assertTrue(v == null || v instanceof Boolean, () -> "retryable is a boolean or null: " + line);
            } else {
                assertTrue(v == null || v instanceof String, () -> f + " is a string or null: " + line);
            }
        }
        // a classification is whole or absent
        boolean none = row.get("reason") == null;
        for (String f : List.of("type", "decision", "retryable", "rule", "ruleSet", "evidenceField")) {
            assertEquals(none, row.get(f) == null, () -> f + " null exactly when reason is: " + line);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return List.copyOf(l);
    }

    /** Parses a line and checks that the contract fields come first, in order, with the right types. */
    static Map<String, Object> checkedRow(String line) {
        LinkedHashMap<String, Object> row = MiniJson.object(line);
        List<String> keys = new ArrayList<>(row.keySet());
        assertTrue(keys.size() >= FIELDS.size(), () -> "too few fields: " + line);
        assertEquals(FIELDS, keys.subList(0, FIELDS.size()), () -> "contract fields in order: " + line);
        assertTrue(row.get("source") instanceof String, () -> "source is a string: " + line);
        assertTrue(KINDS.contains(row.get("kind")), () -> "known kind: " + line);
        assertTrue(row.get("format") instanceof String, () -> "format is a string: " + line);
        for (String f : FIELDS) {
            Object v = row.get(f);
            if (f.equals("replyCode")) {
                assertTrue(v == null || v instanceof Long, () -> "replyCode is a number or null: " + line);
            } else {
                assertTrue(v == null || v instanceof String, () -> f + " is a string or null: " + line);
            }
        }
        Object status = row.get("status");
        assertTrue(status == null || ((String) status).matches("[245]\\.\\d{1,3}\\.\\d{1,3}"),
                () -> "status like 5.1.1: " + line);
        Object action = row.get("action");
        assertTrue(action == null || List.of("failed", "delayed", "delivered", "relayed", "expanded")
                .contains(action), () -> "action token: " + line);
        assertTrue(row.containsKey("verpRecipient") && row.get("problems") instanceof List,
                () -> "extra fields: " + line);
        return row;
    }
}
