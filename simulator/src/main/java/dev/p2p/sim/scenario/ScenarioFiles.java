package dev.p2p.sim.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2p.dht.store.FileErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a scenario file: JSON (a file whose first character is '{'), or the flat format of one
 * {@code dotted.key = value} (or {@code dotted.key: value}) a line, '#' starting a comment, and
 * numbers in a key naming list positions ({@code network.partitions.0.start = 30m}).
 */
public final class ScenarioFiles {
    private ScenarioFiles() {}

    public static Scenario load(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException("", "cannot read scenario " + file + ": " + FileErrors.describe(e));
        }
        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return ScenarioReader.read(parse(text), name);
    }

    /** The tree of fields in {@code text}, in either format. */
    public static JsonNode parse(String text) throws ScenarioException {
        if (text.strip().startsWith("{")) {
            try {
                return new ObjectMapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw new ScenarioException("", "not valid JSON at line " + e.getLocation().getLineNr()
                        + ": " + e.getOriginalMessage());
            }
        }
        return parseFlat(text);
    }

    static ObjectNode parseFlat(String text) throws ScenarioException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("\\s+#.*$", "").replaceFirst("^#.*$", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            int colon = line.indexOf(':');
            int cut = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (cut <= 0) {
                throw new ScenarioException("", "line " + (i + 1) + ": expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, cut).strip();
            String value = line.substring(cut + 1).strip().replaceAll("^\"(.*)\"$", "$1");
            put(root, key, value, i + 1);
        }
        return root;
    }

    private static void put(ObjectNode root, String key, String value, int lineNumber) throws ScenarioException {
        String[] parts = key.split("\\.");
        JsonNode node = root;
        for (int p = 0; p < parts.length; p++) {
            boolean last = p == parts.length - 1;
            boolean nextIsIndex = !last && parts[p + 1].matches("\\d+");
            node = step(node, parts[p], last ? null : nextIsIndex, key, lineNumber);
            if (last) {
                setValue(node, parts[p], value, key, lineNumber);
            }
        }
    }

    /** Goes into child {@code part} of {@code parent}, making it (an array or object) if needed. */
    private static JsonNode step(JsonNode parent, String part, Boolean childIsArray, String key, int line)
            throws ScenarioException {
        if (childIsArray == null) {
            return parent;
        }
        JsonNode existing = parent.isArray() ? parent.get(index(part, key, line, (ArrayNode) parent)) : parent.get(part);
        if (existing != null) {
            if (existing.isValueNode()) {
                throw new ScenarioException(key, "line " + line + ": '" + part + "' already has a value");
            }
            return existing;
        }
        JsonNode child = childIsArray ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
        if (parent.isArray()) {
            ((ArrayNode) parent).add(child);
        } else {
            ((ObjectNode) parent).set(part, child);
        }
        return child;
    }

    private static void setValue(JsonNode parent, String part, String value, String key, int line)
            throws ScenarioException {
        if (!(parent instanceof ObjectNode obj)) {
            throw new ScenarioException(key, "line " + line + ": a list item needs a field name");
        }
        if (obj.has(part)) {
            throw new ScenarioException(key, "line " + line + ": given twice");
        }
        obj.put(part, value);
    }

    /** A list position must be the next one or an existing one: 0, 1, 2... in order. */
    private static int index(String part, String key, int line, ArrayNode array) throws ScenarioException {
        int i = Integer.parseInt(part);
        if (i > array.size()) {
            throw new ScenarioException(key, "line " + line + ": list positions must count up from 0");
        }
        return i;
    }
}
