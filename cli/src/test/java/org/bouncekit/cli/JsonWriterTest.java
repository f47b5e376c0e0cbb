package org.bouncekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void escapesWhatRfc8259Requires() {
        assertEquals("\"plain\"", JsonWriter.quote("plain"));
        assertEquals("\"a\\\"b\\\\c\"", JsonWriter.quote("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", JsonWriter.quote("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u0001\\u001f\\u007f\"", JsonWriter.quote("\u0000\u0001\u001f\u007f"));
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.quote("\u2028\u2029"));
        assertEquals("\"/ é 日本 \uD83D\uDE00\"", JsonWriter.quote("/ é 日本 \uD83D\uDE00"));
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        assertEquals("\"a\uFFFDb\"", JsonWriter.quote("a\uD800b"));
        assertEquals("\"a\uFFFDb\"", JsonWriter.quote("a\uDC00b"));
        assertEquals("\"\uFFFD\"", JsonWriter.quote("\uD800"));
        assertEquals("\"\uFFFD\uD83D\uDE00\"", JsonWriter.quote("\uDE00\uD83D\uDE00"));
        assertEquals("\"\uFFFD\uFFFD\"", JsonWriter.quote("\uD83D\uD83D"));
    }

    @Test
    void writesObjectsArraysAndNulls() throws IOException {
        StringWriter sw = new StringWriter();
        JsonWriter w = new JsonWriter(sw);
        w.beginObject().name("a").value("x").name("b").nullValue().name("c").value(12L).name("d").value((Long) null)
                .name("e").beginArray().value("p").value(true).beginArray().endArray().endArray()
                .name("f").beginObject().endObject().endObject().endLine();
        w.beginObject().endObject().endLine();
        w.flush();
        assertEquals("{\"a\":\"x\",\"b\":null,\"c\":12,\"d\":null,\"e\":[\"p\",true,[]],\"f\":{}}\n{}\n",
                sw.toString());
        Map<String, Object> m = MiniJson.object(sw.toString().split("\n")[0]);
        assertEquals(Arrays.asList("x", null, 12L, null, List.of("p", true, List.of()), Map.of()),
                Arrays.asList(m.values().toArray()));
    }

    @Test
    void endLineInsideAnObjectIsAnError() throws IOException {
        JsonWriter w = new JsonWriter(new StringWriter());
        w.beginObject();
        assertThrows(IllegalStateException.class, w::endLine);
    }

    @Property
    void anyStringRoundTrips(@ForAll String s) {
        String expected = replaceLoneSurrogates(s);
        assertEquals(expected, MiniJson.parse(JsonWriter.quote(s)));
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
