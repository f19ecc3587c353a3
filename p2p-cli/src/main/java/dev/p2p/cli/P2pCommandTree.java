package dev.p2p.cli;

import dev.p2p.cli.commands.CancelCommand;
import dev.p2p.cli.commands.DemoCommand;
import dev.p2p.cli.commands.DownloadsCommand;
import dev.p2p.cli.commands.GetCommand;
import dev.p2p.cli.commands.IdCommand;
import dev.p2p.cli.commands.LimitsCommand;
import dev.p2p.cli.commands.LsCommand;
import dev.p2p.cli.commands.NodeCommand;
import dev.p2p.cli.commands.PauseCommand;
import dev.p2p.cli.commands.PeersCommand;
import dev.p2p.cli.commands.ResumeCommand;
import dev.p2p.cli.commands.ShareCommand;
import dev.p2p.cli.commands.SimCommand;
import dev.p2p.cli.commands.StatsCommand;
import dev.p2p.cli.commands.UnshareCommand;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

/**
 * {@code p2p} with every subcommand, in the order its help lists them: what the build's man pages
 * and completion script are made from, and the list {@link Subcommands} picks from at run time.
 */
@Command(subcommands = {DemoCommand.class, NodeCommand.class, ShareCommand.class, UnshareCommand.class, GetCommand.class,
        DownloadsCommand.class, PauseCommand.class, ResumeCommand.class, CancelCommand.class, LsCommand.class, PeersCommand.class,
        IdCommand.class, StatsCommand.class, LimitsCommand.class, SimCommand.class, AutoComplete.GenerateCompletion.class})
public final class P2pCommandTree extends P2pCommand {
}
