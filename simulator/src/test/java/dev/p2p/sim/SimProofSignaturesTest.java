package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stand-in signature holds for its own key and message only, and is as long as Ed25519's. */
class SimProofSignaturesTest {
    @Test
    void aStandInSignatureHoldsForItsKeyAndMessageOnly() {
        Random random = new Random(3);
        Identity signer = Identity.generate(random);
        Identity other = Identity.generate(random);
        byte[] message = "nonce and requester".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = SimProofSignatures.INSTANCE.sign(signer, message);

        assertEquals(Identity.SIGNATURE_BYTES, signature.length);
        assertTrue(SimProofSignatures.INSTANCE.verify(signer.publicKey(), message, signature));
        assertFalse(SimProofSignatures.INSTANCE.verify(other.publicKey(), message, signature), "another key");
        assertFalse(SimProofSignatures.INSTANCE.verify(signer.publicKey(), "another nonce".getBytes(StandardCharsets.US_ASCII),
                signature), "another message");
    }
}
