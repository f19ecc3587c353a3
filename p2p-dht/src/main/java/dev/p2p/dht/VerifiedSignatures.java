package dev.p2p.dht;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ed25519 verification with a memory of signatures already found valid. One provider record
 * reaches a node many times (every republish, every lookup that meets a node storing it), and a
 * verification costs far more than the rest of handling the datagram; the answer for the same
 * (key, message, signature) never changes, so it is remembered. Only successes are kept: junk
 * cannot fill the memory with entries that save nothing. Bounded, least recently used out first;
 * shared by every node in the process (the simulator's thousands), and safe across threads.
 */
final class VerifiedSignatures {
    static final int CAPACITY = 8_192;
    /** Longer messages are verified every time rather than copied into the memory. */
    private static final int MAX_MESSAGE_BYTES = 512;

    private static final Map<ByteBuffer, Boolean> VALID = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                    return size() > CAPACITY;
                }
            });

    private VerifiedSignatures() {}

    /** As {@link Identity#verify}, answered from memory when this exact signature was valid before. */
    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (message.length > MAX_MESSAGE_BYTES) {
            return Identity.verify(publicKey, message, signature);
        }
        ByteBuffer key = ByteBuffer.allocate(publicKey.length + signature.length + message.length)
                .put(publicKey).put(signature).put(message).flip();
        if (VALID.containsKey(key)) {
            return true;
        }
        boolean valid = Identity.verify(publicKey, message, signature);
        if (valid) {
            VALID.put(key, Boolean.TRUE);
        }
        return valid;
    }
}
