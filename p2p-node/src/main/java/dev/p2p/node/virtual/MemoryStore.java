package dev.p2p.node.virtual;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.session.Servable;
import dev.p2p.transfer.wire.ChunkPayload;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A download's disk in memory: chunks written since the last commit, and the journal of those
 * committed. Counts writes whose token is not the content's chunk: the download's verification
 * lets none through, so anything but zero is a bug in the code that ships.
 */
public final class MemoryStore {
    private final VirtualContent content;
    private final BitSet written = new BitSet();
    private final BitSet journal = new BitSet();
    private final Servable partial = new Partial();
    private int writes;
    private int wrongWrites;

    public MemoryStore(VirtualContent content) {
        this.content = content;
    }

    /** The content as far as it is journaled, to serve while the download goes on. */
    public Servable partial() {
        return partial;
    }

    public void write(int chunk, ChunkPayload data) {
        writes++;
        boolean right = data instanceof TokenPayload t ? t.hashIs(content.leafHash(chunk))
                : java.util.Arrays.equals(data.leafHash(), content.leafHash(chunk));
        if (!right || data.length() != content.layout().chunkLength(chunk)) {
            wrongWrites++;
        }
        written.set(chunk);
        data.release();
    }

    /** Journals what was written; returns the chunks it journaled. */
    public List<Integer> commit() {
        List<Integer> chunks = new ArrayList<>();
        written.stream().forEach(chunks::add);
        journal.or(written);
        written.clear();
        return chunks;
    }

    /** A crash: what was written but not journaled is not known to be there. */
    public void crash() {
        written.clear();
    }

    public BitSet journaled() {
        return (BitSet) journal.clone();
    }

    public int writes() {
        return writes;
    }

    /** Chunks written that were not the content's: must stay 0. */
    public int wrongWrites() {
        return wrongWrites;
    }

    private final class Partial implements Servable {
        public ContentId id() {
            return content.id();
        }

        public byte[] manifestBytes() {
            return content.manifestBytes();
        }

        public ChunkLayout layout() {
            return content.layout();
        }

        public byte[] leafHashes(int entry, int first, int count) {
            return content.leafHashes(entry, first, count);
        }

        public BitSet available() {
            return (BitSet) journal.clone();
        }

        public boolean isServable() {
            return true;
        }
    }
}
