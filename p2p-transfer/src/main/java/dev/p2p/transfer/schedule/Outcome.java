package dev.p2p.transfer.schedule;

import dev.p2p.dht.NodeId;
import java.util.List;

/** What to do after a chunk arrived, as decided by {@link ChunkScheduler}. */
public sealed interface Outcome {
    /** Keep it: write it and mark it verified; cancel the duplicate requests listed. */
    record Accept(List<Cancel> cancels) implements Outcome {}

    /** Already have it (an endgame duplicate or late answer): drop it. */
    record Drop() implements Outcome {}

    /** It failed verification: drop it; {@code banned} tells whether its sender is now banned. */
    record Reject(boolean banned) implements Outcome {}

    /** A request of {@code chunk} to {@code peer} that is no longer needed. */
    record Cancel(NodeId peer, int chunk) {}
}
