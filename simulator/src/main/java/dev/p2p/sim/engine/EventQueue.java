package dev.p2p.sim.engine;

import java.util.Arrays;

/**
 * A binary min-heap of {@link ScheduledTask}s ordered by (time, sequence number). Written out
 * rather than using {@link java.util.PriorityQueue} because it is the simulator's hottest loop.
 * Each task knows its slot, so a cancelled timer leaves the heap at once: nearly every request
 * sets a timeout that its answer cancels, and leaving those in place made the heap several times
 * larger than the events still to run.
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
        siftUp(size++, t);
    }

    ScheduledTask poll() {
        if (size == 0) {
            return null;
        }
        ScheduledTask first = heap[0];
        removeAt(0);
        return first;
    }

    /** Takes {@code t} out of the queue; nothing happens when it is not queued. */
    void remove(ScheduledTask t) {
        int i = t.heapIndex;
        if (i >= 0 && i < size && heap[i] == t) {
            removeAt(i);
        }
    }

    private void removeAt(int i) {
        ScheduledTask removed = heap[i];
        removed.heapIndex = -1;
        ScheduledTask last = heap[--size];
        heap[size] = null;
        if (i == size) {
            return;
        }
        siftDown(i, last);
        if (heap[i] == last) {
            siftUp(i, last);
        }
    }

    private void siftUp(int i, ScheduledTask t) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            ScheduledTask p = heap[parent];
            if (!t.runsBefore(p)) {
                break;
            }
            place(i, p);
            i = parent;
        }
        place(i, t);
    }

    private void siftDown(int i, ScheduledTask t) {
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
            place(i, c);
            i = child;
        }
        place(i, t);
    }

    private void place(int i, ScheduledTask t) {
        heap[i] = t;
        t.heapIndex = i;
    }
}
