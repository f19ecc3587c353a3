package dev.p2p.cli.commands;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a download of the running node: it stops and is forgotten. Its verified chunks stay in "
                + "the output directory's .p2p-partial for a later `p2p get` unless --delete is given.",
        footerHeading = "%nExamples:%n", footer = {"  p2p cancel 3", "  p2p cancel 3 --delete"})
public final class CancelCommand extends DownloadVerb {
    @Option(names = "--delete", description = "Delete the partial data too.")
    boolean delete;

    @Override
    String verb() {
        return "cancel";
    }

    @Override
    Map<String, Object> body() {
        return Map.of("delete", delete);
    }
}
