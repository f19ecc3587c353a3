package dev.p2p.transfer.session;

import dev.p2p.dht.Cancellable;

/** One state machine's deadline, armed in its world: rearmed only when the machine wants it earlier. */
final class MachineTimer {
    private long armedFor = Long.MAX_VALUE;
    private Cancellable armed;

    /** Arms {@code fire} for {@code deadline} unless armed for as early already; {@link Long#MAX_VALUE} arms nothing. */
    void rearm(TransferWorld world, long deadline, Runnable fire) {
        if (deadline >= armedFor) {
            return;
        }
        if (armed != null) {
            armed.cancel();
        }
        armedFor = deadline;
        armed = world.schedule(Math.max(0, deadline - world.nanoTime()), () -> {
            armedFor = Long.MAX_VALUE;
            armed = null;
            fire.run();
        });
    }

    void cancel() {
        if (armed != null) {
            armed.cancel();
            armed = null;
        }
        armedFor = Long.MAX_VALUE;
    }
}
