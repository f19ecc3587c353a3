package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** When a claim of an id at an address costs an IDENTIFY, and when it is known proven already. */
class AdmissionTest {
    final Random random = new Random(5);
    final VirtualNetwork net = new VirtualNetwork(5);
    final NodeId contact = NodeId.random(random);
    final InetSocketAddress contactAt = VirtualNetwork.address(10, 1, 1, 1, 4000);
    final List<InetSocketAddress> asked = new ArrayList<>();
    final Admission admission = new Admission(NodeId.random(random), net.environment(random, (from, to, m) -> { }),
            (to, nonce, callback) -> asked.add(to), (id, at) -> id.equals(contact) && at.equals(contactAt));

    @Test
    void aContactOfTheRoutingTableAtItsAddressIsProvenWithoutARequest() {
        List<Boolean> answers = new ArrayList<>();
        admission.prove(contact, contactAt, answers::add);
        assertEquals(List.of(true), answers, "proven at once");
        assertEquals(List.of(), asked, "no IDENTIFY sent");
    }

    @Test
    void theSameIdAtAnotherAddressMustProveItselfThere() {
        InetSocketAddress elsewhere = VirtualNetwork.address(10, 2, 2, 2, 4000);
        List<Boolean> answers = new ArrayList<>();
        admission.prove(contact, elsewhere, answers::add);
        assertEquals(List.of(), answers, "waits for the answer");
        assertEquals(List.of(elsewhere), asked, "one IDENTIFY, to the claimed address");
    }
}
