package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.Session;
import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.ui.Printer;
import dev.p2p.cli.ui.ProgressBar;
import dev.p2p.cli.node.ShareBook;
import dev.p2p.dht.store.StateFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "List what this node shares and downloads, with their state.",
        footerHeading = "%nExamples:%n", footer = {"  p2p ls", "  p2p ls --json | jq -r '.shares[].link'"})
public final class LsCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Override
    public Integer call() throws Exception {
        ControlClient running = Session.runningNode(top);
        JsonNode view = running != null ? running.get("/v1/ls") : offline(top.dataDir());
        if (top.json()) {
            Printer.json(System.out, view);
            return 0;
        }
        if (running == null) {
            System.out.println("node not running (start it with: p2p node); shares remembered:");
        }
        for (JsonNode s : view.path("shares")) {
            System.out.println("share  " + s.path("state").asText() + "  " + s.path("path").asText()
                    + (s.has("size") ? "  " + ProgressBar.bytes(s.path("size").asLong()) : "")
                    + (s.has("uploadedBytes") ? "  uploaded " + ProgressBar.bytes(s.path("uploadedBytes").asLong()) : ""));
            if (s.hasNonNull("link")) {
                System.out.println("       " + s.path("link").asText());
            }
        }
        for (JsonNode d : view.path("downloads")) {
            System.out.println("get    " + d.path("state").asText() + "  " + ProgressBar.bytes(d.path("verifiedBytes").asLong()) + "/"
                    + ProgressBar.bytes(d.path("totalBytes").asLong()) + "  " + d.path("link").asText()
                    + (d.hasNonNull("error") ? "  (" + d.path("error").asText() + ")" : "")
                    + (d.hasNonNull("shareError") ? "  (not shared: " + d.path("shareError").asText() + ")" : ""));
        }
        if (view.path("shares").isEmpty() && view.path("downloads").isEmpty()) {
            System.out.println("nothing shared or downloading");
        }
        return 0;
    }

    /** Without a node: the remembered shares, not served right now. */
    private static JsonNode offline(Path dataDir) {
        List<Map<String, Object>> shares = new ArrayList<>();
        StateFiles.Lines book = ShareBook.peek(dataDir);
        if (book.damage() != null) {
            System.err.println("p2p: warning: " + dataDir.resolve(ShareBook.FILE_NAME) + " is damaged (" + book.damage()
                    + "); the node sets it aside when it starts, keeping the shares listed here");
        }
        for (String line : book.lines()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", line.trim());
            m.put("state", "not served (node not running)");
            shares.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("shares", shares);
        out.put("downloads", List.of());
        return Printer.tree(out);
    }
}
