package dev.p2p.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks named on the command line ({@code dht-micro}, {@code dht-lookup}, {@code grind}; none = all)
 * and prints each figure beside the limit measured in the same run; {@code machine} only probes
 * the machine's speed (bench/sim/run.sh runs it around the simulator). See docs/BENCHMARKS.md.
 */
public final class BenchMain {
    public static void main(String[] args) throws Exception {
        boolean all = args.length == 0;
        for (String a : args) {
            if (!a.equals("dht-micro") && !a.equals("dht-lookup") && !a.equals("machine") && !a.equals("grind")) {
                System.err.println("unknown benchmark '" + a + "': use dht-micro, dht-lookup, grind or machine");
                System.exit(2);
            }
        }
        if (contains(args, "machine")) {
            MachineProbe.print();
        }
        if (all || contains(args, "dht-micro")) {
            dhtMicro();
        }
        if (all || contains(args, "dht-lookup")) {
            LoopbackLookupBench.run();
        }
        if (all || contains(args, "grind")) {
            GrindBench.run();
        }
    }

    static void dhtMicro() throws Exception {
        Options opt = new OptionsBuilder().include(DhtMicroBench.class.getName()).forks(1).warmupIterations(3)
                .warmupTime(TimeValue.seconds(2)).measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .threads(1).build();
        Collection<RunResult> results = new Runner(opt).run();
        Map<String, Double> opsPerSecond = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            opsPerSecond.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        double limit = opsPerSecond.get("limitSha256OfSameDatagram");
        System.out.println();
        System.out.printf("limit: SHA-256 of the same 20-contact NODES datagram: %,.0f /s%n", limit);
        for (String b : new String[] {"closest20", "encodeNodes", "decodeNodes"}) {
            System.out.printf("%-12s %,12.0f /s  = %.2f x the limit%n", b, opsPerSecond.get(b), opsPerSecond.get(b) / limit);
        }
    }

    private static boolean contains(String[] args, String name) {
        for (String a : args) {
            if (a.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private BenchMain() {}
}
