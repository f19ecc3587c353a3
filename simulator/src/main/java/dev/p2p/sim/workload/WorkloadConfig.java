package dev.p2p.sim.workload;

/**
 * What the peers do while the simulator watches.
 *
 * @param lookupsPerPeerPerMinute node lookups each online peer starts per minute (on average)
 * @param onlineTargetShare share of lookups aimed at an online peer's own id; the rest aim at
 *     random ids
 * @param initialContent items published by random peers when the warm-up ends
 * @param publishesPerMinute further items published per minute, network-wide
 * @param findsPerMinute provider searches per minute, network-wide, for items whose publisher is up
 * @param providersWanted a provider search stops once it has found this many providers (the
 *     CLI's downloader asks for 16)
 */
public record WorkloadConfig(
        double lookupsPerPeerPerMinute,
        double onlineTargetShare,
        int initialContent,
        double publishesPerMinute,
        double findsPerMinute,
        int providersWanted) {

    public WorkloadConfig {
        if (lookupsPerPeerPerMinute < 0 || publishesPerMinute < 0 || findsPerMinute < 0 || initialContent < 0
                || providersWanted < 1) {
            throw new IllegalArgumentException("workload rates and counts must be >= 0");
        }
        if (!(onlineTargetShare >= 0 && onlineTargetShare <= 1)) {
            throw new IllegalArgumentException("onlineTargetShare must be in [0, 1], got " + onlineTargetShare);
        }
    }

    public static WorkloadConfig defaults() {
        return new WorkloadConfig(1, 0, 0, 0, 0, 1);
    }
}
