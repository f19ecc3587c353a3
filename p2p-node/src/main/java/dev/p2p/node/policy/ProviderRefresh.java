package dev.p2p.node.policy;

/**
 * When a download asks the DHT for providers again. A swarm keeps changing while a download runs
 * (downloaders announce what they hold, seeds come and go), so a download keeps looking: the next
 * ask is {@link #FIRST_NANOS} after the last, doubling while asks find nobody new up to
 * {@link #MAX_NANOS}, and at most {@link #FEW_PEERS_NANOS} after the last while fewer than
 * {@link #FEW_PEERS} peers are connected. Decisions only, from the times the caller gives
 * (monotonic nanoseconds of its world).
 */
public final class ProviderRefresh {
    /** Wait after an ask that found someone new. */
    public static final long FIRST_NANOS = 5_000_000_000L;
    /** Longest wait between asks. */
    public static final long MAX_NANOS = 300_000_000_000L;
    /** Connected peers below which the download asks sooner. */
    public static final int FEW_PEERS = 4;
    /** Longest wait between asks while fewer than {@link #FEW_PEERS} peers are connected. */
    public static final long FEW_PEERS_NANOS = 10_000_000_000L;

    private long lastAskNanos;
    private long waitNanos = FIRST_NANOS;

    /** @param lastAskNanos when the search last asked the DHT */
    public ProviderRefresh(long lastAskNanos) {
        this.lastAskNanos = lastAskNanos;
    }

    /** Whether to ask now, with {@code connected} peers connected to the download. */
    public boolean due(long now, int connected) {
        long wait = connected < FEW_PEERS ? Math.min(waitNanos, FEW_PEERS_NANOS) : waitNanos;
        return now - lastAskNanos >= wait;
    }

    /** An ask started at {@code now}. */
    public void asked(long now) {
        lastAskNanos = now;
    }

    /** An ask's answer came: it named someone new, or not (the next waits twice as long). */
    public void answered(boolean foundNew) {
        waitNanos = foundNew ? FIRST_NANOS : Math.min(MAX_NANOS, 2 * waitNanos);
    }
}
