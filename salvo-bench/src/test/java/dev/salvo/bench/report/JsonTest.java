package dev.salvo.bench.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {

    @Test
    void writtenValuesParseBackToTheSameStructure() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "a \"quoted\"\\ line\nbreak\t\u0001");
        doc.put("count", 42);
        doc.put("rate", 1.5);
        doc.put("flag", true);
        doc.put("nothing", null);
        doc.put("list", List.of(1, "two", List.of()));
        doc.put("empty", Map.of());

        for (String text : List.of(Json.write(doc), Json.writePretty(doc))) {
            Map<String, Object> back = Json.parseObject(text);
            assertEquals(doc.get("name"), back.get("name"));
            assertEquals(42.0, back.get("count"));
            assertEquals(1.5, back.get("rate"));
            assertEquals(true, back.get("flag"));
            assertEquals(null, back.get("nothing"));
            assertEquals(List.of(1.0, "two", List.of()), back.get("list"));
            assertEquals(Map.of(), back.get("empty"));
            assertEquals(List.copyOf(doc.keySet()), List.copyOf(back.keySet()));
        }
    }

    @Test
    void wholeDoublesAreWrittenAsIntegersAndNonNumbersAsNull() {
        assertEquals("[3,0.25,null,null]", Json.write(Arrays.asList(3.0, 0.25, Double.NaN, Double.POSITIVE_INFINITY)));
    }

    @Test
    void invalidTextIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
    }
}
