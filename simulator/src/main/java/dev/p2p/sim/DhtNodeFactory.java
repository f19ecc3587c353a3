package dev.p2p.sim;

import dev.p2p.sim.node.NodeEnvironment;
import dev.p2p.sim.node.NodeFactory;
import dev.p2p.sim.node.SimulatedNode;
import dev.p2p.sim.scenario.Scenario;
import java.util.Random;

/** Makes real DHT nodes for a scenario. Placeholder until p2p-dht's DhtNode lands. */
final class DhtNodeFactory implements NodeFactory<Object> {
    DhtNodeFactory(Scenario scenario) {}

    @Override
    public SimulatedNode<Object> create(Random identityRandom, NodeEnvironment<Object> env) {
        throw new UnsupportedOperationException("the DHT core (dev.p2p.dht.DhtNode) is not in this build yet");
    }

    @Override
    public int encodedSize(Object message) {
        return 0;
    }
}
