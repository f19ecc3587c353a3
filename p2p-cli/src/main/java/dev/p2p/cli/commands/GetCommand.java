package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.DurationArg;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.Session;
import dev.p2p.cli.UserError;
import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.control.Views;
import dev.p2p.cli.node.DownloadState;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.cli.ui.Printer;
import dev.p2p.cli.ui.ProgressBar;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Fetch what a link names: find providers through the DHT, download from several at once, "
                + "verify every chunk. Exits 0 only when the content is complete and verified.",
                "An interrupted download resumes where it stopped when run again."},
        footerHeading = "%nExamples:%n",
        footer = {"  p2p get p2p://bafk... -o ~/Downloads", "  p2p get \"$link\" -o out --bootstrap 192.0.2.7:24100 --timeout 2m",
                "  p2p get \"$link\" --include '*.flac' --include 'covers/**'   some files of a shared directory",
                "  p2p get \"$link\" --detach                    a running node fetches it; p2p downloads follows it"})
public final class GetCommand implements Callable<Integer> {
    /** How often the progress bar hears from a running node. */
    private static final long PROGRESS_MILLIS = 250;

    @ParentCommand
    P2pCommand top;

    @Parameters(index = "0", paramLabel = "LINK", description = "A p2p:// link from `p2p share`.")
    String link;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Directory to put the content in (default: current directory).")
    Path output = Path.of(".");

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationArg.class,
            description = "How long to search for providers before giving up (default: 60s).")
    Duration timeout = Duration.ofSeconds(60);

    @Option(names = "--no-share", description = "Through a running node: do not keep sharing the content once downloaded "
            + "(by default the node serves it and announces it in the DHT, as `p2p share` would).")
    boolean noShare;

    @Option(names = "--detach", description = "Through a running node: return at once with the download's id (p2p downloads "
            + "follows it). Otherwise Ctrl-C asks, in a terminal, whether to cancel the download or leave it running in the "
            + "node; without a terminal it cancels it.")
    boolean detach;

    @Option(names = "--include", paramLabel = "GLOB", description = "Fetch only the files of a shared directory that match "
            + "(repeatable): '*.jpg' matches a name at any depth, 'photos/**' a subtree, '*' and '?' stay within one "
            + "directory level. Each file is verified and appears under the directory's name once complete.")
    List<String> include;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "A peer to join through when no node runs (repeatable; "
            + "default: the config file's, else the link's peers and the contacts this data directory remembers).")
    List<String> bootstrap;

    @Option(names = "--port", paramLabel = "P", description = "Port of the node this command runs when none is running (default: any free port).")
    int port;

    @Override
    public Integer call() throws Exception {
        ShareLink parsed;
        try {
            parsed = ShareLink.parse(link.trim());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "malformed link '" + abbreviate(link) + "': " + e.getMessage());
        }
        selection(); // a bad glob is refused before anything starts
        Path out = output.toAbsolutePath().normalize();
        ProgressBar bar = new ProgressBar(System.err, "fetching", System.console() != null);
        ControlClient running = Session.runningNode(top);
        if (detach) {
            if (running == null) {
                throw new UserError(ExitCode.USAGE, "--detach hands the download to a running node, and none runs on " + top.dataDir()
                        + " (start one with p2p node)");
            }
            JsonNode started = start(running, out);
            if (top.json()) {
                Printer.json(System.out, started);
            } else {
                System.out.println("download " + started.path("id").asText() + " started: p2p downloads follows it");
            }
            return 0;
        }
        JsonNode result = running != null ? viaNode(running, out, bar) : foreground(parsed, out, bar);
        bar.finish();
        if (top.json()) {
            Printer.json(System.out, result);
        } else {
            System.out.println("done: " + result.path("path").asText() + " (" + ProgressBar.bytes(result.path("totalBytes").asLong())
                    + ", every chunk verified)");
        }
        return 0;
    }

    private Selection selection() {
        try {
            return Selection.of(include == null ? List.of() : include);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage());
        }
    }

    private JsonNode foreground(ShareLink parsed, Path out, ProgressBar bar) throws Exception {
        try (LocalNode node = Session.foregroundNode(top, port, bootstrap, parsed, System.err)) {
            DownloadState state = node.track(link, out, selection());
            DownloadResult r = node.get(parsed, out, timeout, state, new DownloadListener() {
                @Override
                public void onProgress(long verifiedBytes, long totalBytes, int peers) {
                    bar.update(verifiedBytes, totalBytes, peers);
                }
            });
            Map<String, Object> view = new LinkedHashMap<>(Views.download(state));
            view.put("resumedBytes", r.resumedBytes());
            view.put("receivedBytes", r.receivedBytes());
            view.put("peersUsed", r.verifiedBytesByPeer().size());
            view.put("seconds", r.elapsedNanos() / 1e9);
            return Printer.tree(view);
        }
    }

    private JsonNode start(ControlClient node, Path out) {
        return node.post("/v1/get", Map.of("link", link.trim(), "out", out.toString(), "timeoutSeconds", timeout.toSeconds(),
                "share", !noShare, "include", selection().globs()));
    }

    private JsonNode viaNode(ControlClient node, Path out, ProgressBar bar) throws InterruptedException {
        String id = start(node, out).path("id").asText();
        Thread interrupted = new Thread(() -> onInterrupt(node, id, bar), "p2p-get-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            return follow(node, id, bar);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs
            }
        }
    }

    /**
     * Ctrl-C (or SIGTERM) while following a download in the node: in a terminal, ask whether to
     * cancel it or leave it running; without one, cancel it (its verified chunks stay).
     */
    private static void onInterrupt(ControlClient node, String id, ProgressBar bar) {
        bar.finish();
        Console console = System.console();
        if (console != null) {
            String answer = console.readLine("%nCancel download %s, or leave it running in the node? [c = cancel, Enter = leave] ", id);
            if (answer == null || !answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("c")) {
                System.err.println("p2p: download " + id + " goes on in the node (p2p downloads follows it, p2p cancel " + id
                        + " stops it)");
                return;
            }
        }
        try {
            node.post("/v1/downloads/" + id + "/cancel", Map.of());
            System.err.println("p2p: interrupted: download " + id + " cancelled (verified chunks are kept: p2p get resumes it)");
        } catch (UserError e) {
            System.err.println("p2p: interrupted; download " + id + " may go on in the node: " + e.getMessage());
        }
    }

    private JsonNode follow(ControlClient node, String id, ProgressBar bar) throws InterruptedException {
        while (true) {
            JsonNode s;
            try {
                // The node answers once the download's state changes, else after PROGRESS_MILLIS for the bar.
                s = node.get("/v1/downloads/" + id + "?wait=" + PROGRESS_MILLIS);
            } catch (UserError e) {
                if (e.exitCode() == ExitCode.USAGE) { // no such download: cancelled meanwhile
                    throw new UserError(ExitCode.TRANSFER, "download " + id + " was cancelled");
                }
                throw e;
            }
            String state = s.path("state").asText();
            if (state.equals("done")) {
                if (s.hasNonNull("shareError")) {
                    // The content is complete and verified, so the exit stays 0; the user should still hear it.
                    bar.finish();
                    System.err.println("warning: downloaded, but the node does not share it: " + s.path("shareError").asText()
                            + " (fix that, then: p2p share " + s.path("path").asText() + ")");
                }
                return s;
            }
            if (state.equals("paused")) {
                throw new UserError(ExitCode.TRANSFER, "download " + id + " was paused (p2p resume " + id + " goes on)");
            }
            if (state.equals("failed")) {
                throw new UserError(s.path("exitCode").asInt(ExitCode.TRANSFER), s.path("error").asText());
            }
            if (state.equals("downloading")) {
                bar.update(s.path("verifiedBytes").asLong(), s.path("totalBytes").asLong(), s.path("peers").asInt());
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
