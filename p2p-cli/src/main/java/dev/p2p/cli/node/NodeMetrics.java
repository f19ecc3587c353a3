package dev.p2p.cli.node;

import dev.p2p.dht.net.DhtServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;

/**
 * What a node is doing, in numbers: the routing table, DHT traffic and lookups, transfers. One
 * Prometheus registry feeds both the text exposition ({@code GET /metrics} on the control port)
 * and `p2p stats` (JSON from the same snapshot), so the two never disagree. Counters are read
 * from the node when scraped, never kept twice; only lookup latencies are recorded here.
 */
public final class NodeMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final LocalNode node;
    private final long startedNanos = System.nanoTime();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Summary lookups;
    private volatile DhtServer.Snapshot dht;

    NodeMetrics(LocalNode node) {
        this.node = node;
        this.lookups = Summary.builder().name("p2p_dht_lookup_duration_seconds")
                .help("Lookups this node ran for its users: node lookups and provider lookups, wall-clock seconds")
                .labelNames("kind").quantile(0.5, 0.01).quantile(0.99, 0.001).maxAgeSeconds(600).register(registry);
        gauge("p2p_routing_table_contacts", "Contacts in the routing table", s -> s.contacts());
        gauge("p2p_routing_table_buckets_nonempty", "Buckets holding at least one contact", s -> s.nonEmptyBuckets());
        gauge("p2p_routing_table_buckets_stale", "Non-empty buckets not refreshed within the refresh interval (15 min)",
                s -> s.staleBuckets());
        gauge("p2p_dht_client_only", "1 while the node runs as a client (not reachable, never in others' tables)",
                s -> s.clientOnly() ? 1 : 0);
        gauge("p2p_dht_provided_keys", "Content keys this node announces", s -> s.providedKeys());
        gauge("p2p_dht_stored_provider_records", "Provider records this node stores for others", s -> s.storedProviders());
        counter("p2p_dht_messages_received", "DHT messages received and parsed", s -> s.messagesIn());
        counter("p2p_dht_messages_sent", "DHT answers sent (requests are counted as requests)", s -> s.messagesOut());
        counter("p2p_dht_requests_received", "DHT requests received", s -> s.requestsIn());
        counter("p2p_dht_datagrams_sent", "DHT datagrams sent: requests and answers", s -> s.datagramsOut());
        counter("p2p_dht_malformed_dropped", "Datagrams dropped as malformed or oversized", s -> s.malformedDropped());
        counter("p2p_dht_rate_limited", "Datagrams dropped by the per-source rate limit", s -> s.rateLimited());
        counter("p2p_dht_request_timeouts", "Requests of ours that got no answer", s -> s.requestTimeouts());
        counter("p2p_dht_lookups_started", "Lookups started, including the node's own refreshes", s -> s.lookupsStarted());
        counter("p2p_dht_lookups_finished", "Lookups finished", s -> s.lookupsFinished());
        counter("p2p_dht_received_bytes", "UDP payload bytes received", s -> s.bytesIn());
        counter("p2p_dht_sent_bytes", "UDP payload bytes sent", s -> s.bytesOut());
        CounterWithCallback.builder().name("p2p_upload_bytes").help("Chunk bytes uploaded to peers")
                .callback(cb -> cb.call(node.transfer().bytesUploaded())).register(registry);
        GaugeWithCallback.builder().name("p2p_connected_peers").help("Peers connected for this node's running downloads")
                .callback(cb -> cb.call(connectedPeers())).register(registry);
        perDownload("p2p_download_verified_bytes", "Bytes verified so far, per download", DownloadState::verifiedBytes);
        perDownload("p2p_download_size_bytes", "Size of the content, per download (0 before known)", DownloadState::totalBytes);
        perDownload("p2p_download_rate_bytes_per_second", "Verified bytes per second, per download, averaged since it started "
                + "(to its end)", DownloadState::rateBytesPerSecond);
        perDownload("p2p_download_peers", "Peers connected, per download", DownloadState::peers);
    }

    private void perDownload(String name, String help, ToDoubleFunction<DownloadState> f) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("download").callback(cb -> {
            for (DownloadState d : node.downloads()) {
                cb.call(f.applyAsDouble(d), d.id);
            }
        }).register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<DhtServer.Snapshot> f) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.applyAsDouble(dht))).register(registry);
    }

    private void counter(String name, String help, ToDoubleFunction<DhtServer.Snapshot> f) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.applyAsDouble(dht))).register(registry);
    }

    /** Records one lookup (called from the DHT's observer). */
    public void onLookup(String kind, long millis) {
        lookups.labelValues(kind).observe(millis / 1000.0);
    }

    private int connectedPeers() {
        int n = 0;
        for (DownloadState d : node.downloads()) {
            n += d.phase() == DownloadState.Phase.DOWNLOADING ? d.peers() : 0;
        }
        return n;
    }

    private void refresh() throws InterruptedException {
        try {
            dht = node.dht().snapshot().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the DHT did not answer: " + e.getMessage(), e);
        }
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public byte[] prometheusText() throws InterruptedException, IOException {
        refresh();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toByteArray();
    }

    /** The same numbers as a JSON tree, for `p2p stats --json` and {@code GET /v1/stats}. */
    public Map<String, Object> json() throws InterruptedException {
        refresh();
        DhtServer.Snapshot s = dht;
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("contacts", s.contacts());
        table.put("nonEmptyBuckets", s.nonEmptyBuckets());
        table.put("staleBuckets", s.staleBuckets());
        Map<String, Object> dhtMap = new LinkedHashMap<>();
        dhtMap.put("reachable", !s.clientOnly());
        dhtMap.put("reachability", node.reachability().getValue());
        dhtMap.put("relay", dev.p2p.cli.control.Views.relayText(node));
        dhtMap.put("messagesIn", s.messagesIn());
        dhtMap.put("messagesOut", s.messagesOut());
        dhtMap.put("requestsIn", s.requestsIn());
        dhtMap.put("datagramsOut", s.datagramsOut());
        dhtMap.put("malformedDropped", s.malformedDropped());
        dhtMap.put("rateLimited", s.rateLimited());
        dhtMap.put("requestTimeouts", s.requestTimeouts());
        dhtMap.put("bytesIn", s.bytesIn());
        dhtMap.put("bytesOut", s.bytesOut());
        dhtMap.put("providedKeys", s.providedKeys());
        dhtMap.put("storedProviderRecords", s.storedProviders());
        Map<String, Object> lookupMap = new LinkedHashMap<>();
        lookupMap.put("started", s.lookupsStarted());
        lookupMap.put("finished", s.lookupsFinished());
        for (SummarySnapshot.SummaryDataPointSnapshot p : lookups.collect().getDataPoints()) {
            Map<String, Object> kind = new LinkedHashMap<>();
            kind.put("count", p.getCount());
            kind.put("sumSeconds", p.getSum());
            for (Quantile q : p.getQuantiles()) {
                kind.put("p" + Math.round(q.getQuantile() * 100) + "Millis", Double.isNaN(q.getValue()) ? null : Math.round(q.getValue() * 1000));
            }
            lookupMap.put(p.getLabels().get("kind"), kind);
        }
        dhtMap.put("lookups", lookupMap);
        List<Map<String, Object>> downloads = new java.util.ArrayList<>();
        for (DownloadState d : node.downloads()) {
            downloads.add(dev.p2p.cli.control.Views.download(d));
        }
        Map<String, Object> transfers = new LinkedHashMap<>();
        long up = node.transfer().bytesUploaded();
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        transfers.put("uploadedBytes", up);
        transfers.put("uploadRateBytesPerSecond", Math.round(up / seconds));
        transfers.put("connectedPeers", connectedPeers());
        transfers.put("downloads", downloads);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uptimeSeconds", Math.round(seconds));
        out.put("routingTable", table);
        out.put("dht", dhtMap);
        out.put("transfers", transfers);
        out.put("relaying", relaying());
        List<Map<String, Object>> banned = new ArrayList<>();
        node.bannedRelays().forEach((relay, why) -> banned.add(Map.of("relay", relay.toHex(), "why", why)));
        out.put("bannedRelays", banned);
        return out;
    }

    /** What the node relays for peers behind NAT (docs/REACHABILITY.md): its limits and its circuits. */
    private Map<String, Object> relaying() {
        Map<String, Object> m = new LinkedHashMap<>();
        long[] c = node.relayCounts();
        m.put("on", c != null);
        if (c != null) {
            dev.p2p.node.policy.RelayLimits l = node.relayLimits();
            m.put("maxCircuits", l.maxCircuits());
            m.put("maxCircuitsPerRequester", l.maxCircuitsPerRequester());
            m.put("rateBytesPerSecond", l.rateBytesPerSecond());
            m.put("maxBytesPerCircuit", l.maxBytesPerCircuit());
            m.put("maxCircuitSeconds", l.maxCircuitMillis() / 1000);
            m.put("circuitsOpen", c[0]);
            m.put("circuitsOpened", c[1]);
            m.put("circuitsRefused", c[2]);
            m.put("bytesRelayed", c[3]);
        }
        return m;
    }
}
