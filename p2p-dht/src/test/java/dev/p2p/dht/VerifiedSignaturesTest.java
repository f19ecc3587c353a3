package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {
    private final Identity alice = Identity.generate(new Random(1));
    private final Identity mallory = Identity.generate(new Random(2));
    private final byte[] message = "provider record".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aRememberedValidSignatureDoesNotVouchForAnythingElse() {
        byte[] signature = alice.sign(message);
        assertTrue(VerifiedSignatures.verify(alice.publicKey(), message, signature));
        assertTrue(VerifiedSignatures.verify(alice.publicKey(), message, signature), "again, from memory");

        byte[] otherMessage = "provider recorD".getBytes(StandardCharsets.US_ASCII);
        assertFalse(VerifiedSignatures.verify(alice.publicKey(), otherMessage, signature), "another message");
        assertFalse(VerifiedSignatures.verify(mallory.publicKey(), message, signature), "another key");
        byte[] flipped = signature.clone();
        flipped[10] ^= 1;
        assertFalse(VerifiedSignatures.verify(alice.publicKey(), message, flipped), "another signature");
        assertFalse(VerifiedSignatures.verify(alice.publicKey(), message, flipped), "an invalid one is never remembered as valid");
    }

    @Test
    void longMessagesAreVerifiedToo() {
        byte[] big = new byte[4096];
        byte[] signature = alice.sign(big);
        assertTrue(VerifiedSignatures.verify(alice.publicKey(), big, signature));
        big[0] = 1;
        assertFalse(VerifiedSignatures.verify(alice.publicKey(), big, signature));
    }
}
