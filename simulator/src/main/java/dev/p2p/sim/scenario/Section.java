package dev.p2p.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.sim.engine.Durations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One object of a scenario, read field by field with the field's dotted path in every error.
 * Values may be JSON numbers or text (the flat format has only text). A default of null makes a
 * field required. {@link #finish()} rejects fields nobody read, which catches typos.
 */
final class Section {
    private final JsonNode node;
    private final String path;
    private final Set<String> read = new HashSet<>();

    Section(JsonNode node, String path) throws ScenarioException {
        if (!node.isMissingNode() && !node.isObject()) {
            throw new ScenarioException(path, "expected a group of fields");
        }
        this.node = node;
        this.path = path;
    }

    private String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private String raw(String name) throws ScenarioException {
        read.add(name);
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new ScenarioException(pathOf(name), "expected a single value");
        }
        return v.asText().trim();
    }

    boolean has(String name) {
        return node.has(name);
    }

    String text(String name, String dflt) throws ScenarioException {
        String v = raw(name);
        if (v == null) {
            return require(name, dflt);
        }
        return v;
    }

    /** A whole number in [min, max] when given; the default is not range-checked. */
    long integer(String name, Long dflt, long min, long max) throws ScenarioException {
        return parsed(name, dflt, v -> Long.parseLong(v.replace("_", "")), "expected a whole number", min, max);
    }

    /** A number in [min, max] when given; the default is not range-checked. */
    double number(String name, Double dflt, double min, double max) throws ScenarioException {
        return parsed(name, dflt, Double::parseDouble, "expected a number", min, max);
    }

    boolean bool(String name, boolean dflt) throws ScenarioException {
        String v = raw(name);
        if (v == null) {
            return dflt;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new ScenarioException(pathOf(name), "expected true or false, got '" + v + "'");
        }
        return v.equals("true");
    }

    /** A duration such as {@code 90s} or {@code 2h}, in milliseconds. */
    long duration(String name, Long dflt) throws ScenarioException {
        return parsed(name, dflt, Durations::parseMillis, "expected a duration like 250ms, 90s, 30m or 2h",
                0L, Long.MAX_VALUE);
    }

    /** The field parsed by {@code parser}; a value it rejects is reported as {@code expected}. */
    private <T extends Comparable<T>> T parsed(String name, T dflt, Function<String, T> parser, String expected,
            T min, T max) throws ScenarioException {
        String v = raw(name);
        if (v == null) {
            return require(name, dflt);
        }
        T value;
        try {
            value = parser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(pathOf(name), expected + ", got '" + v + "'");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ScenarioException(pathOf(name), "must be between " + min + " and " + max + ", got " + v);
        }
        return value;
    }

    Section section(String name) throws ScenarioException {
        read.add(name);
        return new Section(node.path(name), pathOf(name));
    }

    /** The objects of a list field; a missing field is an empty list. */
    List<Section> list(String name) throws ScenarioException {
        read.add(name);
        JsonNode v = node.path(name);
        List<Section> items = new ArrayList<>();
        if (v.isMissingNode()) {
            return items;
        }
        if (!v.isArray()) {
            throw new ScenarioException(pathOf(name), "expected a list");
        }
        for (int i = 0; i < v.size(); i++) {
            items.add(new Section(v.get(i), pathOf(name) + "." + i));
        }
        return items;
    }

    /** Rejects the first field (in the file's order) that nothing read. */
    void finish() throws ScenarioException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                throw new ScenarioException(pathOf(name), "unknown field");
            }
        }
    }

    /** A problem with this section's field {@code name} as a whole. */
    ScenarioException error(String name, String problem) {
        return new ScenarioException(pathOf(name), problem);
    }

    private <T> T require(String name, T dflt) throws ScenarioException {
        if (dflt == null) {
            throw new ScenarioException(pathOf(name), "required but missing");
        }
        return dflt;
    }
}
