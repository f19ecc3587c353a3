package dev.p2p.sim.engine;

import java.util.Arrays;

/**
 * A binary min-heap of {@link ScheduledTask}s ordered by (time, sequence number). Written out
 * rather than using {@link java.util.PriorityQueue} because it is the simulator's hottest loop:
 * the keys sit in two primitive arrays beside the tasks, so sifting compares numbers in a few
 * cache lines and never touches a task object. A cancelled task stays until its time comes and
 * is then skipped: that costs a little heap space (request timeouts are short) and saves the
 * bookkeeping that removing it in place would need on every move.
 */
final class EventQueue {
    private ScheduledTask[] tasks = new ScheduledTask[1024];
    private long[] times = new long[1024];
    private long[] sequences = new long[1024];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The time of the first task; only when not empty. */
    long firstTime() {
        return times[0];
    }

    void add(ScheduledTask t) {
        if (size == tasks.length) {
            tasks = Arrays.copyOf(tasks, size * 2);
            times = Arrays.copyOf(times, size * 2);
            sequences = Arrays.copyOf(sequences, size * 2);
        }
        long time = t.timeMillis;
        long seq = t.sequence;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, seq, times[parent], sequences[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, t, time, seq);
    }

    ScheduledTask poll() {
        if (size == 0) {
            return null;
        }
        ScheduledTask first = tasks[0];
        int last = --size;
        ScheduledTask t = tasks[last];
        long time = times[last];
        long seq = sequences[last];
        tasks[last] = null;
        if (last > 0) {
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && before(times[right], sequences[right], times[child], sequences[child])) {
                    child = right;
                }
                if (!before(times[child], sequences[child], time, seq)) {
                    break;
                }
                move(child, i);
                i = child;
            }
            put(i, t, time, seq);
        }
        return first;
    }

    private static boolean before(long time, long seq, long otherTime, long otherSeq) {
        return time < otherTime || (time == otherTime && seq < otherSeq);
    }

    private void move(int from, int to) {
        tasks[to] = tasks[from];
        times[to] = times[from];
        sequences[to] = sequences[from];
    }

    private void put(int i, ScheduledTask t, long time, long seq) {
        tasks[i] = t;
        times[i] = time;
        sequences[i] = seq;
    }
}
