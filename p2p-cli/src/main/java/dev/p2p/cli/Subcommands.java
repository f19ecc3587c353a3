package dev.p2p.cli;

import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The subcommands of {@code p2p} ({@link P2pCommandTree}'s), in the order its help lists them.
 * picocli reads every option of every subcommand it is given by reflection, about 0.1 s of a
 * client command's 0.35 s start; a command line that names one subcommand gets only that one. Any
 * other (help, a typo, no command, shell completion) gets them all, so help, suggestions and
 * completion see the whole tree.
 */
final class Subcommands {
    static final List<Class<?>> ALL = List.of(P2pCommandTree.class.getAnnotation(Command.class).subcommands());

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
