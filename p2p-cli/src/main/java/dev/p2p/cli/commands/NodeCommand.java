package dev.p2p.cli.commands;

import dev.p2p.cli.CliConfig;
import dev.p2p.cli.DurationArg;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.HostPort;
import dev.p2p.cli.LimitOptions;
import dev.p2p.cli.RelayOptions;
import dev.p2p.cli.RateArg;
import dev.p2p.cli.Logs;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.UserError;
import dev.p2p.cli.control.ControlFiles;
import dev.p2p.cli.control.ControlServer;
import dev.p2p.cli.control.MetricsServer;
import dev.p2p.cli.node.DownloadQueue;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.cli.ui.ProgressBar;
import dev.p2p.dht.BootstrapResult;
import dev.p2p.dht.Reachability;
import dev.p2p.node.NodeConfig;
import dev.p2p.transfer.session.TransferLimits;
import dev.p2p.transfer.content.IndexProgress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run a long-lived node: DHT on UDP and transfers on TCP, both on --port.",
                "It keeps serving what was shared, remembers peers and shares across restarts, and stops cleanly "
                        + "on Ctrl-C or SIGTERM. Other commands with the same --data-dir talk to it."},
        footerHeading = "%nExamples:%n",
        footer = {"  p2p node                                   first node of a network (others bootstrap from it)",
                "  p2p node --port 0 --bootstrap 192.0.2.7:24100",
                "  p2p node --upload-rate 2M --download-rate 20M --max-peers 32",
                "  p2p node --relay-circuits 8 --relay-rate 2M   relay more for peers behind NAT (--relay off: none)",
                "  p2p --data-dir /srv/p2p node --port 24100"})
public final class NodeCommand implements Callable<Integer> {
    public static final int DEFAULT_PORT = 24100;

    @ParentCommand
    P2pCommand top;

