package dev.p2p.transfer.wire;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ContentId;

/**
 * The transfer protocol's messages (docs/TRANSFER-PROTOCOL.md). Every message but {@link Hello}
 * names the content it is about, so one connection can carry several transfers.
 * {@link ChunkData} holds a {@link ChunkPayload} that its receiver must release.
 */
public sealed interface Message {
    int VERSION = 1;

    record Hello(int version, NodeId nodeId) implements Message {}

    record GetManifest(ContentId content) implements Message {}

    record ManifestData(ContentId content, byte[] manifest) implements Message {}

    /** Asks for {@code count} leaf hashes of manifest entry {@code entry}, from leaf {@code first}. */
    record GetHashes(ContentId content, int entry, int first, int count) implements Message {}

    record HashesData(ContentId content, int entry, int first, byte[] hashes) implements Message {}

    record Bitfield(ContentId content, int chunkCount, byte[] bits) implements Message {}

    record Have(ContentId content, int chunk) implements Message {}

    record Request(ContentId content, int chunk) implements Message {}

    record ChunkData(ContentId content, int chunk, ChunkPayload data) implements Message {}

    record Cancel(ContentId content, int chunk) implements Message {}

    /**
     * "I will not answer that": {@code refusedType} is the type byte of the refused message,
     * {@code index} its chunk or entry index (0 when none).
     */
    record Refuse(ContentId content, int refusedType, int index, Reason reason, String text) implements Message {}

    enum Reason {
        UNKNOWN_CONTENT(1), NOT_AVAILABLE(2), BUSY(3), TOO_MANY_REQUESTS(4), STALE(5), BAD_REQUEST(6);

        public final int code;

        Reason(int code) {
            this.code = code;
        }

        static Reason of(int code) {
            for (Reason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw new ProtocolException("unknown refusal reason " + code);
        }
    }
}
