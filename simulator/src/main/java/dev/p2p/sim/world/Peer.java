package dev.p2p.sim.world;

import dev.p2p.dht.NodeId;
import dev.p2p.sim.engine.Lane;
import dev.p2p.sim.engine.ScheduledTask;
import dev.p2p.sim.engine.Simulation;
import dev.p2p.sim.net.Host;
import dev.p2p.sim.net.SimNetwork;
import dev.p2p.sim.node.NodeEnvironment;
import dev.p2p.sim.node.NodeFactory;
import dev.p2p.sim.node.SimulatedNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One virtual peer: a protocol node with one identity, living on one host. Each time it goes
 * offline its epoch advances, and every timer it armed before is silently dropped: a crash
 * leaves nothing of the old process running.
 */
public final class Peer<M> {
    /** Where a peer is in its life. */
    public enum State { OFFLINE, JOINING, ONLINE }

    private final Host host;
    private final Environment env;
    private final SimulatedNode<M> node;
    private final List<NodeId> providedKeys = new ArrayList<>();
    private State state = State.OFFLINE;
    private int epoch;
    private int sessions;
    int onlineListPosition = -1;

    Peer(Host host, Simulation sim, SimNetwork<M> network, Random nodeRandom, NodeFactory<M> factory) {
        this.host = host;
        this.env = new Environment(sim.lane(host.lane()), network, nodeRandom);
        this.node = factory.create(nodeRandom, env);
    }

    public NodeId id() {
        return node.id();
    }

    public Host host() {
        return host;
    }

    public InetSocketAddress address() {
        return host.address();
    }

    public SimulatedNode<M> node() {
        return node;
    }

    public State state() {
        return state;
    }

    public boolean isUp() {
        return state != State.OFFLINE;
    }

    /** Keys this peer provides; it announces them again whenever it comes back. */
    public List<NodeId> providedKeys() {
        return providedKeys;
    }

    /** How many times this peer has come up (with this identity). */
    public int sessions() {
        return sessions;
    }

    /**
     * Runs {@code task} {@code delayMillis} from now in this peer's lane, on its behalf: like the
     * node's own timers, it is dropped if the peer goes offline first.
     */
    public void schedule(long delayMillis, Runnable task) {
        env.schedule(delayMillis, task);
    }

    /** The generator of this peer's lane, for draws made on the peer's behalf in its lane's events. */
    public Random laneRandom() {
        return env.lane.random();
    }

    void setState(State next) {
        if (next == State.OFFLINE) {
            epoch++;
        } else if (state == State.OFFLINE) {
            sessions++;
        }
        state = next;
    }

    /**
     * The peer's world, its host's lane: everything it does is ignored once it is offline or a
     * later epoch.
     */
    private final class Environment implements NodeEnvironment<M> {
        private final Lane lane;
        private final SimNetwork<M> network;
        private final Random random;

        Environment(Lane lane, SimNetwork<M> network, Random random) {
            this.lane = lane;
            this.network = network;
            this.random = random;
        }

        public long nowMillis() {
            return lane.nowMillis();
        }

        public Host host() {
            return host;
        }

        public Random random() {
            return random;
        }

        public ScheduledTask schedule(long delayMillis, Runnable task) {
            int armedIn = epoch;
            return lane.schedule(Math.max(0, delayMillis), () -> {
                if (epoch == armedIn && state != State.OFFLINE) {
                    task.run();
                }
            });
        }

        public void send(InetSocketAddress to, M message) {
            if (state != State.OFFLINE) {
                network.send(host, to, message);
            }
        }
    }
}
