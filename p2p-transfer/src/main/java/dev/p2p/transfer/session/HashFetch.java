package dev.p2p.transfer.session;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.MerkleTree;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches the leaf hashes of every multi-chunk file in pages and checks each file's leaves
 * against its Merkle root in the (already verified) manifest. One-chunk files need no fetch: the
 * root is the leaf. Not thread-safe; the session serialises calls.
 */
final class HashFetch {
    enum Result { PROGRESS, BAD, IGNORED }

    /** Hash pages asked of one peer at a time. */
    static final int MAX_PAGES_PER_PEER = 16;

    private final ContentId content;
    private final ChunkLayout layout;
    private final byte[] leaves; // global, 32 bytes per chunk
    private final Map<Long, NodeId> pages = new LinkedHashMap<>(); // page key -> asked peer (null: not asked)
    private final ArrayDeque<Long> unasked = new ArrayDeque<>(); // pages whose value is null, in order
    private final Map<NodeId, Integer> owed = new HashMap<>(); // pages asked of each peer
    private final int[] pagesLeft; // per entry

    HashFetch(ContentId content, ChunkLayout layout) {
        this.content = content;
        this.layout = layout;
        this.leaves = new byte[layout.totalChunks() * Hashes.BYTES];
        this.pagesLeft = new int[layout.entryCount()];
        for (int e = 0; e < layout.entryCount(); e++) {
            int n = layout.chunkCount(e);
            if (n == 1) {
                System.arraycopy(layout.manifest().entries().get(e).root(), 0, leaves, layout.firstChunk(e) * 32, 32);
            } else if (n > 1) {
                addPages(e);
            }
        }
    }

    private void addPages(int entry) {
        for (int first = 0; first < layout.chunkCount(entry); first += MessageCodec.MAX_HASHES_PER_PAGE) {
            pages.put(key(entry, first), null);
            unasked.add(key(entry, first));
            pagesLeft[entry]++;
        }
    }

    private static long key(int entry, int first) {
        return ((long) entry << 32) | first;
    }

    boolean isComplete() {
        return pages.isEmpty();
    }

    byte[] leaves() {
        return leaves;
    }

    /**
     * Requests for pages nobody is asked for, now assigned to {@code peer}, so that it owes at
     * most {@link #MAX_PAGES_PER_PEER}; ask again as pages arrive. A server refuses asks beyond
     * its queue (64 in the reference), so a content of thousands of files must not ask them all
     * at once.
     */
    List<Message.GetHashes> assign(NodeId peer) {
        List<Message.GetHashes> out = new ArrayList<>();
        int n = owed.getOrDefault(peer, 0);
        while (n < MAX_PAGES_PER_PEER && !unasked.isEmpty()) {
            long key = unasked.poll();
            if (!pages.containsKey(key) || pages.get(key) != null) {
                continue; // stale entry: received or asked since
            }
            pages.put(key, peer);
            n++;
            int entry = (int) (key >>> 32);
            int first = (int) key;
            int count = Math.min(MessageCodec.MAX_HASHES_PER_PAGE, layout.chunkCount(entry) - first);
            out.add(new Message.GetHashes(content, entry, first, count));
        }
        owed.put(peer, n);
        return out;
    }

    /** Pages asked of {@code peer} become unassigned (it left or failed). */
    void release(NodeId peer) {
        for (Map.Entry<Long, NodeId> p : pages.entrySet()) {
            if (peer.equals(p.getValue())) {
                p.setValue(null);
                unasked.add(p.getKey());
            }
        }
        owed.remove(peer);
    }

    Result accept(NodeId from, Message.HashesData d) {
        long k = key(d.entry(), d.first());
        if (!pages.containsKey(k) || !from.equals(pages.get(k))) {
            return Result.IGNORED;
        }
        int expected = Math.min(MessageCodec.MAX_HASHES_PER_PAGE, layout.chunkCount(d.entry()) - d.first());
        if (d.hashes().length != expected * Hashes.BYTES) {
            return Result.BAD;
        }
        int at = (layout.firstChunk(d.entry()) + d.first()) * Hashes.BYTES;
        System.arraycopy(d.hashes(), 0, leaves, at, d.hashes().length);
        pages.remove(k);
        owed.computeIfPresent(from, (p, n) -> n - 1);
        if (--pagesLeft[d.entry()] > 0) {
            return Result.PROGRESS;
        }
        int from0 = layout.firstChunk(d.entry()) * Hashes.BYTES;
        byte[] fileLeaves = Arrays.copyOfRange(leaves, from0, from0 + layout.chunkCount(d.entry()) * Hashes.BYTES);
        if (!Arrays.equals(MerkleTree.root(fileLeaves), layout.manifest().entries().get(d.entry()).root())) {
            addPages(d.entry()); // fetch this file's hashes again, from someone else
            return Result.BAD;
        }
        return Result.PROGRESS;
    }
}
