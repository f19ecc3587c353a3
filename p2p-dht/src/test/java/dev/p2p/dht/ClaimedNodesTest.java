package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClaimedNodesTest {
    private final Random random = new Random(3);

    private static InetSocketAddress address(int i) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, (byte) (i >> 8), (byte) i}), 4000);
    }

    @Test
    void aClaimedNodeIsKnownByItsIdAtAnyAddressAndByItsAddressUnderAnyId() throws Exception {
        ClaimedNodes claimed = new ClaimedNodes();
        Contact asked = new Contact(NodeId.random(random), address(1));
        claimed.add(asked);
        assertTrue(claimed.contains(asked));
        assertTrue(claimed.contains(new Contact(asked.id(), address(2))), "the same id elsewhere");
        assertTrue(claimed.contains(new Contact(NodeId.random(random), address(1))), "another id at the same host");
        assertFalse(claimed.contains(new Contact(NodeId.random(random), address(2))));
    }

    @Test
    void idsSharingTheirFirst64BitsAreToldApart() throws Exception {
        ClaimedNodes claimed = new ClaimedNodes();
        byte[] bytes = new byte[NodeId.BYTES];
        random.nextBytes(bytes);
        claimed.add(new Contact(NodeId.of(bytes), address(1)));
        bytes[NodeId.BYTES - 1] ^= 1; // same first word: an attacker can choose that much of an id
        assertFalse(claimed.contains(new Contact(NodeId.of(bytes), address(2))));
    }

    @Test
    void holdsEveryNodeOfALongLookup() throws Exception {
        ClaimedNodes claimed = new ClaimedNodes();
        Contact[] asked = new Contact[500];
        for (int i = 0; i < asked.length; i++) {
            asked[i] = new Contact(NodeId.random(random), address(i));
            claimed.add(asked[i]);
            claimed.add(asked[i]); // twice is once
        }
        for (Contact c : asked) {
            assertTrue(claimed.contains(c));
        }
        for (int i = asked.length; i < asked.length + 200; i++) {
            assertFalse(claimed.contains(new Contact(NodeId.random(random), address(i))));
        }
    }
}
