package dev.p2p.dht;

import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Identify;
import dev.p2p.dht.wire.Message.IdentityAnswer;
import dev.p2p.dht.wire.Message.Proof;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The proof that a node holds the private key of its id: its Ed25519 signature of
 * {@code "p2p-identify-v1" | nonce | requester id}, where the requester chose the nonce just now.
 * Signing the requester's id too means a proof made for one asker convinces nobody else.
 */
public final class IdentityProof {
    private static final byte[] DOMAIN = "p2p-identify-v1".getBytes(StandardCharsets.US_ASCII);

    private IdentityProof() {}

    /** The bytes a node signs to answer {@code nonce} from {@code requester}. */
    public static byte[] signedBytes(byte[] nonce, NodeId requester) {
        return ByteBuffer.allocate(DOMAIN.length + nonce.length + NodeId.BYTES)
                .put(DOMAIN).put(nonce).put(requester.toBytes()).array();
    }

    /** Our answer to {@code request}, which came from {@code from}, signed with Ed25519. */
    public static IdentityAnswer answer(Identity me, Header reply, InetSocketAddress from, Identify request) {
        return answer(ProofSignatures.ED25519, me, reply, from, request);
    }

    /** As {@link #answer(Identity, Header, InetSocketAddress, Identify)}, signed by {@code signatures}. */
    public static IdentityAnswer answer(ProofSignatures signatures, Identity me, Header reply, InetSocketAddress from,
            Identify request) {
        byte[] signature = signatures.sign(me, signedBytes(request.nonce(), request.header().sender()));
        return new IdentityAnswer(reply, from, me.publicKey(), signature);
    }

    /**
     * True when {@code answer} proves that its sender holds the key of {@code claimed}: the public
     * key stands for that id ({@code keys}: its SHA-256) and signs our nonce and our id.
     */
    static boolean holds(IdentityAnswer answer, NodeId claimed, byte[] nonce, NodeId self, KeyIds keys,
            ProofSignatures signatures) {
        return holds(answer.header().sender(), answer.publicKey(), answer.signature(), claimed, nonce, self, keys, signatures);
    }

    /**
     * As {@link #holds(IdentityAnswer, NodeId, byte[], NodeId, KeyIds, ProofSignatures)}, for a
     * proof carried in a NODES or PROVIDERS answer from {@code sender}; no proof holds nothing.
     */
    static boolean holds(NodeId sender, Proof proof, NodeId claimed, byte[] nonce, NodeId self, KeyIds keys,
            ProofSignatures signatures) {
        return proof != null && holds(sender, proof.publicKey(), proof.signature(), claimed, nonce, self, keys, signatures);
    }

    private static boolean holds(NodeId sender, byte[] publicKey, byte[] signature, NodeId claimed, byte[] nonce,
            NodeId self, KeyIds keys, ProofSignatures signatures) {
        return sender.equals(claimed) && claimed.equals(keys.idOf(publicKey))
                && signatures.verify(publicKey, signedBytes(nonce, self), signature);
    }

    /** Our proof for a request with flag PROVE: {@code nonce} from {@code requester}, signed as an IDENTITY is. */
    public static Proof carried(ProofSignatures signatures, Identity me, byte[] nonce, NodeId requester) {
        return new Proof(me.publicKey(), signatures.sign(me, signedBytes(nonce, requester)));
    }
}
