package dev.p2p.dht;

import java.util.Random;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A node's Ed25519 key pair and the node id derived from it (SHA-256 of the public key).
 * Signing and verification use Bouncy Castle; nothing here is hand-rolled.
 */
public final class Identity {
    public static final int PUBLIC_KEY_BYTES = Ed25519PublicKeyParameters.KEY_SIZE;
    public static final int PRIVATE_KEY_BYTES = Ed25519PrivateKeyParameters.KEY_SIZE;
    public static final int SIGNATURE_BYTES = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final NodeId nodeId;

    private Identity(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
        this.nodeId = NodeId.sha256(publicKey);
    }

    /** Restores an identity from its 32-byte private key seed. */
    public static Identity fromPrivateKey(byte[] seed) {
        if (seed.length != PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 private key is 32 bytes, got " + seed.length);
        }
        return new Identity(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /**
     * A new identity from {@code random}. Production passes a {@link java.security.SecureRandom};
     * the simulator passes its seeded generator so a run replays exactly.
     */
    public static Identity generate(Random random) {
        byte[] seed = new byte[PRIVATE_KEY_BYTES];
        random.nextBytes(seed);
        return fromPrivateKey(seed);
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public byte[] privateKey() {
        return privateKey.getEncoded();
    }

    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** True when {@code signature} is {@code publicKey}'s valid Ed25519 signature of {@code message}. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (IllegalArgumentException e) {
            return false; // not a point on the curve
        }
    }
}
