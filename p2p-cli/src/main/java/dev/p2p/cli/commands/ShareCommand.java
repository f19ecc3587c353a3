package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.Session;
import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.control.Views;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.cli.ui.Printer;
import dev.p2p.cli.ui.ProgressBar;
import dev.p2p.transfer.content.SharedContent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "share", mixinStandardHelpOptions = true,
        description = {"Share a file or directory: hash it, announce it in the DHT and print a link (the last line).",
                "With a node running on the data directory, the node serves it. Otherwise this command runs a node "
                        + "itself and serves until Ctrl-C."},
        footerHeading = "%nExamples:%n",
        footer = {"  p2p share ./holiday.mp4", "  p2p share ~/datasets/run-42 --bootstrap 192.0.2.7:24100",
                "  link=$(p2p share notes.pdf | tail -n 1)   # with a running node"})
public final class ShareCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Parameters(index = "0", paramLabel = "PATH", description = "The file or directory to share.")
    Path path;

    @Option(names = "--port", paramLabel = "P", description = "Port of the node this command runs when none is running (default: any free port).")
    int port;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "A peer to join through when no node runs (repeatable).")
    List<String> bootstrap;

    @Override
    public Integer call() throws Exception {
        Path abs = LocalNode.checkShareable(path);
        ControlClient running = Session.runningNode(top);
        if (running != null) {
            print(running.post("/v1/share", Map.of("path", abs.toString())));
            return 0;
        }
        LocalNode node = Session.foregroundNode(top, port, bootstrap, System.err);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "p2p-shutdown"));
        ProgressBar bar = new ProgressBar(System.err, "hashing", System.console() != null);
        SharedContent content = node.share(abs, (done, total) -> bar.update(done, total, -1));
        bar.finish();
        System.err.println("serving " + abs + " from port " + node.port() + " until Ctrl-C");
        print(Printer.tree(Views.share(node, abs, content)));
        stopped.await();
        return 0;
    }

    private void print(JsonNode view) {
        if (top.json()) {
            Printer.json(System.out, view);
        } else {
            if (!view.path("announced").asBoolean(true)) {
                System.err.println("p2p: not announced yet: no peer has answered this node (it is announced once one does); meanwhile "
                        + "the link alone reaches it from this network (docs/REACHABILITY.md)");
            }
            System.out.println("shared " + view.path("path").asText() + " (" + ProgressBar.bytes(view.path("size").asLong()) + ")");
            System.out.println(view.path("link").asText());
        }
        System.out.flush();
    }
}
