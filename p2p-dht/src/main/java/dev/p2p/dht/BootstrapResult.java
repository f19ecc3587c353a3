package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The end of joining the network.
 *
 * @param answered   bootstrap addresses that answered
 * @param tried      every bootstrap address tried
 * @param tableSize  contacts in the routing table afterwards
 */
public record BootstrapResult(List<InetSocketAddress> answered, List<InetSocketAddress> tried, int tableSize) {
    public BootstrapResult {
        answered = List.copyOf(answered);
        tried = List.copyOf(tried);
    }

    public boolean succeeded() {
        return !answered.isEmpty() || tableSize > 0;
    }

    /** A line for a person: what happened and what to do. */
    public String describe() {
        if (succeeded()) {
            return "joined the network: " + answered.size() + " of " + tried.size() + " bootstrap peers answered, "
                    + tableSize + " contacts known";
        }
        StringBuilder s = new StringBuilder("no bootstrap peer answered: tried ");
        for (int i = 0; i < tried.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(tried.get(i).getHostString()).append(':').append(tried.get(i).getPort());
        }
        return s.append(tried.isEmpty() ? "none (give one with --bootstrap host:port)" : "").toString();
    }
}
