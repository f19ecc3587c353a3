package dev.p2p.transfer.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentModelTest {
    @TempDir Path tmp;

    @Test
    void merkleRootOfOneLeafIsTheLeafAndOddNodesCarryUp() {
        byte[] a = Hashes.leaf(ByteBuffer.wrap(new byte[] {1}));
        byte[] b = Hashes.leaf(ByteBuffer.wrap(new byte[] {2}));
        byte[] c = Hashes.leaf(ByteBuffer.wrap(new byte[] {3}));
        assertArrayEquals(a, MerkleTree.root(a));
        byte[] ab = Hashes.node(Hashes.sha256(), a, b);
        assertArrayEquals(Hashes.node(Hashes.sha256(), ab, c), MerkleTree.root(concat(a, b, c)));
        assertArrayEquals(Hashes.leaf(ByteBuffer.allocate(0)), MerkleTree.root(new byte[0]));
    }

    @Test
    void indexingChunksFilesAndReportsProgress() throws Exception {
        Path f = tmp.resolve("f.bin");
        byte[] data = new byte[3 * 16384 + 5];
        new java.util.Random(1).nextBytes(data);
        Files.write(f, data);
        List<Long> progress = new ArrayList<>();
        SharedContent c = new Indexer(16384).index(f, (done, total) -> progress.add(done));
        assertEquals(4, c.layout().totalChunks());
        assertEquals(5, c.layout().chunkLength(3));
        assertEquals(List.of(16384L, 32768L, 49152L, (long) data.length), progress);
        assertEquals("f.bin", c.manifest().name());
        byte[] leaves = c.leafHashes(0, 0, 4);
        assertArrayEquals(c.manifest().entries().get(0).root(), MerkleTree.root(leaves));
        assertTrue(c.isUnchanged(0));
        Files.write(f, new byte[] {1, 2, 3});
        assertFalse(c.isUnchanged(0));
    }

    @Test
    void contentIdTextIsCanonicalBase32() {
        ContentId id = ContentId.ofManifest(new byte[] {1, 2, 3});
        assertEquals(52, id.toText().length());
        assertEquals(id, ContentId.parse(id.toText()));
        assertThrows(IllegalArgumentException.class, () -> ContentId.parse(id.toText().toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> ContentId.parse(id.toText().substring(1)));
        String last = id.toText().substring(0, 51);
        // the last character carries 4 unused bits that must be zero
        assertThrows(IllegalArgumentException.class, () -> ContentId.parse(last + "7"));
    }

    @Test
    void shareLinksParseStrictly() {
        ContentId id = ContentId.ofManifest(new byte[] {9});
        NodeId node = NodeId.sha256(new byte[] {1});
        ShareLink link = new ShareLink(id, List.of(new PeerAddress("127.0.0.1", 4000, node),
                new PeerAddress("::1", 5, node), new PeerAddress("host.example", 65535, node)));
        assertEquals(link, ShareLink.parse(link.format()));
        assertEquals(new ShareLink(id, List.of()), ShareLink.parse("p2p://" + id.toText()));
        String p = node.toHex() + "@h:1";
        for (String bad : List.of("p2p:/" + id.toText(), "P2P://" + id.toText(), "p2p://" + id.toText() + "?",
                "p2p://" + id.toText() + "?x=1", "p2p://" + id.toText() + "?peer=" + p + "&",
                "p2p://" + id.toText() + "?peer=" + node.toHex() + "@h:0",
                "p2p://" + id.toText() + "?peer=" + node.toHex() + "@h:99999",
                "p2p://" + id.toText() + "?peer=" + node.toHex() + "@h%20:1",
                "p2p://" + id.toText() + "?peer=" + node.toHex().toUpperCase() + "@h:1",
                "p2p://" + id.toText() + "#frag", " p2p://" + id.toText())) {
            assertThrows(IllegalArgumentException.class, () -> ShareLink.parse(bad), bad);
        }
    }

    @Test
    void relayHintsFollowPeerHintsAndCountAgainstTheSameLimit() {
        ContentId id = ContentId.ofManifest(new byte[] {9});
        NodeId node = NodeId.sha256(new byte[] {1});
        NodeId relay = NodeId.sha256(new byte[] {2});
        ShareLink link = new ShareLink(id, List.of(new PeerAddress("198.51.100.7", 24100, node)),
                List.of(new PeerAddress("203.0.113.5", 24100, relay)));
        assertEquals("p2p://" + id.toText() + "?peer=" + node.toHex() + "@198.51.100.7:24100&relay=" + relay.toHex()
                + "@203.0.113.5:24100", link.format());
        assertEquals(link, ShareLink.parse(link.format()));
        String r = "relay=" + relay.toHex() + "@h:1";
        assertThrows(IllegalArgumentException.class, () -> ShareLink.parse("p2p://" + id.toText() + "?" + r + "&peer=" + node.toHex()
                + "@h:1"), "peers first");
        StringBuilder many = new StringBuilder("p2p://" + id.toText() + "?peer=" + node.toHex() + "@h:1");
        for (int i = 0; i < ShareLink.MAX_PEERS; i++) {
            many.append('&').append(r);
        }
        assertThrows(IllegalArgumentException.class, () -> ShareLink.parse(many.toString()), "17 hints");
    }

    @Test
    void resolveInsideNeverEscapes() {
        assertEquals(tmp.resolve("a/b").toAbsolutePath(), PathRules.resolveInside(tmp, "a/b"));
        assertThrows(ManifestException.class, () -> PathRules.resolveInside(tmp, "../x"));
        assertThrows(ManifestException.class, () -> PathRules.resolveInside(tmp, "/abs"));
        assertNotEquals(tmp, PathRules.resolveInside(tmp, "x").getParent().getParent());
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(parts.length * 32);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
