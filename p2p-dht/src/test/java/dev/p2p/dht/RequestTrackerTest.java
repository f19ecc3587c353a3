package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Pong;
import dev.p2p.dht.wire.Message.Response;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestTrackerTest {
    /** With no round trip measured yet, every request waits the ceiling. */
    private static final long TIMEOUT = 1_000;
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 4000);

    private final Clock clock = new Clock();
    private final RequestTracker tracker = new RequestTracker(clock, new ContactRtts(100, TIMEOUT, 16), new DhtStats(), 5_000);
    private final NodeId self = NodeId.random(new Random(1));
    private final List<String> seen = new ArrayList<>();

    @Test
    void eachUnansweredRequestTimesOutAtItsOwnDeadlineInTheOrderSent() {
        send("a", 1);
        clock.runUntil(10);
        send("b", 2);
        send("c", 1);
        clock.runUntil(10_000);
        // b's first attempt and c fall due in the same millisecond: b was sent first, so it is resent first.
        assertEquals(List.of("sent a@0", "sent b@10", "sent c@10", "timeout a@1000", "sent b@1010", "timeout c@1010",
                "timeout b@2010"), seen);
    }

    @Test
    void answeredRequestsShareOneTimerAndLeaveNoneBehind() {
        List<Integer> txIds = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            txIds.add(send(name, 1));
        }
        clock.runUntil(50);
        for (int txId : txIds) {
            assertTrue(tracker.complete(PEER, new Pong(new Header(txId, NodeId.random(new Random(txId)), false), PEER)));
        }
        clock.runUntil(10_000);
        assertEquals(List.of("sent a@0", "sent b@0", "sent c@0", "answer a@50", "answer b@50", "answer c@50"), seen);
        assertEquals(1, clock.scheduled, "one timer for the three requests in flight");
        assertEquals(0, clock.ran, "answered before their deadline: the timer was stopped, not run");
    }

    @Test
    void aSlowAwareRequestHearsItIsSlowWhenItsContactsRoundTripsSayItShouldHaveAnsweredThenTimesOut() {
        int first = send("a", 1);
        clock.runUntil(50);
        tracker.complete(PEER, new Pong(new Header(first, NodeId.random(new Random(3)), false), PEER));
        // One sample of 50 ms: SRTT 50, RTTVAR 25; expected by 50 + 2 * 25 = 100, timeout 50 + 4 * 25 = 150.
        clock.sending = "b";
        tracker.send(PEER, tx -> new Ping(new Header(tx, self, false)), 1, slowAware("b"));
        clock.runUntil(10_000);
        assertEquals(List.of("sent a@0", "answer a@50", "sent b@50", "slow b@150", "timeout b@200"), seen);
    }

    @Test
    void aRequestWithALeastWaitIsStillToldItIsSlowOnTimeButTimesOutNoSoonerThanThatWait() {
        int first = send("a", 1);
        clock.runUntil(50);
        tracker.complete(PEER, new Pong(new Header(first, NodeId.random(new Random(3)), false), PEER));
        // Expected by 100 ms, timeout 150 ms from the one sample; the request waits at least 400.
        clock.sending = "b";
        tracker.send(PEER, tx -> new Ping(new Header(tx, self, false)), 1, 400, slowAware("b"));
        clock.runUntil(10_000);
        assertEquals(List.of("sent a@0", "answer a@50", "sent b@50", "slow b@150", "timeout b@450"), seen);
    }

    /** Notes the request's slow mark, answer and timeout in {@link #seen}. */
    private RequestTracker.SlowAware slowAware(String name) {
        return new RequestTracker.SlowAware() {
            @Override
            public void onSlow() {
                seen.add("slow " + name + "@" + clock.net.now);
            }

            @Override
            public void onResponse(Response response, long rttMillis) {
                seen.add("answer " + name + "@" + clock.net.now);
            }

            @Override
            public void onTimeout() {
                seen.add("timeout " + name + "@" + clock.net.now);
            }
        };
    }

    private int send(String name, int attempts) {
        int[] txId = new int[1];
        clock.sending = name;
        tracker.send(PEER, tx -> {
            txId[0] = tx;
            return new Ping(new Header(tx, self, false));
        }, attempts, new RequestTracker.Callback() {
            @Override
            public void onResponse(Response response, long rttMillis) {
                seen.add("answer " + name + "@" + clock.net.now);
            }

            @Override
            public void onTimeout() {
                seen.add("timeout " + name + "@" + clock.net.now);
            }
        });
        clock.names.put(txId[0], name);
        return txId[0];
    }

    /** One node's environment in a {@link VirtualNetwork}'s time; sends are noted, never delivered. */
    private final class Clock implements Environment {
        final VirtualNetwork net = new VirtualNetwork(7);
        /** Requests by transaction id, and the one being sent for the first time. */
        final Map<Integer, String> names = new HashMap<>();
        String sending;
        int scheduled;
        int ran;

        @Override
        public long nowMillis() {
            return net.now;
        }

        @Override
        public Random random() {
            return net.random;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            scheduled++;
            return net.timer(delayMillis, () -> {
                ran++;
                task.run();
            });
        }

        @Override
        public void send(InetSocketAddress to, Message message) {
            seen.add("sent " + names.getOrDefault(message.header().txId(), sending) + "@" + net.now);
        }

        void runUntil(long until) {
            net.runUntil(until);
        }
    }
}
