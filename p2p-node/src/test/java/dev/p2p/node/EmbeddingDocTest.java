package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example in docs/EMBEDDING.md compiles against the node's API and does what the doc says it prints. */
class EmbeddingDocTest {
    @TempDir Path tmp;

    @Test
    void theDocumentedExampleCompilesRunsAndFetchesTheFileIntact() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "EMBEDDING.md"));
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(block.find(), "docs/EMBEDDING.md has a java block");
        Path src = tmp.resolve("src/ShareAndFetch.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, block.group(1));
        Path classes = Files.createDirectories(tmp.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "the example compiles: " + errors);

        Path work = Files.createDirectories(tmp.resolve("work"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("ShareAndFetch").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {work.toString()});
        } finally {
            System.setOut(out);
        }
        String said = printed.toString(StandardCharsets.UTF_8).trim();
        assertTrue(doc.contains("It prints `" + said + "`"), "the doc says what it prints: " + said);
        assertEquals(-1, Files.mismatch(work.resolve("hello.txt"), work.resolve("downloads/hello.txt")));
        assertEquals(List.of("hello.txt"), List.of(Files.list(work.resolve("downloads")).map(p -> p.getFileName().toString())
                .toArray(String[]::new)), "only the finished file is there, no partial state");
    }
}
