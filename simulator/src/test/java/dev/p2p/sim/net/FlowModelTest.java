package dev.p2p.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Cancellable;
import dev.p2p.sim.engine.Lane;
import dev.p2p.sim.engine.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flow model against allocations and finishing times worked out by hand. */
class FlowModelTest {
    private final Simulation sim = new Simulation(1);
    private final Lane lane = sim.lane(0);
    private final FlowModel model = new FlowModel(new FlowModel.Clock() {
        public long nowMillis() {
            return lane.nowMillis();
        }

        public Cancellable schedule(long delayMillis, Runnable task) {
            return lane.schedule(delayMillis, task);
        }
    });
    private final List<String> finished = new ArrayList<>();

    private static final long KB = 1000;

    private Runnable note(String name) {
        return () -> finished.add(name + "@" + lane.nowMillis());
    }

    @Test
    void oneUplinkIsSharedEquallyAndASoleFlowTakesSizeOverCapacity() {
        FlowModel.Links a = new FlowModel.Links(1000 * KB, 0);
        FlowModel.Links b = new FlowModel.Links(0, 0);
        FlowModel.Links c = new FlowModel.Links(0, 0);
        FlowModel.Pipe ab = model.pipe(a, b);
        FlowModel.Pipe ac = model.pipe(a, c);
        ab.send(500 * KB, note("ab"));
        ac.send(1000 * KB, note("ac"));
        sim.runUntil(1);
        assertEquals(500 * KB, ab.bytesPerSecond(), 1e-6);
        assertEquals(500 * KB, ac.bytesPerSecond(), 1e-6);
        sim.runUntil(5_000);
        // ab: 500 kB at 500 kB/s = 1 s; then ac alone has 500 kB left at 1000 kB/s = 0.5 s more
        assertEquals(List.of("ab@1000", "ac@1500"), finished);
    }

    @Test
    void aFlowHeldBackByTheReceiversDownlinkLeavesItsShareOfTheUplinkToTheOthers() {
        // A up 10, C down 8, the rest unlimited: A->C and D->C get 4 each at C's downlink,
        // and A->B takes what A's uplink has left, 6 (an equal split of A would give it 5)
        FlowModel.Links a = new FlowModel.Links(10 * KB, 0);
        FlowModel.Links b = new FlowModel.Links(0, 0);
        FlowModel.Links c = new FlowModel.Links(0, 8 * KB);
        FlowModel.Links d = new FlowModel.Links(0, 0);
        FlowModel.Pipe ab = model.pipe(a, b);
        FlowModel.Pipe ac = model.pipe(a, c);
        FlowModel.Pipe dc = model.pipe(d, c);
        ab.send(100 * KB, note("ab"));
        ac.send(100 * KB, note("ac"));
        dc.send(100 * KB, note("dc"));
        sim.runUntil(1);
        assertEquals(6 * KB, ab.bytesPerSecond(), 1e-6);
        assertEquals(4 * KB, ac.bytesPerSecond(), 1e-6);
        assertEquals(4 * KB, dc.bytesPerSecond(), 1e-6);
    }

    @Test
    void messagesOnOnePipeGoInOrderAndAnIdlePipeTakesNoShare() {
        FlowModel.Links a = new FlowModel.Links(100 * KB, 0);
        FlowModel.Links b = new FlowModel.Links(0, 0);
        FlowModel.Pipe ab = model.pipe(a, b);
        model.pipe(a, b); // never used
        ab.send(10 * KB, note("first"));
        ab.send(20 * KB, note("second"));
        sim.runUntil(1_000);
        assertEquals(List.of("first@100", "second@300"), finished);
        assertEquals(0, ab.bytesPerSecond());
    }

    @Test
    void aClearedPipeFinishesNothingAndGivesItsShareBack() {
        FlowModel.Links a = new FlowModel.Links(100 * KB, 0);
        FlowModel.Links b = new FlowModel.Links(0, 0);
        FlowModel.Pipe one = model.pipe(a, b);
        FlowModel.Pipe two = model.pipe(a, b);
        one.send(100 * KB, note("one"));
        two.send(100 * KB, note("two"));
        lane.schedule(500, one::clear); // 25 kB of each sent by then
        sim.runUntil(5_000);
        // two: 25 kB at 50 kB/s in 500 ms, then 75 kB at 100 kB/s in 750 ms
        assertEquals(List.of("two@1250"), finished);
    }

    @Test
    void unlimitedLinksDeliverWithinAMillisecond() {
        FlowModel.Pipe p = model.pipe(new FlowModel.Links(0, 0), new FlowModel.Links(0, 0));
        p.send(1L << 30, note("big"));
        sim.runUntil(10);
        assertEquals(List.of("big@1"), finished);
    }

    @Test
    void smallMessagesOnAPipeWithoutAFlowTakeTheirBytesTimeAndReallocateNothing() {
        FlowModel.Links a = new FlowModel.Links(100 * KB, 0); // 100 bytes per ms
        FlowModel.Links b = new FlowModel.Links(0, 50 * KB); // 50 bytes per ms: the narrower link
        FlowModel.Pipe ab = model.pipe(a, b);
        ab.send(500, note("request"));
        ab.send(1000, note("have"));
        sim.runUntil(1_000);
        // 500 bytes at 50 per ms = 10 ms, then 1000 more = 20 ms after it
        assertEquals(List.of("request@10", "have@30"), finished);
        assertEquals(0, model.reallocations(), "no flow was made for either");
    }

