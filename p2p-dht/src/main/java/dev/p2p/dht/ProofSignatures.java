package dev.p2p.dht;

/**
 * How identity proofs ({@link IdentityProof}) are signed and checked. On the wire and in
 * production that is Ed25519 ({@link #ED25519}). The simulator alone substitutes a stand-in
 * that costs a hash instead of a curve operation: it runs every node of a network in one
 * process, and one proof per pair of nodes that meet was most of a run's CPU (docs/SIMULATOR.md).
 */
public interface ProofSignatures {
    ProofSignatures ED25519 = new ProofSignatures() {
        @Override
        public byte[] sign(Identity signer, byte[] message) {
            return signer.sign(message);
        }

        @Override
        public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
            return Identity.verify(publicKey, message, signature);
        }
    };

    /** {@code signer}'s signature of {@code message}, {@link Identity#SIGNATURE_BYTES} long. */
    byte[] sign(Identity signer, byte[] message);

    /** True when {@code signature} is the holder of {@code publicKey}'s signature of {@code message}. */
    boolean verify(byte[] publicKey, byte[] message, byte[] signature);
}
