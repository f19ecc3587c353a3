package dev.p2p.sim.node;

import dev.p2p.sim.engine.ScheduledTask;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * What the simulator gives one virtual peer: virtual time, its own seeded generator, timers and
 * an outbox. {@link DhtNodeAdapter} turns it into the DHT's own {@code Environment}.
 *
 * @param <M> the protocol's message type
 */
public interface NodeEnvironment<M> {
    long nowMillis();

    /** The host the peer lives on. */
    dev.p2p.sim.net.Host host();

    Random random();

    /** Runs {@code task} after {@code delayMillis} of virtual time, unless the peer has gone offline. */
    ScheduledTask schedule(long delayMillis, Runnable task);

    /** Hands a datagram to the simulated network. */
    void send(InetSocketAddress to, M message);
}
