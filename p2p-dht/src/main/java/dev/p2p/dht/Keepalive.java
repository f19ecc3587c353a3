package dev.p2p.dht;

/**
 * While the node is a client (CLIENT_ONLY, most likely behind NAT), pings its bootstrap seeds every
 * {@link #PERIOD_MILLIS}: that keeps its NAT's mapping towards them open, which is where a seed
 * relays hole-punch notices to it ({@link PunchRelay}). UDP mappings of home routers commonly
 * expire after 30 s of silence. A public node runs no such timer.
 */
final class Keepalive {
    static final long PERIOD_MILLIS = 10_000;

    private final Environment env;
    private final Runnable pingSeeds;
    private final Runnable onTick = this::tick;
    private Cancellable timer;

    Keepalive(Environment env, Runnable pingSeeds) {
        this.env = env;
        this.pingSeeds = pingSeeds;
    }

    /** Runs the timer while {@code on}. */
    void set(boolean on) {
        if (on && timer == null) {
            timer = env.schedule(PERIOD_MILLIS, onTick);
        } else if (!on && timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void tick() {
        timer = env.schedule(PERIOD_MILLIS, onTick);
        pingSeeds.run();
    }
}
