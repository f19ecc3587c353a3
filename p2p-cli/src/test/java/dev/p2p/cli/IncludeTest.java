package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** `p2p get --include GLOB`: some files of a shared directory, through real node processes. */
class IncludeTest extends NodeProcessesTest {
    @Test
    void onlyMatchingFilesArriveVerifiedAndBadGlobsSayWhy() throws Exception {
        Path album = home.resolve("album");
        Files.createDirectories(album.resolve("covers/hi"));
        Files.createDirectories(album.resolve("disc2"));
        TestFiles.randomFile(album.resolve("01.flac"), 1L << 20, 1);
        TestFiles.randomFile(album.resolve("disc2/07.flac"), (2L << 20) + 17, 2);
        TestFiles.randomFile(album.resolve("big.iso"), 6L << 20, 3);
        TestFiles.randomFile(album.resolve("covers/front.jpg"), 300_000, 4);
        TestFiles.randomFile(album.resolve("covers/hi/back.jpg"), 5_000, 5);
        Files.writeString(album.resolve("notes.txt"), "liner notes\n");
        String boot = bootstrapNode();
        node("seeder", "--port", "0", "--bootstrap", boot);
        String link = share("seeder", album);

        Path out = home.resolve("out");
        P2pProcess flac = get("a", link, out, boot, "--include", "*.flac", "--json");
        assertEquals(0, flac.exitCode(), flac.err.toString());
        assertEquals(List.of("01.flac", "disc2", "disc2/07.flac"), listing(out.resolve("album")));
        assertSame(album, out.resolve("album"), "01.flac", "disc2/07.flac");
        JsonNode done = new ObjectMapper().readTree(String.join("\n", flac.out));
        assertEquals((1L << 20) + (2L << 20) + 17, done.path("totalBytes").asLong(), "the bytes of the files fetched");
        assertEquals(List.of("*.flac"), List.of(done.path("include").get(0).asText()));

        // A second fetch adds other files into the same directory.
        P2pProcess covers = get("a", link, out, boot, "--include", "covers/**", "--include", "notes.txt");
        assertEquals(0, covers.exitCode(), covers.err.toString());
        assertEquals(List.of("01.flac", "covers", "covers/front.jpg", "covers/hi", "covers/hi/back.jpg", "disc2", "disc2/07.flac",
                "notes.txt"), listing(out.resolve("album")));
        assertSame(album, out.resolve("album"), "covers/front.jpg", "covers/hi/back.jpg", "notes.txt");
        assertTrue(Files.notExists(out.resolve("album/big.iso")));

        UserMistakesTest.assertOneLine(get("b", link, home.resolve("none"), boot, "--include", "*.mp3"), ExitCode.USAGE,
                "--include *.mp3 matches no file of album");
        assertTrue(Files.notExists(home.resolve("none/album")));
        UserMistakesTest.assertOneLine(get("b", link, home.resolve("none"), boot, "--include", "/"), ExitCode.USAGE,
                "bad --include glob '/'");
        UserMistakesTest.assertOneLine(get("b", link, home.resolve("none"), boot, "--include", "**/x/**/y/**/z/**/w/**"),
                ExitCode.USAGE, "at most 4 '**'");
    }

    @Test
    void aRunningNodeFetchesTheSelectionAndDoesNotShareItAsTheWhole() throws Exception {
        Path dir = home.resolve("set");
        Files.createDirectories(dir);
        TestFiles.randomFile(dir.resolve("keep.bin"), 700_000, 6);
        TestFiles.randomFile(dir.resolve("skip.bin"), 900_000, 7);
        String boot = bootstrapNode();
        node("seeder", "--port", "0", "--bootstrap", boot);
        String link = share("seeder", dir);
        node("fetcher", "--port", "0", "--bootstrap", boot);
        Path out = home.resolve("fetched");
        P2pProcess get = P2pProcess.run(home, 90, "--data-dir", home.resolve("fetcher").toString(), "--json", "get", link, "-o",
                out.toString(), "--include", "keep*");
        assertEquals(0, get.exitCode(), get.err.toString());
        assertEquals(List.of("keep.bin"), listing(out.resolve("set")));
        assertSame(dir, out.resolve("set"), "keep.bin");
        JsonNode state = new ObjectMapper().readTree(String.join("\n", get.out));
        assertEquals("keep*", state.path("include").get(0).asText());
        assertEquals(false, state.path("shared").asBoolean(), "a part is not the content its link names");
        P2pProcess ls = P2pProcess.run(home, 30, "--data-dir", home.resolve("fetcher").toString(), "--json", "ls");
        assertEquals(0, new ObjectMapper().readTree(String.join("\n", ls.out)).path("shares").size(), ls.out.toString());
    }

    private P2pProcess get(String name, String link, Path out, String boot, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--data-dir", home.resolve(name).toString(), "get", link, "-o",
                out.toString(), "--bootstrap", boot, "--timeout", "30s"));
        if (extra.length > 0 && extra[extra.length - 1].equals("--json")) {
            args.add(2, "--json");
            extra = java.util.Arrays.copyOf(extra, extra.length - 1);
        }
        args.addAll(List.of(extra));
        return P2pProcess.run(home, 90, args.toArray(String[]::new));
    }

    private static void assertSame(Path src, Path copy, String... files) throws Exception {
        for (String f : files) {
            assertEquals(-1, Files.mismatch(src.resolve(f), copy.resolve(f)), f);
        }
    }

    private static List<String> listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