    @Option(names = "--port", paramLabel = "P", description = "UDP and TCP port (0 = any free port; default: config, else " + DEFAULT_PORT + ").")
    Integer port;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "A peer to join through (repeatable; default: config file, else remembered contacts).")
    List<String> bootstrap;

    @Option(names = "--reachability", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (default): decide from evidence whether peers can dial this node, and run as a client "
                    + "while they cannot; public: the port is open or forwarded; private: never serve the DHT. "
                    + "See docs/REACHABILITY.md.")
    String reachability;

    @Option(names = "--port-mapping", paramLabel = "on|off",
            description = "on (default: config key port-mapping, else on): ask the router in front of this host to forward "
                    + "the port (UPnP IGD, NAT-PMP, PCP), renew the lease and remove it on stop; a granted mapping makes "
                    + "the node public. off: never ask. See docs/REACHABILITY.md.")
    String portMapping;

    @Mixin
    LimitOptions limits;

    @Option(names = "--rescan", paramLabel = "DURATION", converter = DurationArg.class,
            description = "How often to look for files added to, changed in or removed from the shares, and serve what "
                    + "changed under its new link (default: 30s; 0 never). Unchanged files are not read again.")
    Duration rescan = Duration.ofSeconds(30);

    @Mixin
    RelayOptions relay;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Also serve /metrics (Prometheus text format) on this address, read-only and without the control "
                    + "token, for a scraper: 0.0.0.0:9464 for every interface. The control API stays on loopback.")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        Path dataDir = top.dataDir();
        Logs.setup(dataDir, top.verbose());
        if (ControlFiles.controlPort(dataDir) >= 0) {
            throw new UserError(ExitCode.USAGE, "a node already runs on " + dataDir + "; stop it first, or use another --data-dir");
        }
        List<InetSocketAddress> seeds = top.bootstrap(bootstrap);
        int p = port != null ? port : top.config().port() != null ? top.config().port() : DEFAULT_PORT;
        if (p < 0 || p > 65535) {
            throw new UserError(ExitCode.USAGE, "--port must be 0-65535");
        }
        Reachability.Mode mode;
        try {
            mode = Reachability.Mode.valueOf(reachability.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "--reachability must be auto, public or private");
        }
        boolean mapPort = portMapping != null ? CliConfig.onOff("--port-mapping", portMapping) : top.config().portMapping();
        InetSocketAddress metricsAddress = metricsListen == null ? null : HostPort.parse(metricsListen);
        LocalNode node = LocalNode.start(dataDir, NodeConfig.wildcard(), p, limits.over(top.config().limits()), mode,
                mapPort, relay.limits());
        DownloadQueue downloads = new DownloadQueue(node);
        MetricsServer metrics;
        ControlServer control;
        try {
            metrics = metricsAddress == null ? null : metricsServer(node, metricsAddress);
            control = new ControlServer(node, downloads, ControlFiles.tokenFor(dataDir), InetAddress.getLoopbackAddress());
            ControlFiles.writeNodeInfo(dataDir, control.port(), node.port(), node.identity().nodeId().toHex());
        } catch (RuntimeException | java.io.IOException e) {
            node.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.close();
            if (metrics != null) {
                metrics.close();
            }
            downloads.close();
            node.close();
            ControlFiles.removeNodeInfo(dataDir);
            System.err.println("p2p: node stopped");
            stopped.countDown();
        }, "p2p-shutdown"));

        System.out.println("node " + node.identity().nodeId().toHex());
        System.out.println("listening on port " + node.port() + " (UDP and TCP, " + node.families() + ")");
        TransferLimits.Settings l = node.limits();
        System.out.println("limits: upload " + RateArg.describe(l.uploadBytesPerSecond()) + ", download "
                + RateArg.describe(l.downloadBytesPerSecond()) + ", " + l.maxPeers() + " peers served at once");
        if (metrics != null) {
            System.out.println("metrics on http://" + metricsListen.trim() + "/metrics (read-only, no token)");
        }
        System.out.println("control API on 127.0.0.1:" + control.port() + " (token in " + dataDir.resolve(ControlFiles.TOKEN_FILE) + ")");
        System.out.flush();
        BootstrapResult joined = node.bootstrap(seeds);
        System.out.println(joined.tried().isEmpty() ? "no bootstrap peers: waiting for others to join through this node"
                : joined.describe());
        List<Path> gone = node.restoreShares(IndexProgress.NONE);
        System.out.println("serving " + node.shares().size() + " shares" + (gone.isEmpty() ? "" : "; gone from disk: " + gone));
        long[] hashed = node.hashCounts();
        if (hashed[0] + hashed[1] > 0) {
            System.out.println("hashed " + ProgressBar.bytes(hashed[0]) + " of shared files; " + ProgressBar.bytes(hashed[1])
                    + " unchanged since last hashed (hash cache)");
        }
        if (!rescan.isZero()) {
            node.rescanEvery(rescan.toMillis(), line -> {
                System.out.println(line);
                System.out.flush();
            });
        }
        int resumed = downloads.resumeRemembered();
        if (resumed > 0) {
            System.out.println("resuming " + resumed + " downloads (p2p downloads lists them)");
        }
        System.out.println("reachability: " + node.reachability().getValue());
        System.out.println("ready; Ctrl-C stops the node");
        System.out.flush();
        if (mapPort) {
            node.portMappingOutcome().thenAccept(line -> {
                System.out.println("port mapping: " + line);
                System.out.flush();
            });
        }
        stopped.await();
        return ExitCode.OK;
    }

    private static MetricsServer metricsServer(LocalNode node, InetSocketAddress address) throws java.io.IOException {
        try {
            return new MetricsServer(node.metrics(), address);
        } catch (java.net.BindException e) {
            throw new UserError(ExitCode.NETWORK, "cannot serve metrics on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + e.getMessage() + " (choose another --metrics-listen address)");
        }
    }
}
