package dev.p2p.cli;

import dev.p2p.transfer.session.TransferLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The limit flags of `p2p node` and `p2p limits`: each overrides its config key when given. */
public final class LimitOptions {
    @Option(names = "--upload-rate", paramLabel = "RATE", converter = RateArg.class,
            description = "Total upload rate per second: 512K, 20M, 1G (1024-based), 0 for no limit (default: config key "
                    + "upload-rate, else none).")
    Long uploadRate;

    @Option(names = "--download-rate", paramLabel = "RATE", converter = RateArg.class,
            description = "Total download rate per second, as --upload-rate (default: config key download-rate, else none).")
    Long downloadRate;

    @Option(names = "--max-peers", paramLabel = "N",
            description = "Peers served at once; more are told the node is busy (default: config key max-peers, else 64).")
    Integer maxPeers;

    /** The limits given, as the body of the control API's {@code POST /v1/limits} (empty when none). */
    public Map<String, Object> changes() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (maxPeers != null) {
            m.put("maxPeers", checkedPeers(maxPeers));
        }
        if (uploadRate != null) {
            m.put("uploadRate", uploadRate);
        }
        if (downloadRate != null) {
            m.put("downloadRate", downloadRate);
        }
        return m;
    }

    /** {@code base} with the limits these flags give in place of its own. */
    public TransferLimits.Settings over(TransferLimits.Settings base) {
        return new TransferLimits.Settings(checkedPeers(maxPeers != null ? maxPeers : base.maxPeers()),
                uploadRate != null ? uploadRate : base.uploadBytesPerSecond(),
                downloadRate != null ? downloadRate : base.downloadBytesPerSecond());
    }

    private static int checkedPeers(int peers) {
        if (peers < 1 || peers > CliConfig.MAX_PEERS_LIMIT) {
            throw new UserError(ExitCode.USAGE, "--max-peers must be 1-" + CliConfig.MAX_PEERS_LIMIT);
        }
        return peers;
    }
}
