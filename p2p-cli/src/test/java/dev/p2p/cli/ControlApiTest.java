package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.p2p.cli.control.ControlFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API of a running node process: loopback only, token required. */
class ControlApiTest {
    @TempDir
    Path home;

    @Test
    void refusesCallsWithoutOrWithAWrongTokenAndAnswersWithTheRightOne() throws Exception {
        Path data = home.resolve("n");
        try (P2pProcess node = P2pProcess.start(home, "--data-dir", data.toString(), "node", "--port", "0")) {
            URI id = controlUri(node, data, "/v1/id");
            JsonNode info = new ObjectMapper().readTree(Files.readString(data.resolve(ControlFiles.NODE_FILE)));
            String token = Files.readString(data.resolve(ControlFiles.TOKEN_FILE)).trim();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(ControlFiles.TOKEN_FILE))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("identity.key"))));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(id).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(id).header("Authorization", "Bearer " + "0".repeat(64)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> right = http.send(HttpRequest.newBuilder(id).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, right.statusCode());
            assertEquals(info.path("nodeId").asText(), new ObjectMapper().readTree(right.body()).path("nodeId").asText());

            // the CLI itself, given the same data directory, talks to the node
            P2pProcess cli = P2pProcess.run(home, 60, "--data-dir", data.toString(), "--json", "id");
            assertEquals(0, cli.exitCode(), cli.err.toString());
            JsonNode view = new ObjectMapper().readTree(String.join("\n", cli.out));
            assertEquals(info.path("port").asInt(), view.path("port").asInt());

            // a wrong token in the data directory: the CLI says so with its exit code
            Files.writeString(data.resolve(ControlFiles.TOKEN_FILE), "1".repeat(64) + "\n");
            P2pProcess refused = P2pProcess.run(home, 60, "--data-dir", data.toString(), "ls");
            assertEquals(ExitCode.CONTROL, refused.exitCode());
            assertTrue(refused.err.get(0).contains("refused the token"), refused.err.toString());
        }
    }

    @Test
    void servesPrometheusMetricsWithTheTokenAndStatsAsJson() throws Exception {
        Path data = home.resolve("m");
        try (P2pProcess node = P2pProcess.start(home, "--data-dir", data.toString(), "node", "--port", "0")) {
            URI metrics = controlUri(node, data, "/metrics");
            String token = Files.readString(data.resolve(ControlFiles.TOKEN_FILE)).trim();
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(401, http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> text = http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, text.statusCode());
            assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), text.headers().toString());
            for (String name : new String[] {"# TYPE p2p_routing_table_contacts gauge", "# TYPE p2p_dht_messages_received_total counter",
                    "p2p_dht_malformed_dropped_total 0", "p2p_connected_peers 0"}) {
                assertTrue(text.body().contains(name), name + " in\n" + text.body());
            }

            P2pProcess stats = P2pProcess.run(home, 60, "--data-dir", data.toString(), "--json", "stats");
            assertEquals(0, stats.exitCode(), stats.err.toString());
            JsonNode view = new ObjectMapper().readTree(String.join("\n", stats.out));
            assertEquals(0, view.path("routingTable").path("contacts").asInt(), view.toString());
            assertTrue(view.path("dht").path("lookups").path("started").asLong() >= 1, "the join is a lookup: " + view);
            assertTrue(view.path("transfers").path("downloads").isArray(), view.toString());

            P2pProcess human = P2pProcess.run(home, 60, "--data-dir", data.toString(), "stats");
            assertEquals(0, human.exitCode(), human.err.toString());
            assertTrue(human.out.stream().anyMatch(l -> l.startsWith("routing table 0 contacts")), human.out.toString());
        }
        P2pProcess none = P2pProcess.run(home, 60, "--data-dir", data.toString(), "stats");
        assertEquals(ExitCode.CONTROL, none.exitCode(), "no node runs: " + none.err);
    }

    @Test
    void aWaitingDownloadCallAnswersWhenTheDownloadEnds() throws Exception {
        Path data = home.resolve("w");
        try (P2pProcess node = P2pProcess.start(home, "--data-dir", data.toString(), "node", "--port", "0")) {
            URI get = controlUri(node, data, "/v1/get");
            String token = Files.readString(data.resolve(ControlFiles.TOKEN_FILE)).trim();
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"link\": \"p2p://" + "a".repeat(52) + "\", \"out\": \"" + home.resolve("out") + "\", \"timeoutSeconds\": 1}";
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(get).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, started.statusCode(), started.body());
            String id = new ObjectMapper().readTree(started.body()).path("id").asText();

            // nobody provides it: the one waiting call comes back once the 1 s search has failed
            URI waiting = controlUri(node, data, "/v1/downloads/" + id + "?wait=10000");
            JsonNode ended = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(waiting).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("failed", ended.path("state").asText(), ended.toString());
            assertEquals(ExitCode.NOT_FOUND, ended.path("exitCode").asInt(), ended.toString());
        }
    }

    /** Waits for the node to be ready; the URI of {@code path} on its control port. */
    static URI controlUri(P2pProcess node, Path data, String path) throws Exception {
        node.awaitLine(l -> l.startsWith("ready"), 60);
        JsonNode info = new ObjectMapper().readTree(Files.readString(data.resolve(ControlFiles.NODE_FILE)));
        return URI.create("http://127.0.0.1:" + info.path("controlPort").asInt() + path);
    }
}
