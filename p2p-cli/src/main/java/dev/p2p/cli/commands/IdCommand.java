package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.UserError;
import dev.p2p.cli.Session;
import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.ui.Printer;
import dev.p2p.dht.Identity;
import dev.p2p.dht.store.IdentityStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "id", mixinStandardHelpOptions = true,
        description = "Show this node's id and the address others can use as --bootstrap.",
        footerHeading = "%nExamples:%n", footer = {"  p2p id", "  p2p id --json | jq -r .nodeId"})
public final class IdCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Override
    public Integer call() throws Exception {
        ControlClient node = Session.runningNode(top);
        JsonNode view;
        if (node != null) {
            view = node.get("/v1/id");
        } else {
            Identity id;
            try {
                id = IdentityStore.loadOrCreate(top.dataDir());
            } catch (IdentityStore.DamagedIdentityException e) {
                throw new UserError(ExitCode.USAGE, e.getMessage());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("nodeId", id.nodeId().toHex());
            m.put("port", null);
            m.put("observedAddress", null);
            m.put("dataDir", top.dataDir().toString());
            view = Printer.tree(m);
        }
        if (top.json()) {
            Printer.json(System.out, view);
            return 0;
        }
        System.out.println("node id:   " + view.path("nodeId").asText());
        System.out.println("data dir:  " + view.path("dataDir").asText());
        if (view.path("port").isNull() || view.path("port").isMissingNode()) {
            System.out.println("node:      not running (start it with: p2p node)");
        } else {
            String seen = view.path("observedAddress").asText(null);
            System.out.println("port:      " + view.path("port").asInt() + " (UDP and TCP)");
            System.out.println("reachable: " + view.path("reachabilityReason").asText("unknown"));
            if (!view.path("relay").isNull() && !view.path("relay").isMissingNode()) {
                System.out.println("relay:     " + view.path("relay").asText() + " (peers reach this node through it)");
            }
            System.out.println("bootstrap: " + (seen != null && !view.path("observedAddress").isNull() ? seen
                    : "<this machine's address>:" + view.path("port").asInt()));
        }
        return 0;
    }
}
