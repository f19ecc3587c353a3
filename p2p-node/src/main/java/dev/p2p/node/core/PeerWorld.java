package dev.p2p.node.core;

import dev.p2p.dht.Cancellable;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a {@link PeerCore} needs from the world beyond its {@link DhtPort} and its transfer side:
 * time, timers, and a way to reach providers. Calls and answers happen on the core's thread.
 */
public interface PeerWorld {
    /** Monotonic nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Runs {@code task} on the core's thread after {@code delayNanos}, unless cancelled first. */
    Cancellable schedule(long delayNanos, Runnable task);

    /**
     * Which of the providers found for {@code id} this peer can connect to: directly, or through
     * hole punching for those behind NAT (production), or as the simulated network allows.
     */
    void reach(ContentId id, List<PeerAddress> found, Consumer<Reach> done);

    /** The answer of {@link #reach}. */
    sealed interface Reach {
        /** Dial these (the providers themselves, or local ends of punched connections to them). */
        record Peers(List<PeerAddress> peers) implements Reach {}

        /** None can be reached; {@code reason} is one line for the user. */
        record Unreachable(String reason) implements Reach {}
    }
}