    @Test
    void aLargeMessageBehindSmallOnesIsThroughAfterThemAndLaterSmallOnesQueueBehindIt() {
        FlowModel.Links a = new FlowModel.Links(10 * KB, 0); // 10 bytes per ms
        FlowModel.Links b = new FlowModel.Links(0, 0);
        FlowModel.Pipe ab = model.pipe(a, b);
        ab.send(1000, note("small1")); // through at 100
        ab.send(1000, note("small2")); // through at 200
        ab.send(1500, note("chunk")); // waits for small2, then 150 ms as a flow: 350
        ab.send(10, note("small3")); // behind the chunk: 1 ms after it
        sim.runUntil(1_000);
        assertEquals(List.of("small1@100", "small2@200", "chunk@350", "small3@351"), finished);
    }

    @Test
    void clearingAPipeDropsItsSmallAndHeldMessages() {
        FlowModel.Links a = new FlowModel.Links(10 * KB, 0);
        FlowModel.Links b = new FlowModel.Links(0, 0);
        FlowModel.Pipe ab = model.pipe(a, b);
        ab.send(1000, note("small"));
        ab.send(5000, note("held"));
        sim.runUntil(50);
        ab.clear();
        sim.runUntil(2_000);
        assertEquals(List.of(), finished, "nothing runs for a connection that is gone");
        assertEquals(true, ab.isIdle());
    }

    @Test
    void asMessagesComeAndGoEveryFlowHasItsMaxMinFairRateAndNoMessageBeatsItsPath() {
        Random random = new Random(7);
        long[] capacities = {100 * KB, 1000 * KB, 10_000 * KB, 0}; // 0: unlimited
        List<FlowModel.Links> hosts = new ArrayList<>();
        for (int h = 0; h < 16; h++) {
            hosts.add(new FlowModel.Links(capacities[random.nextInt(4)], capacities[random.nextInt(4)]));
        }
        List<FlowModel.Pipe> pipes = new ArrayList<>();
        List<Link> ups = new ArrayList<>();
        List<Link> downs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int from = random.nextInt(hosts.size());
            int to = (from + 1 + random.nextInt(hosts.size() - 1)) % hosts.size();
            pipes.add(model.pipe(hosts.get(from), hosts.get(to)));
            ups.add(hosts.get(from).up);
            downs.add(hosts.get(to).down);
        }
        List<List<long[]>> pending = new ArrayList<>(); // per pipe: {sequence, sent at} of messages not yet through
        for (int i = 0; i < pipes.size(); i++) {
            pending.add(new ArrayList<>());
        }
        List<String> wrong = new ArrayList<>();
        int[] through = {0};
        int sent = 0;
        for (int t = 0; t < 3_000; t += 1 + random.nextInt(5)) {
            int i = random.nextInt(pipes.size());
            FlowModel.Pipe pipe = pipes.get(i);
            if (random.nextInt(50) == 0) {
                lane.schedule(t, () -> {
                    pipe.clear();
                    pending.get(i).clear(); // dropped with the connection
                });
                continue;
            }
            long bytes = random.nextBoolean() ? 1 + random.nextInt((int) FlowModel.SMALL_BYTES) : 2_000 + random.nextInt(200_000);
            double fastest = Math.min(ups.get(i).capacity, downs.get(i).capacity); // bytes per ms
            long sequence = sent++;
            lane.schedule(t, () -> {
                long sentAt = lane.nowMillis();
                pending.get(i).add(new long[] {sequence, sentAt});
                pipe.send(bytes, () -> {
                    List<long[]> mine = pending.get(i);
                    if (mine.isEmpty() || mine.get(0)[0] != sequence) {
                        wrong.add("message " + sequence + " through out of order or after its pipe was cleared");
                        return;
                    }
                    mine.remove(0);
                    through[0]++;
                    if (lane.nowMillis() - sentAt < bytes / fastest - 1e-6) {
                        wrong.add("message " + sequence + " of " + bytes + " bytes through in " + (lane.nowMillis() - sentAt) + " ms");
                    }
                });
            });
        }
        for (long t = 0; t < 5_000; t++) {
            sim.runUntil(t);
            List<Link> activeUps = new ArrayList<>();
            List<Link> activeDowns = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < pipes.size(); i++) {
                if (pipes.get(i).bytesPerSecond() > 0) {
                    activeUps.add(ups.get(i));
                    activeDowns.add(downs.get(i));
                    rates.add(pipes.get(i).bytesPerSecond() / 1000);
                }
            }
            double[] expected = MaxMinReference.rates(activeUps, activeDowns);
            for (int f = 0; f < expected.length; f++) {
                assertEquals(expected[f], rates.get(f), expected[f] * 1e-7, "at " + t + " ms, flow " + f);
            }
        }
        sim.runUntil(60_000); // the slowest hosts' queues drain
        assertEquals(List.of(), wrong);
        assertTrue(pending.stream().allMatch(List::isEmpty), "every message not dropped with its pipe is through");
        assertTrue(through[0] > sent / 2, through[0] + " of " + sent + " through");
    }
}
