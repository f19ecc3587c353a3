package dev.p2p.sim.net;

import java.util.Arrays;

/**
 * The pipes with a message in flight, soonest due first (equal times in the order the pipes were
 * made): a binary min-heap that knows each pipe's place, so a pipe whose rate changed moves in
 * log time and the others are left alone.
 */
final class FinishHeap {
    private FlowModel.Pipe[] heap = new FlowModel.Pipe[64];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    FlowModel.Pipe top() {
        return heap[0];
    }

    /** Puts the pipe in, or moves it to where its present due time belongs. */
    void update(FlowModel.Pipe p) {
        int i = p.heapIndex;
        if (i < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, 2 * size);
            }
            i = size++;
            place(i, p);
        }
        if (!up(i)) {
            down(i);
        }
    }

    void remove(FlowModel.Pipe p) {
        int i = p.heapIndex;
        if (i < 0) {
            return;
        }
        p.heapIndex = -1;
        FlowModel.Pipe last = heap[--size];
        heap[size] = null;
        if (i < size) {
            place(i, last);
            if (!up(i)) {
                down(i);
            }
        }
    }

    /** Moves the entry at {@code i} towards the root while it comes first; answers whether it moved. */
    private boolean up(int i) {
        FlowModel.Pipe p = heap[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(p, heap[parent])) {
                break;
            }
            place(i, heap[parent]);
            i = parent;
        }
        place(i, p);
        return i != start;
    }

    private void down(int i) {
        FlowModel.Pipe p = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], p)) {
                break;
            }
            place(i, heap[child]);
            i = child;
        }
        place(i, p);
    }

    private static boolean before(FlowModel.Pipe a, FlowModel.Pipe b) {
        return a.dueMillis < b.dueMillis || a.dueMillis == b.dueMillis && a.id < b.id;
    }

    private void place(int i, FlowModel.Pipe p) {
        heap[i] = p;
        p.heapIndex = i;
    }
}
