package dev.p2p.transfer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.fetch.Seeders;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.wire.Message;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashFetchTest {
    static final NodeId LIAR = NodeId.sha256(new byte[] {1});
    static final NodeId HONEST = NodeId.sha256(new byte[] {2});
    @TempDir Path tmp;

    @Test
    void hashesThatDoNotMatchTheRootAreRefusedAndAskedOfAnotherPeer() throws Exception {
        Path f = Seeders.randomFile(tmp.resolve("f.bin"), 20 * 16384 + 3, 1);
        SharedContent c = new Indexer(16384).index(f, (d, t) -> {});
        ChunkLayout layout = c.layout();
        HashFetch fetch = new HashFetch(c.id(), layout);
        List<Message.GetHashes> asked = fetch.assign(LIAR);
        assertEquals(List.of(new Message.GetHashes(c.id(), 0, 0, 21)), asked);
        assertTrue(fetch.assign(HONEST).isEmpty(), "every page is asked of one peer only");
        assertEquals(HashFetch.Result.IGNORED, fetch.accept(HONEST, new Message.HashesData(c.id(), 0, 0, c.leafHashes(0, 0, 21))),
                "unasked answers are ignored");
        byte[] wrong = c.leafHashes(0, 0, 21);
        wrong[5] ^= 1;
        assertEquals(HashFetch.Result.BAD, fetch.accept(LIAR, new Message.HashesData(c.id(), 0, 0, wrong)));
        assertFalse(fetch.isComplete());
        assertEquals(1, fetch.assign(HONEST).size());
        assertEquals(HashFetch.Result.PROGRESS, fetch.accept(HONEST, new Message.HashesData(c.id(), 0, 0, c.leafHashes(0, 0, 21))));
        assertTrue(fetch.isComplete());
        assertEquals(List.of(), fetch.assign(LIAR));
    }
}
