package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.LimitOptions;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.RateArg;
import dev.p2p.cli.Session;
import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.ui.Printer;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "limits", mixinStandardHelpOptions = true,
        description = {"Show the running node's limits, or change them: the new limits hold at once, for transfers under "
                + "way too, until the node stops (for good: the config keys upload-rate, download-rate, max-peers)."},
        footerHeading = "%nExamples:%n",
        footer = {"  p2p limits", "  p2p limits --upload-rate 512K --download-rate 20M", "  p2p limits --max-peers 16",
                "  p2p limits --download-rate 0                   no download limit"})
public final class LimitsCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Mixin
    LimitOptions limits;

    @Override
    public Integer call() throws Exception {
        ControlClient running = Session.requireRunningNode(top, "start one with p2p node "
                + "(its flags --upload-rate, --download-rate, --max-peers set the limits it starts with)");
        Map<String, Object> changes = limits.changes();
        JsonNode now = changes.isEmpty() ? running.get("/v1/limits") : running.post("/v1/limits", changes);
        if (top.json()) {
            Printer.json(System.out, now);
        } else {
            System.out.println("upload    " + RateArg.describe(now.path("uploadRateBytesPerSecond").asLong()));
            System.out.println("download  " + RateArg.describe(now.path("downloadRateBytesPerSecond").asLong()));
            System.out.println("peers     " + now.path("maxPeers").asInt() + " served at once");
        }
        return 0;
    }
}
