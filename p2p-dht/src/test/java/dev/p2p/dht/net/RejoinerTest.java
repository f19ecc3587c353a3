package dev.p2p.dht.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2p.dht.Contact;
import dev.p2p.dht.NodeId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RejoinerTest {
    final Random random = new Random(1);

    Contact contact(int port) {
        return new Contact(NodeId.random(random), new InetSocketAddress("10.77.0.1", port));
    }

    @Test
    void pingsSeedsNotInTheTableAndContactsThatLeftItUntilTheyAreBack() {
        Rejoiner r = new Rejoiner();
        InetSocketAddress seed = new InetSocketAddress("10.77.1.1", 24100);
        r.seeds(List.of(seed));
        Contact a = contact(1);
        Contact b = contact(2);
        assertEquals(List.of(seed), r.due(List.of(a, b), 0));
        assertEquals(List.of(seed, b.address()), r.due(List.of(a), 10_000), "b left the table");
        assertEquals(List.of(seed, b.address()), r.due(List.of(a), 20_000), "still gone: pinged again");
        assertEquals(List.of(seed), r.due(List.of(a, b), 30_000), "b is back");
        assertEquals(List.of(), r.due(List.of(a, b, new Contact(NodeId.random(random), seed)), 40_000), "seed in the table");
    }

    @Test
    void forgetsAfterThirtyMinutesAndProbesAtMostEightARound() {
        Rejoiner r = new Rejoiner();
        List<Contact> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            many.add(contact(i));
        }
        r.due(many, 0);
        assertEquals(Rejoiner.PROBES_PER_ROUND, r.due(List.of(), 1_000).size());
        assertEquals(Rejoiner.PROBES_PER_ROUND, r.due(List.of(), 2_000).size());
        assertEquals(0, r.due(List.of(), 2_000 + Rejoiner.FORGET_AFTER_MILLIS).size());
    }
}
