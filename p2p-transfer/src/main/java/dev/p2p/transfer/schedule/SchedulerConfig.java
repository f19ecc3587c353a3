package dev.p2p.transfer.schedule;

/**
 * Tuning of {@link ChunkScheduler}, validated when made.
 *
 * @param minDepth requests kept in flight to a peer at least
 * @param maxDepth requests in flight to a peer at most (bounds what a peer can owe us)
 * @param initialDepth depth before a peer's rate is known
 * @param targetQueueNanos how much of a peer's measured rate to keep requested ahead
 * @param stallNanos a peer with requests outstanding and no chunk for this long loses them
 * @param strikesToBan failed chunks after which a peer is banned from the download
 * @param endgameDuplicates how many peers may be asked for the same chunk in the endgame
 */
public record SchedulerConfig(int minDepth, int maxDepth, int initialDepth, long targetQueueNanos,
        long stallNanos, int strikesToBan, int endgameDuplicates) {
    public static final SchedulerConfig DEFAULTS =
            new SchedulerConfig(2, 32, 4, 500_000_000L, 15_000_000_000L, 3, 2);

    public SchedulerConfig {
        if (minDepth < 1 || maxDepth < minDepth || initialDepth < minDepth || initialDepth > maxDepth) {
            throw new IllegalArgumentException("need 1 <= minDepth <= initialDepth <= maxDepth");
        }
        if (targetQueueNanos <= 0 || stallNanos <= 0 || strikesToBan < 1 || endgameDuplicates < 1) {
            throw new IllegalArgumentException("times, strikes and duplicates must be positive");
        }
    }
}
