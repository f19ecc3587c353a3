package dev.p2p.cli.commands;

import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume a paused or failed download of the running node, from its verified chunks.",
        footerHeading = "%nExamples:%n", footer = {"  p2p resume 3"})
public final class ResumeCommand extends DownloadVerb {
    @Override
    String verb() {
        return "resume";
    }
}
