package dev.p2p.dht;

import java.util.ArrayList;
import java.util.List;

/**
 * A lookup request's outcome held until its node proved its id ({@link Admission}): settled at
 * once for a node proven already, else when the IDENTIFY already in flight to it (sent for another
 * reason) settles; a node with neither proves itself inside its answer instead (flag PROVE,
 * {@link DhtNode#query}). An answer from a node that fails the proof counts as no answer: it
 * never becomes a lookup result.
 */
final class ProvenAnswer {
    private Boolean proven;
    private final List<Runnable> onProven = new ArrayList<>(1);
    private final List<Runnable> onRefused = new ArrayList<>(1);

    /** Starts the proof for {@code to}, settled at once when it is proven already (a contact of our table, say). */
    ProvenAnswer(Admission admission, Contact to) {
        admission.prove(to.id(), to.address(), this::settle);
    }

    /** Runs {@code ok} once the node proved its id, {@code refused} once it failed to; at once if known. */
    void then(Runnable ok, Runnable refused) {
        if (proven == null) {
            onProven.add(ok);
            onRefused.add(refused);
        } else if (proven) {
            ok.run();
        } else {
            refused.run();
        }
    }

    private void settle(boolean ok) {
        proven = ok;
        if (onProven.isEmpty()) {
            return; // settled at once, before anyone waited: the usual case for contacts of our table
        }
        List<Runnable> run = new ArrayList<>(ok ? onProven : onRefused);
        onProven.clear();
        onRefused.clear();
        run.forEach(Runnable::run);
    }
}
