package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release archive `mvn package` makes, as a user without Maven installs it: unpacked anywhere, run with a JRE. */
class ReleaseArchiveTest {
    static final Path ARCHIVE = Path.of(System.getProperty("p2p.release", "target/p2p.tar.gz")).toAbsolutePath();

    @TempDir
    Path home;

    @Test
    void unpackedIntoAnEmptyDirectoryItRunsTheDemoWithOnlyJavaOnThePath() throws Exception {
        Path into = Files.createDirectory(home.resolve("opt"));
        assertEquals(0, new ProcessBuilder("tar", "xzf", ARCHIVE.toString(), "-C", into.toString()).inheritIO().start().waitFor());
        Path root;
        try (var unpacked = Files.list(into)) {
            List<Path> top = unpacked.toList();
            assertEquals(1, top.size(), "one directory, p2p-<version>: " + top);
            root = top.get(0);
        }
        assertTrue(root.getFileName().toString().matches("p2p-[0-9].*"), root.toString());
        assertTrue(Files.isExecutable(root.resolve("bin/p2p")));
        for (String f : new String[] {"lib/p2p.jar", "share/bash-completion/completions/p2p", "share/man/man1/p2p.adoc",
            "share/man/man1/p2p-get.adoc", "share/systemd/p2p.service", "share/doc/p2p/README.md", "lib/p2p-jvm-options.sh"}) {
            assertTrue(Files.isRegularFile(root.resolve(f)), f);
        }
        assertTrue(Files.readString(root.resolve("share/bash-completion/completions/p2p")).contains("complete -F"));

        Path javaOnly = Files.createDirectory(home.resolve("java-only"));
        Files.createSymbolicLink(javaOnly.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/p2p").toString(), "demo").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("demo.out").toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", javaOnly.toString());
        env.put("HOME", home.toString());
        env.put("P2P_JAVA_OPTS", "-Xmx256m");
        Process demo = pb.start();
        assertTrue(demo.waitFor(180, TimeUnit.SECONDS), "the demo ends");
        String out = Files.readString(home.resolve("demo.out"), StandardCharsets.UTF_8);
        assertEquals(0, demo.exitValue(), out);
        assertTrue(out.contains("SHA-256 of the download matches the original"), out);
    }
}
