package dev.p2p.sim.engine;

import java.util.Arrays;

/**
 * A binary min-heap of {@link ScheduledTask}s ordered by (time, sequence number). Written out
 * rather than using {@link java.util.PriorityQueue} because it is the simulator's hottest loop.
 */
final class EventQueue {
    private ScheduledTask[] heap = new ScheduledTask[1024];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    ScheduledTask peek() {
        return size == 0 ? null : heap[0];
    }

    void add(ScheduledTask t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            ScheduledTask p = heap[parent];
            if (!t.runsBefore(p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = t;
    }

    ScheduledTask poll() {
        if (size == 0) {
            return null;
        }
        ScheduledTask first = heap[0];
        ScheduledTask last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(last);
        }
        return first;
    }

    private void siftDown(ScheduledTask t) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            ScheduledTask c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].runsBefore(c)) {
                child = right;
                c = heap[child];
            }
            if (!c.runsBefore(t)) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = t;
    }
}
