package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes as a relay handshake: decoding either refuses them with an
 * {@link IllegalArgumentException} or yields a handshake that encodes back to the same bytes. In
 * the normal test run this replays src/test/resources/.../CircuitWireFuzzTestInputs; set
 * JAZZER_FUZZ=1 to fuzz (docs/FUZZING.md).
 */
class CircuitWireFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decodeAcceptsOrRefusesCleanly(byte[] bytes) {
        CircuitWire.Hello hello;
        try {
            hello = CircuitWire.decode(bytes);
        } catch (IllegalArgumentException expected) {
            return;
        }
        assertArrayEquals(bytes, CircuitWire.encode(hello));
    }
}
