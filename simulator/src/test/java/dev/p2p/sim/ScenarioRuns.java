package dev.p2p.sim;

import dev.p2p.sim.metrics.WindowRow;
import dev.p2p.sim.scenario.Scenario;
import dev.p2p.sim.scenario.ScenarioException;
import dev.p2p.sim.scenario.ScenarioFiles;
import dev.p2p.sim.scenario.ScenarioReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** Runs scenarios on the real DHT inside a test, and reads figures out of the time series. */
final class ScenarioRuns {
    private ScenarioRuns() {}

    static Scenario scenario(String text) {
        try {
            return ScenarioReader.read(ScenarioFiles.parse(text), "test");
        } catch (ScenarioException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A shipped scenario file, by name, from simulator/scenarios/. */
    static Scenario shipped(String fileName) {
        try {
            return ScenarioFiles.load(Path.of("scenarios", fileName));
        } catch (ScenarioException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Runs on the real code (whole peers when the scenario has a swarm, else DHT nodes). */
    static RunResult run(Scenario s) {
        return runOn(s, SimMain.nodesOf(s), SimulationRun.defaultThreads(s));
    }

    static <M> RunResult runOn(Scenario s, dev.p2p.sim.node.NodeFactory<M> nodes, int threads) {
        return new SimulationRun<>(s, nodes, threads).run((now, end, online, events) -> { });
    }

    static String replay(Scenario s) {
        return " (replay: scenario " + s.name() + ", --seed " + s.seed() + ")";
    }

    /** The rows whose end time is within [fromSeconds, toSeconds]. */
    static List<WindowRow> rows(RunResult r, long fromSeconds, long toSeconds) {
        return r.rows().stream().filter(w -> w.endSeconds() >= fromSeconds && w.endSeconds() <= toSeconds).toList();
    }

    /** The smallest defined value of {@code column} in {@code rows}. */
    static double min(List<WindowRow> rows, ToDoubleFunction<WindowRow> column) {
        return rows.stream().mapToDouble(column).filter(Double::isFinite).min().orElse(Double.NaN);
    }

    static boolean all(List<WindowRow> rows, Predicate<WindowRow> p) {
        return rows.stream().allMatch(p);
    }

    static void write(RunResult r, Path dir) {
        try {
            Files.createDirectories(dir);
            SimMain.write(r, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
