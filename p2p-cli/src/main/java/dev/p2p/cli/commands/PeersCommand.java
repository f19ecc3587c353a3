package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.Session;
import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.control.Views;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.cli.ui.Printer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "Show the routing table: the peers this node knows, by distance bucket.",
        footerHeading = "%nExamples:%n", footer = {"  p2p peers", "  p2p peers --json | jq .size"})
public final class PeersCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Join through this peer when no node runs (repeatable).")
    List<String> bootstrap;

    @Override
    public Integer call() throws Exception {
        ControlClient running = Session.runningNode(top);
        JsonNode view;
        if (running != null) {
            view = running.get("/v1/peers");
        } else {
            try (LocalNode node = Session.foregroundNode(top, 0, bootstrap, System.err)) {
                view = Printer.tree(Views.peers(node));
            }
        }
        if (top.json()) {
            Printer.json(System.out, view);
            return 0;
        }
        int[] perBucket = new int[256];
        for (JsonNode c : view.path("contacts")) {
            perBucket[c.path("bucket").asInt()]++;
        }
        System.out.println(view.path("size").asInt() + " peers in the routing table");
        for (int b = 255; b >= 0; b--) {
            if (perBucket[b] > 0) {
                System.out.printf("  bucket %3d: %2d %s%n", b, perBucket[b], "#".repeat(perBucket[b]));
            }
        }
        for (JsonNode c : view.path("contacts")) {
            System.out.println("  " + c.path("nodeId").asText().substring(0, 16) + "  " + c.path("address").asText());
        }
        return 0;
    }
}
