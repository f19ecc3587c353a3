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
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The subcommands of {@code p2p}, in the order its help lists them. picocli reads every option of
 * every subcommand it is given by reflection, about 0.1 s of a client command's 0.35 s start; a
 * command line that names one subcommand gets only that one. Any other (help, a typo, no command,
 * shell completion) gets them all, so help, suggestions and completion see the whole tree.
 */
final class Subcommands {
    static final List<Class<?>> ALL = List.of(DemoCommand.class, NodeCommand.class, ShareCommand.class, UnshareCommand.class,
            GetCommand.class, DownloadsCommand.class, PauseCommand.class, ResumeCommand.class, CancelCommand.class, LsCommand.class,
            PeersCommand.class, IdCommand.class, StatsCommand.class, LimitsCommand.class, SimCommand.class,
            AutoComplete.GenerateCompletion.class);

    /** Options of {@code p2p} itself that take a value (the word after them is not a command). */
    private static final List<String> VALUED_OPTIONS = List.of("--data-dir", "--config");

    private Subcommands() {}

    /** Adds to {@code top} the subcommand {@code args} name, or every subcommand when they name none that runs alone. */
    static void addTo(CommandLine top, String[] args) {
        Class<?> named = named(args);
        for (Class<?> c : named != null ? List.of(named) : ALL) {
            top.addSubcommand(c); // picocli makes the instance with its factory
        }
    }

    /** The subcommand that the first word of {@code args} that is not an option names, or null. */
    static Class<?> named(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED_OPTIONS.contains(a)) {
                i++;
            } else if (a.equals("--")) {
                return null;
            } else if (!a.startsWith("-")) {
                for (Class<?> c : ALL) {
                    if (c != AutoComplete.GenerateCompletion.class && c.getAnnotation(Command.class).name().equals(a)) {
                        return c;
                    }
                }
                return null;
            }
        }
        return null;
    }
}
