package dev.p2p.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Calls a running node's control API on loopback, with the data directory's token. */
public final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    private ControlClient(int port, String token) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.token = token;
    }

    /** A client for the node running on {@code dataDir}, or null when none runs there. */
    public static ControlClient forRunningNode(Path dataDir) throws IOException {
        int port = ControlFiles.controlPort(dataDir);
        if (port < 0) {
            return null;
        }
        return new ControlClient(port, ControlFiles.tokenFor(dataDir));
    }

    public JsonNode get(String path) throws InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public JsonNode post(String path, Map<String, Object> body) throws InterruptedException {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .header("Content-Type", "application/json"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder request) throws InterruptedException {
        HttpResponse<byte[]> r;
        try {
            r = http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UserError(ExitCode.CONTROL, "the running node does not answer on " + base + ": " + e.getMessage());
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UserError(ExitCode.CONTROL, "the running node sent an unreadable answer");
        }
        if (r.statusCode() == 401) {
            throw new UserError(ExitCode.CONTROL, "the running node refused the token in control.token: " + body.path("error").asText());
        }
        if (r.statusCode() >= 400) {
            throw new UserError(body.path("exitCode").asInt(ExitCode.INTERNAL), body.path("error").asText("node error " + r.statusCode()));
        }
        return body;
    }
}
