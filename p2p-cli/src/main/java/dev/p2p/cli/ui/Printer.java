package dev.p2p.cli.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;

/** Prints a command's result: JSON for scripts with --json, else the text the command formats. */
public final class Printer {
    /** Built on first use: a command that prints text from the control API's JSON needs no mapper (about 50 ms to build). */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private Printer() {}

    /** Converts any view (a map from {@code Views}, or JSON from the control API) to a tree. */
    public static JsonNode tree(Object view) {
        return view instanceof JsonNode n ? n : Mapper.JSON.valueToTree(view);
    }

    public static void json(PrintStream out, Object view) {
        try {
            out.println(Mapper.JSON.writeValueAsString(tree(view)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
