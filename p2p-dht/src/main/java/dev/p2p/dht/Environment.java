package dev.p2p.dht;

import dev.p2p.dht.wire.Message;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * Everything a {@link DhtNode} needs from the world it runs in. In production a Netty event loop
 * and a UDP channel implement it; in the simulator a virtual clock and a simulated network do.
 * All calls happen on the node's own thread, and every callback the environment makes (a timer
 * firing, a message arriving) must run on that thread too.
 */
public interface Environment {
    /** Milliseconds on a monotonic clock; only differences are meaningful. */
    long nowMillis();

    /** The node's generator: all of its randomness comes from here, so a seed replays a run. */
    Random random();

    /** Runs {@code task} on the node's thread after {@code delayMillis}, unless cancelled first. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Sends one datagram carrying {@code message}; delivery is not guaranteed. */
    void send(InetSocketAddress to, Message message);

    /**
     * Which id a public key stands for: its SHA-256, everywhere but in the simulator's model of an
     * attacker that ground keys (docs/SIMULATOR.md).
     */
    default KeyIds keyIds() {
        return KeyIds.SHA256;
    }

    /**
     * How identity proofs are signed and checked: Ed25519, everywhere but in the simulator's
     * cheaper stand-in (docs/SIMULATOR.md).
     */
    default ProofSignatures proofSignatures() {
        return ProofSignatures.ED25519;
    }
}
