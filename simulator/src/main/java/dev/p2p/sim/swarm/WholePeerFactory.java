package dev.p2p.sim.swarm;

import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.Reachability;
import dev.p2p.dht.wire.Message;
import dev.p2p.sim.DhtNodeAdapter;
import dev.p2p.sim.DhtNodeFactory;
import dev.p2p.sim.node.NodeEnvironment;
import dev.p2p.sim.node.NodeFactory;
import dev.p2p.sim.node.SimulatedNode;
import dev.p2p.sim.scenario.Scenario;
import java.util.Random;

/**
 * Makes {@link WholePeer}s for a scenario with a swarm: the DHT as {@link DhtNodeFactory} makes it
 * (as a client behind NAT), and per peer a role (free rider and corrupting shares), a bandwidth
 * class and a NAT, drawn from the peer's own seeded generator after its identity. Bound to the run's {@link Swarm} and
 * {@link TransferNet} before the first peer is made.
 */
public final class WholePeerFactory implements NodeFactory<Message> {
    private final DhtNodeFactory dht;
    private final DhtConfig config;
    private final int providersWanted;
    private final SwarmConfig swarmConfig;
    private Swarm swarm;
    private TransferNet net;

    public WholePeerFactory(Scenario scenario) {
        this.dht = new DhtNodeFactory(scenario);
        this.config = DhtNodeFactory.configFor(scenario.dht());
        this.providersWanted = scenario.workload().providersWanted();
        this.swarmConfig = scenario.swarm();
    }

    /** Connects the factory to the run's swarm and transfer network. */
    public void bind(Swarm swarm, TransferNet net) {
        this.swarm = swarm;
        this.net = net;
    }

    @Override
    public SimulatedNode<Message> create(Random identityRandom, NodeEnvironment<Message> env) {
        if (swarm == null) {
            throw new IllegalStateException("bind the factory to its swarm first");
        }
        Identity identity = Identity.generate(identityRandom);
        double u = identityRandom.nextDouble();
        Role role = u < swarmConfig.freeRiderShare() ? Role.FREE_RIDER
                : u < swarmConfig.freeRiderShare() + swarmConfig.corruptShare() ? Role.CORRUPT : Role.HONEST;
        SwarmConfig.BandwidthClass links = bandwidthClass(identityRandom.nextDouble());
        double n = identityRandom.nextDouble();
        Nat nat = n < swarmConfig.portKeepingNatShare() ? Nat.PORT_KEEPING
                : n < swarmConfig.portKeepingNatShare() + swarmConfig.symmetricNatShare() ? Nat.SYMMETRIC : Nat.NONE;
        DhtNodeAdapter node = new DhtNodeAdapter(identity, config, providersWanted, env,
                nat == Nat.NONE ? Reachability.Mode.PUBLIC : Reachability.Mode.PRIVATE);
        return new WholePeer(node, env, swarm, net, role, nat,
                net.links(links.upBytesPerSecond(), links.downBytesPerSecond()));
    }

    private SwarmConfig.BandwidthClass bandwidthClass(double u) {
        double sum = 0;
        for (SwarmConfig.BandwidthClass c : swarmConfig.bandwidth()) {
            sum += c.share();
            if (u < sum) {
                return c;
            }
        }
        return swarmConfig.bandwidth().get(swarmConfig.bandwidth().size() - 1);
    }

    @Override
    public byte[] encode(Message message) {
        return dht.encode(message);
    }

    @Override
    public int encodedSize(Message message) {
        return dht.encodedSize(message);
    }

    @Override
    public Message decode(byte[] datagram) {
        return dht.decode(datagram);
    }
}
