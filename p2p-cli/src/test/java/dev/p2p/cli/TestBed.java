package dev.p2p.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts as Linux network namespaces (testbed/netns.sh): public hosts h1..hH on one switch,
 * NATed hosts n1..nN each behind its own NAT router. Runs real `p2p` processes inside them.
 * {@link #close()} (and a shutdown hook, for an interrupted run) removes everything it made.
 */
final class TestBed implements AutoCloseable {
    static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolve("../testbed/netns.sh").normalize();
    static final int PORT = 24100;
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final Path home;
    private final Thread cleanup;
    private final List<P2pProcess> processes = new ArrayList<>();

    private TestBed(String name, Path home) {
        this.name = name;
        this.home = home;
        this.cleanup = new Thread(this::destroy, "testbed-cleanup-" + name);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Makes a bed of {@code hosts} public and {@code nats} NATed hosts, the last {@code
     * symmetricNats} of them behind port-randomizing NATs; skips the calling test
     * (never fails it) where root or network namespaces are missing.
     */
    static TestBed create(Path home, int hosts, int nats, int symmetricNats) throws Exception {
        return create(home, "tb", hosts, nats, symmetricNats);
    }

    /** As {@link #create(Path, int, int, int)}, the bed named {@code prefix} and this process's id, so test classes never share one. */
    static TestBed create(Path home, String prefix, int hosts, int nats, int symmetricNats) throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "the test bed needs Linux network namespaces");
        assumeTrue(Files.isExecutable(SCRIPT), "no test bed script at " + SCRIPT);
        assumeTrue("0".equals(capture(List.of("id", "-u")).trim()), "the test bed needs root (network namespaces)");
        assumeTrue(run(List.of("ip", "netns", "list")) == 0, "the test bed needs iproute2 with 'ip netns'");
        String given = System.getenv("P2P_TESTBED"); // beds of several test runs side by side
        String name = given != null && !given.isBlank() ? given : prefix + ProcessHandle.current().pid() % 100_000;
        TestBed bed = new TestBed(name, home);
        int rc = run(List.of(SCRIPT.toString(), "-b", name, "create", Integer.toString(hosts), Integer.toString(nats),
                Integer.toString(symmetricNats)));
        if (rc != 0) {
            bed.close();
            assumeTrue(false, "could not make network namespaces (netns.sh create exited " + rc + "); is this a container without CAP_NET_ADMIN?");
        }
        return bed;
    }

    /** The address others dial to reach {@code host} (for a NATed host: its router's). */
    static String addr(String host) {
        int i = Integer.parseInt(host.substring(1));
        return host.startsWith("h") ? "10.77." + i + ".1" : "10.77." + (100 + i) + ".1";
    }

    /** Starts {@code p2p args...} inside {@code host}, XDG directories under the bed's home. */
    P2pProcess start(String host, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "-b", name, "exec", host,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-jar", P2pProcess.JAR.toString()));
        cmd.addAll(List.of(args));
        P2pProcess p = P2pProcess.startCommand(home, null, cmd);
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    Path dataDir(String host) {
        return home.resolve("data-" + host);
    }

    /** `p2p node` on {@code host}, port {@link #PORT}, joining through {@code bootstrapHost} (or none); waits until ready. */
    P2pProcess node(String host, String bootstrapHost, String... extra) throws Exception {
        return node(host, bootstrapHost, List.of(), extra);
    }

    /** As above, with {@code nodeOptions} after `node` (its own flags, e.g. --relay-circuits). */
    P2pProcess node(String host, String bootstrapHost, List<String> nodeOptions, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir(host).toString()));
        args.addAll(List.of(extra));
        args.addAll(List.of("node", "--port", Integer.toString(PORT)));
        args.addAll(nodeOptions);
        if (bootstrapHost != null) {
            args.addAll(List.of("--bootstrap", addr(bootstrapHost) + ":" + PORT));
        }
        P2pProcess p = start(host, args.toArray(String[]::new));
        p.awaitLine(l -> l.startsWith("ready"), 90);
        return p;
    }

    /** Runs {@code p2p --data-dir <host's> args...} on {@code host} to the end. */
    P2pProcess command(String host, int seconds, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDir(host).toString()));
        all.addAll(List.of(args));
        return P2pProcess.finish(start(host, all.toArray(String[]::new)), seconds);
    }

    /** Runs a command on {@code host} with --json and parses its output. */
    JsonNode json(String host, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        P2pProcess p = command(host, 60, all.toArray(String[]::new));
        if (p.exitCode() != 0) {
            throw new AssertionError(String.join(" ", args) + " on " + host + " exited " + p.exitCode() + ": " + p.err);
        }
        return JSON.readTree(String.join("\n", p.out));
    }

    /** Shares {@code file} through the node running on {@code host}; returns the link. */
    String share(String host, Path file) throws Exception {
        P2pProcess s = command(host, 120, "share", file.toString());
        if (s.exitCode() != 0 || !s.lastLine().startsWith("p2p://")) {
            throw new AssertionError("share on " + host + " failed: " + s.out + s.err);
        }
        return s.lastLine();
    }

    /** A public host's IPv6 address (fd77::I). */
    static String addr6(String host) {
        return "fd77::" + Integer.parseInt(host.substring(1));
    }

    /** Router {@code j} answers UPnP IGD, NAT-PMP and PCP from now on (miniupnpd; netns.sh upnp). */
    void upnp(int j) throws Exception {
        script("upnp", Integer.toString(j));
    }

    /** The port forwards router {@code j} holds now, as "tcp 24100 -> 10.78.1.2:24100" lines. */
    List<String> mappings(int j) {
        String out = capture(List.of(SCRIPT.toString(), "-b", name, "mappings", Integer.toString(j))).trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    void link(String host, boolean up) throws Exception {
        script("link", host, up ? "up" : "down");
    }

    void split(String... hosts) throws Exception {
        List<String> args = new ArrayList<>(List.of("split"));
        args.addAll(List.of(hosts));
        script(args.toArray(String[]::new));
    }

    void heal() throws Exception {
        script("heal");
    }

    private void script(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "-b", name));
        cmd.addAll(List.of(args));
        int rc = run(cmd);
        if (rc != 0) {
            throw new AssertionError("netns.sh " + String.join(" ", args) + " exited " + rc);
        }
    }

    private void destroy() {
        synchronized (processes) {
            for (P2pProcess p : processes) {
                p.process.destroyForcibly();
            }
        }
        try {
            run(List.of(SCRIPT.toString(), "-b", name, "destroy"));
        } catch (IOException | InterruptedException e) {
            // best effort; a later create with the same name destroys leftovers first
        }
    }

    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    static String capture(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
