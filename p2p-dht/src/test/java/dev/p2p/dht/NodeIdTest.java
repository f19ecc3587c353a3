package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeIdTest {
    @Test
    void distanceBitsAreThoseOfTheXorDistance() {
        Random random = new Random(11);
        for (int q = 0; q < 50; q++) {
            NodeId a = NodeId.random(random);
            NodeId b = q % 5 == 0 ? a : NodeId.random(random);
            BigInteger distance = a.xor(b).toBigInteger();
            for (int i = 0; i < NodeId.BITS; i++) {
                assertEquals(distance.testBit(i), a.distanceBit(b, i), "bit " + i);
            }
            assertEquals(distance.bitLength() - 1, a.bucketIndex(b), "the top bit is the bucket");
        }
    }
}
