package dev.p2p.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top-level {@code p2p} command; its options apply to every subcommand. Its subcommands are
 * added by {@link Subcommands}: only the one a command line names, since building picocli's model
 * of all of them was a third of a short client command's start. {@link P2pCommandTree} is the
 * whole tree, for the tools that document it at build time.
 */
@Command(name = "p2p", mixinStandardHelpOptions = true, version = "p2p 0.1.0",
        description = "Share and fetch files peer to peer: a Kademlia DHT finds who has what, chunks are fetched "
                + "from many peers at once and verified before they are kept.",
        footerHeading = "%nExamples:%n",
        footer = {"  p2p demo                               a local network shares and fetches a file",
                "  p2p node --port 24100                  run a node (Ctrl-C stops it)",
                "  p2p share ./holiday.mp4                prints a link; serves until Ctrl-C if no node runs",
                "  p2p get p2p://... -o ~/Downloads       fetch, verify, exit 0 when complete",
                "  source <(p2p generate-completion)      tab completion for bash and zsh",
                "", "Exit codes: 0 ok, 1 internal error, 2 usage, 3 not found, 4 network, 5 transfer failed, "
                        + "6 control API refused, 130 interrupted."})
public class P2pCommand {
    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The node's home: identity, contacts, shares, logs (default: $XDG_DATA_HOME/p2p or ~/.local/share/p2p).")
    Path dataDir;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Config file (default: $XDG_CONFIG_HOME/p2p/config.properties or ~/.config/p2p/config.properties).")
    Path configFile;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print results as JSON, for scripts.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Show the log on stderr too.")
    boolean verbose;

    public Path dataDir() {
        return (dataDir != null ? dataDir : DataDirs.defaultDataDir(System.getenv())).toAbsolutePath().normalize();
    }

    public CliConfig config() {
        return configFile != null ? CliConfig.load(configFile, true) : CliConfig.load(DataDirs.defaultConfigFile(System.getenv()), false);
    }

    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }

    /** Bootstrap addresses from the flags, else from the config file. */
    public List<java.net.InetSocketAddress> bootstrap(List<String> flags) {
        List<String> texts = flags == null || flags.isEmpty() ? config().bootstrap() : flags;
        List<java.net.InetSocketAddress> out = new ArrayList<>();
        for (String t : texts) {
            out.add(HostPort.parse(t));
        }
        return out;
    }
}
