package dev.p2p.sim;

import dev.p2p.dht.Identity;
import dev.p2p.dht.ProofSignatures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The simulator's stand-in for Ed25519 in identity proofs: a "signature" is SHA-512 of the
 * signer's public key and the message. A run's nodes meet in pairs by the hundred thousand and
 * each pair proves itself once; with Ed25519 that signing and verifying was most of a run's CPU.
 *
 * <p>Anyone who knows a public key could make this stand-in's signature, so the simulator models
 * Ed25519 as unforgeable rather than testing it: no simulated node signs for a key it does not
 * hold (honest nodes and Sybils answer with their own keys). Everything else about a proof runs
 * as in production: the fresh nonce, the requester's id in the signed bytes, the key standing
 * for the claimed id. Real-UDP tests (p2p-dht's ImpostorTest) check the Ed25519 proofs themselves.
 */
public final class SimProofSignatures implements ProofSignatures {
    public static final SimProofSignatures INSTANCE = new SimProofSignatures();
    private static final byte[] DOMAIN = "p2p-sim-proof-stand-in".getBytes(StandardCharsets.US_ASCII);

    private SimProofSignatures() {}

    @Override
    public byte[] sign(Identity signer, byte[] message) {
        return digest(signer.publicKey(), message);
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        return MessageDigest.isEqual(digest(publicKey, message), signature);
    }

    private static byte[] digest(byte[] publicKey, byte[] message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-512"); // 64 bytes, as an Ed25519 signature
            sha.update(DOMAIN);
            sha.update(publicKey);
            return sha.digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-512", e);
        }
    }
}
