package dev.p2p.cli.commands;

import dev.p2p.sim.SimMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Run a simulator scenario: thousands of virtual peers running the real DHT code in virtual time.",
                "Writes DIR/summary.json, DIR/timeseries.csv and DIR/report.html (open it in a browser). "
                        + "The same scenario and seed give the same summary.json, byte for byte.",
                "Scenarios ship in simulator/scenarios/; docs/SIMULATOR.md describes their fields."},
        footerHeading = "%nExamples:%n",
        footer = {"  p2p sim simulator/scenarios/quick.scenario --out /tmp/quick",
                "  p2p sim my.scenario --peers 10000 --duration 2h --seed 7 --out results",
                "", "Exit codes: 0 done, 1 the run failed (the seed that replays it is printed), 2 usage or scenario error."})
public final class SimCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file.")
    String scenario;

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed.")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the results (default: sim-results/<scenario name>).")
    String out;

    @Option(names = "--peers", paramLabel = "N", description = "Override the network size.")
    Integer peers;

    @Option(names = "--duration", paramLabel = "D", description = "Override the virtual duration, like 90m or 2h.")
    String duration;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the engine (default: one per core, at most 8). Never changes the results.")
    Integer threads;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of(scenario));
        add(args, "--seed", seed);
        add(args, "--out", out);
        add(args, "--peers", peers);
        add(args, "--duration", duration);
        add(args, "--threads", threads);
        return SimMain.run(args.toArray(String[]::new), System.out, System.err);
    }

    private static void add(List<String> args, String name, Object value) {
        if (value != null) {
            args.add(name);
            args.add(value.toString());
        }
    }
}
