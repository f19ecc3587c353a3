package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node starts whatever its data directory holds: damaged caches are set aside with one warning
 * line each and the rest works; a damaged identity key stops it with one line and exit 2.
 */
class DamagedStateTest extends NodeProcessesTest {
    enum Damage { RANDOM_BYTES, TRUNCATED, DIRECTORY }

    /** Damages {@code file} as {@code how} says; answers what it holds now (null for a directory). */
    static byte[] damage(Path file, Damage how) throws Exception {
        switch (how) {
            case RANDOM_BYTES -> {
                byte[] junk = new byte[300];
                new Random(7).nextBytes(junk);
                junk[0] = (byte) 0xff; // never valid UTF-8 or a journal record
                Files.write(file, junk);
                return junk;
            }
            case TRUNCATED -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(ch.size() - 5);
                }
                return Files.readAllBytes(file);
            }
            default -> {
                Files.delete(file);
                Files.createDirectory(file);
                Files.writeString(file.resolve("in-the-way"), "x");
                return null;
            }
        }
    }

    static void assertSetAside(Path file, byte[] damaged) throws Exception {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged");
        if (damaged == null) {
            assertTrue(Files.isDirectory(aside), aside + " is the directory that was in the way");
        } else {
            assertArrayEquals(damaged, Files.readAllBytes(aside), "set aside as it was");
        }
    }

    static List<String> warnings(P2pProcess p) {
        return p.err.stream().filter(l -> l.startsWith("p2p: warning: ")).toList();
    }

    String shareWithoutHints(String name, Path file) throws Exception {
        return TestFiles.withoutHints(share(name, file));
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedContactsAndSharesAreSetAsideAndTheNodeStartsAndServes(Damage how) throws Exception {
        String boot = bootstrapNode();
        Path first = TestFiles.randomFile(home.resolve("first.bin"), 1L << 20, 1);
        Path second = TestFiles.randomFile(home.resolve("second.bin"), 1L << 20, 2);
        P2pProcess a = node("a", "--port", "0", "--bootstrap", boot);
        shareWithoutHints("a", first);
        String link = shareWithoutHints("a", second);
        a.stop();
        Path contacts = home.resolve("a/contacts.txt");
        Path shares = home.resolve("a/shares.txt");
        assertEquals(List.of(first.toString(), second.toString()), Files.readAllLines(shares));
        assertTrue(Files.size(contacts) > 0, "the node remembered its contacts");
        byte[] damagedContacts = damage(contacts, how);
        byte[] damagedShares = damage(shares, how);

        P2pProcess again = node("a", "--port", "0", "--bootstrap", boot);
        List<String> warned = warnings(again);
        assertEquals(2, warned.size(), "one line per damaged file: " + again.err);
        assertTrue(warned.get(0).contains(contacts + " is damaged (") && warned.get(0).contains("set aside as contacts.txt.damaged"),
                warned.get(0));
        assertTrue(warned.get(1).contains(shares + " is damaged (") && warned.get(1).contains("set aside as shares.txt.damaged"),
                warned.get(1));
        assertSetAside(contacts, damagedContacts);
        assertSetAside(shares, damagedShares);
        // What could be read is kept (the complete first line of a cut file) and written back.
        List<String> kept = how == Damage.TRUNCATED ? List.of(first.toString()) : List.of();
        assertTrue(again.out.contains("serving " + kept.size() + " shares"), again.out.toString());
        assertEquals(kept, Files.readAllLines(shares));

        assertEquals(link, shareWithoutHints("a", second), "shared again, same link");
        Path out = home.resolve("got");
        P2pProcess get = P2pProcess.run(home, 90, "--data-dir", home.resolve("d").toString(), "get", link, "-o", out.toString(),
                "--bootstrap", boot, "--timeout", "30s");
        assertEquals(0, get.exitCode(), "stderr: " + get.err);
        assertArrayEquals(Files.readAllBytes(second), Files.readAllBytes(out.resolve("second.bin")));
        again.stop();
        assertTrue(warnings(node("a", "--port", "0")).isEmpty(), "nothing to set aside after a clean stop");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedIdentityKeyStopsTheStartWithOneLineAndExit2(Damage how) throws Exception {
        String dataDir = home.resolve("n").toString();
        assertEquals(0, P2pProcess.run(home, 60, "--data-dir", dataDir, "id").exitCode());
        Path key = home.resolve("n/identity.key");
        byte[] damaged = damage(key, how);
        for (String[] command : List.of(new String[] {"node", "--port", "0"}, new String[] {"id"})) {
            List<String> args = new ArrayList<>(List.of("--data-dir", dataDir));
            args.addAll(List.of(command));
            P2pProcess p = P2pProcess.run(home, 60, args.toArray(String[]::new));
            UserMistakesTest.assertOneLine(p, ExitCode.USAGE, "identity file " + key + " cannot be used (");
            assertTrue(p.err.get(0).endsWith("move it away to start as a new node with a new node id"), p.err.get(0));
        }
        if (damaged == null) {
            assertTrue(Files.isDirectory(key), "left where it is");
        } else {
            assertArrayEquals(damaged, Files.readAllBytes(key), "left as it is");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Damage.class, names = {"RANDOM_BYTES", "DIRECTORY"})
    void aDamagedDownloadJournalIsSetAsideAndTheDownloadCompletes(Damage how) throws Exception {
        Path slow = Files.writeString(home.resolve("slow.properties"), "upload-rate = 2000000\n");
        String boot = bootstrapNode();
        node("seeder", "--config", slow.toString(), "--port", "0", "--bootstrap", boot);
        Path file = TestFiles.randomFile(home.resolve("big.bin"), 12L << 20, 3);
        String link = shareWithoutHints("seeder", file);
        Path out = home.resolve("got");
        String[] get = {"--data-dir", home.resolve("d").toString(), "get", link, "-o", out.toString(), "--bootstrap", boot,
            "--timeout", "30s"};
        P2pProcess first = P2pProcess.start(home, get);
        processes.add(first);
        Path partial = out.resolve(".p2p-partial");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!journalHasRecords(partial) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        first.kill();
        Path journal;
        try (var dirs = Files.list(partial)) {
            journal = dirs.findFirst().orElseThrow().resolve("verified.journal");
        }
        byte[] damaged = damage(journal, how);

        P2pProcess again = P2pProcess.run(home, 90, get);
        assertEquals(0, again.exitCode(), "stderr: " + again.err);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("big.bin")));
        List<String> warned = warnings(again);
        assertEquals(1, warned.size(), again.err.toString());
        assertTrue(warned.get(0).contains(journal + " is damaged (") && warned.get(0).contains("set aside as verified.journal.damaged"),
                warned.get(0));
    }

    private static boolean journalHasRecords(Path partial) throws Exception {
        if (!Files.isDirectory(partial)) {
            return false;
        }
        try (var dirs = Files.list(partial)) {
            for (Path d : dirs.toList()) {
                Path j = d.resolve("verified.journal");
                if (Files.isRegularFile(j) && Files.size(j) >= 8) {
                    return true;
                }
            }
        }
        return false;
    }
}
