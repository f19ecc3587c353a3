package dev.p2p.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real `p2p` process (java -jar target/p2p.jar), as a user runs it, with its output collected. */
final class P2pProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("p2p.jar", "target/p2p.jar")).toAbsolutePath();

    /**
     * Nodes on this machine's own network never ask its real router for a port mapping (no UPnP
     * search or NAT-PMP request leaves the machine); the test bed's nodes run in namespaces and do.
     */
    static final String NO_PORT_MAPPING = "-D" + CliConfig.PORT_MAPPING_PROPERTY + "=off";

    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();

    private P2pProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    /** Starts {@code p2p args...} with XDG directories under {@code home}, so nothing touches the real ~. */
    static P2pProcess start(Path home, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add(NO_PORT_MAPPING);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        return startCommand(home, null, cmd);
    }

    /** Starts any command line (e.g. the bin/p2p launcher) in {@code workDir}, with the same environment. */
    static P2pProcess startCommand(Path home, Path workDir, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().put("P2P_JAVA_OPTS", "-Xmx256m " + NO_PORT_MAPPING);
        pb.environment().put("XDG_DATA_HOME", home.resolve("xdg-data").toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("xdg-config").toString());
        pb.environment().put("HOME", home.toString());
        return new P2pProcess(pb.start());
    }

    /** Runs to the end (at most {@code seconds}) and returns the exit code. */
    static P2pProcess run(Path home, int seconds, String... args) throws Exception {
        return finish(start(home, args), seconds);
    }

    /** Waits up to {@code seconds} for the process to end. */
    static P2pProcess finish(P2pProcess p, int seconds) throws Exception {
        if (!p.process.waitFor(seconds, TimeUnit.SECONDS)) {
            p.close();
            throw new AssertionError("p2p did not finish in " + seconds + " s; stdout " + p.out + " stderr: " + p.err);
        }
        p.drain();
        return p;
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Waits for a stdout line matching {@code test}; returns it. */
    String awaitLine(Predicate<String> test, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : out) {
                if (test.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                drain();
                throw new AssertionError("process exited " + process.exitValue() + " before the line; stdout " + out + " stderr " + err);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such line within " + seconds + " s; stdout " + out + " stderr " + err);
    }

    String lastLine() {
        return out.isEmpty() ? "" : out.get(out.size() - 1);
    }

    /** SIGTERM, then waits for the exit. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private void drain() throws InterruptedException {
        Thread.sleep(100); // let the pumps read the last bytes
    }

    private static void pump(java.io.InputStream in, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                }
            } catch (IOException e) {
                // process gone
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
