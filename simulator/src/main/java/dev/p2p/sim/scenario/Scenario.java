package dev.p2p.sim.scenario;

import dev.p2p.sim.adversary.AdversaryConfig;
import dev.p2p.sim.churn.ChurnConfig;
import dev.p2p.sim.net.NetworkConfig;
import dev.p2p.sim.swarm.SwarmConfig;
import dev.p2p.sim.workload.WorkloadConfig;

/**
 * Everything a run depends on; with the seed, it fixes the run's output to the byte.
 *
 * @param peers peer slots; each is one peer at a time (churn may bring a new identity into it)
 * @param warmupMillis the network forms during this time; its metrics stay out of the summary
 * @param joinMillis the initial peers join evenly spread over this time
 * @param metricsIntervalMillis length of one row of the time series
 * @param staleSamplePeers routing tables inspected per interval for stale entries
 * @param adversary the attacker's nodes, if any ({@code adversary.*} fields)
 * @param swarm file sharing by whole peers ({@code swarm.*} fields), or null: DHT nodes only
 */
public record Scenario(
        String name,
        long seed,
        int peers,
        long durationMillis,
        long warmupMillis,
        long joinMillis,
        long metricsIntervalMillis,
        int staleSamplePeers,
        NetworkConfig network,
        ChurnConfig churn,
        WorkloadConfig workload,
        DhtSettings dht,
        AdversaryConfig adversary,
        SwarmConfig swarm) {

    public Scenario withSeed(long newSeed) {
        return new Scenario(name, newSeed, peers, durationMillis, warmupMillis, joinMillis,
                metricsIntervalMillis, staleSamplePeers, network, churn, workload, dht, adversary, swarm);
    }

    public Scenario withPeers(int newPeers) {
        return new Scenario(name, seed, newPeers, durationMillis, warmupMillis, joinMillis,
                metricsIntervalMillis, staleSamplePeers, network, churn, workload, dht, adversary, swarm);
    }

    /** The same scenario run for {@code newDurationMillis}; a warm-up that would no longer fit is halved to fit. */
    public Scenario withDuration(long newDurationMillis) {
        long warmup = warmupMillis < newDurationMillis ? warmupMillis : newDurationMillis / 2;
        long interval = Math.min(metricsIntervalMillis, newDurationMillis);
        return new Scenario(name, seed, peers, newDurationMillis, warmup, Math.min(joinMillis, warmup),
                interval, staleSamplePeers, network, churn, workload, dht, adversary, swarm);
    }
}
