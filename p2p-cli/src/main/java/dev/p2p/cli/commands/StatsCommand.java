package dev.p2p.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.Session;
import dev.p2p.cli.control.ControlClient;
import dev.p2p.cli.ui.Printer;
import dev.p2p.cli.ui.ProgressBar;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Show what the running node is doing: routing table, DHT traffic and lookups, transfers.",
                "The same numbers are served in the Prometheus text format at /metrics on the control port "
                        + "(same token; see docs/CONTROL-API.md), and without a token where p2p node --metrics-listen says."},
        footerHeading = "%nExamples:%n", footer = {"  p2p stats", "  p2p stats --json | jq .dht.lookups"})
public final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Override
    public Integer call() throws Exception {
        ControlClient running = Session.requireRunningNode(top, "start one with p2p node (stats are a running node's)");
        JsonNode s = running.get("/v1/stats");
        if (top.json()) {
            Printer.json(System.out, s);
            return 0;
        }
        JsonNode t = s.path("routingTable");
        JsonNode d = s.path("dht");
        System.out.printf("uptime        %d s%n", s.path("uptimeSeconds").asLong());
        System.out.printf("reachability  %s%n", d.path("reachability").asText());
        if (!d.path("relay").isNull() && !d.path("relay").isMissingNode()) {
            System.out.printf("found through %s (behind NAT: announced with relayed records)%n", d.path("relay").asText());
        }
        System.out.printf("routing table %d contacts in %d buckets (%d stale)%n", t.path("contacts").asInt(),
                t.path("nonEmptyBuckets").asInt(), t.path("staleBuckets").asInt());
        System.out.printf("dht messages  %d in, %d out, %d malformed dropped, %d rate-limited, %d timeouts%n",
                d.path("messagesIn").asLong(), d.path("messagesOut").asLong(), d.path("malformedDropped").asLong(),
                d.path("rateLimited").asLong(), d.path("requestTimeouts").asLong());
        JsonNode l = d.path("lookups");
        System.out.printf("lookups       %d started, %d finished%n", l.path("started").asLong(), l.path("finished").asLong());
        for (String kind : new String[] {"node", "providers"}) {
            JsonNode k = l.path(kind);
            if (!k.isMissingNode()) {
                System.out.printf("  %-11s %d, p50 %s ms, p99 %s ms%n", kind, k.path("count").asLong(), k.path("p50Millis").asText("-"),
                        k.path("p99Millis").asText("-"));
            }
        }
        JsonNode tr = s.path("transfers");
        System.out.printf("uploaded      %s (%s/s average), %d peers connected for downloads%n",
                ProgressBar.bytes(tr.path("uploadedBytes").asLong()), ProgressBar.bytes(tr.path("uploadRateBytesPerSecond").asLong()),
                tr.path("connectedPeers").asInt());
        for (JsonNode dl : tr.path("downloads")) {
            System.out.printf("  download %s: %s, %s of %s at %s/s, %d peers%n", dl.path("id").asText(), dl.path("state").asText(),
                    ProgressBar.bytes(dl.path("verifiedBytes").asLong()), ProgressBar.bytes(dl.path("totalBytes").asLong()),
                    ProgressBar.bytes(dl.path("rateBytesPerSecond").asLong()), dl.path("peers").asInt());
        }
        JsonNode r = s.path("relaying");
        if (r.path("on").asBoolean()) {
            System.out.printf("relaying      %d circuits open (at most %d, %s/s each), %d opened, %d refused, %s relayed%n",
                    r.path("circuitsOpen").asLong(), r.path("maxCircuits").asInt(), ProgressBar.bytes(r.path("rateBytesPerSecond").asLong()),
                    r.path("circuitsOpened").asLong(), r.path("circuitsRefused").asLong(), ProgressBar.bytes(r.path("bytesRelayed").asLong()));
        } else {
            System.out.println("relaying      off (--relay off)");
        }
        for (JsonNode b : s.path("bannedRelays")) {
            System.out.printf("banned relay  %s: %s%n", b.path("relay").asText(), b.path("why").asText());
        }
        return 0;
    }
}
