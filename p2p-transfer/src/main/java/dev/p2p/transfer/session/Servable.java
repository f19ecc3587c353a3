package dev.p2p.transfer.session;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import java.util.BitSet;

/**
 * What an {@link UploadMachine} knows of a content it may serve: its manifest, layout, leaf hashes
 * and which chunks can be served now. Reading a chunk's bytes is the host's work.
 */
public interface Servable {
    ContentId id();

    byte[] manifestBytes();

    ChunkLayout layout();

    /** Leaf hashes {@code [first, first + count)} of manifest entry {@code entry}, concatenated. */
    byte[] leafHashes(int entry, int first, int count);

    /** The chunks that can be served now (a snapshot). */
    BitSet available();

    /** False once the content must not be served any more (a shared file changed). */
    boolean isServable();
}
