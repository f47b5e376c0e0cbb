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

/** Runs the CLI in-process and checks the output contract on every line. */
final class Cli {

    /** The contract fields, in their required order. */
    static final List<String> FIELDS = List.of("source", "kind", "format", "recipient", "action", "status",
            "replyCode", "diagnostic", "remoteMta", "reportingMta", "messageId", "feedbackType");

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
        return run(new byte[0], true, args);
    }

    static Result runWithStdin(byte[] stdin, String... args) {
        return run(stdin, true, args);
    }

    /** Runs a command whose output is text (help, version). */
    static Result text(String... args) {
        return run(new byte[0], false, args);
    }

    private static Result run(byte[] stdin, boolean jsonLines, String... args) {
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
        if (jsonLines && code != 2) {
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    rows.add(checkedRow(line));
                }
            }
            assertTrue(text.isEmpty() || text.endsWith("\n"), "output ends with a line feed");
        }
        return new Result(code, text, err.toString(StandardCharsets.UTF_8), rows);
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
