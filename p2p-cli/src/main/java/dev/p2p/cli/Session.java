package dev.p2p.cli;

import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.dht.BootstrapResult;
import dev.p2p.transfer.content.ShareLink;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * What a command needs to reach the network: the running node of its data directory (through the
 * control API), or else a node of its own started in the foreground.
 */
public final class Session {
    private Session() {}

    /** The running node's control client, or null when no node runs on this data directory. */
    public static ControlClient runningNode(P2pCommand top) {
        Path dataDir = top.dataDir();
        Logs.setup(dataDir, top.verbose());
        try {
            return ControlClient.forRunningNode(dataDir);
        } catch (IOException e) {
            throw new UserError(ExitCode.CONTROL, "cannot read the control token in " + dataDir + ": " + e.getMessage());
        }
    }

    /**
     * The running node's control client; a {@link UserError} (exit 6) when none runs, whose message
     * ends with {@code hint} (what to start, and why it takes a running node).
     */
    public static ControlClient requireRunningNode(P2pCommand top, String hint) {
        ControlClient running = runningNode(top);
        if (running == null) {
            throw new UserError(ExitCode.CONTROL, "no node runs on " + top.dataDir() + ": " + hint);
        }
        return running;
    }

    /**
     * Starts a node of our own and joins the network through {@code bootstrapFlags} (or the config
     * file, or the contacts remembered in the data directory).
     */
    public static LocalNode foregroundNode(P2pCommand top, int port, List<String> bootstrapFlags, PrintStream err)
            throws IOException, InterruptedException {
        return foregroundNode(top, port, bootstrapFlags, null, err);
    }

    /**
     * As {@link #foregroundNode(P2pCommand, int, List, PrintStream)}; when neither the flags nor the
     * config file name a bootstrap peer, starts joining through {@code link}'s peers and the
     * remembered contacts together without waiting: the download dials the link's peers itself
     * meanwhile (a link is enough, docs/REACHABILITY.md).
     */
    public static LocalNode foregroundNode(P2pCommand top, int port, List<String> bootstrapFlags, ShareLink link, PrintStream err)
            throws IOException, InterruptedException {
        List<InetSocketAddress> seeds = top.bootstrap(bootstrapFlags);
        CliConfig config = top.config();
        LocalNode node = LocalNode.start(top.dataDir(), dev.p2p.node.NodeConfig.wildcard(), port, config.limits(),
                dev.p2p.dht.Reachability.Mode.AUTO, config.portMapping(), dev.p2p.node.policy.RelayLimits.DEFAULTS);
        try {
            if (seeds.isEmpty() && link != null && !link.peers().isEmpty()) {
                node.bootstrap(link).thenAccept(joined -> Logs.get(Session.class).info("through the link's peers: " + joined.describe()));
                return node;
            }
            BootstrapResult joined = node.bootstrap(seeds);
            if (!joined.succeeded()) {
                if (seeds.isEmpty() && joined.tried().isEmpty()) {
                    err.println("p2p: no bootstrap peer known: running alone (give one with --bootstrap host:port)");
                } else {
                    throw new UserError(ExitCode.NETWORK, joined.describe() + ": check the addresses and that those nodes run");
                }
            }
            Logs.get(Session.class).info(joined.describe());
            return node;
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
    }
}
