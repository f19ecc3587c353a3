package dev.p2p.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control client's JSON reads and writes what Jackson's ObjectMapper does. */
class StreamingJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readsEveryDocumentAsObjectMapperDoes() throws IOException {
        for (String doc : List.of(
                "{\"id\":\"d1\",\"state\":\"running\",\"bytes\":1073741824,\"peers\":4,\"rate\":355.25,\"done\":false}",
                "{\"nested\":{\"list\":[1,-2,3000000000,12345678901234567890123,1.5e-3,\"x\",null,true,{}],\"empty\":[]}}",
                "[\"\\u00e9t\\u00e9 \\ud83d\\ude00\",\"tab\\tnew\\nline\",\"\"]",
                "42", "\"text\"", "null", "true",
                "{\"a\":1} trailing tokens are ignored")) {
            assertEquals(MAPPER.readTree(doc), StreamingJson.read(doc.getBytes(StandardCharsets.UTF_8)), doc);
        }
        assertTrue(StreamingJson.read(new byte[0]).isMissingNode(), "an empty answer is a missing node, as readTree gives");
        assertEquals(MAPPER.readTree(new byte[0]), StreamingJson.read(new byte[0]));
    }

    @Test
    void refusesBrokenDocumentsWithAnIoError() {
        for (String doc : List.of("{\"a\":", "[1,2", "{\"a\" 1}", "nul", "[" .repeat(5000))) {
            assertThrows(IOException.class, () -> StreamingJson.read(doc.getBytes(StandardCharsets.UTF_8)), doc);
        }
    }

    @Test
    void writesWhatObjectMapperReadsBackAsTheSameValues() throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("link", "p2p://abc?peer=x@127.0.0.1:1");
        body.put("out", "/tmp/d\u00e9j\u00e0 \"quoted\"");
        body.put("timeoutSeconds", 3600L);
        body.put("port", 4000);
        body.put("share", true);
        body.put("ratio", 0.25);
        body.put("nothing", null);
        body.put("list", List.of("a", 2, Map.of("b", false)));
        JsonNode back = MAPPER.readTree(StreamingJson.write(body));
        assertEquals(MAPPER.readTree(MAPPER.writeValueAsBytes(body)), back, "the node reads what ObjectMapper would have sent");
        assertEquals(MAPPER.readTree("{}"), MAPPER.readTree(StreamingJson.write(Map.of())));
        assertThrows(IllegalArgumentException.class, () -> StreamingJson.write(Map.of("x", new Object())));
    }
}
