package dev.p2p.sim;

import dev.p2p.dht.store.FileErrors;
import dev.p2p.sim.node.NodeFactory;
import dev.p2p.sim.report.CsvTimeSeries;
import dev.p2p.sim.swarm.WholePeerFactory;
import dev.p2p.sim.report.HtmlReport;
import dev.p2p.sim.report.JsonSummary;
import dev.p2p.sim.scenario.Scenario;
import dev.p2p.sim.scenario.ScenarioException;
import dev.p2p.sim.scenario.ScenarioFiles;
import dev.p2p.sim.scenario.ScenarioReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code SimMain SCENARIO [--seed N] [--out DIR] [--peers N] [--duration D] [--threads N]}: runs a scenario on
 * the real DHT and writes DIR/summary.json, DIR/timeseries.csv and DIR/report.html. Exit codes:
 * 0 done, 1 the run failed (the seed to replay it is printed), 2 usage or scenario error.
 */
public final class SimMain {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int USAGE = 2;

    private SimMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Entry point for the {@code p2p sim} command; returns the exit code instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, SimMain::nodesOf);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Function<Scenario, NodeFactory<?>> nodes) {
        Scenario scenario;
        Path outPath;
        NodeFactory<?> factory;
        int threads;
        try {
            SimArguments a = SimArguments.parse(args);
            if (a.help()) {
                out.println(SimArguments.USAGE);
                out.println("Writes DIR/summary.json, DIR/timeseries.csv and DIR/report.html; see docs/SIMULATOR.md.");
                return OK;
            }
            scenario = withOverrides(ScenarioFiles.load(a.scenario()), a);
            factory = nodesFor(scenario, nodes);
            threads = a.threads() != null ? a.threads() : SimulationRun.defaultThreads(scenario);
            outPath = a.out() != null ? a.out() : Path.of("sim-results", scenario.name());
        } catch (SimArguments.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(SimArguments.USAGE);
            return USAGE;
        } catch (ScenarioException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        OutputDirectory outDir;
        try {
            outDir = OutputDirectory.prepare(outPath); // before the run: an hour's work must have somewhere to go
        } catch (IOException e) {
            err.println("error: --out " + outPath + ": cannot write there (" + FileErrors.describe(e) + ")");
            return USAGE;
        }
        ProgressLine progress = new ProgressLine(err);
        RunResult result;
        try {
            result = runWith(scenario, factory, threads, progress);
        } catch (RuntimeException | StackOverflowError e) {
            err.println();
            err.println("error: the simulation failed (" + e + "); replay it with --seed " + scenario.seed());
            e.printStackTrace(err);
            return RUN_FAILED;
        }
        progress.finish(result.events());
        try {
            write(result, outDir);
        } catch (IOException e) {
            err.println("error: cannot write results to " + outPath + ": " + FileErrors.describe(e));
            return RUN_FAILED;
        }
        out.println("wrote " + outDir.resolve("summary.json") + ", timeseries.csv and report.html");
        return OK;
    }

    /** Whole peers for a scenario with a swarm, DHT nodes otherwise. */
    static NodeFactory<?> nodesOf(Scenario s) {
        return s.swarm() != null ? new WholePeerFactory(s) : new DhtNodeFactory(s);
    }

    /** The node factory; a DHT configuration the DHT rejects is the scenario's {@code dht} group's fault. */
    private static NodeFactory<?> nodesFor(Scenario s, Function<Scenario, NodeFactory<?>> nodes) throws ScenarioException {
        try {
            return nodes.apply(s);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException("dht", e.getMessage());
        }
    }

    private static <M> RunResult runWith(Scenario s, NodeFactory<M> factory, int threads, SimulationRun.Progress progress) {
        return new SimulationRun<>(s, factory, threads).run(progress);
    }

    private static Scenario withOverrides(Scenario s, SimArguments a) throws ScenarioException {
        Scenario r = s;
        if (a.seed() != null) {
            r = r.withSeed(a.seed());
        }
        if (a.peers() != null) {
            r = r.withPeers(a.peers());
        }
        if (a.durationMillis() != null) {
            r = r.withDuration(a.durationMillis());
        }
        ScenarioReader.checkTimes(r);
        return r;
    }

    /** Writes the three output files; their bytes depend on the scenario and seed alone. */
    static void write(RunResult result, Path dir) throws IOException {
        write(result, OutputDirectory.prepare(dir));
    }

    private static void write(RunResult result, OutputDirectory dir) throws IOException {
        String summary = JsonSummary.render(result);
        dir.write("summary.json", summary);
        dir.write("timeseries.csv", CsvTimeSeries.render(result.rows(), result.downloadRows()));
        dir.write("report.html", HtmlReport.render(result, summary));
    }
}
