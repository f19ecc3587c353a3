package dev.p2p.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes at all: decoding either fails with {@link MalformedMessageException} or yields a
 * message that encodes back to the same bytes (when it is no longer than a node sends). Any other exception, a hang or an allocation beyond
 * the limits is a finding. In the normal test run this replays the inputs under
 * src/test/resources/.../CodecFuzzTestInputs; set JAZZER_FUZZ=1 to fuzz (see docs/FUZZING.md).
 */
class CodecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decodeNeverThrowsAnythingButMalformed(byte[] datagram) {
        Message m;
        try {
            m = Codec.decode(datagram);
        } catch (MalformedMessageException expected) {
            return;
        }
        if (datagram.length > Codec.MAX_DATAGRAM) {
            return; // read, but longer than any node sends: encode refuses to make it
        }
        byte[] again = Codec.encode(m);
        // IPv4-mapped IPv6 addresses come back as IPv4, so compare after a second round trip
        try {
            assertArrayEquals(again, Codec.encode(Codec.decode(again)));
        } catch (MalformedMessageException e) {
            throw new AssertionError("re-encoded message does not decode", e);
        }
    }
}
