package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.Session;
import dev.p2p.cli.UserError;
import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.node.ShareBook;
import dev.p2p.cli.ui.Printer;
import dev.p2p.transfer.content.ShareLink;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "unshare", mixinStandardHelpOptions = true,
        description = {"Stop sharing a link or a path: the node no longer serves it or announces it in the DHT, and "
                + "forgets it across restarts. Records already in the DHT expire within an hour; peers that find "
                + "them are told the content is not shared here.",
                "Without a running node, only a path can be given: it is taken off the list the node serves when it starts."},
        footerHeading = "%nExamples:%n",
        footer = {"  p2p unshare ~/Videos/holiday.mp4", "  p2p unshare p2p://bafk..."})
public final class UnshareCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Parameters(index = "0", paramLabel = "LINK|PATH", description = "A link from `p2p share` or `p2p ls`, or a shared path.")
    String target;

    @Override
    public Integer call() throws Exception {
        ControlClient running = Session.runningNode(top);
        JsonNode view = running != null ? running.post("/v1/unshare", Map.of("target", target)) : offline();
        if (top.json()) {
            Printer.json(System.out, view);
        } else {
            for (JsonNode u : view.path("unshared")) {
                System.out.println("unshared " + u.path("path").asText()
                        + (u.hasNonNull("contentId") ? " (" + ShareLink.SCHEME + u.path("contentId").asText() + ")" : ""));
            }
        }
        return 0;
    }

    /** No node runs: the path comes off the shares the node serves when it starts. */
    private JsonNode offline() throws java.io.IOException {
        if (target.startsWith(ShareLink.SCHEME)) {
            throw new UserError(ExitCode.USAGE, "no node runs on " + top.dataDir() + " to look the link up: give the shared path "
                    + "instead (p2p ls lists them)");
        }
        Path abs = Path.of(target).toAbsolutePath().normalize();
        if (!new ShareBook(top.dataDir()).remove(abs)) {
            throw new UserError(ExitCode.USAGE, "not shared by this node: " + target + " (p2p ls lists what is)");
        }
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("path", abs.toString());
        one.put("contentId", null);
        return Printer.tree(Map.of("unshared", List.of(one)));
    }
}
