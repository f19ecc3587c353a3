package dev.p2p.dht.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {
    @TempDir
    Path dir;

    @Test
    void completeLinesAreReadAndACutLastLineIsDamage() throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "one\ntwo\nthr");
        StateFiles.Lines read = StateFiles.readLines(f, 1024);
        assertEquals(List.of("one", "two"), read.lines());
        assertEquals("its last line is cut short", read.damage());
        Files.writeString(f, "one\ntwo\n");
        assertNull(StateFiles.readLines(f, 1024).damage());
        assertEquals(List.of(), StateFiles.readLines(dir.resolve("missing"), 1024).lines());
        assertNull(StateFiles.readLines(dir.resolve("missing"), 1024).damage());
    }

    @Test
    void randomBytesADirectoryAndAnOversizedFileAreDamage() throws Exception {
        Path f = Files.write(dir.resolve("b.txt"), new byte[] {'o', 'k', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals("not UTF-8 text", StateFiles.readLines(f, 1024).damage());
        assertEquals(List.of(), StateFiles.readLines(f, 1024).lines());
        Path d = Files.createDirectory(dir.resolve("c.txt"));
        assertEquals("not a regular file", StateFiles.readLines(d, 1024).damage());
        Path big = Files.writeString(dir.resolve("d.txt"), "x".repeat(2000) + "\n");
        assertTrue(StateFiles.readLines(big, 1024).damage().startsWith("over 1024 bytes"));
    }

    @Test
    void settingAsideRenamesAndNeverOverwritesAnEarlierCopy() throws Exception {
        Path f = Files.writeString(dir.resolve("e.txt"), "first\n");
        assertEquals(dir.resolve("e.txt.damaged"), StateFiles.setAside(f, "test", "none"));
        Files.writeString(f, "second\n");
        assertEquals(dir.resolve("e.txt.damaged.2"), StateFiles.setAside(f, "test", "none"));
        assertFalse(Files.exists(f));
        assertEquals("first\n", Files.readString(dir.resolve("e.txt.damaged")));
        assertEquals("second\n", Files.readString(dir.resolve("e.txt.damaged.2")));
    }

    @Test
    void damagedContactsAreSetAsideAndTheGoodOnesKeptAndWrittenBack() throws Exception {
        Contact c = new Contact(NodeId.fromHex("ab".repeat(32)), new InetSocketAddress("192.0.2.7", 24100));
        ContactStore.save(dir, List.of(c));
        Path file = dir.resolve(ContactStore.FILE_NAME);
        String good = Files.readString(file);
        Files.writeString(file, good + "garbage line\n");
        assertEquals(List.of(c), ContactStore.load(dir));
        assertEquals(good + "garbage line\n", Files.readString(dir.resolve("contacts.txt.damaged")));
        assertEquals(good, Files.readString(file), "what could be read is written back");

        Files.delete(file);
        Files.createDirectory(file);
        assertEquals(List.of(), ContactStore.load(dir));
        assertTrue(Files.isDirectory(dir.resolve("contacts.txt.damaged.2")));
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void aDamagedIdentityIsNeverReplaced() throws Exception {
        Identity id = IdentityStore.loadOrCreate(dir);
        assertEquals(id.nodeId(), IdentityStore.loadOrCreate(dir).nodeId());
        Path file = dir.resolve(IdentityStore.FILE_NAME);
        byte[] good = Files.readAllBytes(file);
        for (byte[] damaged : List.of(new byte[] {(byte) 0xff, 0x10, 0x00}, java.util.Arrays.copyOf(good, 40), new byte[0])) {
            Files.write(file, damaged);
            IdentityStore.DamagedIdentityException e = assertThrows(IdentityStore.DamagedIdentityException.class,
                    () -> IdentityStore.loadOrCreate(dir));
            assertTrue(e.getMessage().startsWith("identity file " + file + " cannot be used ("), e.getMessage());
            assertArrayEquals(damaged, Files.readAllBytes(file), "left as it was");
        }
        Files.delete(file);
        Files.createDirectory(file);
        assertThrows(IdentityStore.DamagedIdentityException.class, () -> IdentityStore.loadOrCreate(dir));
        assertTrue(Files.isDirectory(file));
    }
}
