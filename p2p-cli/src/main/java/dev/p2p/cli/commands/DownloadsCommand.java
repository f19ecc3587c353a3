package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.Session;
import dev.p2p.cli.ui.Printer;
import dev.p2p.cli.ui.ProgressBar;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "downloads", mixinStandardHelpOptions = true,
        description = "List the running node's downloads: id, state, progress, rate, peers and name. Unfinished ones "
                + "resume by themselves when the node restarts.",
        footerHeading = "%nExamples:%n",
        footer = {"  p2p downloads", "  p2p downloads --json | jq -r '.downloads[] | select(.state == \"failed\") | .id'"})
public final class DownloadsCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Override
    public Integer call() throws Exception {
        JsonNode view = Session.requireRunningNode(top, "start one with p2p node (downloads are a running node's)").get("/v1/downloads");
        if (top.json()) {
            Printer.json(System.out, view);
            return 0;
        }
        if (view.path("downloads").isEmpty()) {
            System.out.println("no downloads");
            return 0;
        }
        System.out.printf("%-4s %-11s %-21s %-12s %-5s %s%n", "ID", "STATE", "PROGRESS", "RATE", "PEERS", "NAME");
        for (JsonNode d : view.path("downloads")) {
            System.out.println(line(d));
        }
        return 0;
    }

    /** One download as a table row (also what pause, resume and cancel print). */
    static String line(JsonNode d) {
        long total = d.path("totalBytes").asLong();
        String progress = ProgressBar.bytes(d.path("verifiedBytes").asLong()) + "/" + (total > 0 ? ProgressBar.bytes(total) : "?");
        String name = d.hasNonNull("name") ? d.path("name").asText() : d.path("link").asText();
        return String.format("%-4s %-11s %-21s %-12s %-5d %s", d.path("id").asText(), d.path("state").asText(), progress,
                ProgressBar.bytes(d.path("rateBytesPerSecond").asLong()) + "/s", d.path("peers").asInt(), name)
                + (d.hasNonNull("error") ? "  (" + d.path("error").asText() + ")" : "");
    }
}
