package dev.p2p.cli.commands;

import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Pause a download of the running node: it stops fetching and keeps its verified chunks, "
                + "across restarts too, until `p2p resume`.",
        footerHeading = "%nExamples:%n", footer = {"  p2p pause 3"})
public final class PauseCommand extends DownloadVerb {
    @Override
    String verb() {
        return "pause";
    }
}
