package dev.p2p.cli;

import dev.p2p.node.policy.RelayLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The relay flags of `p2p node`: whether it relays for peers behind NAT, and within which limits (docs/REACHABILITY.md). */
public final class RelayOptions {
    @Option(names = "--relay", paramLabel = "on|off", defaultValue = "on",
            description = "Relay bytes between peers that cannot reach each other otherwise (a symmetric NAT), while this "
                    + "node is public: on (default) or off.")
    String relay;

    @Option(names = "--relay-circuits", paramLabel = "N", description = "Circuits relayed at once, at most half of them for one "
            + "requester's address; more are refused (default: 4).")
    Integer circuits;

    @Option(names = "--relay-rate", paramLabel = "RATE", converter = RateArg.class,
            description = "Bytes per second each circuit carries, as --upload-rate (default: 1M).")
    Long rate;

    @Option(names = "--relay-bytes", paramLabel = "SIZE", converter = RateArg.class,
            description = "Bytes a circuit carries before it is closed: 512K, 64M, 1G (default: 64M).")
    Long bytes;

    @Option(names = "--relay-time", paramLabel = "DURATION", converter = DurationArg.class,
            description = "How long a circuit may stay open (default: 10m).")
    Duration time;

    /** The limits these flags give. */
    public RelayLimits limits() {
        if (!relay.equals("on") && !relay.equals("off")) {
            throw new UserError(ExitCode.USAGE, "--relay must be on or off");
        }
        if (relay.equals("off")) {
            return RelayLimits.OFF;
        }
        RelayLimits d = RelayLimits.DEFAULTS;
        try {
            return new RelayLimits(circuits != null ? circuits : d.maxCircuits(), bytes != null ? bytes : d.maxBytesPerCircuit(),
                    time != null ? time.toMillis() : d.maxCircuitMillis(), rate != null ? rate : d.rateBytesPerSecond(),
                    d.pendingMillis());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "relay limits: " + e.getMessage() + " (--relay off relays nothing)");
        }
    }
}
