package dev.p2p.cli;

import java.io.PrintWriter;
import java.util.logging.Level;
import picocli.CommandLine;

/** Entry point: runs the command, and turns every failure into one line and an exit code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty samples one buffer in 128 and records its stack: 2-4% of a seeder's CPU. The
            // tests run with it; -Dio.netty.leakDetection.level=simple brings it back. A property,
            // read when Netty first loads: a client command that never loads Netty starts sooner.
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new P2pCommand());
        Subcommands.addTo(cli, args);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof UserError u) {
                err.println("p2p: " + u.getMessage());
                return u.exitCode();
            }
            if (e instanceof InterruptedException) {
                err.println("p2p: interrupted");
                return ExitCode.INTERRUPTED;
            }
            Logs.get(Main.class).log(Level.SEVERE, "unexpected failure", e);
            err.println("p2p: unexpected error: " + e + " (details in the log, " + Logs.FILE_NAME + " in the data directory)");
            return ExitCode.INTERNAL;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("p2p: " + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.USAGE;
        });
        return cli.execute(args);
    }
}
