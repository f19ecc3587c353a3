package dev.p2p.sim.net;

import java.util.List;

/**
 * The simulated network's parameters.
 *
 * @param meanAccessDelayMillis mean one-way delay of each host's access link
 * @param meanJitterMillis mean extra delay per datagram (exponential), which also reorders some
 * @param loss probability that a datagram is lost, in [0, 1)
 * @param uplinkBytesPerSecond each host's upload capacity; 0 for unlimited
 * @param partitions cuts that open and heal at given times
 * @param encodeMessages deliver each datagram decoded from its bytes rather than as the sent object
 */
public record NetworkConfig(
        double meanAccessDelayMillis,
        double meanJitterMillis,
        double loss,
        long uplinkBytesPerSecond,
        List<Partition> partitions,
        boolean encodeMessages) {

    public NetworkConfig {
        if (!(loss >= 0 && loss < 1)) {
            throw new IllegalArgumentException("loss must be in [0, 1), got " + loss);
        }
        if (meanAccessDelayMillis < 0 || meanJitterMillis < 0 || uplinkBytesPerSecond < 0) {
            throw new IllegalArgumentException("delays and bandwidth must be >= 0");
        }
        partitions = List.copyOf(partitions);
    }

    public static NetworkConfig defaults() {
        return new NetworkConfig(5, 2, 0, 0, List.of(), false);
    }
}
