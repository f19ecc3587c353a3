package dev.p2p.node.policy;

import dev.p2p.dht.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A relay's decisions about circuits, without I/O: whom it relays for, under its
 * {@link RelayLimits}, and how much each circuit may still carry. A requester asks for a circuit
 * to a target; the relay gives it a token, tells the target (through the DHT), and the circuit
 * opens when the target presents the token in time. Time comes in as arguments, tokens from the
 * caller's generator. Not thread-safe: the caller serializes.
 */
public final class CircuitBook {
    /** Why a circuit is refused or ended, as the relay's answer byte says it (docs/REACHABILITY.md). */
    public enum Refusal {
        OFF("this node does not relay"), UNKNOWN_TARGET("the relay does not know that peer"),
        FULL("the relay carries as many circuits as its owner allows"), NO_SUCH_CIRCUIT("no circuit waits with that token"),
        TIMED_OUT("the target did not come in time"),
        REQUESTER_FULL("the relay carries as many circuits for our address as it gives one requester");

        public final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }
    }

    /** The answer to a request: a token to hand the target, or why not. */
    public sealed interface Decision {
        record Granted(byte[] token) implements Decision {}

        record Refused(Refusal why) implements Decision {}
    }

    /** The answer to "may this circuit carry n more bytes": after a pause (for the rate), or no more. */
    public sealed interface Carry {
        record After(long delayMillis) implements Carry {}

        record End(String reason) implements Carry {}
    }

    private record Pending(NodeId target, Object requester, long since) {}

    private static final class Open {
        final Object requester;
        final long since;
        long bytes;

        Open(Object requester, long since) {
            this.requester = requester;
            this.since = since;
        }
    }

    private final RelayLimits limits;
    private final Random random;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, Open> open = new HashMap<>();
    private long opened;
    private long refused;
    private long bytesRelayed;

    public CircuitBook(RelayLimits limits, Random random) {
        this.limits = limits;
        this.random = random;
    }

    /**
     * {@code requester} wants a circuit to {@code target}; {@code targetKnown}: a client of ours the
     * DHT can tell. {@code requester} is whatever one requester's circuits are counted under (its
     * source group: an IPv4 address or an IPv6 /64), so one cannot take every circuit
     * ({@link RelayLimits#maxCircuitsPerRequester}).
     */
    public Decision request(Object requester, NodeId target, boolean targetKnown, long nowMillis) {
        expire(nowMillis);
        Refusal why = !limits.relays() ? Refusal.OFF : !targetKnown ? Refusal.UNKNOWN_TARGET
                : pending.size() + open.size() >= limits.maxCircuits() ? Refusal.FULL
                : circuitsOf(requester) >= limits.maxCircuitsPerRequester() ? Refusal.REQUESTER_FULL : null;
        if (why != null) {
            refused++;
            return new Decision.Refused(why);
        }
        byte[] token = new byte[32];
        random.nextBytes(token);
        pending.put(key(token), new Pending(target, requester, nowMillis));
        return new Decision.Granted(token);
    }

    /** Circuits waiting or open for {@code requester}. */
    private long circuitsOf(Object requester) {
        return pending.values().stream().filter(p -> p.requester.equals(requester)).count()
                + open.values().stream().filter(o -> o.requester.equals(requester)).count();
    }

    /** The granted circuit will not open after all (the target could not be told): its place is free. */
    public void cancel(byte[] token) {
        pending.remove(key(token));
    }

    /** The target presents {@code token}: null when the circuit opens, else why not. */
    public Refusal arrive(byte[] token, long nowMillis) {
        expire(nowMillis);
        Pending p = pending.remove(key(token));
        if (p == null) {
            refused++;
            return Refusal.NO_SUCH_CIRCUIT;
        }
        open.put(key(token), new Open(p.requester, nowMillis));
        opened++;
        return null;
    }

    /** Whether a waiting circuit is still waiting (its requester stops waiting when it is not). */
    public boolean waiting(byte[] token, long nowMillis) {
        expire(nowMillis);
        return pending.containsKey(key(token));
    }

    /**
     * The circuit of {@code token} carried {@code bytes} more (both ways count): after how long it
     * may carry on, keeping to the rate, or that it must end (bytes or time used up).
     */
    public Carry carried(byte[] token, long bytes, long nowMillis) {
        Open o = open.get(key(token));
        if (o == null) {
            return new Carry.End("circuit closed");
        }
        o.bytes += bytes;
        bytesRelayed += bytes;
        long age = nowMillis - o.since;
        if (o.bytes > limits.maxBytesPerCircuit()) {
            return new Carry.End("the circuit carried its " + limits.maxBytesPerCircuit() + " bytes");
        }
        if (age > limits.maxCircuitMillis()) {
            return new Carry.End("the circuit was open its " + limits.maxCircuitMillis() / 1000 + " s");
        }
        long due = o.bytes * 1000 / limits.rateBytesPerSecond(); // when these bytes are due at the rate
        return new Carry.After(Math.max(0, due - age));
    }

    /** The circuit of {@code token} ended. */
    public void closed(byte[] token) {
        open.remove(key(token));
    }

    private void expire(long nowMillis) {
        List<String> late = new ArrayList<>();
        pending.forEach((k, p) -> {
            if (nowMillis - p.since >= limits.pendingMillis()) {
                late.add(k);
            }
        });
        late.forEach(pending::remove);
    }

    /** Circuits open now, opened since start, refused since start, and bytes relayed. */
    public long[] counts() {
        return new long[] {open.size(), opened, refused, bytesRelayed};
    }

    private static String key(byte[] token) {
        return Arrays.toString(token);
    }
}
