package dev.p2p.dht;

import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Leave;
import dev.p2p.dht.wire.Message.Proof;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A node that leaves on purpose says so (LEAVE), signed: its Ed25519 signature of
 * {@code "p2p-leave-v1" | leaver id | receiver id}. A notice anyone could send would let a
 * spoofer evict live contacts from any table and make room for its own ids; a signature by the
 * key of the leaving id cannot be made by anyone else, and naming the receiver means one notice
 * convinces nobody but the node it was sent to. Only someone on the path between the two could
 * replay it, and such a one can already silence the node by dropping its datagrams.
 */
public final class DepartureNotice {
    private static final byte[] DOMAIN = "p2p-leave-v1".getBytes(StandardCharsets.US_ASCII);

    private DepartureNotice() {}

    /** The bytes {@code leaver} signs to tell {@code receiver} it leaves. */
    public static byte[] signedBytes(NodeId leaver, NodeId receiver) {
        return ByteBuffer.allocate(DOMAIN.length + 2 * NodeId.BYTES).put(DOMAIN).put(leaver.toBytes()).put(receiver.toBytes()).array();
    }

    /** Our notice to {@code receiver}. */
    static Leave to(NodeId receiver, Identity me, ProofSignatures signatures) {
        byte[] signature = signatures.sign(me, signedBytes(me.nodeId(), receiver));
        return new Leave(new Header(0, me.nodeId(), false), new Proof(me.publicKey(), signature));
    }

    /** True when {@code notice} was signed for us ({@code self}) by the holder of its sender's id. */
    static boolean holds(Leave notice, NodeId self, KeyIds keys, ProofSignatures signatures) {
        NodeId leaver = notice.header().sender();
        Proof proof = notice.proof();
        return leaver.equals(keys.idOf(proof.publicKey()))
                && signatures.verify(proof.publicKey(), signedBytes(leaver, self), proof.signature());
    }
}
