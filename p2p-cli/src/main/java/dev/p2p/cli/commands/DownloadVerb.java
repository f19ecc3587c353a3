package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.Session;
import dev.p2p.cli.UserError;
import dev.p2p.cli.ui.Printer;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** What `pause`, `resume` and `cancel` share: a download id, one call to the running node, the download as it is then. */
abstract class DownloadVerb implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Parameters(index = "0", paramLabel = "ID", description = "The download's id, from `p2p downloads`.")
    String id;

    /** The call's last path element: pause, resume or cancel. */
    abstract String verb();

    /** The call's body. */
    Map<String, Object> body() {
        return Map.of();
    }

    @Override
    public Integer call() throws Exception {
        if (!id.matches("[0-9]{1,9}")) {
            throw new UserError(ExitCode.USAGE, "no such download: " + id
                    + " (ids are numbers; p2p downloads lists them)");
        }
        JsonNode d = Session.requireRunningNode(top, "start one with p2p node (downloads are a running node's)")
                .post("/v1/downloads/" + id + "/" + verb(), body());
        if (top.json()) {
            Printer.json(System.out, d);
        } else {
            System.out.println(DownloadsCommand.line(d));
        }
        return 0;
    }
}
